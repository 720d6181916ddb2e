//! Signed attachments and e-invoices in the reader (issue 15 §5): the signature panel, "Open
//! content" (the document inside the signature, through the same safe-open rules as any
//! attachment), and an invoice as a page.

use chrono::Utc;
use pec_core::signature::SignatureStatus;
use pec_document::DocumentReport;
use pec_engine::documents::content_of;
use pec_engine::letter::AttachmentFile;
use pec_invoice::{DocumentKind, Invoice, InvoiceStatus, NotificationKind};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;

use super::blocking;
use super::reader::{attachment, open_path};
use crate::dto::document::{DocumentView, SignatureBadge};
use crate::error::{AppError, AppResult};
use crate::opened;
use crate::state::AppState;

/// The verdict of one attachment if it is a signed file this program knows.
pub(crate) fn report_of(
    state: &AppState,
    file: &AttachmentFile,
) -> AppResult<Option<DocumentReport>> {
    let unwrapped = pec_document::armor::unwrap(&file.bytes);
    if pec_document::format::recognise(unwrapped.as_deref().unwrap_or(&file.bytes)).is_none() {
        return Ok(None);
    }
    let trust = state.document_trust()?;
    Ok(Some(trust.verify(
        file.name.as_str(),
        &file.bytes,
        None,
        Utc::now(),
    )))
}

/// The invoice XML of an attachment: itself, or the document inside its signature.
fn invoice_bytes<'a>(
    file: &'a AttachmentFile,
    report: Option<&'a DocumentReport>,
) -> Option<&'a [u8]> {
    let xml = report
        .and_then(|r| r.content.as_deref())
        .unwrap_or(&file.bytes);
    matches!(
        pec_invoice::recognise(xml),
        Some(DocumentKind::Invoice | DocumentKind::SimplifiedInvoice)
    )
    .then_some(xml)
}

/// The badge and the invoice flag of one attachment, for the reader's list.
pub(crate) fn badge(
    state: &AppState,
    file: &AttachmentFile,
) -> AppResult<(Option<SignatureBadge>, bool)> {
    let report = report_of(state, file)?;
    let invoice = invoice_bytes(file, report.as_ref()).is_some();
    Ok((
        report.as_ref().and_then(|r| SignatureBadge::of(r, invoice)),
        invoice,
    ))
}

/// The signature panel of attachment `index` of message `id`.
#[tauri::command]
#[specta::specta]
pub async fn attachment_signature(app: AppHandle, id: u32, index: u32) -> AppResult<DocumentView> {
    blocking(app, move |_, state| {
        signature_view(state, &attachment(state, id, index)?)
    })
    .await
}

/// The signature panel of a signed file: an attachment, or a document opened from disk.
pub(crate) fn signature_view(state: &AppState, file: &AttachmentFile) -> AppResult<DocumentView> {
    let report = report_of(state, file)?.ok_or(AppError::NotFound {
        what: format!("a signature in {}", file.name.as_str()),
    })?;
    let content_name = content_of(file, &report).map(|c| c.name.as_str().to_owned());
    let no_lists = state.document_trust()?.lists.territories().next().is_none();
    Ok(DocumentView::of(
        file.name.as_str().to_owned(),
        &report,
        content_name,
        no_lists,
    ))
}

/// The document inside a signed file — never the signature's wrapper.
pub(crate) fn signed_content(state: &AppState, file: &AttachmentFile) -> AppResult<AttachmentFile> {
    report_of(state, file)?
        .and_then(|report| content_of(file, &report))
        .ok_or(AppError::NotFound {
            what: format!("a signed document inside {}", file.name.as_str()),
        })
}

/// Opens the document inside signed attachment `index` of message `id` — never the signature's
/// wrapper — from a private, marked copy; what could run something needs `confirmed`, as for any
/// attachment.
#[tauri::command]
#[specta::specta]
pub async fn open_attachment_content(
    app: AppHandle,
    id: u32,
    index: u32,
    confirmed: bool,
) -> AppResult<String> {
    blocking(app, move |app, state| {
        let content = signed_content(state, &attachment(state, id, index)?)?;
        opened::allow(&content, confirmed)?;
        let root = state.dir.path().join("opened").join("content");
        let path = opened::private_copy(&root, id, index, &content)?;
        open_path(app, &path)?;
        Ok(path.display().to_string())
    })
    .await
}

/// An e-invoice as the window shows it, with the signature it came in (if any) and its standing
/// with SdI from the notifications in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct InvoiceView {
    pub name: String,
    pub invoice: Invoice,
    pub signature: Option<SignatureBadge>,
    pub sdi: Option<SdiView>,
}

/// What SdI's notifications make of the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SdiView {
    pub status: InvoiceStatus,
    pub notices: Vec<SdiNoticeView>,
    /// Every deciding notice came in a PEC message whose provider signature is valid; otherwise the
    /// status is a hint.
    pub all_certified: bool,
    /// A rejection's (NS) errors, `code: description`.
    pub errors: Vec<String>,
}

/// One notification about the invoice, and the archived message it came in (openable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SdiNoticeView {
    pub message: u32,
    pub kind: NotificationKind,
    pub file: String,
    pub carrier: Option<SignatureStatus>,
}

/// Attachment `index` of message `id` read as a FatturaPA invoice (plain or signed).
#[tauri::command]
#[specta::specta]
pub async fn attachment_invoice(app: AppHandle, id: u32, index: u32) -> AppResult<InvoiceView> {
    blocking(app, move |_, state| {
        invoice_view(state, &attachment(state, id, index)?, || {
            format!("an invoice in attachment {index} of {id}")
        })
    })
    .await
}

/// The invoice page of attachment `file` (plain or signed FatturaPA), with its SdI standing from the
/// notifications in the archive; `what` names it when it is no invoice. Shared by archived messages
/// and files opened from disk.
pub(crate) fn invoice_view(
    state: &AppState,
    file: &AttachmentFile,
    what: impl Fn() -> String,
) -> AppResult<InvoiceView> {
    let report = report_of(state, file)?;
    let xml =
        invoice_bytes(file, report.as_ref()).ok_or_else(|| AppError::NotFound { what: what() })?;
    let invoice = pec_invoice::read_invoice(xml).map_err(|e| AppError::BadInvoice {
        detail: e.to_string(),
    })?;
    let sdi =
        pec_engine::sdi::sdi_status(&*state.archive()?, file.name.as_str(), Utc::now())?.map(|s| {
            SdiView {
                status: s.status,
                notices: s
                    .notices
                    .into_iter()
                    .map(|n| SdiNoticeView {
                        message: crate::dto::id(n.message),
                        kind: n.kind,
                        file: n.file,
                        carrier: n.carrier,
                    })
                    .collect(),
                all_certified: s.all_certified,
                errors: s.errors,
            }
        });
    Ok(InvoiceView {
        name: file.name.as_str().to_owned(),
        invoice,
        signature: report.as_ref().and_then(|r| SignatureBadge::of(r, true)),
        sdi,
    })
}
