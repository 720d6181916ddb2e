//! The signer's certificate bound into the signed attributes (ESS signing-certificate, RFC 2634 §5.4
//! and RFC 5035 §3): what makes a CAdES-BES signature name the certificate it was made with.
//!
//! Issue 15 §2, thinking like a forger: without this attribute the same key in another certificate
//! (another name, another CA) verifies the same signature. With it, the hash of the certificate that
//! verifies must equal the one signed (the first ESSCertID, RFC 5035 §3). A plain PKCS#7 signature
//! without it is reported (information), a mismatch makes the signature invalid.

use cms::signed_data::SignedAttributes;
use const_oid::db::rfc5911::{ID_AA_SIGNING_CERTIFICATE, ID_AA_SIGNING_CERTIFICATE_V_2};
use der::asn1::OctetStringRef;
use der::{Decode, Header, Reader, SliceReader, Tag};
use spki::AlgorithmIdentifierOwned;

use super::algorithms::DigestAlgorithm;
use super::certificate::Certificate;
use super::findings::FindingCode;
use super::report::SignatureReport;
use super::signed_attrs;

/// Compares the signed certificate hash with `cert`, recording the outcome as findings.
pub(crate) fn check_binding(
    report: &mut SignatureReport,
    attrs: &SignedAttributes,
    cert: &Certificate,
) {
    let v2 = signed_attrs::single_value(attrs, ID_AA_SIGNING_CERTIFICATE_V_2);
    let v1 = signed_attrs::single_value(attrs, ID_AA_SIGNING_CERTIFICATE);
    let (value, v2) = match (v2, v1) {
        (Ok(Some(v)), _) => (v, true),
        (_, Ok(Some(v))) => (v, false),
        (Ok(None), Ok(None)) => {
            report.add(
                FindingCode::NoSigningCertificateBinding,
                "The signature does not name the certificate it was made with (an older signature format).",
            );
            return;
        }
        _ => {
            report.add(
                FindingCode::SigningCertificateMismatch,
                "The signature's reference to its own certificate is unreadable.",
            );
            return;
        }
    };
    let Ok(value) = der::Encode::to_der(value) else {
        return;
    };
    match first_cert_hash(&value, v2) {
        Some((digest, hash)) if digest.digest_parts(&[cert.der()]) == hash => {}
        Some(_) => report.add(
            FindingCode::SigningCertificateMismatch,
            "The certificate in the file is not the one the signer signed with: it was substituted.",
        ),
        None => report.add(
            FindingCode::SigningCertificateMismatch,
            "The signature's reference to its own certificate is unreadable.",
        ),
    }
}

/// The digest algorithm and hash of the first ESSCertID(v2).
fn first_cert_hash(value: &[u8], v2: bool) -> Option<(DigestAlgorithm, Vec<u8>)> {
    let body = |r: &mut SliceReader<'_>| -> Option<Vec<u8>> {
        let h = Header::decode(r).ok()?;
        (h.tag == Tag::Sequence).then_some(())?;
        Some(r.read_slice(h.length).ok()?.to_vec())
    };
    let mut top = SliceReader::new(value).ok()?;
    let signing_certificate = body(&mut top)?;
    let mut r = SliceReader::new(&signing_certificate).ok()?;
    let certs = body(&mut r)?;
    let mut r = SliceReader::new(&certs).ok()?;
    let first = body(&mut r)?;
    let mut r = SliceReader::new(&first).ok()?;
    let mut digest = DigestAlgorithm::Sha1;
    if v2 && r.peek_tag().ok()? == Tag::Sequence {
        let alg = AlgorithmIdentifierOwned::decode(&mut r).ok()?;
        digest = DigestAlgorithm::from_oid(&alg.oid)?;
    } else if v2 {
        digest = DigestAlgorithm::Sha256;
    }
    let hash = OctetStringRef::decode(&mut r).ok()?.as_bytes().to_vec();
    Some((digest, hash))
}
