//! Background jobs from the window: sync now, import files, export evidence packs; and cancel. Starting
//! one reads files or asks with a dialog: off the main thread (cancelling only sets a flag).

use std::path::PathBuf;

use chrono::Utc;
use pec_engine::export::{ExportRequest, Selection, SendRef, export};
use pec_engine::{Trust, TrustBook};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use crate::dto::app::{JobKind, Language};
use crate::error::{AppError, AppResult};
use crate::jobs::{self, Finished};
use crate::state::AppState;
use crate::watch;

#[tauri::command]
#[specta::specta]
pub async fn sync_now(app: AppHandle) {
    // It reads the configuration first; a failure to start is the job's, reported by its events.
    let _ = blocking(app, |app, _| {
        watch::start_sync(app);
        Ok(())
    })
    .await;
}

#[tauri::command]
#[specta::specta]
pub fn cancel_job(state: State<'_, AppState>, job: JobKind) -> bool {
    state.cancel(job)
}

/// Asks for files or a folder (.eml, mbox, Maildir) and imports them in the background, for
/// `mailbox` (issue 18 §4: on the firm's archive, the people granted it see them; files of no
/// mailbox are seen by those granted every mailbox). A name that is not an address is refused before
/// anything is asked.
#[tauri::command]
#[specta::specta]
pub async fn import_files(
    app: AppHandle,
    folder: bool,
    mailbox: Option<String>,
) -> AppResult<bool> {
    blocking(app, move |app, _| {
        let mailbox = super::mailbox(mailbox)?;
        let dialog = app.dialog().file();
        let paths: Vec<PathBuf> = if folder {
            dialog.blocking_pick_folder().into_iter().collect()
        } else {
            dialog.blocking_pick_files().unwrap_or_default()
        }
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect();
        if paths.is_empty() {
            return Ok(false);
        }
        jobs::spawn(app, JobKind::Import, None, move |state, cancel, report| {
            // Files belong to no account: the general anchors (a lab's CA is trusted only for its
            // own account's mail).
            let trust = Trust::load(&state.config()?, &[])?;
            let mut archive = state.writer()?;
            let summary = pec_engine::import::import(
                &mut archive,
                &paths,
                mailbox.as_deref(),
                &trust.anchors,
                Utc::now(),
                cancel,
                &mut |p| report.progress(p.done_bytes, p.total_bytes, p.new),
            )?;
            Ok(Finished {
                new: summary.new,
                output: None,
                interrupted: summary.interrupted,
            })
        })?;
        Ok(true)
    })
    .await
}

/// Asks for a directory and writes there one evidence pack per send (`msgids`), with the index.
#[tauri::command]
#[specta::specta]
pub async fn export_packs(
    app: AppHandle,
    msgids: Vec<String>,
    language: Language,
) -> AppResult<bool> {
    blocking(app, move |app, _| {
        let Some(out_dir) = app
            .dialog()
            .file()
            .blocking_pick_folder()
            .and_then(|p| p.into_path().ok())
        else {
            return Ok(false);
        };
        if msgids.is_empty() {
            return Err(AppError::NotFound {
                what: "sends".into(),
            });
        }
        jobs::spawn(app, JobKind::Export, None, move |state, cancel, report| {
            // Each pack under the anchors its evidence arrived under (its account's).
            let trust = TrustBook::load(&state.config()?, &[])?;
            let request = ExportRequest {
                selection: Selection::Sends(msgids.into_iter().map(SendRef::MsgId).collect()),
                out_dir: out_dir.clone(),
                language: match language {
                    Language::It => pec_pack::Language::It,
                    Language::En => pec_pack::Language::En,
                },
                produced_at: Utc::now(),
                producer: format!("Attesta {}", env!("CARGO_PKG_VERSION")),
            };
            // Each pack names who exported it, and the archive's journal records it (issue 18 §3).
            let mut archive = state.writer()?;
            let summary = export(&mut archive, &request, &trust, cancel, &mut |p| {
                report.progress(p.done as u64, p.total as u64, 0)
            })?;
            Ok(Finished {
                new: 0,
                output: Some(out_dir.display().to_string()),
                interrupted: summary.interrupted,
            })
        })?;
        Ok(true)
    })
    .await
}
