//! What Attesta recorded about a signed attachment (issue 15 §5/§6): the signature panel's history of
//! the verdicts the archive recorded for it — at archiving and at each re-verification that said
//! something else — and how a check made now compares with the latest (`pec_engine::recorded`).
//! Only archived messages have one: the window says so for a file opened from disk without asking.

use chrono::Utc;
use tauri::AppHandle;

use super::blocking;
use super::reader::attachment;
use crate::dto::recorded::RecordedView;
use crate::error::{AppError, AppResult};

/// The recorded verdicts of signed attachment `index` of archived message `id`, oldest first, and a
/// check of it made now.
#[tauri::command]
#[specta::specta]
pub async fn attachment_recorded(app: AppHandle, id: u32, index: u32) -> AppResult<RecordedView> {
    blocking(app, move |_, state| {
        let file = attachment(state, id, index)?;
        let trust = state.document_trust()?;
        let recorded = pec_engine::recorded::recorded_verdicts(
            &*state.archive()?,
            i64::from(id),
            index,
            &file,
            &trust,
            Utc::now(),
        )?
        .ok_or(AppError::NotFound {
            what: format!("a signature in {}", file.name.as_str()),
        })?;
        Ok(RecordedView::of(&recorded))
    })
    .await
}
