//! Fuzz parse + classify: any bytes must give a reading, never a panic or a hang.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = pec_core::recognise(data);
});
