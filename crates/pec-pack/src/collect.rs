//! Reading a send's evidence out of the archive: each item's exact bytes, what they are, and their
//! signature verified again now — offline, against the trust anchors in force, with the times the
//! archive recorded of each item (INTERNALDATE, first sight: issue 13 §4).
//!
//! Re-verifying (rather than copying the verdict the archive recorded) is what makes the report say
//! what anyone re-checking the pack with the same anchors will find; the recorded verdict is kept
//! beside it, and a difference is a note in the pack. The same for signed attachments (issue 15 §6),
//! with the archive's document checker.

use chrono::{DateTime, Utc};
use pec_archive::query::SentStatus;
use pec_archive::{Archive, DocumentVerdict, Facts, Origin};
use pec_core::Inspection;
use pec_core::signature::{SignatureReport, SignatureStatus, TimeWitnesses, TrustAnchors};

use crate::PackError;

/// One message, read.
#[derive(Debug, Clone)]
pub struct Reading {
    pub inspection: Inspection,
    pub facts: Facts,
    pub report: SignatureReport,
}

impl Reading {
    /// Reads `raw` and verifies its provider signature (as of its signing time; `checked_at` only adds
    /// "expired since" information).
    pub fn of(raw: &[u8], anchors: &TrustAnchors, checked_at: DateTime<Utc>) -> Reading {
        Reading::witnessed(raw, anchors, &TimeWitnesses::at(checked_at))
    }

    /// [`Reading::of`] with every independent time known of the message.
    pub fn witnessed(raw: &[u8], anchors: &TrustAnchors, witnesses: &TimeWitnesses) -> Reading {
        let (inspection, rem, report) = pec_archive::understand(raw, Some((anchors, witnesses)));
        Reading {
            facts: Facts::derive(&inspection, rem.as_ref()),
            inspection,
            report: report.unwrap_or_else(SignatureReport::unsigned),
        }
    }
}

/// One archived item of a send.
#[derive(Debug, Clone)]
pub struct Collected {
    pub archive_id: i64,
    /// Exactly as archived.
    pub raw: Vec<u8>,
    pub reading: Reading,
    /// The verdict the archive recorded last.
    pub archived_status: Option<SignatureStatus>,
    pub origins: Vec<Origin>,
    /// Its signed attachments, verified again now with the archive's document checker (issue 15 §6);
    /// the verdicts the archive recorded when it has no checker.
    pub documents: Vec<DocumentVerdict>,
    /// The latest verdict the archive recorded of each signed attachment.
    pub archived_documents: Vec<DocumentVerdict>,
}

/// Every item of `send`, in the archive's order (sent copy first, then by certified time).
pub fn collect(
    archive: &Archive,
    send: &SentStatus,
    anchors: &TrustAnchors,
    checked_at: DateTime<Utc>,
) -> Result<Vec<Collected>, PackError> {
    if send.evidence.is_empty() {
        return Err(PackError::NoEvidence(send.msgid.clone()));
    }
    send.evidence
        .iter()
        .map(|&id| {
            let raw = archive.raw(id)?;
            let archived_status = archive.verdicts(id)?.first().map(|v| v.status);
            let origins = archive.origins(id)?;
            let witnesses = archive.witnesses(id, checked_at)?;
            let archived_documents = archive.document_verdicts(id)?;
            let documents = match archive.document_checker() {
                Some(checker) => DocumentVerdict::all_of(&checker.check(&raw, checked_at)),
                None => archived_documents.clone(),
            };
            Ok(Collected {
                documents,
                archived_documents,
                archive_id: id,
                reading: Reading::witnessed(&raw, anchors, &witnesses),
                raw,
                archived_status,
                origins,
            })
        })
        .collect()
}
