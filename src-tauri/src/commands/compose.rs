//! Compose: the PEC rule checks before sending (PEC rules §8), sending, drafts, the outbox.

use std::path::Path;

use chrono::{Duration, Utc};
use pec_core::daticert::ReceiptType;
use pec_engine::Trust;
use pec_engine::accounts::secrets;
use pec_engine::send::{self, Draft, DraftAttachment, draft};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use crate::drafts;
use crate::dto::compose::{DraftCheck, DraftForm, DraftInfo, OutboxItem, PickedFile};
use crate::dto::words::ReceiptKind;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::watch;

/// How long after an unknown outcome a submission is tried again (as `attesta send`).
const GRACE_MINUTES: i64 = 15;

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("pdf") => "application/pdf",
        Some("xml") => "application/xml",
        Some("p7m") => "application/pkcs7-mime",
        Some("txt") => "text/plain",
        Some("zip") => "application/zip",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn receipt(kind: ReceiptKind) -> ReceiptType {
    match kind {
        ReceiptKind::Completa => ReceiptType::Completa,
        ReceiptKind::Breve => ReceiptType::Breve,
        ReceiptKind::Sintetica => ReceiptType::Sintetica,
    }
}

fn engine_draft(form: &DraftForm, read_files: bool) -> AppResult<Draft> {
    let mut attachments = Vec::new();
    for file in &form.attachments {
        let path = Path::new(file);
        let bytes = if read_files {
            std::fs::read(path).map_err(|e| AppError::io(path, e))?
        } else {
            Vec::new()
        };
        attachments.push(DraftAttachment {
            name: path
                .file_name()
                .map_or_else(|| "allegato".into(), |n| n.to_string_lossy().into_owned()),
            content_type: content_type(path).into(),
            bytes,
        });
    }
    Ok(Draft {
        to: form.to.clone(),
        cc: form.cc.clone(),
        subject: form.subject.clone(),
        body: form.body.clone(),
        attachments,
        receipt: receipt(form.receipt),
    })
}

/// The PEC rules a provider enforces, checked now: recipients, subject, size × recipients.
#[tauri::command]
#[specta::specta]
pub fn check_draft(state: State<'_, AppState>, draft_form: DraftForm) -> AppResult<DraftCheck> {
    let config = state.config()?;
    let account = config.account(&draft_form.account)?;
    let recipients =
        draft::check_recipients(&engine_draft(&draft_form, false)?, account.max_recipients)?;
    let mut bytes = (draft_form.subject.len() + draft_form.body.len()) as u64;
    for file in &draft_form.attachments {
        let size = std::fs::metadata(file)
            .map_err(|e| AppError::io(Path::new(file), e))?
            .len();
        // Base64 makes an attachment a third larger on the wire.
        bytes += size.div_ceil(3) * 4;
    }
    draft::check_size(bytes as usize, recipients.len(), account.max_message_bytes)?;
    Ok(DraftCheck {
        recipients: u32::try_from(recipients.len()).unwrap_or(u32::MAX),
        attachment_bytes: bytes as f64,
        limit_bytes: account.max_message_bytes as f64,
        max_recipients: u32::try_from(account.max_recipients).unwrap_or(u32::MAX),
    })
}

/// Asks for files to attach.
#[tauri::command]
#[specta::specta]
pub async fn pick_attachments(app: AppHandle) -> AppResult<Vec<PickedFile>> {
    blocking(app, |app, _| {
        let picked = app
            .dialog()
            .file()
            .blocking_pick_files()
            .unwrap_or_default();
        Ok(picked
            .into_iter()
            .filter_map(|p| p.into_path().ok())
            .map(|p| PickedFile {
                name: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                size: std::fs::metadata(&p).map_or(0.0, |m| m.len() as f64),
                path: p.display().to_string(),
            })
            .collect())
    })
    .await
}

/// Checks, archives and submits; earlier submissions of unknown outcome are resolved first, so nothing
/// is ever sent twice. The draft is removed once the provider took the message.
#[tauri::command]
#[specta::specta]
pub async fn send_draft(app: AppHandle, draft_form: DraftForm) -> AppResult<OutboxItem> {
    blocking(app, move |_, state| {
        let config = state.config()?;
        let account = config.account(&draft_form.account)?.clone();
        let trust = Trust::for_account(&config, &account, &[])?;
        let password = secrets::password(&state.dir, &account.address)?;
        let draft = engine_draft(&draft_form, true)?;
        let mut archive = state.writer()?;
        let now = Utc::now();
        send::resolve(
            &mut archive,
            &account,
            &password,
            &trust.anchors,
            now,
            Duration::minutes(GRACE_MINUTES),
        )?;
        let outcome = send::send(
            &mut archive,
            &account,
            &password,
            &draft,
            &trust.anchors,
            now,
        )?;
        if let Some(id) = &draft_form.id {
            drafts::delete(&state.dir, id)?;
        }
        watch::soon();
        Ok(OutboxItem::from(&outcome.entry))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub fn save_draft(state: State<'_, AppState>, draft_form: DraftForm) -> AppResult<DraftForm> {
    drafts::save(&state.dir, draft_form)
}

#[tauri::command]
#[specta::specta]
pub fn list_drafts(state: State<'_, AppState>) -> Vec<DraftInfo> {
    drafts::list(&state.dir)
}

#[tauri::command]
#[specta::specta]
pub fn load_draft(state: State<'_, AppState>, id: String) -> AppResult<DraftForm> {
    drafts::load(&state.dir, &id)
}

#[tauri::command]
#[specta::specta]
pub fn delete_draft(state: State<'_, AppState>, id: String) -> AppResult<()> {
    drafts::delete(&state.dir, &id)
}

/// Every submission, newest first.
#[tauri::command]
#[specta::specta]
pub fn outbox(state: State<'_, AppState>) -> AppResult<Vec<OutboxItem>> {
    Ok(state
        .archive()
        .outbox(None)?
        .iter()
        .map(OutboxItem::from)
        .collect())
}
