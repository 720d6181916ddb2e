//! The forger who swaps the signer's certificate (issue 15, "think like a forger"): a second
//! certificate for the same key — another name, same issuer and serial — verifies the same
//! signature value, so only the signed ESS signing-certificate attribute (RFC 5035) tells the two
//! apart. With the attribute, the swap is `signing-certificate-mismatch` and invalid; without it,
//! the report says plainly that the signature does not name its certificate.
//!
//! The certificates and signatures are made by `openssl` with a throw-away CA
//! ([`pec_testkit::openssl_ca`]; skipped, loudly, without openssl).

use chrono::{DateTime, Utc};
use pec_core::signature::{FindingCode, SignatureStatus, TrustAnchors};
use pec_document::DocumentReport;
use pec_testkit::openssl_ca::{CmsOptions, OpensslCa};
use pec_testkit::pki::openssl_available;

/// A CA; one signer key certified twice with the same serial, as "Mario Rossi" (`a`) and
/// "Mario Russi" (`b`) (names of one length, so one DER can replace the other in place).
fn pki() -> OpensslCa {
    let ca = OpensslCa::new("/CN=Forger Test CA");
    ca.key("signer");
    ca.certify_key("a", "signer", "/CN=Mario Rossi", 4242);
    ca.certify_key("b", "signer", "/CN=Mario Russi", 4242);
    ca
}

/// The act signed with certificate A (`cades`: with the ESS signing-certificate-v2 attribute).
fn sign(ca: &OpensslCa, cades: bool) -> Vec<u8> {
    let options = CmsOptions {
        cades,
        ..CmsOptions::default()
    };
    ca.sign("a", b"Atto di citazione.\n", options)
}

/// `p7m` with certificate A's DER replaced by B's.
fn swapped(ca: &OpensslCa, p7m: &[u8]) -> Vec<u8> {
    let a = ca.der("a");
    let b = ca.der("b");
    assert_eq!(a.len(), b.len(), "the two certificates differ in length");
    let at = p7m
        .windows(a.len())
        .position(|w| w == a.as_slice())
        .expect("certificate A is embedded");
    let mut out = p7m.to_vec();
    out[at..at + b.len()].copy_from_slice(&b);
    out
}

fn open(ca: &OpensslCa, bytes: &[u8]) -> DocumentReport {
    let mut anchors = TrustAnchors::empty();
    anchors.add_der(&ca.der("ca")).unwrap();
    let now: DateTime<Utc> = std::time::SystemTime::now().into();
    let checking = pec_document::Checking {
        anchors: &anchors,
        now: now + chrono::Duration::minutes(5),
        services: None,
        companion: None,
    };
    pec_document::open("atto.txt.p7m", bytes, &checking)
}

fn codes(report: &DocumentReport) -> Vec<FindingCode> {
    report
        .signatures
        .iter()
        .flat_map(|s| &s.findings)
        .chain(&report.findings)
        .map(|f| f.code)
        .collect()
}

fn signer(report: &DocumentReport) -> Option<String> {
    report.signatures[0].signer.as_ref()?.common_name.clone()
}

#[test]
fn a_swapped_certificate_for_the_same_key_is_refused_by_the_signed_binding() {
    if !openssl_available() {
        println!("SKIPPED: openssl is needed to make the certificates");
        return;
    }
    let ca = pki();
    let genuine = sign(&ca, true);
    let report = open(&ca, &genuine);
    assert_eq!(
        report.status,
        SignatureStatus::Valid,
        "{:?}",
        codes(&report)
    );
    assert_eq!(signer(&report).as_deref(), Some("Mario Rossi"));

    let forged = open(&ca, &swapped(&ca, &genuine));
    assert_eq!(
        forged.status,
        SignatureStatus::Invalid,
        "{:?}",
        codes(&forged)
    );
    assert!(codes(&forged).contains(&FindingCode::SigningCertificateMismatch));
}

#[test]
fn without_the_binding_the_swap_verifies_but_the_report_says_the_certificate_is_not_named() {
    if !openssl_available() {
        println!("SKIPPED: openssl is needed to make the certificates");
        return;
    }
    let ca = pki();
    let plain = sign(&ca, false);
    let forged = open(&ca, &swapped(&ca, &plain));
    assert_eq!(signer(&forged).as_deref(), Some("Mario Russi"));
    assert!(
        codes(&forged).contains(&FindingCode::NoSigningCertificateBinding),
        "{:?}",
        codes(&forged)
    );
}
