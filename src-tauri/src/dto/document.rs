//! Signed attachments in the window (issue 15 §5): the badge beside an attachment, the signature
//! panel behind it, and an e-invoice shown as a page.
//!
//! Built from `pec_document::DocumentReport` (the same report `attesta verify-doc --json` prints)
//! and `pec_invoice::Invoice`. A badge never says more than the report: `qualified` is `yes` only
//! for a valid signature the Trusted Lists show qualified at its time.

use pec_core::signature::TimeBasis;
use pec_document::{DocumentFormat, DocumentReport, Qualified, SignatureEntry, SignatureRole};
use serde::{Deserialize, Serialize};

use super::message::{ChainLink, Finding, Signer};
use super::when;
use super::words::SignatureStatus;

/// Whether a signature is qualified, as the window words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum QualifiedWord {
    Yes,
    No,
    Unknown,
}

impl From<Qualified> for QualifiedWord {
    fn from(q: Qualified) -> Self {
        match q {
            Qualified::Yes => QualifiedWord::Yes,
            Qualified::No => QualifiedWord::No,
            Qualified::Unknown => QualifiedWord::Unknown,
        }
    }
}

/// What the reader shows beside a signed attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SignatureBadge {
    pub format: DocumentFormat,
    /// The worst of its signatures.
    pub status: SignatureStatus,
    /// The first signer's: `yes` only when it is valid and qualified.
    pub qualified: QualifiedWord,
    /// The first signer's name (common name, else subject).
    pub signer: Option<String>,
    pub signed_at: Option<String>,
    /// How many signatures and timestamps, at every level.
    pub signatures: u32,
    /// The signed content is a FatturaPA invoice (shown as a page).
    pub invoice: bool,
}

/// One signature or timestamp in the panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SignatureView {
    pub level: u32,
    pub role: SignatureRole,
    pub status: SignatureStatus,
    pub signer: Option<Signer>,
    pub signed_at: Option<String>,
    pub timestamp_at: Option<String>,
    pub time_basis: TimeBasis,
    pub judged_at: Option<String>,
    pub qualified: QualifiedWord,
    pub digest: Option<String>,
    pub chain: Vec<ChainLink>,
    pub findings: Vec<Finding>,
}

/// The signature panel of one attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DocumentView {
    pub name: String,
    pub format: Option<DocumentFormat>,
    pub status: SignatureStatus,
    pub signatures: Vec<SignatureView>,
    pub findings: Vec<Finding>,
    pub content_sha256: Option<String>,
    /// The name "Open content" opens the signed document under; `None` when there is none inside.
    pub content_name: Option<String>,
    /// No Trusted List is imported: `qualified` cannot be known, and the panel says how to fix it.
    pub no_lists: bool,
}

fn first_signer(report: &DocumentReport) -> Option<&SignatureEntry> {
    report
        .signatures
        .iter()
        .find(|s| s.role == SignatureRole::Signature)
        .or_else(|| report.signatures.first())
}

impl SignatureBadge {
    /// The badge of a report with at least one signature; `None` for a file with none (an unsigned PDF).
    pub fn of(report: &DocumentReport, invoice: bool) -> Option<SignatureBadge> {
        let format = report.format?;
        let first = first_signer(report)?;
        Some(SignatureBadge {
            format,
            status: report.status,
            qualified: first.qualified.into(),
            signer: first
                .signer
                .as_ref()
                .map(|s| s.common_name.clone().unwrap_or_else(|| s.subject.clone())),
            signed_at: when(first.judged_at.or(first.signed_at)),
            signatures: u32::try_from(report.signatures.len()).unwrap_or(u32::MAX),
            invoice,
        })
    }
}

impl DocumentView {
    pub fn of(
        name: String,
        report: &DocumentReport,
        content_name: Option<String>,
        no_lists: bool,
    ) -> DocumentView {
        DocumentView {
            name,
            format: report.format,
            status: report.status,
            signatures: report.signatures.iter().map(SignatureView::of).collect(),
            findings: report.findings.iter().map(Finding::of).collect(),
            content_sha256: report.content_sha256.clone(),
            content_name,
            no_lists,
        }
    }
}

impl SignatureView {
    fn of(entry: &SignatureEntry) -> SignatureView {
        SignatureView {
            level: entry.level,
            role: entry.role,
            status: entry.status,
            signer: entry.signer.as_ref().map(Signer::of),
            signed_at: when(entry.signed_at),
            timestamp_at: when(entry.timestamp_at),
            time_basis: entry.time_basis,
            judged_at: when(entry.judged_at),
            qualified: entry.qualified.into(),
            digest: entry.digest_algorithm.map(|d| d.as_str().to_owned()),
            chain: entry.chain.iter().map(ChainLink::of).collect(),
            findings: entry.findings.iter().map(Finding::of).collect(),
        }
    }
}
