//! A signature value made outside CMS: an XML signature's `SignatureValue` over its canonical
//! `SignedInfo` (XAdES evidence of REM, `pec-rem`).
//!
//! The same judgement as a CMS signer (`signer_check.rs`): the signer's key must verify the value, its
//! path must reach an anchor at the time the signature rests on — a usable RFC 3161 timestamp over the
//! signature, else the time the signer claims (checked against now like any claimed time) — and its
//! certificate must be meant for signing. Only the container's reading (which bytes were signed, which
//! certificate is the signer) is the caller's.

use chrono::{DateTime, Utc};

use super::algorithms::{DigestAlgorithm, PublicKey, Scheme, SignatureAlgorithm, VerifyFailure};
use super::anchors::TrustAnchors;
use super::cades::TimeBasis;
use super::findings::FindingCode;
use super::report::SignatureReport;
use super::revocation;
use super::signer_check;
use super::timestamp::TimestampReport;

/// One signature value to judge.
#[derive(Debug, Clone, Copy)]
pub struct SignatureValue<'a> {
    /// The signer's certificate (DER), as the container names it.
    pub signer: &'a [u8],
    /// Other certificates the container carries (intermediates), DER.
    pub certificates: &'a [&'a [u8]],
    pub algorithm: SignatureAlgorithm,
    pub digest: DigestAlgorithm,
    /// The exact bytes that were signed (for XML, the canonical `SignedInfo`).
    pub signed: &'a [u8],
    /// The signature value. ECDSA values may be DER or the fixed-size `r || s` of XML signatures.
    pub value: &'a [u8],
    /// The time the signer states under its signature (XAdES `SigningTime`).
    pub claimed_time: Option<DateTime<Utc>>,
    /// The signature's own timestamp, already verified over the signature value.
    pub timestamp: Option<&'a TimestampReport>,
    pub now: DateTime<Utc>,
}

/// The verdict on a [`SignatureValue`].
#[derive(Debug, Clone)]
pub struct ValueVerdict {
    pub report: SignatureReport,
    /// Which time the certificates were judged at.
    pub time_basis: TimeBasis,
    pub judged_at: Option<DateTime<Utc>>,
    /// The judged path as encoded, signer first.
    pub path: Vec<Vec<u8>>,
}

/// Judges `value` against `anchors`.
pub fn verify_signature_value(value: &SignatureValue<'_>, anchors: &TrustAnchors) -> ValueVerdict {
    let mut report = SignatureReport::new();
    let mut verdict = ValueVerdict {
        report: SignatureReport::new(),
        time_basis: TimeBasis::None,
        judged_at: None,
        path: Vec::new(),
    };
    judge(&mut report, &mut verdict, value, anchors);
    verdict.report = report.finish();
    verdict
}

fn judge(
    report: &mut SignatureReport,
    verdict: &mut ValueVerdict,
    value: &SignatureValue<'_>,
    anchors: &TrustAnchors,
) {
    signer_check::note_digest(report, value.digest);
    report.signature_algorithm = Some(value.algorithm);
    report.signed_at = value.claimed_time;
    let cert = match anchors.cache().certificate(value.signer) {
        Ok(cert) => cert,
        Err(_) => {
            report.add(
                FindingCode::SignerCertificateNotFound,
                "The signer's certificate is damaged, so the signature cannot be checked.",
            );
            return;
        }
    };
    signer_check::note_signer(report, &cert);
    let hashed = value.digest.digest_parts(&[value.signed]);
    // NOTE: XML's RSASSA-PSS (RFC 6931 §2.3.10) defaults the salt to the digest's length.
    let scheme = Scheme {
        algorithm: value.algorithm,
        digest: value.digest,
        salt_len: hashed.len(),
    };
    let signature = ecdsa_der(&cert.key, value.algorithm, value.value);
    match super::algorithms::verify(&cert.key, scheme, &hashed, &signature) {
        Ok(()) => {}
        Err(VerifyFailure::DigestInfoWithoutNull) => report.add(
            FindingCode::DigestInfoWithoutNull,
            "The signature's encoding leaves out a detail (the hash algorithm's empty parameters) that the standard asks for; the hash itself matches.",
        ),
        Err(VerifyFailure::Unsupported(what)) => {
            report.add(
                FindingCode::UnsupportedAlgorithm,
                format!("The signature uses an algorithm this program cannot check ({what})."),
            );
            return;
        }
        Err(VerifyFailure::Mismatch) => report.add(
            FindingCode::SignatureMismatch,
            "The signature does not match the signed data: the content or its signature was altered.",
        ),
    }

    let (basis, at) = match (value.timestamp, value.claimed_time) {
        (Some(ts), _) if ts.is_usable() => (TimeBasis::Timestamp, ts.time),
        (_, Some(t)) => (TimeBasis::SigningTime, Some(t)),
        _ => (TimeBasis::None, None),
    };
    signer_check::note_timestamp(report, value.timestamp);
    verdict.time_basis = basis;
    verdict.judged_at = at;
    let embedded = signer_check::embedded(anchors, value.certificates);
    let certs = signer_check::path_at(report, &cert, &embedded, anchors, basis, at, value.now);
    verdict.path = certs.iter().map(|c| c.der().to_vec()).collect();
    let Some(at) = at else {
        return;
    };
    // NOTE: XAdES-B-T carries no revocation values (that is XAdES-LT); the check says so plainly.
    let complete = report.chain.last().is_some_and(|link| link.is_anchor);
    revocation::check(
        report,
        &revocation::Embedded::default(),
        &certs,
        complete,
        at,
        value.now,
    );
}

/// An ECDSA value in the fixed-size `r || s` form (XML signatures, RFC 4050 / XMLDSig 1.1 §6.4.3)
/// re-encoded as DER; anything else is returned as it is.
fn ecdsa_der(key: &PublicKey, algorithm: SignatureAlgorithm, value: &[u8]) -> Vec<u8> {
    if algorithm != SignatureAlgorithm::Ecdsa {
        return value.to_vec();
    }
    let der = match key {
        PublicKey::P256(_) => p256::ecdsa::Signature::from_slice(value)
            .ok()
            .map(|s| s.to_der().as_bytes().to_vec()),
        PublicKey::P384(_) => p384::ecdsa::Signature::from_slice(value)
            .ok()
            .map(|s| s.to_der().as_bytes().to_vec()),
        _ => None,
    };
    der.unwrap_or_else(|| value.to_vec())
}
