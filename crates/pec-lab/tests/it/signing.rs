//! The lab signs in process like the real providers, and pec-core agrees: `valid` with the lab PEC CA as
//! an anchor, `untrusted` with the built-in PEC CAs alone.

use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use pec_core::signature::{SignatureStatus, TrustAnchors};
use pec_lab::CmsSigner;
use pec_lab::compose::{Pec, PecKindSpec, Send};
use pec_lab::pki::{self, LabPki, SignerSpec};

fn pki() -> &'static LabPki {
    static PKI: OnceLock<LabPki> = OnceLock::new();
    PKI.get_or_init(|| {
        let start = std::time::Instant::now();
        let pki = pki::generate(
            &[SignerSpec {
                domain: "alfa.pec.lab",
                organisation: "Lab PEC Alfa",
            }],
            pec_lab::LabClock::default().now(),
        )
        .unwrap();
        eprintln!("lab PKI made in {:?}", start.elapsed());
        pki
    })
}

#[test]
fn an_acceptance_signed_in_process_is_valid_only_under_the_lab_ca() {
    let pki = pki();
    let signer = CmsSigner::from_pem(
        &pki.signers[0].key_pem,
        &pki.signers[0].cert_pem,
        &pki.pec_ca_pem,
    )
    .unwrap();
    let at = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
    let send = Send::new(
        "mario.rossi@alfa.pec.lab",
        &["anna.bianchi@beta.pec.lab"],
        "Prova",
        at,
    );
    let mut pec = Pec::new(&send, PecKindSpec::Acceptance);
    pec.provider_domain = "alfa.pec.lab".into();
    let start = std::time::Instant::now();
    let raw = pec.build(&signer.at(pec.at));
    eprintln!("signed in {:?}", start.elapsed());
    let inspection = pec_core::inspect(&raw);
    let mut anchors = TrustAnchors::builtin();
    anchors.add_pem(pki.pec_ca_pem.as_bytes()).unwrap();
    let report = pec_core::verify_signature(
        &raw,
        &inspection,
        &anchors,
        &pec_core::signature::TimeWitnesses::at(std::time::SystemTime::now().into()),
    );
    assert_eq!(report.status, SignatureStatus::Valid, "{report:#?}");
    let report = pec_core::verify_signature(
        &raw,
        &inspection,
        &TrustAnchors::builtin(),
        &pec_core::signature::TimeWitnesses::at(std::time::SystemTime::now().into()),
    );
    assert_eq!(report.status, SignatureStatus::Untrusted, "{report:#?}");
}

#[test]
fn a_lab_tsa_token_covers_the_stamped_bytes_only_and_is_trusted_only_under_the_lab_ca() {
    let pki = pki();
    let tsa = pec_lab::rem::LabTsa::from_pem(&pki.tsa.key_pem, &pki.tsa.cert_pem, &pki.pec_ca_pem)
        .unwrap();
    let at = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
    let token = tsa
        .stamp(b"<ds:SignatureValue>AAAA</ds:SignatureValue>", at)
        .unwrap();
    let mut anchors = TrustAnchors::builtin();
    anchors.add_pem(pki.pec_ca_pem.as_bytes()).unwrap();
    let report = pec_core::signature::verify_timestamp(
        &token,
        Some(b"<ds:SignatureValue>AAAA</ds:SignatureValue>"),
        &anchors,
    );
    assert!(report.is_usable(), "{report:#?}");
    assert_eq!(report.time, Some(at));
    assert_eq!(report.findings, [], "not even a missing binding");
    let other = pec_core::signature::verify_timestamp(
        &token,
        Some(b"<ds:SignatureValue>AAAB</ds:SignatureValue>"),
        &anchors,
    );
    assert!(!other.is_usable(), "a token over other bytes");
    let stranger = pec_core::signature::verify_timestamp(
        &token,
        Some(b"<ds:SignatureValue>AAAA</ds:SignatureValue>"),
        &TrustAnchors::builtin(),
    );
    assert_eq!(stranger.status, SignatureStatus::Untrusted);
}
