//! The reader: one message with its letter, evidence and timeline; its attachments and its exact bytes
//! opened or saved.

use std::path::{Path, PathBuf};

use chrono::Utc;
use pec_archive::Origin;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use super::blocking;
use crate::dto::message::MessageView;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn open_message(state: State<'_, AppState>, id: u32) -> AppResult<MessageView> {
    let archive = state.archive();
    let item = archive.item(i64::from(id), Utc::now())?;
    let raw = archive.raw(i64::from(id))?;
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
    Ok(MessageView::new(
        item,
        pec_engine::letter::letter(&raw),
        &rows,
        &submitted,
    ))
}

/// A file name safe to write: no directories, no control characters.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    if trimmed.is_empty() {
        "allegato".into()
    } else {
        trimmed.into()
    }
}

fn attachment(state: &AppState, id: u32, index: u32) -> AppResult<(String, Vec<u8>)> {
    let raw = state.archive().raw(i64::from(id))?;
    let (name, bytes) =
        pec_engine::letter::attachment(&raw, index as usize).ok_or(AppError::NotFound {
            what: format!("attachment {index} of {id}"),
        })?;
    Ok((safe_name(&name), bytes))
}

fn save_as(app: &AppHandle, name: &str, bytes: &[u8]) -> AppResult<Option<String>> {
    let Some(path) = app
        .dialog()
        .file()
        .set_file_name(name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    std::fs::write(&path, bytes).map_err(|e| AppError::io(&path, e))?;
    Ok(Some(path.display().to_string()))
}

/// Saves attachment `index` of message `id` where the user says; its path, or `null` if cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_attachment(app: AppHandle, id: u32, index: u32) -> AppResult<Option<String>> {
    blocking(app, move |app, state| {
        let (name, bytes) = attachment(state, id, index)?;
        save_as(app, &name, &bytes)
    })
    .await
}

/// Opens attachment `index` of message `id` with the system's program for it (from a private copy).
#[tauri::command]
#[specta::specta]
pub async fn open_attachment(app: AppHandle, id: u32, index: u32) -> AppResult<String> {
    blocking(app, move |app, state| {
        let (name, bytes) = attachment(state, id, index)?;
        let dir: PathBuf = state
            .dir
            .path()
            .join("opened")
            .join(format!("{id}-{index}"));
        std::fs::create_dir_all(&dir).map_err(|e| AppError::io(&dir, e))?;
        let path = dir.join(&name);
        std::fs::write(&path, &bytes).map_err(|e| AppError::io(&path, e))?;
        open_path(app, &path)?;
        Ok(path.display().to_string())
    })
    .await
}

fn open_path(app: &AppHandle, path: &Path) -> AppResult<()> {
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| AppError::io(path, e))
}

/// Saves the message exactly as archived (`.eml`): the evidence itself, byte for byte.
#[tauri::command]
#[specta::specta]
pub async fn save_original(app: AppHandle, id: u32) -> AppResult<Option<String>> {
    blocking(app, move |app, state| {
        let raw = state.archive().raw(i64::from(id))?;
        save_as(app, &format!("attesta-{id}.eml"), &raw)
    })
    .await
}
