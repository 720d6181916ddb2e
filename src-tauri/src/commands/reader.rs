//! The reader: one message with its letter, evidence and timeline; its attachments and its exact bytes
//! opened or saved.

use std::path::{Path, PathBuf};

use chrono::Utc;
use pec_archive::{Archive, Origin};
use pec_engine::letter::AttachmentFile;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use super::blocking;
use crate::dto::message::MessageView;
use crate::error::{AppError, AppResult};
use crate::opened;
use crate::state::AppState;

// One message with its letter, evidence and timeline. A sent message with 50 recipients reads its 50
// receipts, so it runs off the main thread.
#[tauri::command]
#[specta::specta]
pub async fn open_message(app: AppHandle, id: u32) -> AppResult<MessageView> {
    blocking(app, move |_, state| {
        // Issue 18 §6: a message opened while the firm's server answered stays readable without it.
        let (view, cached) =
            crate::offline_cache::through(state, &format!("message-{id}"), || {
                message_view(state, &*state.archive()?, i64::from(id))
            })?;
        Ok(MessageView { cached, ..view })
    })
    .await
}

/// The reader's view of message `id` of `archive`: the user's archive, or the throw-away one a file
/// opened from disk is read into (`crate::launch::from_disk`), so both are shown by this one function.
pub(crate) fn message_view(state: &AppState, archive: &Archive, id: i64) -> AppResult<MessageView> {
    let item = archive.item(id, Utc::now())?;
    let raw = archive.raw(id)?;
    let (rows, submitted) = match &item.send {
        Some(send) => {
            let mut submitted = Vec::new();
            for &evidence in &send.evidence {
                if archive.origins(evidence)?.iter().any(Origin::is_submission) {
                    submitted.push(evidence);
                }
            }
            (archive.rows_by_id(&send.evidence)?, submitted)
        }
        None => (Vec::new(), Vec::new()),
    };
    let family = item.family;
    let origins = item.origins.clone();
    let mut view = MessageView::new(item, pec_engine::letter::letter(&raw), &rows, &submitted);
    if family == pec_core::Family::Rem {
        // NOTE: the anchors of the account the message came from, and its clock (a lab account
        // trusts its lab's CA for itself only); a file opened from disk gets the general ones.
        let book = pec_engine::TrustBook::load(&state.config()?, &[])?;
        view.rem_evidence = crate::dto::rem::RemEvidence::of(
            &raw,
            book.for_origins(&origins),
            book.clock_for_origins(&origins, Utc::now()),
        );
    }
    let files = pec_engine::letter::attachment_files(&raw);
    for a in &mut view.letter.attachments {
        if a.hash_stand_in {
            continue;
        }
        if let Some(file) = files.get(a.index as usize) {
            (a.signed, a.invoice) = super::documents::badge(state, file)?;
        }
    }
    Ok(view)
}

pub(crate) fn attachment(state: &AppState, id: u32, index: u32) -> AppResult<AttachmentFile> {
    let raw = state.archive()?.raw(i64::from(id))?;
    pec_engine::letter::attachment_file(&raw, index as usize).ok_or(AppError::NotFound {
        what: format!("attachment {index} of {id}"),
    })
}

/// Where the person wants `name` saved; `None` if cancelled.
pub(crate) fn ask_where(app: &AppHandle, name: &str) -> Option<PathBuf> {
    app.dialog()
        .file()
        .set_file_name(name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

fn save_as(app: &AppHandle, name: &str, bytes: &[u8]) -> AppResult<Option<String>> {
    let Some(path) = ask_where(app, name) else {
        return Ok(None);
    };
    std::fs::write(&path, bytes).map_err(|e| AppError::io(&path, e))?;
    Ok(Some(path.display().to_string()))
}

/// Saves attachment `index` of message `id` where the user says, under its cleaned name and marked as
/// from outside; its path, or `null` if cancelled. Saving runs nothing, so it never asks.
#[tauri::command]
#[specta::specta]
pub async fn save_attachment(app: AppHandle, id: u32, index: u32) -> AppResult<Option<String>> {
    blocking(app, move |app, state| {
        let file = attachment(state, id, index)?;
        let Some(path) = ask_where(app, file.name.as_str()) else {
            return Ok(None);
        };
        opened::save(&path, id, index, &file.bytes)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Opens attachment `index` of message `id` with the system's program for it, from a private, marked
/// copy. One that could run something (a program, a script, a launcher, macros, active pages) fails
/// with `dangerous-attachment` naming its real extension unless `confirmed` (issue 13 §5).
#[tauri::command]
#[specta::specta]
pub async fn open_attachment(
    app: AppHandle,
    id: u32,
    index: u32,
    confirmed: bool,
) -> AppResult<String> {
    blocking(app, move |app, state| {
        let file = attachment(state, id, index)?;
        opened::allow(&file, confirmed)?;
        let path = opened::private_copy(&state.dir.path().join("opened"), id, index, &file)?;
        open_path(app, &path)?;
        Ok(path.display().to_string())
    })
    .await
}

pub(crate) fn open_path(app: &AppHandle, path: &Path) -> AppResult<()> {
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| AppError::io(path, e))
}

/// Saves the message exactly as archived (`.eml`): the evidence itself, byte for byte.
#[tauri::command]
#[specta::specta]
pub async fn save_original(app: AppHandle, id: u32) -> AppResult<Option<String>> {
    blocking(app, move |app, state| {
        let raw = state.archive()?.raw(i64::from(id))?;
        save_as(app, &format!("attesta-{id}.eml"), &raw)
    })
    .await
}
