//! An e-invoice's standing with the Sistema di Interscambio, from the notifications in the archive
//! (issue 15 §4): which SdI messages (RC, NS, MC, NE, DT, AT, EC, SE, MT) are about an invoice file,
//! and what they make of it — delivered, rejected, not delivered, …
//!
//! Candidates are found by the archive's search over attachment names (SdI names a notification
//! after the invoice file: `IT01234567890_FPR04_RC_001.xml`); each candidate attachment is then read
//! and linked by the `NomeFile` (or `IdentificativoSdI`) it states, never by its name
//! (`pec_invoice::sdi_state`). The notifications' own XAdES signatures are not verified yet: each
//! notice carries the verdict of the PEC message it arrived in (SdI's provider signs it), and the
//! status is a hint unless every deciding notice came in a valid PEC message (`all_certified`).

use chrono::{DateTime, Utc};
use pec_archive::Archive;
use pec_core::signature::SignatureStatus;
use pec_invoice::{DocumentKind, InvoiceStatus, Notification, NotificationKind};

use crate::EngineError;
use crate::letter::attachment_files;

/// One SdI notification found for an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdiNotice {
    /// The archived message it came in.
    pub message: i64,
    pub kind: NotificationKind,
    /// The attachment's name (a hint for people).
    pub file: String,
    /// The verdict of the PEC message that carried it (`None`: never verified).
    pub carrier: Option<SignatureStatus>,
    pub received_at: Option<String>,
}

/// What the notifications make of one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdiSummary {
    pub status: InvoiceStatus,
    /// The linked notices, in archive order.
    pub notices: Vec<SdiNotice>,
    /// Every deciding notice came in a PEC message whose provider signature is valid.
    pub all_certified: bool,
    /// The NS errors, as `code: description`.
    pub errors: Vec<String>,
}

/// At most this many archived messages are read as candidates for one invoice.
const CANDIDATES: usize = 200;

/// The SdI standing of the invoice file `invoice_file` (its name as received, e.g.
/// `IT01234567890_FPR04.xml.p7m`); `None` when no notification in the archive is about it.
pub fn sdi_status(
    archive: &Archive,
    invoice_file: &str,
    now: DateTime<Utc>,
) -> Result<Option<SdiSummary>, EngineError> {
    let key = pec_invoice::file_key(invoice_file);
    if key.is_empty() {
        return Ok(None);
    }
    let mut found: Vec<(Notification, SdiNotice)> = Vec::new();
    for hit in archive.search(&key.replace('_', " "), CANDIDATES)? {
        let raw = archive.raw(hit.id)?;
        let carrier = archive
            .item(hit.id, now)?
            .verdicts
            .first()
            .map(|v| v.status);
        for file in attachment_files(&raw) {
            let Some(DocumentKind::Notification(_)) = pec_invoice::recognise(&file.bytes) else {
                continue;
            };
            let Ok(notification) = pec_invoice::read_notification(&file.bytes) else {
                continue;
            };
            let notice = SdiNotice {
                message: hit.id,
                kind: notification.kind,
                file: file.name.as_str().to_owned(),
                carrier,
                received_at: notification.received_at.clone(),
            };
            found.push((notification, notice));
        }
    }
    let notifications: Vec<Notification> = found.iter().map(|(n, _)| n.clone()).collect();
    let state = pec_invoice::sdi_state(invoice_file, &notifications);
    if state.linked.is_empty() {
        return Ok(None);
    }
    let notices: Vec<SdiNotice> = state
        .linked
        .iter()
        .filter_map(|l| found.get(l.index as usize).map(|(_, n)| n.clone()))
        .collect();
    let all_certified = state.decided_by.iter().all(|&i| {
        found
            .get(i as usize)
            .is_some_and(|(_, n)| n.carrier == Some(SignatureStatus::Valid))
    });
    let errors = state
        .errors
        .iter()
        .map(|e| match &e.description {
            Some(d) => format!("{}: {d}", e.code),
            None => e.code.clone(),
        })
        .collect();
    Ok(Some(SdiSummary {
        status: state.status,
        notices,
        all_certified,
        errors,
    }))
}
