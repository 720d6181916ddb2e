//! The commands the window calls, each a short delegation to the engine. Every one is listed in
//! `src-tauri/commands.txt` (its permission) and in [`crate::bindings`] (its TypeScript binding).

pub mod accounts;
pub mod app;
pub mod compose;
pub mod jobs;
pub mod lists;
pub mod reader;
pub mod trust;

use tauri::{AppHandle, Manager};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Runs blocking engine work off the async runtime's threads.
pub async fn blocking<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&AppHandle, &AppState) -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    tauri::async_runtime::spawn_blocking(move || work(&app, &app.state::<AppState>()))
        .await
        .map_err(AppError::internal)?
}
