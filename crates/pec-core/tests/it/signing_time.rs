//! Issue 13 §4 and §5: time that a signer cannot choose alone, and extensions that cannot be honoured.
//!
//! The attack: a forger holding a provider key writes whatever signingTime suits the certificate.
//! `openssl cms -sign` writes the real present as signingTime, so these tests move the independent
//! times (the caller's clock, the IMAP INTERNALDATE, the archive's first sight, the daticert) and the
//! certificate's validity around it instead. Each asserts the verdict and the finding codes.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration, Utc};
use pec_core::signature::{
    FindingCode, SignatureReport, SignatureStatus, TimeWitnesses, TrustAnchors, verify_detached_at,
};
use pec_testkit::Signer;
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};

const SERVICE: &str = "posta-certificata@pec.provider.example";

fn content() -> Vec<u8> {
    b"Content-Type: text/plain\r\n\r\nMessaggio di posta certificata.\r\n".to_vec()
}

fn present() -> DateTime<Utc> {
    std::time::SystemTime::now().into()
}

/// A provider whose certificate ends tomorrow at midnight: valid when openssl signs (now), expired
/// three days later.
fn ending_tomorrow() -> Option<&'static TestPki> {
    static PKI: OnceLock<Option<TestPki>> = OnceLock::new();
    PKI.get_or_init(|| {
        if !openssl_available() {
            println!("SKIPPED: the openssl binary is needed to make test signatures");
            return None;
        }
        Some(TestPki::new(&PkiSpec::provider_ending_tomorrow(SERVICE)))
    })
    .as_ref()
}

/// A provider valid from 2020 to 2045.
fn long_lived() -> Option<&'static TestPki> {
    static PKI: OnceLock<Option<TestPki>> = OnceLock::new();
    PKI.get_or_init(|| openssl_available().then(|| TestPki::new(&PkiSpec::provider(SERVICE))))
        .as_ref()
}

fn anchors(pki: &TestPki) -> TrustAnchors {
    let mut anchors = TrustAnchors::empty();
    anchors.add_pem(pki.ca_pem.as_bytes()).unwrap();
    anchors
}

/// Signs the content now; returns a verifier under given witnesses and the claimed signingTime.
fn signed(pki: &TestPki) -> (impl Fn(&TimeWitnesses) -> SignatureReport, DateTime<Utc>) {
    let body = content();
    let p7s = pki.sign(&body);
    let anchors = anchors(pki);
    let verify =
        move |w: &TimeWitnesses| verify_detached_at(&body, &p7s, &anchors, Some(SERVICE), w);
    let signed_at = verify(&TimeWitnesses::at(present()))
        .signed_at
        .expect("openssl writes a signingTime");
    (verify, signed_at)
}

fn codes(r: &SignatureReport) -> Vec<FindingCode> {
    r.findings.iter().map(|f| f.code).collect()
}

#[test]
fn issue_13_a_certificate_that_holds_only_at_the_claimed_time_is_not_valid_once_arrival_is_later() {
    let Some(pki) = ending_tomorrow() else { return };
    let (verify, signed_at) = signed(pki);
    // Received three days later, when the certificate had expired: the signature may have been made
    // then, with a backdated signingTime.
    let arrival = signed_at + Duration::days(3);
    let r = verify(&TimeWitnesses::at(arrival).received(Some(arrival)));
    assert_eq!(r.status, SignatureStatus::Untrusted, "{:?}", r.findings);
    assert_eq!(
        codes(&r),
        [
            FindingCode::ReceivedLongAfterSigning,
            FindingCode::SigningTimeContradicted
        ]
    );
}

#[test]
fn issue_13_a_file_the_archive_first_saw_long_after_signing_keeps_its_verdict() {
    // The archive's first sight is only a bound (the signature existed then): a receipt kept on disk
    // and imported after its provider's certificate expired was still signed in time.
    let Some(pki) = ending_tomorrow() else { return };
    let (verify, signed_at) = signed(pki);
    let imported = signed_at + Duration::days(3);
    let r = verify(&TimeWitnesses::at(imported).first_seen(Some(imported)));
    assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
    assert_eq!(codes(&r), [FindingCode::SignerCertificateExpiredSince]);
}

