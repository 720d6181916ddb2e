//! Updates: look for one (only when the person allowed it), install one, restart into it. The
//! rules are in [`crate::updates`].

use tauri::{AppHandle, Manager};

use super::blocking;
use crate::dto::update::{UpdateCheck, UpdateInstalled, UpdateRefusal};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::{prefs, updates};

async fn allowed(app: &AppHandle) -> AppResult<bool> {
    blocking(app.clone(), |_, state| Ok(prefs::load(&state.dir).updates)).await
}

/// Looks for a newer signed version; downloads nothing.
#[tauri::command]
#[specta::specta]
pub async fn check_update(app: AppHandle) -> AppResult<UpdateCheck> {
    let allowed = allowed(&app).await?;
    Ok(updates::find(&app, allowed).await?.0)
}

/// Downloads the offered version, checks it against the release key and installs it; the new
/// version runs from the next start ([`restart_app`]).
#[tauri::command]
#[specta::specta]
pub async fn install_update(app: AppHandle) -> AppResult<UpdateInstalled> {
    let allowed = allowed(&app).await?;
    match updates::find(&app, allowed).await? {
        (_, Some(update)) => Ok(UpdateInstalled {
            version: updates::install(update).await?,
        }),
        (check, None) => Err(AppError::UpdateRefused {
            reason: match check {
                UpdateCheck::NotInThisBuild { .. } | UpdateCheck::NotAllowed { .. } => {
                    UpdateRefusal::NotAllowed
                }
                _ => UpdateRefusal::NotNewer,
            },
            detail: format!("{check:?}"),
        }),
    }
}

/// Restarts Attesta (after an update is installed).
#[tauri::command]
#[specta::specta]
pub async fn restart_app(app: AppHandle) {
    if let Some(state) = app.try_state::<AppState>() {
        crate::demo::stop(&state);
    }
    app.restart();
}
