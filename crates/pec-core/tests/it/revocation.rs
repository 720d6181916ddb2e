//! Revocation from the CRLs a signed document carries (issue 15): a test CA made with the `openssl`
//! binary ([`pec_testkit::openssl_ca`]) issues a signer, `openssl ca -gencrl` lists it (or not),
//! and the CRL is put into the SignedData's `crls` (or the signer's revocationValues) the way a
//! CAdES-LT signer would.

use chrono::{DateTime, TimeZone, Utc};
use cms::content_info::ContentInfo;
use cms::revocation::{RevocationInfoChoice, RevocationInfoChoices};
use cms::signed_data::SignedData;
use der::asn1::{ObjectIdentifier, SetOfVec};
use der::{Any, Decode, Encode};
use pec_core::signature::{
    CmsDocument, DocumentContext, FindingCode, SignatureStatus, TrustAnchors, verify_cms_document,
};
use pec_testkit::openssl_ca::{CmsOptions, LONG_VALIDITY, OpensslCa};
use pec_testkit::pki::openssl_available;
use x509_cert::attr::Attribute;
use x509_cert::crl::CertificateList;

const CA_NAME: &str = "/C=IT/O=Attesta Test/CN=Attesta Test Revocation CA";

/// The signer's common name (what [`OpensslCa::revoke`] finds it by).
const SIGNER_CN: &str = "Firmatario di Prova";

/// A CA on disk (its openssl database), with one signer it issued (`signer`).
fn test_ca() -> OpensslCa {
    test_ca_with_signer_until("20450101000000Z")
}

/// The same, the signer's certificate expiring at `end` (openssl's GeneralizedTime).
fn test_ca_with_signer_until(end: &str) -> OpensslCa {
    let ca = OpensslCa::new(CA_NAME);
    let subject = format!("/C=IT/O=Attesta Test/CN={SIGNER_CN}");
    ca.issue("signer", &subject, "v3_signer", ("20200101000000Z", end));
    ca
}

fn anchors(ca: &OpensslCa) -> TrustAnchors {
    let mut anchors = TrustAnchors::empty();
    anchors.add_pem(&ca.ca_pem()).unwrap();
    anchors
}

/// A responder certificate the CA issues, with or without the id-kp-OCSPSigning purpose; returns
/// its stem.
fn responder(ca: &OpensslCa, ocsp_signing: bool) -> &'static str {
    let extensions = if ocsp_signing { "v3_ocsp" } else { "v3_signer" };
    ca.issue(
        "responder",
        "/C=IT/O=Attesta Test/CN=Responder OCSP di Prova",
        extensions,
        LONG_VALIDITY,
    );
    "responder"
}

/// An OCSPResponse (DER) about the signer from the CA's database, signed by `responder`.
fn ocsp(ca: &OpensslCa, responder: &str) -> Vec<u8> {
    ca.ocsp("signer", responder, true)
}

/// An attached CAdES-BES-like signature (openssl writes signingTime = now).
fn sign(ca: &OpensslCa, content: &[u8]) -> Vec<u8> {
    let options = CmsOptions {
        with_ca: true,
        ..CmsOptions::default()
    };
    ca.sign("signer", content, options)
}

/// The signature with `crls` put into its SignedData's `crls` field.
fn with_crls(cms: &[u8], crls: &[Vec<u8>]) -> Vec<u8> {
    edit(cms, |sd| {
        let choices: Vec<RevocationInfoChoice> = crls
            .iter()
            .map(|c| RevocationInfoChoice::Crl(CertificateList::from_der(c).unwrap()))
            .collect();
        sd.crls = Some(RevocationInfoChoices(SetOfVec::try_from(choices).unwrap()));
    })
}

/// The signature with an OCSP response in its SignedData's `crls` field, as RFC 5940 encodes it:
/// `other [1] { id-ri-ocsp-response, OCSPResponse }` (spliced by hand: `cms` 0.2 models the
/// format identifier as an AlgorithmIdentifier).
fn with_ocsp(cms: &[u8], response: &[u8]) -> Vec<u8> {
    let oid = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.16.2")
        .to_der()
        .unwrap();
    let other = tlv(0xa1, &[oid, response.to_vec()].concat());
    let crls = tlv(0xa1, &other);
    let mut ci = ContentInfo::from_der(cms).expect("openssl writes DER");
    let mut r = der::SliceReader::new(ci.content.value()).unwrap();
    let mut fields = Vec::new();
    while !der::Reader::is_finished(&r) {
        fields.push(der::Reader::tlv_bytes(&mut r).unwrap().to_vec());
    }
    let signer_infos = fields.pop().unwrap();
    fields.extend([crls, signer_infos]);
    ci.content = Any::from_der(&tlv(0x30, &fields.concat())).unwrap();
    ci.to_der().unwrap()
}

fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    der::Length::try_from(body.len())
        .unwrap()
        .encode_to_vec(&mut out)
        .unwrap();
    out.extend_from_slice(body);
    out
}

/// The signature with `crl` in its signer's unsigned id-aa-ets-revocationValues (RFC 5126 §6.3.4).
fn with_revocation_values(cms: &[u8], crl: &[u8]) -> Vec<u8> {
    let values = tlv(0x30, &tlv(0xa0, &tlv(0x30, crl)));
    edit(cms, |sd| {
        let attribute = Attribute {
            oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.24"),
            values: SetOfVec::try_from(vec![Any::from_der(&values).unwrap()]).unwrap(),
        };
        let mut infos: Vec<_> = sd.signer_infos.0.iter().cloned().collect();
        infos[0].unsigned_attrs = Some(SetOfVec::try_from(vec![attribute]).unwrap());
        sd.signer_infos.0 = SetOfVec::try_from(infos).unwrap();
    })
}

fn edit(cms: &[u8], change: impl FnOnce(&mut SignedData)) -> Vec<u8> {
    let mut ci = ContentInfo::from_der(cms).expect("openssl writes DER");
    let mut sd: SignedData = ci.content.decode_as().unwrap();
    change(&mut sd);
    ci.content = Any::encode_from(&sd).unwrap();
    ci.to_der().unwrap()
}

fn verify(ca: &OpensslCa, cms: &[u8], stamped_at: Option<DateTime<Utc>>) -> CmsDocument {
    verify_cms_document(
        cms,
        &anchors(ca),
        DocumentContext {
            detached: None,
            claimed_time: None,
            stamped_at,
            now: std::time::SystemTime::now().into(),
            store: None,
        },
    )
}

fn codes(doc: &CmsDocument) -> Vec<FindingCode> {
    doc.signatures[0]
        .report
        .findings
        .iter()
        .map(|f| f.code)
        .collect()
}

fn status(doc: &CmsDocument) -> SignatureStatus {
    doc.signatures[0].report.status
}

fn at(year: i32) -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(year, 6, 1, 12, 0, 0).single()
}

macro_rules! needs_openssl {
    () => {
        if !openssl_available() {
            eprintln!("SKIPPED: openssl is not available");
            return;
        }
    };
}

#[test]
fn a_signature_without_revocation_data_says_revocation_was_not_checked() {
    needs_openssl!();
    let ca = test_ca();
    let doc = verify(&ca, &sign(&ca, b"contratto"), None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationNotChecked));
    assert!(!codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn a_crl_from_the_issuer_listing_nothing_shows_the_signer_was_not_revoked() {
    needs_openssl!();
    let ca = test_ca();
    let signed = with_crls(&sign(&ca, b"contratto"), &[ca.crl(false, None)]);
    let doc = verify(&ca, &signed, None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationChecked));
    assert!(!codes(&doc).contains(&FindingCode::RevocationNotChecked));
}

