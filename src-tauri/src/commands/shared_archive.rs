//! The firm's shared archive from the window (issue 18 §6): where the archive is and whether its server
//! answers (the status bar asks from time to time), a connection test that changes nothing, and the
//! switch to the server or back to this computer's file, which the running app then uses at once.

use tauri::AppHandle;

use tauri_specta::Event;

use super::blocking;
use crate::dto::archive_place::{ArchivePlace, SharedArchiveForm, SharedArchiveTest};
use crate::error::{AppError, AppResult};
use crate::events::ArchiveChanged;

fn password(form: &SharedArchiveForm) -> Option<&str> {
    Some(form.password.as_str()).filter(|p| !p.is_empty())
}

/// Where the archive is; for the firm's server, whether it answers now and what this role may do.
#[tauri::command]
#[specta::specta]
pub async fn archive_place(app: AppHandle) -> AppResult<ArchivePlace> {
    blocking(app, |app, state| {
        let Some(address) = pec_engine::shared_archive::server(&state.dir)? else {
            return Ok(ArchivePlace::Local);
        };
        let access = || -> AppResult<pec_archive::Access> { Ok(state.archive()?.access()?) };
        // Issue 18 §6: a connection that lost its server stays lost (and a desktop started while it
        // was away has none); when the server answers again, the archive is opened again (new
        // connections for the lists, the reader and the writers), and the window is told, without
        // a restart.
        let asked = match access() {
            Err(e @ AppError::ArchiveUnreachable { .. }) => match state.reopen() {
                Ok(()) => {
                    let again = access();
                    if again.is_ok() {
                        let _ = ArchiveChanged { new: 0 }.emit(app);
                        // What arrived meanwhile is fetched now, not at the next minute.
                        crate::watch::soon();
                    }
                    again
                }
                Err(_) => Err(e),
            },
            other => other,
        };
        state.set_away(matches!(asked, Err(AppError::ArchiveUnreachable { .. })));
        if asked.is_ok() {
            // Sends queued while it was away (or at a moment the readers did not notice) go now.
            crate::queued::drain_soon(app);
        }
        Ok(match asked {
            Ok(access) => ArchivePlace::Server {
                address,
                reachable: true,
                detail: None,
                access: Some(access.into()),
            },
            Err(e) => ArchivePlace::Server {
                address,
                reachable: false,
                detail: Some(e.to_string()),
                access: None,
            },
        })
    })
    .await
}

/// Looks at the server: reachable with this password, granted, and what is there. Saves nothing.
#[tauri::command]
#[specta::specta]
pub async fn test_shared_archive(
    app: AppHandle,
    form: SharedArchiveForm,
) -> AppResult<SharedArchiveTest> {
    blocking(app, move |_, _| {
        use pec_archive::probe::Probe;
        Ok(
            match pec_engine::shared_archive::test_server(form.address.trim(), password(&form))? {
                Probe::Empty => SharedArchiveTest::Empty,
                Probe::Archive {
                    messages,
                    access,
                    mailboxes,
                } => SharedArchiveTest::Archive {
                    messages: messages as f64,
                    access: access.into(),
                    mailboxes: match mailboxes {
                        pec_archive::Mailboxes::All => None,
                        pec_archive::Mailboxes::Only(list) => Some(list),
                    },
                },
                Probe::TooNew { .. } => SharedArchiveTest::TooNew,
            },
        )
    })
    .await
}

/// Uses the firm's server from now on (password to the keyring; the address is saved only once it
/// worked), at once; the window is told the archive changed.
#[tauri::command]
#[specta::specta]
pub async fn use_shared_archive(app: AppHandle, form: SharedArchiveForm) -> AppResult<()> {
    blocking(app, move |app, state| {
        drop(pec_engine::shared_archive::use_server(
            &state.dir,
            form.address.trim(),
            password(&form),
        )?);
        state.reopen()?;
        let _ = ArchiveChanged { new: 0 }.emit(app);
        Ok(())
    })
    .await
}

/// Goes back to this computer's own archive file, at once.
#[tauri::command]
#[specta::specta]
pub async fn use_local_archive(app: AppHandle) -> AppResult<()> {
    blocking(app, |app, state| {
        pec_engine::shared_archive::use_file(&state.dir)?;
        state.reopen()?;
        let _ = ArchiveChanged { new: 0 }.emit(app);
        Ok(())
    })
    .await
}
