//! What Attesta recorded about a signed attachment, as the signature panel shows it (issue 15 §5/§6):
//! every verdict the archive recorded for it, oldest first, each with the trust it was reached with,
//! and how a check made now compares with the latest — built from `pec_engine::recorded`.

use pec_core::signature::TimeBasis;
use pec_document::DocumentFormat;
use pec_engine::recorded::{Agreement, RecordedVerdicts};
use serde::{Deserialize, Serialize};

use super::document::QualifiedWord;
use super::when;
use super::words::SignatureStatus;

/// The recorded history of one signed attachment and the check made now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RecordedView {
    /// Every verdict recorded for the attachment, oldest first; empty when none was.
    pub history: Vec<RecordedVerdict>,
    /// The check made now (shown in the panel above; not recorded).
    pub now: RecordedVerdict,
    pub agreement: AgreementWord,
}

/// One verdict: when it was reached, what it said, and what it was reached with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RecordedVerdict {
    /// When it was checked (RFC 3339, UTC).
    pub checked_at: String,
    pub format: Option<DocumentFormat>,
    /// The worst of its signatures.
    pub status: SignatureStatus,
    /// The first signer's.
    pub qualified: QualifiedWord,
    pub signer: Option<String>,
    pub signed_at: Option<String>,
    pub judged_at: Option<String>,
    pub time_basis: TimeBasis,
    /// SHA-256 of the attachment, and of the document inside its signature, lowercase hex.
    pub file_sha256: String,
    pub content_sha256: Option<String>,
    pub trust: TrustView,
}

/// The trust a verdict was reached with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct TrustView {
    /// The Trusted Lists held, each as territory and sequence number (`EU 332`, `IT 194`).
    pub lists: Vec<String>,
    /// Anchors taken from the lists, and from trusted directories.
    pub from_lists: u32,
    pub from_dirs: u32,
}

/// How the check made now compares with the latest recorded verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum AgreementWord {
    /// Nothing is recorded for the attachment.
    NothingRecorded,
    /// The check made now says what the latest recorded verdict says.
    Same,
    /// It says something else; the Trusted Lists have changed since.
    DiffersListsChanged,
    /// It says something else; the trusted directories' certificates have changed since.
    DiffersDirectoriesChanged,
    /// It says something else with the same trust.
    DiffersSameTrust,
}

impl From<Agreement> for AgreementWord {
    fn from(a: Agreement) -> Self {
        match a {
            Agreement::NothingRecorded => AgreementWord::NothingRecorded,
            Agreement::Same => AgreementWord::Same,
            Agreement::DiffersListsChanged => AgreementWord::DiffersListsChanged,
            Agreement::DiffersDirectoriesChanged => AgreementWord::DiffersDirectoriesChanged,
            Agreement::DiffersSameTrust => AgreementWord::DiffersSameTrust,
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl RecordedVerdict {
    fn of(v: &pec_archive::DocumentVerdict) -> RecordedVerdict {
        RecordedVerdict {
            checked_at: when(Some(v.checked_at)).unwrap_or_default(),
            format: v.format,
            status: v.status,
            qualified: v.qualified.into(),
            signer: v.signer.clone(),
            signed_at: when(v.signed_at),
            judged_at: when(v.judged_at),
            time_basis: v.time_basis,
            file_sha256: v.file_sha256.clone(),
            content_sha256: v.content_sha256.clone(),
            trust: TrustView {
                lists: v.trust.lists.clone(),
                from_lists: count(v.trust.from_lists),
                from_dirs: count(v.trust.from_dirs),
            },
        }
    }
}

impl RecordedView {
    pub fn of(recorded: &RecordedVerdicts) -> RecordedView {
        RecordedView {
            history: recorded.history.iter().map(RecordedVerdict::of).collect(),
            now: RecordedVerdict::of(&recorded.now),
            agreement: recorded.agreement.into(),
        }
    }
}
