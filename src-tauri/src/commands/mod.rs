//! The commands the window calls, each a short delegation to the engine. Every one is listed in
//! `src-tauri/commands.txt` (its permission) and in [`crate::bindings`] (its TypeScript binding).
//!
//! Tauri 2 runs a command that is not `async` on the main thread, the one that paints the window and
//! takes its input: a sort or a search over 100,000 messages there freezes the window (issue 16 §4).
//! So every command that touches the archive, a file, the keyring or the network is `async` and does
//! its work in [`blocking`]; only the ones that read memory stay plain (checked by a test below).

pub mod accounts;
pub mod app;
pub mod compose;
pub mod documents;
pub mod jobs;
pub mod launch;
pub mod lists;
pub mod reader;
pub mod recorded;
pub mod shared_archive;
pub mod trust;
pub mod updates;

use tauri::{AppHandle, Manager};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Runs blocking engine work on the async runtime's blocking pool: off the main thread and off the
/// runtime's own workers. Its typed error reaches the window as is.
pub async fn blocking<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&AppHandle, &AppState) -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    tauri::async_runtime::spawn_blocking(move || work(&app, &app.state::<AppState>()))
        .await
        .map_err(AppError::internal)?
}

/// The mailbox an import from the window names (issue 18 §4), spelled as the archive records it;
/// `None` (or an empty choice) for no mailbox. A name that is not an address is refused before
/// anything is asked or read, as `attesta import --mailbox` refuses it.
pub fn mailbox(given: Option<String>) -> AppResult<Option<String>> {
    match given.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(name) => pec_archive::mailbox_name(name).map(Some).ok_or_else(|| {
            pec_engine::EngineError::NotAMailbox {
                given: name.to_owned(),
            }
            .into()
        }),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_import_names_a_mailbox_as_the_archive_spells_it_or_none() {
        use super::mailbox;
        use crate::error::AppError;
        assert_eq!(mailbox(None).unwrap(), None);
        assert_eq!(mailbox(Some("  ".into())).unwrap(), None);
        assert_eq!(
            mailbox(Some(" Studio@PEC.example.it ".into())).unwrap(),
            Some("studio@pec.example.it".into())
        );
        for bad in ["studio", "@pec.it", "a b@pec.it", "a@b@pec.it"] {
            assert!(
                matches!(mailbox(Some(bad.into())), Err(AppError::BadConfig { .. })),
                "{bad}"
            );
        }
    }

    /// The commands that may run on the main thread: they read only memory.
    const ON_MAIN_THREAD: [&str; 3] = ["presets", "cancel_job", "archive_upgrade"];

    const SOURCES: [(&str, &str); 12] = [
        ("accounts.rs", include_str!("accounts.rs")),
        ("app.rs", include_str!("app.rs")),
        ("compose.rs", include_str!("compose.rs")),
        ("documents.rs", include_str!("documents.rs")),
        ("jobs.rs", include_str!("jobs.rs")),
        ("launch.rs", include_str!("launch.rs")),
        ("lists.rs", include_str!("lists.rs")),
        ("reader.rs", include_str!("reader.rs")),
        ("recorded.rs", include_str!("recorded.rs")),
        ("shared_archive.rs", include_str!("shared_archive.rs")),
        ("trust.rs", include_str!("trust.rs")),
        ("updates.rs", include_str!("updates.rs")),
    ];

    /// Each command's name and whether it is `async`, read from the sources.
    fn commands() -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for (file, text) in SOURCES {
            for (at, _) in text.match_indices("#[tauri::command]") {
                let signature = text[at..]
                    .lines()
                    .find(|l| l.starts_with("pub "))
                    .unwrap_or_else(|| panic!("a command without a signature in {file}"));
                let name = signature
                    .split("fn ")
                    .nth(1)
                    .and_then(|s| s.split(['(', '<']).next())
                    .unwrap_or_else(|| panic!("no name in {signature}"));
                out.push((name.to_owned(), signature.starts_with("pub async fn")));
            }
        }
        out
    }

    #[test]
    fn no_command_that_touches_the_archive_or_a_file_runs_on_the_main_thread_issue_16() {
        let commands = commands();
        assert!(commands.len() >= 30, "found only {commands:?}");
        for (name, is_async) in &commands {
            assert_eq!(
                *is_async,
                !ON_MAIN_THREAD.contains(&name.as_str()),
                "{name}: only {ON_MAIN_THREAD:?} may run on the main thread"
            );
        }
    }
}
