//! Fuzz the lenient daticert reader: any bytes must give a daticert or a plain error.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = pec_core::daticert::read(data);
});
