//! The app: what the window asks first (an archive upgrade running at start, then the app's facts), the
//! user's preferences, and the person of the firm this desktop acts as (issue 18 §3). The facts,
//! preferences and person read or write files: off the main thread.

use tauri::{AppHandle, State};

use super::blocking;

use crate::dto::app::{AppInfo, Preferences};
use crate::error::{AppError, AppResult};
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
            person: pec_engine::user::user(&state.dir)?,
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_preferences(app: AppHandle, preferences: Preferences) -> AppResult<()> {
    blocking(app, move |_, state| prefs::save(&state.dir, &preferences)).await
}

/// Sets the person of the firm this desktop acts as (issue 18 §3): from the next write on, what it
/// archives, sends, re-verifies or exports is recorded as theirs. Returns the person as kept (trimmed).
#[tauri::command]
#[specta::specta]
pub async fn set_person(
    app: AppHandle,
    name: String,
    email: Option<String>,
) -> AppResult<pec_archive::Person> {
    blocking(app, move |_, state| {
        state.edit_config(|config| {
            let person = pec_archive::Person::new(&name, email.as_deref())
                .map_err(|problem| AppError::BadPerson { problem })?;
            config.user = Some(person.clone());
            Ok(person)
        })
    })
    .await
}

/// Forgets the person: from the next write on, nothing names who did what from this desktop.
#[tauri::command]
#[specta::specta]
pub async fn clear_person(app: AppHandle) -> AppResult<()> {
    blocking(app, |_, state| {
        state.edit_config(|config| {
            config.user = None;
            Ok(())
        })
    })
    .await
}
