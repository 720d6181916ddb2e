//! What the app was launched for (issue 17): the window takes the waiting requests once it listens
//! (at start and on each `LaunchWaiting`), shows a file opened from disk with its attachments under
//! the reader's safe-open rules, and archives it when asked ("Archivia"). See `crate::launch`.

use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use super::blocking;
use super::documents::{InvoiceView, invoice_view, signature_view, signed_content};
use super::reader::{ask_where, open_path};
use crate::dto::document::DocumentView;
use crate::dto::launch::Launched;
use crate::error::AppResult;
use crate::events::ArchiveChanged;
use crate::launch::{LaunchRequest, Pending, from_disk};
use crate::opened;
use crate::state::AppState;

/// Where the copies of an opened file's attachments go, in the data directory's `opened/`.
fn root(state: &AppState) -> std::path::PathBuf {
    state.dir.path().join("opened").join("from-disk")
}

/// The requests waiting since the last call (each is handed out once), read: files opened (not
/// archived), drafts from `mailto:` links, failures with their reason.
#[tauri::command]
#[specta::specta]
pub async fn launch_requests(app: AppHandle) -> AppResult<Vec<Launched>> {
    blocking(app, |app, state| {
        Ok(app
            .state::<Pending>()
            .take()
            .into_iter()
            .map(|launch| match launch {
                Ok(LaunchRequest::OpenFile(path)) => from_disk::resolve(state, path),
                Ok(LaunchRequest::Compose(draft)) => Launched::Compose { draft },
                Err(error) => Launched::Failed {
                    name: String::new(),
                    error,
                },
            })
            .collect())
    })
    .await
}

/// "Archivia": imports opened message `token` into the archive (as the window's import does, origin
/// its file, for `mailbox`, or for none); the id of the archived message.
#[tauri::command]
#[specta::specta]
pub async fn archive_opened(app: AppHandle, token: u32, mailbox: Option<String>) -> AppResult<u32> {
    blocking(app, move |app, state| {
        let (id, new) = from_disk::archive(state, token, super::mailbox(mailbox)?)?;
        let _ = ArchiveChanged {
            new: u32::try_from(new).unwrap_or(u32::MAX),
        }
        .emit(app);
        Ok(crate::dto::id(id))
    })
    .await
}

/// Opens attachment `index` of opened file `token` (a document's own file is `0`) from a private,
/// marked copy; what could run something needs `confirmed` (as `open_attachment`).
#[tauri::command]
#[specta::specta]
pub async fn open_opened_attachment(
    app: AppHandle,
    token: u32,
    index: u32,
    confirmed: bool,
) -> AppResult<String> {
    blocking(app, move |app, state| {
        let file = from_disk::attachment(state, token, index)?;
        opened::allow(&file, confirmed)?;
        let path = opened::private_copy(&root(state), token, index, &file)?;
        open_path(app, &path)?;
        Ok(path.display().to_string())
    })
    .await
}

/// Saves attachment `index` of opened file `token` where the person says, marked; `null` if
/// cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_opened_attachment(
    app: AppHandle,
    token: u32,
    index: u32,
) -> AppResult<Option<String>> {
    blocking(app, move |app, state| {
        let file = from_disk::attachment(state, token, index)?;
        let Some(path) = ask_where(app, file.name.as_str()) else {
            return Ok(None);
        };
        opened::save(&path, token, index, &file.bytes)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// The signature panel of attachment `index` of opened file `token`.
#[tauri::command]
#[specta::specta]
pub async fn opened_attachment_signature(
    app: AppHandle,
    token: u32,
    index: u32,
) -> AppResult<DocumentView> {
    blocking(app, move |_, state| {
        signature_view(state, &from_disk::attachment(state, token, index)?)
    })
    .await
}

/// The invoice page of attachment `index` of opened file `token` (an e-invoice attached to a PEC
/// message opened from disk reads as it would archived).
#[tauri::command]
#[specta::specta]
pub async fn opened_attachment_invoice(
    app: AppHandle,
    token: u32,
    index: u32,
) -> AppResult<InvoiceView> {
    blocking(app, move |_, state| {
        invoice_view(state, &from_disk::attachment(state, token, index)?, || {
            format!("an invoice in attachment {index} of the opened file")
        })
    })
    .await
}

/// Opens the document inside signed attachment `index` of opened file `token` (a `.p7m` opened
/// from disk is its own attachment `0`), under the same rules as `open_attachment_content`.
#[tauri::command]
#[specta::specta]
pub async fn open_opened_content(
    app: AppHandle,
    token: u32,
    index: u32,
    confirmed: bool,
) -> AppResult<String> {
    blocking(app, move |app, state| {
        let content = signed_content(state, &from_disk::attachment(state, token, index)?)?;
        opened::allow(&content, confirmed)?;
        let path = opened::private_copy(&root(state).join("content"), token, index, &content)?;
        open_path(app, &path)?;
        Ok(path.display().to_string())
    })
    .await
}
