//! The app: what the window asks first (an archive upgrade running at start, then the app's facts), and
//! the user's preferences. The facts and preferences read or write files: off the main thread.

use tauri::{AppHandle, State};

use super::blocking;

use crate::dto::app::{AppInfo, Preferences};
use crate::error::AppResult;
use crate::events::ArchiveUpgrade;
use crate::prefs;
use crate::upgrade::Upgrading;

/// The archive's upgrade at start, if one runs, ran or failed (issue 17 §4): the window shows it until
/// it is `done`. Reads memory only.
#[tauri::command]
#[specta::specta]
pub fn archive_upgrade(upgrading: State<'_, Upgrading>) -> Option<ArchiveUpgrade> {
    upgrading.latest()
}

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
