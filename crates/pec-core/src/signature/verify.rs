//! `verify_detached`: the whole check of a PEC provider signature, as one total function.
//!
//! PEC rules §6, RFC 5652 §5.4/§5.6, RFC 8551 §3.5 (multipart/signed). Order of work:
//! BER → DER, SignedData, digest of the CRLF-canonical content against messageDigest, the
//! signature over the signed attributes, then trust (path, validity at signingTime, key usage,
//! e-mail). Whatever goes wrong becomes a finding; the status follows from the findings.
//!
//! Decision (documented for the UI): without a signingTime attribute, certificate validity
//! cannot be judged at signing time and "now" is not a substitute, so such a signature is at
//! best `untrusted` with finding `no-signing-time`, even when everything else holds.

use std::sync::Arc;

use cms::signed_data::{SignedAttributes, SignerIdentifier};
use const_oid::db::rfc5280::{ANY_EXTENDED_KEY_USAGE, ID_KP_EMAIL_PROTECTION};
use const_oid::db::rfc5911::{ID_CONTENT_TYPE, ID_DATA, ID_MESSAGE_DIGEST, ID_SIGNING_TIME};
use der::asn1::{ObjectIdentifier, OctetStringRef};

use super::anchors::TrustAnchors;
use super::ber;
use super::certificate::Certificate;
use super::findings::FindingCode;
use super::names;
use super::path::date;
use super::report::{SignatureReport, SignerInfo};
use super::signed_attrs;
use super::signed_data::{self, SignedData, Signer};
use super::signer_check;
use super::time;
use super::timing;
use super::witnesses::TimeWitnesses;

/// Verifies a detached CMS SignedData (`smime.p7s`, DER or BER) over `signed_content` (the
/// first part of `multipart/signed` as transmitted; line endings are canonicalised here).
/// `expected_signer_email` is the message's From address, for the certificate e-mail check.
pub fn verify_detached(
    signed_content: &[u8],
    p7s: &[u8],
    anchors: &TrustAnchors,
    expected_signer_email: Option<&str>,
) -> SignatureReport {
    let mut report = SignatureReport::new();
    check(
        &mut report,
        signed_content,
        p7s,
        anchors,
        expected_signer_email,
        None,
    );
    report.finish()
}

/// [`verify_detached`], with the independent times of the message (issue 13 §4, `docs/time.md`):
/// the claimed signingTime is compared with them (`timing.rs`). A signingTime later than `now` is
/// refused; certificates that hold only at the claimed time, not at the time the evidence bounds the
/// signature by, make the signature `untrusted`. A signer certificate that expired since signing gets
/// the informational finding `signer-certificate-expired-since`.
pub fn verify_detached_at(
    signed_content: &[u8],
    p7s: &[u8],
    anchors: &TrustAnchors,
    expected_signer_email: Option<&str>,
    witnesses: &TimeWitnesses,
) -> SignatureReport {
    let mut report = SignatureReport::new();
    check(
        &mut report,
        signed_content,
        p7s,
        anchors,
        expected_signer_email,
        Some(witnesses),
    );
    report.finish()
}

fn check(
    report: &mut SignatureReport,
    content: &[u8],
    p7s: &[u8],
    anchors: &TrustAnchors,
    expected_email: Option<&str>,
    witnesses: Option<&TimeWitnesses>,
) {
    let malformed = |report: &mut SignatureReport, why: &dyn std::fmt::Display| {
        report.add(
            FindingCode::MalformedCms,
            format!("The signature file is damaged or not a signature ({why})."),
        );
    };
    let normalised = match ber::normalise(p7s) {
        Ok(n) => n,
        Err(e) => return malformed(report, &e),
    };
    if normalised.changed {
        report.add(
            FindingCode::BerNormalised,
            "The signature uses a loose (BER) encoding; it was normalised before checking.",
        );
    }
    let content_info = match signed_data::content_info(&normalised.der) {
        Ok(ci) => ci,
        Err(e) => return malformed(report, &e),
    };
    let signed_data = match SignedData::read(&content_info) {
        Ok(sd) => sd,
        Err(e) => return malformed(report, &e),
    };
    let Some(signer) = signed_data.signers.first() else {
        return malformed(report, &"no signer");
    };
    if signed_data.signers.len() > 1 {
        report.add(
            FindingCode::MultipleSigners,
            format!(
                "The signature has {} signers; only the first was checked.",
                signed_data.signers.len()
            ),
        );
    }

    // Digest of the content, and the signed attributes.
    let Some(digest) = signer_check::digest_algorithm(report, signer) else {
        return;
    };
    let content_digest = digest.digest_canonical(content);
    let hashed = match (&signer.info.signed_attrs, signer.signed_attrs) {
        (Some(attrs), Some(raw)) => match signed_attributes(report, attrs, &content_digest) {
            Some(()) => digest.digest_parts(&signed_attrs::as_transmitted(raw)),
            None => return,
        },
        _ => content_digest,
    };

    // The signer certificate (decoded once per verifier: see cache.rs), and the signature value.
    let embedded = signer_check::embedded(anchors, &signed_data.certificates);
    let Some(cert) = signer_check::signer_certificate(report, &embedded, signer) else {
        return;
    };
    if !signer_check::signature_value(report, cert, signer, digest, &hashed) {
        return;
    }

    // Trust.
    trust(report, cert, &embedded, anchors, expected_email, witnesses);
}

