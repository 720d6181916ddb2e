//! The app: what the window asks first, and the user's preferences. Both read or write files: off the
//! main thread.

use tauri::AppHandle;

use super::blocking;

use crate::dto::app::{AppInfo, Preferences};
use crate::error::AppResult;
use crate::prefs;

#[tauri::command]
#[specta::specta]
pub async fn app_info(app: AppHandle) -> AppResult<AppInfo> {
    blocking(app, |_, state| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            data_dir: state.dir.path().display().to_string(),
            accounts: u32::try_from(state.config()?.accounts.len()).unwrap_or(u32::MAX),
            demo_available: pec_lab::Lab::available(),
            demo_running: state.lab.lock().map(|l| l.is_some()).unwrap_or(false),
            preferences: prefs::load(&state.dir),
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_preferences(app: AppHandle, preferences: Preferences) -> AppResult<()> {
    blocking(app, move |_, state| prefs::save(&state.dir, &preferences)).await
}