#[test]
fn issue_13_a_signature_claimed_after_the_archive_already_held_it_is_contradicted() {
    // The forger's key became valid today; the archive held the message yesterday, so the signature
    // was made before the certificate began, whatever signingTime says.
    if !openssl_available() {
        return;
    }
    let today = present();
    let start = (today.year(), today.month() as u8, today.day() as u8);
    let pki = TestPki::new(&PkiSpec {
        signer_valid: (start, (2045, 1, 1)),
        ..PkiSpec::provider(SERVICE)
    });
    let (verify, signed_at) = signed(&pki);
    let held = signed_at - Duration::days(1);
    let r = verify(&TimeWitnesses::at(signed_at).first_seen(Some(held)));
    assert_eq!(r.status, SignatureStatus::Untrusted, "{:?}", r.findings);
    assert_eq!(
        codes(&r),
        [
            FindingCode::SigningTimeAfterArrival,
            FindingCode::SigningTimeContradicted
        ]
    );
}

#[test]
fn issue_13_the_same_signature_received_at_once_stays_valid_and_only_says_it_expired_since() {
    let Some(pki) = ending_tomorrow() else { return };
    let (verify, signed_at) = signed(pki);
    let later = signed_at + Duration::days(3);
    let r = verify(&TimeWitnesses::at(later).received(Some(signed_at + Duration::seconds(20))));
    assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
    assert_eq!(codes(&r), [FindingCode::SignerCertificateExpiredSince]);
}

#[test]
fn issue_13_a_signing_time_later_than_now_is_refused() {
    let Some(pki) = long_lived() else { return };
    let (verify, signed_at) = signed(pki);
    let r = verify(&TimeWitnesses::at(signed_at - Duration::days(1)));
    assert_eq!(r.status, SignatureStatus::Invalid, "{:?}", r.findings);
    assert_eq!(codes(&r), [FindingCode::SigningTimeInFuture]);
    // A clock a minute behind is within the skew allowed.
    let r = verify(&TimeWitnesses::at(signed_at - Duration::minutes(1)));
    assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
    assert!(codes(&r).is_empty(), "{:?}", r.findings);
}

#[test]
fn issue_13_a_signing_time_far_from_the_certified_daticert_time_is_a_finding() {
    let Some(pki) = long_lived() else { return };
    let (verify, signed_at) = signed(pki);
    let now = signed_at + Duration::minutes(1);
    let r = verify(&TimeWitnesses::at(now).daticert(Some(signed_at - Duration::hours(1))));
    // The certificate is valid at both times: the verdict does not depend on which one is right.
    assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
    assert_eq!(codes(&r), [FindingCode::SigningTimeDisagreesWithDaticert]);
    // Within ten minutes the two agree.
    let r = verify(&TimeWitnesses::at(now).daticert(Some(signed_at - Duration::minutes(9))));
    assert!(codes(&r).is_empty(), "{:?}", r.findings);
}

#[test]
fn issue_13_a_signing_time_after_the_message_arrived_is_a_finding() {
    let Some(pki) = long_lived() else { return };
    let (verify, signed_at) = signed(pki);
    let arrival = signed_at - Duration::hours(2);
    let r = verify(&TimeWitnesses::at(signed_at).received(Some(arrival)));
    assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
    assert_eq!(codes(&r), [FindingCode::SigningTimeAfterArrival]);
}

#[test]
fn issue_13_a_certificate_with_an_unknown_critical_extension_is_unusable() {
    if !openssl_available() {
        return;
    }
    let pki = TestPki::new(&PkiSpec {
        unknown_critical_extension: true,
        ..PkiSpec::provider(SERVICE)
    });
    let (verify, signed_at) = signed(&pki);
    let r = verify(&TimeWitnesses::at(signed_at));
    assert_eq!(r.status, SignatureStatus::Untrusted, "{:?}", r.findings);
    assert_eq!(codes(&r), [FindingCode::CertificateExtensionUnusable]);
}

#[test]
fn issue_13_the_signed_daticert_of_a_receipt_is_the_daticert_witness() {
    use pec_testkit::{Pec, PecKindSpec, Send};
    let Some(pki) = long_lived() else { return };
    let receipt = |certified: DateTime<Utc>| {
        let send = Send::new(
            "studio.rossi@pec.provider.example",
            &["cliente@pec.altro.example"],
            "Diffida",
            certified,
        );
        let raw = Pec::new(&send, PecKindSpec::Acceptance).build(pki);
        let inspection = pec_core::inspect(&raw);
        pec_core::verify_signature(
            &raw,
            &inspection,
            &anchors(pki),
            &TimeWitnesses::at(present()),
        )
    };
    let r = receipt(present() - Duration::hours(3));
    assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
    assert!(codes(&r).contains(&FindingCode::SigningTimeDisagreesWithDaticert));
    let r = receipt(present());
    assert!(
        !codes(&r).contains(&FindingCode::SigningTimeDisagreesWithDaticert),
        "{:?}",
        r.findings
    );
}
