//! The adversarial suite of issue 13 §1: a forger holds genuine signed receipts (here: really signed by
//! the project's test CA; and every real receipt of the shared corpus) and rearranges everything the
//! signature does not cover. For each layout the user must be told the **signed** facts and a verdict
//! that is never `valid` unless the message is exactly what the provider sent.

use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use pec_core::signature::{FindingCode as SigCode, SignatureReport, SignatureStatus, TrustAnchors};
use pec_core::{FindingCode, Inspection, PecKind, inspect, verify_signature};
use pec_testkit::forgery::{Genuine, Rewrap, rewrap};
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Send};

const SERVICE: &str = "posta-certificata@pec.provider.example";
const RCPT: &str = "cliente@pec.altro.example";

fn pki() -> Option<&'static TestPki> {
    static PKI: OnceLock<Option<TestPki>> = OnceLock::new();
    PKI.get_or_init(|| {
        if !openssl_available() {
            println!("SKIPPED: the openssl binary is needed to make test signatures");
            return None;
        }
        Some(TestPki::new(&PkiSpec::provider(SERVICE)))
    })
    .as_ref()
}

fn trusting(pki: &TestPki) -> TrustAnchors {
    let mut anchors = TrustAnchors::builtin();
    anchors.add_pem(pki.ca_pem.as_bytes()).unwrap();
    anchors
}

fn send(subject: &str) -> Send {
    Send::new(
        "studio.rossi@pec.provider.example",
        &[RCPT],
        subject,
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).unwrap(),
    )
}

/// A genuine failure receipt (what the forger holds), a forged delivery content for the same send (what
/// the forger wants read), and another genuine receipt (an acceptance of another send).
fn material(pki: &TestPki) -> (Genuine, Vec<u8>, Genuine) {
    let diffida = send("Diffida ad adempiere n. 42/2026");
    let failure = Pec::new(
        &diffida,
        PecKindSpec::Failure {
            recipient: RCPT.into(),
            virus: false,
            reason: "5.1.1 utente sconosciuto".into(),
        },
    )
    .build(pki);
    let forged = Pec::new(
        &diffida,
        PecKindSpec::Delivery {
            recipient: RCPT.into(),
        },
    )
    .signed_content();
    let other = Pec::new(&send("Altro"), PecKindSpec::Acceptance).build(pki);
    (
        Genuine::new(&failure).unwrap(),
        forged,
        Genuine::new(&other).unwrap(),
    )
}

fn check(raw: &[u8], anchors: &TrustAnchors) -> (Inspection, SignatureReport) {
    let inspection = inspect(raw);
    let report = verify_signature(
        raw,
        &inspection,
        anchors,
        &pec_core::signature::TimeWitnesses::at(chrono::DateTime::<chrono::Utc>::from(
            std::time::SystemTime::now(),
        )),
    );
    (inspection, report)
}

fn codes(i: &Inspection) -> Vec<FindingCode> {
    i.findings.iter().map(|f| f.code).collect()
}

fn sig_codes(r: &SignatureReport) -> Vec<SigCode> {
    r.findings.iter().map(|f| f.code).collect()
}

/// What the user must be told for each layout: the verdict and the finding that explains it.
fn expected(how: Rewrap) -> (SignatureStatus, Option<FindingCode>, Option<SigCode>) {
    use SignatureStatus::*;
    match how {
        Rewrap::Unchanged => (Valid, None, None),
        Rewrap::MidLineDelimiter => (
            Invalid,
            Some(FindingCode::StructureAmbiguous),
            Some(SigCode::AmbiguousMessage),
        ),
        Rewrap::DelimiterWithTrailingText => (
            Invalid,
            Some(FindingCode::StructureAmbiguous),
            Some(SigCode::AmbiguousMessage),
        ),
        Rewrap::DaticertBesideSigned => (
            Invalid,
            Some(FindingCode::DaticertNotSigned),
            Some(SigCode::AmbiguousMessage),
        ),
        Rewrap::TwoSignatureParts => (
            Invalid,
            Some(FindingCode::SignedEntityExtraParts),
            Some(SigCode::AmbiguousMessage),
        ),
        Rewrap::SecondSignedEntity => (
            Invalid,
            Some(FindingCode::SignedEntityDuplicated),
            Some(SigCode::AmbiguousMessage),
        ),
        Rewrap::NestedInAnotherSignedEntity => (
            Invalid,
            Some(FindingCode::SignedEntityDuplicated),
            Some(SigCode::ContentDigestMismatch),
        ),
        Rewrap::EncodedMultipart => (
            Invalid,
            Some(FindingCode::StructureAmbiguous),
            Some(SigCode::AmbiguousMessage),
        ),
        Rewrap::SwappedSignature => (Invalid, None, Some(SigCode::ContentDigestMismatch)),
    }
}

