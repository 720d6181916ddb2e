//! The verdict of a signature check: status, signer, chain and findings.
//!
//! What the UI, the archive and `attesta inspect` show (PEC rules §6). Every field is plain
//! data, serialised with snake_case names; statuses and finding codes are closed enums with
//! stable string forms, so the UI can word them in Italian and English.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::algorithms::{DigestAlgorithm, SignatureAlgorithm};
use super::findings::{FindingCode, SignatureFinding};

crate::closed_set! {
    /// The overall verdict, in order of precedence (the first that applies wins).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum SignatureStatus {
        /// Good signature, chain to a trusted PEC CA, every certificate valid at signing time.
        Valid = "valid",
        /// The signed bytes were altered, or the signature does not match them.
        Invalid = "invalid",
        /// The signature matches, but trust cannot be established (no path to an anchor,
        /// a certificate not valid at signing time, wrong key usage, no signing time).
        Untrusted = "untrusted",
        /// There is no signature at all (set by `verify_signature`; `verify_detached` never returns it).
        Unsigned = "unsigned",
        /// The signature could not be checked: malformed CMS or an unsupported algorithm.
        Indeterminate = "indeterminate",
    }
}

/// The signer certificate, as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerInfo {
    /// Subject distinguished name, RFC 4514 string.
    pub subject: String,
    /// Subject organisation (`O=`), e.g. "Aruba PEC S.p.A.".
    pub organization: Option<String>,
    /// Subject common name (`CN=`), e.g. "Posta Certificata ARUBA PEC".
    pub common_name: Option<String>,
    /// First SubjectAltName rfc822Name (the provider's service address).
    pub email: Option<String>,
    /// Serial number, lowercase hex.
    pub serial: String,
    pub not_before: Option<DateTime<Utc>>,
    pub not_after: Option<DateTime<Utc>>,
    /// Issuer distinguished name, RFC 4514 string.
    pub issuer: String,
}

/// One certificate on the path from the signer (first) to the trust anchor (last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainLink {
    pub subject: String,
    pub issuer: String,
    pub not_before: Option<DateTime<Utc>>,
    pub not_after: Option<DateTime<Utc>>,
    /// SHA-256 of the certificate's DER, lowercase hex.
    pub sha256: String,
    /// True for the certificate taken from the trust anchors.
    pub is_anchor: bool,
}

/// Everything `verify_detached` found out. The archive stores it (without `signed_at`) and reads it
/// back typed (issue 16 §2): fields are only ever added, as `Option` or with a default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureReport {
    pub status: SignatureStatus,
    /// CMS signingTime (the provider's clock when it signed).
    pub signed_at: Option<DateTime<Utc>>,
    pub signer: Option<SignerInfo>,
    /// Digest algorithm of the CMS SignerInfo (not the `micalg` parameter).
    pub digest_algorithm: Option<DigestAlgorithm>,
    pub signature_algorithm: Option<SignatureAlgorithm>,
    /// Size of the signer's public key in bits.
    pub key_bits: Option<u32>,
    /// From the signer to the anchor; empty when no path was found.
    #[serde(default)]
    pub chain: Vec<ChainLink>,
    #[serde(default)]
    pub findings: Vec<SignatureFinding>,
}

impl SignatureReport {
    /// An empty report; `status` is derived from the findings by [`Self::finish`].
    pub(crate) fn new() -> Self {
        SignatureReport {
            status: SignatureStatus::Indeterminate,
            signed_at: None,
            signer: None,
            digest_algorithm: None,
            signature_algorithm: None,
            key_bits: None,
            chain: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// The report for a message that carries no provider signature at all.
    pub fn unsigned() -> Self {
        SignatureReport::with_status(SignatureStatus::Unsigned)
    }

    /// An empty report with a status decided by the caller (e.g. `indeterminate` for a `.p7s`
    /// given without the message it signs).
    pub fn with_status(status: SignatureStatus) -> Self {
        SignatureReport {
            status,
            ..SignatureReport::new()
        }
    }

    pub(crate) fn add(&mut self, code: FindingCode, message: impl Into<String>) {
        self.findings.push(SignatureFinding::new(code, message));
    }

    /// Sets `status` from the findings: indeterminate, then invalid, then untrusted, else valid.
    pub(crate) fn finish(mut self) -> Self {
        self.status = super::findings::status_of(&self.findings);
        self
    }

    /// True when the status is [`SignatureStatus::Valid`].
    pub fn is_valid(&self) -> bool {
        self.status == SignatureStatus::Valid
    }
}
