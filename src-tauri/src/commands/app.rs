//! The app: what the window asks first, and the user's preferences.

use tauri::State;

use crate::dto::app::{AppInfo, Preferences};
use crate::error::AppResult;
use crate::prefs;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> AppResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        data_dir: state.dir.path().display().to_string(),
        accounts: u32::try_from(state.config()?.accounts.len()).unwrap_or(u32::MAX),
        demo_available: pec_lab::Lab::available(),
        demo_running: state.lab.lock().map(|l| l.is_some()).unwrap_or(false),
        preferences: prefs::load(&state.dir),
    })
}

#[tauri::command]
#[specta::specta]
pub fn set_preferences(state: State<'_, AppState>, preferences: Preferences) -> AppResult<()> {
    prefs::save(&state.dir, &preferences)
}