#[test]
fn every_rewrap_of_a_genuine_receipt_tells_the_signed_facts_and_is_valid_only_untouched() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (genuine, forged, other) = material(pki);
    for how in Rewrap::ALL {
        let raw = rewrap(&genuine, how, &forged, &other);
        let (i, r) = check(&raw, &anchors);
        let (status, finding, sig_finding) = expected(how);
        assert_eq!(
            r.status, status,
            "{how:?}: {:?} {:?}",
            r.findings, i.findings
        );
        if let Some(code) = finding {
            assert!(codes(&i).contains(&code), "{how:?}: {:?}", i.findings);
        } else {
            assert!(
                !i.findings.iter().any(|f| f.code.makes_reading_ambiguous()),
                "{how:?}: {:?}",
                i.findings
            );
        }
        if let Some(code) = sig_finding {
            assert!(sig_codes(&r).contains(&code), "{how:?}: {:?}", r.findings);
        }
        // Whatever the layout, the facts are the signed ones: never the forged delivery.
        if how != Rewrap::NestedInAnotherSignedEntity {
            assert_eq!(i.kind, PecKind::DeliveryFailure, "{how:?}");
            let d = i.daticert.as_ref().expect("the signed daticert");
            assert_eq!(d.consegna.as_deref(), Some(RCPT), "{how:?}");
        } else {
            // The content is another signed entity: nothing certified can be read from it.
            assert_ne!(i.kind, PecKind::Delivery, "{how:?}");
            assert!(i.daticert.is_none(), "{how:?}");
        }
    }
}

#[test]
fn the_mid_line_rewrap_once_read_as_a_valid_delivery_and_now_reads_as_the_signed_failure() {
    // The layout of issue 13 §1 itself: a lenient reader saw the forged delivery and a copy of the
    // genuine signature first; the strict cut verified the genuine failure.
    let Some(pki) = pki() else { return };
    let (genuine, forged, other) = material(pki);
    let raw = rewrap(&genuine, Rewrap::MidLineDelimiter, &forged, &other);
    // What a lenient reader takes as the certification data: the first daticert.xml of its tree.
    let lenient = mail_parser::MessageParser::new().parse(&raw).unwrap();
    let first_daticert = lenient
        .parts
        .iter()
        .find(|p| mail_parser::MimeHeaders::attachment_name(*p) == Some("daticert.xml"))
        .map(|p| String::from_utf8_lossy(p.contents()).into_owned())
        .unwrap();
    assert!(
        first_daticert.contains("avvenuta-consegna"),
        "the layout must fool a lenient reader, or the test proves nothing"
    );
    let (i, r) = check(&raw, &trusting(pki));
    assert_eq!(i.kind, PecKind::DeliveryFailure);
    assert_eq!(r.status, SignatureStatus::Invalid);
    let said = &r
        .findings
        .iter()
        .find(|f| f.code == SigCode::AmbiguousMessage)
        .unwrap()
        .message;
    assert!(said.contains("more than one way"), "{said}");
}

#[test]
fn every_real_receipt_rewrapped_by_a_forger_keeps_its_signed_facts_and_loses_valid() {
    let Some(dir) = pec_testkit::corpus::dir_or_skip("forgery over the real corpus") else {
        return;
    };
    let Some(pki) = pki() else { return };
    let (_, forged, _) = material(pki);
    let rows = pec_testkit::corpus::manifest(&dir);
    let genuine: Vec<(String, Vec<u8>)> = rows
        .iter()
        .filter(|r| r.expected_signature == "valid" && r.file.ends_with(".eml"))
        .map(|r| {
            (
                r.file.clone(),
                std::fs::read(dir.join("real").join(&r.file)).unwrap(),
            )
        })
        .collect();
    assert!(genuine.len() >= 10, "the corpus has real signed messages");
    let builtin = TrustAnchors::builtin();
    let mut mounted = 0;
    for (n, (name, raw)) in genuine.iter().enumerate() {
        let Some(parts) = Genuine::new(raw) else {
            continue; // its signed entity is not the whole message (list-wrapped)
        };
        let (truth, truth_report) = check(raw, &builtin);
        let (_, other_raw) = &genuine[(n + 1) % genuine.len()];
        let Some(other) = Genuine::new(other_raw) else {
            continue;
        };
        for how in Rewrap::ALL {
            let forged_raw = rewrap(&parts, how, &forged, &other);
            let (i, r) = check(&forged_raw, &builtin);
            if how == Rewrap::Unchanged {
                assert_eq!(r.status, truth_report.status, "{name}: {:?}", r.findings);
            } else {
                assert_ne!(r.status, SignatureStatus::Valid, "{name} {how:?}");
            }
            if how != Rewrap::NestedInAnotherSignedEntity {
                assert_eq!(i.kind, truth.kind, "{name} {how:?}");
                assert_eq!(i.daticert, truth.daticert, "{name} {how:?}");
            }
            mounted += 1;
        }
    }
    assert!(mounted >= 50, "only {mounted} attacks mounted");
}
