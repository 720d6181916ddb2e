//! The steps every CMS signer goes through, whoever signed: a PEC provider (`verify.rs`), a
//! document's signer (`cades.rs`) or a timestamp authority (`timestamp.rs`).
//!
//! RFC 5652 §5.4–§5.6: the digest the SignerInfo names, the signer's certificate, the signature
//! value over the signed attributes as transmitted (re-sorted only as a reported fallback), and the
//! certification path judged at a time the caller chose. Each step records what it found in the
//! [`SignatureReport`] and says whether the next step can run.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::algorithms::{DigestAlgorithm, PublicKey, Scheme, VerifyFailure, verify};
use super::anchors::TrustAnchors;
use super::cades::TimeBasis;
use super::certificate::Certificate;
use super::findings::FindingCode;
use super::path;
use super::report::{ChainLink, SignatureReport};
use super::signed_attrs;
use super::signed_data::Signer;
use super::timestamp::TimestampReport;
use super::timing;
use super::verify::{find_signer, signer_info};
use super::witnesses::TimeWitnesses;

/// The digest the signer names, with the findings its age calls for; `None` when unknown.
pub(crate) fn digest_algorithm(
    report: &mut SignatureReport,
    signer: &Signer<'_>,
) -> Option<DigestAlgorithm> {
    let Some(digest) = DigestAlgorithm::from_oid(&signer.info.digest_alg.oid) else {
        report.add(
            FindingCode::UnsupportedAlgorithm,
            format!(
                "The signature uses a digest algorithm this program does not know ({}).",
                signer.info.digest_alg.oid
            ),
        );
        return None;
    };
    note_digest(report, digest);
    Some(digest)
}

/// Records the digest a signature uses, with the findings its age calls for.
pub(crate) fn note_digest(report: &mut SignatureReport, digest: DigestAlgorithm) {
    report.digest_algorithm = Some(digest);
    match digest {
        DigestAlgorithm::Sha1 => report.add(
            FindingCode::LegacyDigestSha1,
            "The signature uses SHA-1, an old algorithm. It is still accepted for messages signed in the past.",
        ),
        DigestAlgorithm::Md5 | DigestAlgorithm::Ripemd160 => report.add(
            FindingCode::WeakDigest,
            format!(
                "The signature uses {}, a weak algorithm: it was checked, but it protects less than today's algorithms.",
                digest.name().to_uppercase()
            ),
        ),
        _ => {}
    }
}

/// The embedded certificate the signer names, recorded in the report; `None` when absent.
pub(crate) fn signer_certificate<'c>(
    report: &mut SignatureReport,
    embedded: &'c [Arc<Certificate>],
    signer: &Signer<'_>,
) -> Option<&'c Certificate> {
    let Some(cert) = find_signer(embedded, signer) else {
        report.add(
            FindingCode::SignerCertificateNotFound,
            "The signer's certificate is not included in the signature, so it cannot be checked.",
        );
        return None;
    };
    note_signer(report, cert);
    Some(cert)
}

/// Records who signed, with the finding a short RSA key calls for.
pub(crate) fn note_signer(report: &mut SignatureReport, cert: &Certificate) {
    report.signer = Some(signer_info(cert));
    report.key_bits = cert.key.bits();
    if let (PublicKey::Rsa(_) | PublicKey::RsaPssOnly(_), Some(bits)) = (&cert.key, report.key_bits)
        && bits < 2048
    {
        report.add(
            FindingCode::LegacyKeyRsa1024,
            format!("The signer's key is {bits}-bit RSA, short by today's standards. It is still accepted for messages signed in the past."),
        );
    }
}