#[test]
fn the_same_crl_in_the_signers_revocation_values_counts_too() {
    needs_openssl!();
    let ca = test_ca();
    let signed = with_revocation_values(&sign(&ca, b"contratto"), &ca.crl(false, None));
    let doc = verify(&ca, &signed, None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn a_signer_revoked_before_signing_is_not_valid() {
    needs_openssl!();
    let ca = test_ca();
    ca.revoke(SIGNER_CN, "210101000000Z,keyCompromise");
    let signed = with_crls(&sign(&ca, b"contratto"), &[ca.crl(false, None)]);
    let doc = verify(&ca, &signed, None);
    assert_eq!(status(&doc), SignatureStatus::Untrusted);
    let revoked = doc.signatures[0]
        .report
        .findings
        .iter()
        .find(|f| f.code == FindingCode::CertificateRevoked)
        .expect("the revocation is reported");
    assert!(
        revoked.message.contains("2021-01-01"),
        "{}",
        revoked.message
    );
    assert!(!codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn a_signer_revoked_after_the_time_the_signature_is_judged_at_stands() {
    needs_openssl!();
    let ca = test_ca();
    ca.revoke(SIGNER_CN, "230101000000Z,keyCompromise");
    let signed = with_crls(&sign(&ca, b"contratto"), &[ca.crl(false, None)]);
    // A timestamp (here: over the whole file) puts the signature in 2022.
    let doc = verify(&ca, &signed, at(2022));
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::CertificateRevokedSince));
    assert!(codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn a_crl_signed_by_a_look_alike_key_is_ignored_with_a_warning() {
    needs_openssl!();
    let ca = test_ca();
    ca.revoke(SIGNER_CN, "210101000000Z,keyCompromise");
    let signed = with_crls(&sign(&ca, b"contratto"), &[ca.crl(true, None)]);
    let doc = verify(&ca, &signed, None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationDataUnusable));
    assert!(codes(&doc).contains(&FindingCode::RevocationNotChecked));
    assert!(!codes(&doc).contains(&FindingCode::CertificateRevoked));
}

#[test]
fn a_crl_that_expired_before_the_signature_proves_nothing() {
    needs_openssl!();
    let ca = test_ca();
    let stale = ca.crl(false, Some(("210101000000Z", "210201000000Z")));
    let doc = verify(&ca, &with_crls(&sign(&ca, b"contratto"), &[stale]), None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationNotChecked));
    assert!(!codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn a_crl_current_at_the_time_of_signing_shows_the_signer_was_not_revoked() {
    needs_openssl!();
    let ca = test_ca();
    let current = ca.crl(false, Some(("220501000000Z", "220701000000Z")));
    let doc = verify(
        &ca,
        &with_crls(&sign(&ca, b"contratto"), &[current]),
        at(2022),
    );
    assert!(
        codes(&doc).contains(&FindingCode::RevocationChecked),
        "{:?}",
        codes(&doc)
    );
}

#[test]
fn damaged_revocation_data_is_a_warning_never_a_panic() {
    needs_openssl!();
    let ca = test_ca();
    let mut crl = ca.crl(false, None);
    let last = crl.len() - 1;
    crl[last] ^= 0xff; // the signature's last octet
    let doc = verify(&ca, &with_crls(&sign(&ca, b"contratto"), &[crl]), None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationDataUnusable));
    assert!(codes(&doc).contains(&FindingCode::RevocationNotChecked));
}

#[test]
fn an_ocsp_response_from_the_ca_saying_good_shows_the_signer_was_not_revoked() {
    needs_openssl!();
    let ca = test_ca();
    let signed = sign(&ca, b"contratto");
    let response = ocsp(&ca, "ca");
    let doc = verify(&ca, &with_ocsp(&signed, &response), None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(
        codes(&doc).contains(&FindingCode::RevocationChecked),
        "{:?}",
        codes(&doc)
    );
}

#[test]
fn an_authorised_responder_saying_revoked_before_signing_makes_the_signature_not_valid() {
    needs_openssl!();
    let ca = test_ca();
    let responder = responder(&ca, true);
    ca.revoke(SIGNER_CN, "210101000000Z,keyCompromise");
    let signed = sign(&ca, b"contratto");
    let doc = verify(&ca, &with_ocsp(&signed, &ocsp(&ca, responder)), None);
    assert_eq!(
        status(&doc),
        SignatureStatus::Untrusted,
        "{:?}",
        codes(&doc)
    );
    assert!(codes(&doc).contains(&FindingCode::CertificateRevoked));
}

#[test]
fn a_responder_the_ca_did_not_authorise_for_ocsp_is_not_believed() {
    needs_openssl!();
    let ca = test_ca();
    let responder = responder(&ca, false);
    let signed = sign(&ca, b"contratto");
    let doc = verify(&ca, &with_ocsp(&signed, &ocsp(&ca, responder)), None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationDataUnusable));
    assert!(codes(&doc).contains(&FindingCode::RevocationNotChecked));
    assert!(!codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn absence_from_a_crl_issued_after_the_certificate_expired_proves_nothing() {
    needs_openssl!();
    let ca = test_ca_with_signer_until("20240101000000Z");
    let signed = sign(&ca, b"contratto");
    // Expired certificates may be dropped from later lists (RFC 5280 §3.3).
    let late = verify(&ca, &with_crls(&signed, &[ca.crl(false, None)]), at(2022));
    assert!(says_revocation_was_not_checked(&late), "{:?}", codes(&late));
    let then = ca.crl(false, Some(("220501000000Z", "220701000000Z")));
    let doc = verify(&ca, &with_crls(&signed, &[then]), at(2022));
    assert!(
        codes(&doc).contains(&FindingCode::RevocationChecked),
        "{:?}",
        codes(&doc)
    );
}

fn says_revocation_was_not_checked(doc: &CmsDocument) -> bool {
    codes(doc).contains(&FindingCode::RevocationNotChecked)
        && !codes(doc).contains(&FindingCode::RevocationChecked)
}
