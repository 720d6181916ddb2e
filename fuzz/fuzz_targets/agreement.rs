//! Fuzz the agreement of two readings (issue 13 §6): any bytes are read by Attesta (facts from the strictly
//! cut signed bytes) and by a lenient reader that trusts mail-parser's tree of the whole message. A fact the
//! lenient reader takes differently, under a signature that holds over what Attesta read, with no finding
//! saying the message is ambiguous, is a crash. The oracle is the same file the stable mutation test uses.
#![no_main]

#[path = "../../crates/pec-core/tests/it/lenient.rs"]
mod lenient;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some(comparison) = lenient::compare(data)
        && comparison.accepted()
    {
        panic!(
            "a lenient reader takes {:?} differently and Attesta reports no ambiguity",
            comparison.differs
        );
    }
});
