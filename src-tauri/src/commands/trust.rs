//! Trust anchors: the built-in PEC CAs, the directories the user added, and each account's own. Loading
//! them reads certificate files: off the main thread.

use std::path::PathBuf;

use pec_engine::Trust;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use crate::dto::account::{AnchorDir, TrustInfo};
use crate::error::AppResult;
use crate::state::AppState;

fn info(state: &AppState) -> AppResult<TrustInfo> {
    let config = state.config()?;
    let trust = Trust::load(&config, &[])?;
    let per_account = config
        .accounts
        .iter()
        .flat_map(|a| {
            a.trust_dirs.iter().map(|d| AnchorDir {
                path: d.display().to_string(),
                certificates: 0,
                skipped: Vec::new(),
                account: Some(a.address.clone()),
            })
        })
        .collect();
    Ok(TrustInfo::new(&trust, per_account))
}

#[tauri::command]
#[specta::specta]
pub async fn trust_info(app: AppHandle) -> AppResult<TrustInfo> {
    blocking(app, |_, state| info(state)).await
}

/// Asks for a directory of PEM/DER certificates and trusts it (after checking it holds some).
#[tauri::command]
#[specta::specta]
pub async fn trust_add(app: AppHandle) -> AppResult<TrustInfo> {
    blocking(app, |app, state| {
        let Some(dir) = app
            .dialog()
            .file()
            .blocking_pick_folder()
            .and_then(|p| p.into_path().ok())
        else {
            return info(state);
        };
        state.edit_config(|config| {
            if !config.trust_dirs.contains(&dir) {
                let mut candidate = config.clone();
                candidate.trust_dirs.push(dir.clone());
                Trust::load(&candidate, &[])?;
                config.trust_dirs.push(dir);
            }
            Ok(())
        })?;
        state.forget_document_trust();
        info(state)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn trust_remove(app: AppHandle, path: String) -> AppResult<TrustInfo> {
    blocking(app, move |_, state| {
        let path = PathBuf::from(path);
        state.edit_config(|config| {
            config.trust_dirs.retain(|d| *d != path);
            Ok(())
        })?;
        state.forget_document_trust();
        info(state)
    })
    .await
}
