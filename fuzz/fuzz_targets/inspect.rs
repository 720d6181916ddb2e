//! Fuzz parse + classify + verify: any bytes must give a reading and a verdict, never a panic or a hang.
#![no_main]

use std::sync::OnceLock;

use pec_core::signature::TrustAnchors;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();
    let anchors = ANCHORS.get_or_init(TrustAnchors::builtin);
    if let pec_core::Artifact::Message(inspection) = pec_core::recognise(data) {
        let _ = pec_core::verify_signature(
            data,
            &inspection,
            anchors,
            &pec_core::signature::TimeWitnesses::at(std::time::SystemTime::now().into()),
        );
    }
});
