//! `describe_p7s`: what a `.p7s` says about itself, without the signed content.
//!
//! For `attesta inspect file.p7s`: signer, signingTime, algorithms and the embedded
//! certificates. Nothing is verified here (there is no content to verify against).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use const_oid::db::rfc5911::{ID_MESSAGE_DIGEST, ID_SIGNING_TIME};
use der::asn1::OctetStringRef;
use serde::Serialize;

use super::algorithms::{DigestAlgorithm, Scheme, SignatureAlgorithm};
use super::ber;
use super::certificate::{Certificate, hex};
use super::error::SignatureError;
use super::report::{ChainLink, SignerInfo};
use super::signed_attrs::single_value;
use super::signed_data::{self, SignedData};
use super::time;
use super::verify::{find_signer, signer_info};

/// A `.p7s` described.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct P7sSummary {
    pub signer: Option<SignerInfo>,
    pub signed_at: Option<DateTime<Utc>>,
    pub digest_algorithm: Option<DigestAlgorithm>,
    pub signature_algorithm: Option<SignatureAlgorithm>,
    pub key_bits: Option<u32>,
    /// The signed messageDigest attribute, lowercase hex.
    pub message_digest: Option<String>,
    /// Embedded certificates, in the order they appear (`is_anchor` is always false here).
    pub certificates: Vec<ChainLink>,
    pub signer_count: usize,
    /// True when the content travels inside the CMS (not a detached signature).
    pub has_content: bool,
    /// True when the file was BER and had to be normalised.
    pub ber_normalised: bool,
}

/// Describes a `.p7s` (DER or BER). `Err` only when it is not a readable CMS SignedData.
pub fn describe_p7s(p7s: &[u8]) -> Result<P7sSummary, SignatureError> {
    let normalised = ber::normalise(p7s)?;
    let content_info = signed_data::content_info(&normalised.der)?;
    let sd = SignedData::read(&content_info)?;
    let certs: Vec<Arc<Certificate>> = sd
        .certificates
        .iter()
        .filter_map(|der| Certificate::from_der(der).ok().map(Arc::new))
        .collect();
    let mut summary = P7sSummary {
        signer: None,
        signed_at: None,
        digest_algorithm: None,
        signature_algorithm: None,
        key_bits: None,
        message_digest: None,
        certificates: certs
            .iter()
            .map(|c| ChainLink {
                subject: c.subject(),
                issuer: c.issuer(),
                not_before: c.not_before,
                not_after: c.not_after,
                sha256: c.sha256_hex(),
                is_anchor: false,
            })
            .collect(),
        signer_count: sd.signers.len(),
        has_content: sd.has_content,
        ber_normalised: normalised.changed,
    };
    let Some(signer) = sd.signers.first() else {
        return Ok(summary);
    };
    summary.digest_algorithm = DigestAlgorithm::from_oid(&signer.info.digest_alg.oid);
    summary.signature_algorithm =
        Scheme::resolve(&signer.info.signature_algorithm, summary.digest_algorithm)
            .ok()
            .map(|s| s.algorithm);
    if let Some(attrs) = &signer.info.signed_attrs {
        if let Ok(Some(t)) = single_value(attrs, ID_SIGNING_TIME) {
            summary.signed_at = time::from_any(t);
        }
        if let Ok(Some(d)) = single_value(attrs, ID_MESSAGE_DIGEST)
            && let Ok(digest) = d.decode_as::<OctetStringRef<'_>>()
        {
            summary.message_digest = Some(hex(digest.as_bytes()));
        }
    }
    if let Some(c) = find_signer(&certs, signer) {
        summary.key_bits = c.key.bits();
        summary.signer = Some(signer_info(c));
    }
    Ok(summary)
}
