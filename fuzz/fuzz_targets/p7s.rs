//! Fuzz the CMS reader: any bytes as a detached signature over fixed content must give a verdict.
#![no_main]

use std::sync::OnceLock;

use pec_core::signature::{TrustAnchors, describe_p7s, verify_detached};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();
    let anchors = ANCHORS.get_or_init(TrustAnchors::builtin);
    let _ = describe_p7s(data);
    let _ = verify_detached(
        b"Content-Type: text/plain\r\n\r\nx\r\n",
        data,
        anchors,
        None,
    );
});
