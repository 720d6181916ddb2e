//! `describe_p7s`: what a `.p7s` says about itself, without the signed content.
//!
//! For `attesta inspect file.p7s`: signer, signingTime, algorithms and the embedded
//! certificates. Nothing is verified here (there is no content to verify against).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::algorithms::{DigestAlgorithm, Scheme, SignatureAlgorithm};
use super::ber;
use super::certificate::{Certificate, hex};
use super::cms::{self, SignerId};
use super::der_reader::OCTET_STRING;
use super::error::SignatureError;
use super::oids;
use super::report::{ChainLink, SignerInfo};
use super::time::parse_time;

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
    let sd = cms::parse(&normalised.der)?;
    let certs: Vec<Certificate> = sd
        .certificates
        .iter()
        .filter_map(|der| Certificate::from_der(der).ok())
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
    summary.digest_algorithm = DigestAlgorithm::from_oid(signer.digest_algorithm.oid);
    summary.signature_algorithm =
        Scheme::resolve(&signer.signature_algorithm, summary.digest_algorithm)
            .ok()
            .map(|s| s.algorithm);
    if let Some(attrs) = &signer.signed_attrs {
        let list = cms::attributes(attrs).unwrap_or_default();
        if let Ok(Some(t)) = cms::single_value(&list, oids::SIGNING_TIME) {
            summary.signed_at = parse_time(&t);
        }
        if let Ok(Some(d)) = cms::single_value(&list, oids::MESSAGE_DIGEST)
            && d.tag == OCTET_STRING
        {
            summary.message_digest = Some(hex(d.content));
        }
    }
    let cert = certs.iter().find(|c| match signer.sid {
        SignerId::IssuerSerial { issuer, serial } => {
            c.issuer_der() == issuer && c.serial_bytes() == serial
        }
        SignerId::KeyId(id) => c.subject_key_id.as_deref() == Some(id),
    });
    if let Some(c) = cert {
        summary.key_bits = c.key.bits();
        summary.signer = Some(SignerInfo {
            subject: c.subject(),
            organization: c.organization(),
            common_name: c.common_name(),
            email: c.email(),
            serial: c.serial_hex(),
            not_before: c.not_before,
            not_after: c.not_after,
            issuer: c.issuer(),
        });
    }
    Ok(summary)
}