/// Checks messageDigest and reads signingTime. `None` when the CMS is malformed.
fn signed_attributes(
    report: &mut SignatureReport,
    attrs: &SignedAttributes,
    content_digest: &[u8],
) -> Option<()> {
    let malformed = |report: &mut SignatureReport, why: &str| {
        report.add(
            FindingCode::MalformedCms,
            format!("The signature file is damaged or not a signature ({why})."),
        );
    };
    match signed_attrs::single_value(attrs, ID_CONTENT_TYPE) {
        Ok(Some(ct)) if ct.decode_as::<ObjectIdentifier>() == Ok(ID_DATA) => {}
        Ok(_) => {
            malformed(report, "the signed content type is missing or not data");
            return None;
        }
        Err(e) => {
            malformed(report, &e.to_string());
            return None;
        }
    }
    let signed_digest = match signed_attrs::single_value(attrs, ID_MESSAGE_DIGEST) {
        Ok(Some(d)) if d.decode_as::<OctetStringRef<'_>>().is_ok() => d.value(),
        Ok(_) => {
            malformed(report, "the signed digest is missing");
            return None;
        }
        Err(e) => {
            malformed(report, &e.to_string());
            return None;
        }
    };
    match signed_attrs::single_value(attrs, ID_SIGNING_TIME) {
        Ok(Some(t)) => report.signed_at = time::from_any(t),
        Ok(None) => {}
        Err(e) => {
            malformed(report, &e.to_string());
            return None;
        }
    }
    if signed_digest != content_digest {
        report.add(
            FindingCode::ContentDigestMismatch,
            "The signed content was changed after the provider signed it.",
        );
    }
    Some(())
}

/// The embedded certificate a SignerInfo names (RFC 5652 §5.3).
pub(crate) fn find_signer<'c>(
    embedded: &'c [Arc<Certificate>],
    signer: &Signer<'_>,
) -> Option<&'c Certificate> {
    embedded
        .iter()
        .map(|c| &**c)
        .find(|c| match &signer.info.sid {
            SignerIdentifier::IssuerAndSerialNumber(id) => {
                c.serial_bytes() == id.serial_number.as_bytes()
                    && names::same_name(c.issuer_name(), &id.issuer)
            }
            SignerIdentifier::SubjectKeyIdentifier(id) => {
                c.ext.subject_key_id.as_deref() == Some(id.0.as_bytes())
            }
        })
}

pub(crate) fn signer_info(cert: &Certificate) -> SignerInfo {
    SignerInfo {
        subject: cert.subject(),
        organization: cert.organization(),
        common_name: cert.common_name(),
        email: cert.email(),
        serial: cert.serial_hex(),
        not_before: cert.not_before,
        not_after: cert.not_after,
        issuer: cert.issuer(),
    }
}

fn trust(
    report: &mut SignatureReport,
    cert: &Certificate,
    embedded: &[Arc<Certificate>],
    anchors: &TrustAnchors,
    expected_email: Option<&str>,
    witnesses: Option<&TimeWitnesses>,
) {
    let at = report.signed_at;
    if at.is_none() {
        report.add(
            FindingCode::NoSigningTime,
            "The signature does not say when it was made, so the certificates cannot be checked for that time.",
        );
    }
    let (certs, valid_at_signing) = signer_check::chain(report, cert, embedded, anchors, at);
    if let (Some(at), Some(w)) = (at, witnesses) {
        for (code, message) in timing::compare(at, w, &certs, valid_at_signing) {
            report.add(code, message);
        }
    }

    // The signer certificate's purpose (RFC 8550 §4.4.2, §4.4.4).
    if let Some(ku) = cert.ext.key_usage
        && !(ku.digital_signature() || ku.non_repudiation())
    {
        report.add(
            FindingCode::MissingDigitalSignatureKeyUsage,
            "The signer's certificate is not meant for signing.",
        );
    }
    if let Some(purposes) = &cert.ext.extended_key_usage {
        let ok = purposes
            .iter()
            .any(|p| *p == ID_KP_EMAIL_PROTECTION || *p == ANY_EXTENDED_KEY_USAGE);
        if !ok {
            report.add(
                FindingCode::MissingEmailProtectionEku,
                "The signer's certificate is not meant for e-mail.",
            );
        }
    }
    if let Some(expected) = expected_email {
        let expected = expected.trim();
        let matches = cert
            .ext
            .emails
            .iter()
            .chain(cert.email().iter())
            .any(|e| e.trim().eq_ignore_ascii_case(expected));
        if !matches {
            report.add(
                FindingCode::SignerEmailMismatch,
                format!(
                    "The certificate belongs to {}, not to the sender {expected}.",
                    cert.email()
                        .unwrap_or_else(|| "an address not stated".into())
                ),
            );
        }
    }
    let contradicted = report
        .findings
        .iter()
        .any(|f| f.code == FindingCode::SigningTimeContradicted);
    if let (Some(now), Some(not_after), Some(at)) = (witnesses.map(|w| w.now), cert.not_after, at)
        && not_after < now
        && at <= not_after
        && !contradicted
    {
        report.add(
                FindingCode::SignerCertificateExpiredSince,
                format!(
                    "The provider's certificate expired on {}, after it signed this message; the signature remains valid.",
                    date(Some(not_after))
                ),
            );
    }
}
