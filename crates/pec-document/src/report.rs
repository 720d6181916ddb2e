//! What opening a signed file found: the shape `attesta verify-doc --json` prints, the window shows
//! and the archive keeps.
//!
//! Issue 15 §5: one object per file — `file`, `format`, `status` (the worst of its signatures),
//! `signatures` (outermost first; each with its `level` of nesting, its `status`, `signer`,
//! `signed_at`, `timestamp_at`, `qualified`, `chain`, `findings`), `content_sha256` (the innermost
//! signed content; null for PAdES and bare tokens) and `findings` about the file itself.

use chrono::{DateTime, Utc};
use pec_core::signature::{
    ChainLink, DigestAlgorithm, SignatureFinding, SignatureStatus, SignerInfo, TimeBasis,
};
use serde::{Deserialize, Serialize};

use crate::format::DocumentFormat;
use crate::qualified::Qualified;

pec_core::closed_set! {
    /// What an entry of a report is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum SignatureRole {
        /// A signer of the document (or of an inner envelope).
        Signature = "signature",
        /// A signer who signed another signature (RFC 5652 §11.4).
        Countersignature = "countersignature",
        /// A timestamp authority's token over the file (`.tsr`, `.tsd`, `.m7m`, a PDF's document
        /// timestamp): the file's own evidence, judged like a signature.
        Timestamp = "timestamp",
        /// A timestamp over one signature (CAdES-T, a PAdES signature timestamp). It can only
        /// strengthen that signature (its time, when usable); one that cannot be used leaves the
        /// signature judged at its own time (`timestamp-not-usable` says so), and only a forged
        /// or altered one (`invalid`) makes the file worse.
        SignatureTimestamp = "signature-timestamp",
    }
}

/// One signature or timestamp of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureEntry {
    /// 0 for the outermost envelope, 1 for a `.p7m` inside it, and so on.
    pub level: u32,
    pub role: SignatureRole,
    pub status: SignatureStatus,
    /// The signer (for a timestamp, the timestamp authority).
    pub signer: Option<SignerInfo>,
    /// The time the signer wrote (for a timestamp, its genTime).
    pub signed_at: Option<DateTime<Utc>>,
    /// The time of the signature's own timestamp, when one is attached and readable.
    pub timestamp_at: Option<DateTime<Utc>>,
    /// Which time the verdict rests on, and that time.
    pub time_basis: TimeBasis,
    pub judged_at: Option<DateTime<Utc>>,
    pub qualified: Qualified,
    pub digest_algorithm: Option<DigestAlgorithm>,
    #[serde(default)]
    pub chain: Vec<ChainLink>,
    #[serde(default)]
    pub findings: Vec<SignatureFinding>,
    /// The certification path as encoded (for the qualified check); not printed.
    #[serde(skip)]
    pub path: Vec<Vec<u8>>,
}

/// Everything found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentReport {
    /// The file's name as given by the caller (a hint: never used to decide anything).
    pub file: String,
    /// `None` when the bytes are not a signed file this program knows.
    pub format: Option<DocumentFormat>,
    /// The worst status of the signatures (`unsigned` when there is none).
    pub status: SignatureStatus,
    pub signatures: Vec<SignatureEntry>,
    /// SHA-256 of the innermost signed content, lowercase hex.
    pub content_sha256: Option<String>,
    /// About the file itself (damaged, not a signed file, base64-wrapped, …).
    #[serde(default)]
    pub findings: Vec<SignatureFinding>,
    /// The innermost signed content, exactly as signed (not printed: `attesta extract` writes it).
    #[serde(skip)]
    pub content: Option<Vec<u8>>,
    /// The signed content at each level, outermost first (`content` is the last).
    #[serde(skip)]
    pub contents: Vec<Vec<u8>>,
}

/// How bad a status is, for "the worst of its signatures".
fn badness(status: SignatureStatus) -> u8 {
    match status {
        SignatureStatus::Valid => 0,
        SignatureStatus::Unsigned => 1,
        SignatureStatus::Untrusted => 2,
        SignatureStatus::Indeterminate => 3,
        SignatureStatus::Invalid => 4,
    }
}

impl DocumentReport {
    /// Sets `status` from the entries and the file's own findings.
    pub(crate) fn finish(mut self) -> Self {
        let file_problem = self
            .findings
            .iter()
            .map(|f| match f.severity {
                pec_core::signature::Severity::Invalid => SignatureStatus::Invalid,
                pec_core::signature::Severity::Indeterminate => SignatureStatus::Indeterminate,
                pec_core::signature::Severity::Untrusted => SignatureStatus::Untrusted,
                _ => SignatureStatus::Valid,
            })
            .max_by_key(|s| badness(*s));
        let worst = self
            .signatures
            .iter()
            .filter(|s| {
                s.role != SignatureRole::SignatureTimestamp || s.status == SignatureStatus::Invalid
            })
            .map(|s| s.status)
            .chain(file_problem)
            .max_by_key(|s| badness(*s));
        self.status = match (worst, self.signatures.is_empty()) {
            (Some(s), false) => s,
            (Some(s), true) if s != SignatureStatus::Valid => s,
            _ => SignatureStatus::Unsigned,
        };
        self
    }
}

impl SignatureEntry {
    /// Adds a finding found outside pec-core's check (a PDF's byte ranges) and re-derives the status;
    /// a signature no longer valid is never called qualified.
    pub(crate) fn add(
        &mut self,
        code: pec_core::signature::FindingCode,
        message: impl Into<String>,
    ) {
        self.findings.push(SignatureFinding::new(code, message));
        self.status = pec_core::signature::status_of(&self.findings);
        if self.status != SignatureStatus::Valid {
            self.qualified = Qualified::Unknown;
        }
    }
}