/// Checks the signature value over `hashed`; `false` when it could not be checked at all
/// (unsupported algorithm). A mismatch is a finding, and `true` (the check ran).
pub(crate) fn signature_value(
    report: &mut SignatureReport,
    cert: &Certificate,
    signer: &Signer<'_>,
    digest: DigestAlgorithm,
    hashed: &[u8],
) -> bool {
    let scheme = match Scheme::resolve(&signer.info.signature_algorithm, Some(digest)) {
        Ok(s) => s,
        Err(u) => {
            report.add(
                FindingCode::UnsupportedAlgorithm,
                format!(
                    "The signature uses an algorithm this program does not know ({}).",
                    u.0
                ),
            );
            return false;
        }
    };
    report.signature_algorithm = Some(scheme.algorithm);
    let signature = signer.info.signature.as_bytes();
    match verify(&cert.key, scheme, hashed, signature) {
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
            return false;
        }
        Err(VerifyFailure::Mismatch) => {
            let resorted = match (&signer.info.signed_attrs, signer.signed_attrs) {
                (Some(attrs), Some(raw)) => signed_attrs::sorted(attrs, raw)
                    .map(|der| digest.digest_parts(&[&der]))
                    .is_some_and(|h| {
                        matches!(
                            verify(&cert.key, scheme, &h, signature),
                            Ok(()) | Err(VerifyFailure::DigestInfoWithoutNull)
                        )
                    }),
                _ => false,
            };
            if resorted {
                report.add(
                    FindingCode::SignedAttributesReencoded,
                    "The signed attributes were sent out of order; they match once put in standard order.",
                );
            } else {
                report.add(
                    FindingCode::SignatureMismatch,
                    "The signature does not match the signed data: the content or its signature was altered.",
                );
            }
        }
    }
    true
}

/// Says whether the signature's own timestamp could be relied on.
pub(crate) fn note_timestamp(report: &mut SignatureReport, timestamp: Option<&TimestampReport>) {
    let Some(ts) = timestamp else {
        return;
    };
    if ts.is_usable() {
        report.add(
            FindingCode::TimestampedSignature,
            "A timestamp authority vouches for the time of this signature; the certificates were judged at that time.",
        );
    } else {
        report.add(
            FindingCode::TimestampNotUsable,
            "The signature carries a timestamp that could not be relied on; the verdict rests on the signer's own time.",
        );
    }
}

/// The path judged at the time a signature rests on (`at`, known from `basis`): built and recorded, a
/// time the signer chose compared with `now` (a timestamp's is not), the signer's key usage checked.
/// With no time at all, `no-signing-time` and the path built at no time. Returns the path, signer first.
pub(crate) fn path_at<'c>(
    report: &mut SignatureReport,
    cert: &'c Certificate,
    embedded: &'c [Arc<Certificate>],
    anchors: &'c TrustAnchors,
    basis: TimeBasis,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<&'c Certificate> {
    let Some(at) = at else {
        report.add(
            FindingCode::NoSigningTime,
            "The signature does not say when it was made, so the certificates cannot be checked for that time.",
        );
        return chain(report, cert, embedded, anchors, None).0;
    };
    let (certs, valid) = chain(report, cert, embedded, anchors, Some(at));
    if basis != TimeBasis::Timestamp {
        for (code, message) in timing::compare(at, &TimeWitnesses::at(now), &certs, valid) {
            report.add(code, message);
        }
    }
    if let Some(ku) = cert.ext.key_usage
        && !(ku.digital_signature() || ku.non_repudiation())
    {
        report.add(
            FindingCode::MissingDigitalSignatureKeyUsage,
            "The signer's certificate is not meant for signing.",
        );
    }
    certs
}

/// Builds and judges the path at `at`, records it in the report, and returns the path's
/// certificates (signer first) and whether every one of them was valid at `at`.
pub(crate) fn chain<'c>(
    report: &mut SignatureReport,
    cert: &'c Certificate,
    embedded: &'c [Arc<Certificate>],
    anchors: &'c TrustAnchors,
    at: Option<DateTime<Utc>>,
) -> (Vec<&'c Certificate>, bool) {
    let outcome = path::build(cert, embedded, anchors, at);
    let anchor_index = outcome.certs.len().saturating_sub(1);
    report.chain = outcome
        .certs
        .iter()
        .enumerate()
        .map(|(i, c)| ChainLink {
            subject: c.subject(),
            issuer: c.issuer(),
            not_before: c.not_before,
            not_after: c.not_after,
            sha256: c.sha256_hex(),
            is_anchor: outcome.complete && i == anchor_index,
        })
        .collect();
    let valid_at_signing = outcome.complete
        && !outcome
            .problems
            .iter()
            .any(|(code, _)| *code == FindingCode::CertificateNotValidAtSigningTime);
    for (code, message) in outcome.problems {
        report.add(code, message);
    }
    (outcome.certs, valid_at_signing)
}

/// The embedded certificates, decoded once per verifier (`cache.rs`); unreadable ones skipped.
pub(crate) fn embedded(anchors: &TrustAnchors, certificates: &[&[u8]]) -> Vec<Arc<Certificate>> {
    certificates
        .iter()
        .filter_map(|der| anchors.cache().certificate(der).ok())
        .collect()
}
