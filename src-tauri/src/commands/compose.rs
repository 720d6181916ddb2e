//! Compose: the PEC rule checks before sending (PEC rules §8), sending, drafts, the outbox. Each reads
//! or writes files, the archive or the network: off the main thread.

use chrono::Utc;
use pec_core::daticert::ReceiptType;
use pec_engine::send::{self, Draft, DraftAttachment, content_type, draft};
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use crate::drafts;
use crate::dto::compose::{
    DraftCheck, DraftForm, DraftInfo, OutboxItem, PickedFile, QueuedSend, SendDone,
};
use crate::dto::words::ReceiptKind;
use crate::error::{AppError, AppResult};
use crate::picked::PickedFiles;
use crate::state::AppState;
use crate::watch;

fn receipt(kind: ReceiptKind) -> ReceiptType {
    match kind {
        ReceiptKind::Completa => ReceiptType::Completa,
        ReceiptKind::Breve => ReceiptType::Breve,
        ReceiptKind::Sintetica => ReceiptType::Sintetica,
    }
}

/// The engine's draft; attachments are read (`read_files`) only through the tokens the shell issued.
fn engine_draft(picked: &PickedFiles, form: &DraftForm, read_files: bool) -> AppResult<Draft> {
    let mut attachments = Vec::new();
    for file in &form.attachments {
        let path = picked.path(&file.token)?;
        let path = path.as_path();
        let bytes = if read_files {
            std::fs::read(path).map_err(|e| AppError::io(path, e))?
        } else {
            Vec::new()
        };
        attachments.push(DraftAttachment {
            name: path
                .file_name()
                .map_or_else(|| "allegato".into(), |n| n.to_string_lossy().into_owned()),
            content_type: content_type(path).into(),
            bytes,
        });
    }
    Ok(Draft {
        to: form.to.clone(),
        cc: form.cc.clone(),
        subject: form.subject.clone(),
        body: form.body.clone(),
        attachments,
        receipt: receipt(form.receipt),
        rem_relay_evidence: form.rem_relay_evidence,
    })
}

/// The PEC rules a provider enforces, checked now: recipients, subject, size × recipients.
#[tauri::command]
#[specta::specta]
pub async fn check_draft(app: AppHandle, draft_form: DraftForm) -> AppResult<DraftCheck> {
    blocking(app, move |_, state| check(state, &draft_form)).await
}

fn check(state: &AppState, draft_form: &DraftForm) -> AppResult<DraftCheck> {
    let config = state.config()?;
    let account = config.account(&draft_form.account)?;
    let recipients = draft::check_recipients(
        &engine_draft(&state.picked, draft_form, false)?,
        account.max_recipients,
    )?;
    let mut bytes = (draft_form.subject.len() + draft_form.body.len()) as u64;
    for file in &draft_form.attachments {
        let path = state.picked.path(&file.token)?;
        let size = std::fs::metadata(&path)
            .map_err(|e| AppError::io(&path, e))?
            .len();
        // Base64 makes an attachment a third larger on the wire.
        bytes += size.div_ceil(3) * 4;
    }
    draft::check_size(bytes as usize, recipients.len(), account.max_message_bytes)?;
    Ok(DraftCheck {
        recipients: u32::try_from(recipients.len()).unwrap_or(u32::MAX),
        attachment_bytes: bytes as f64,
        limit_bytes: account.max_message_bytes as f64,
        max_recipients: u32::try_from(account.max_recipients).unwrap_or(u32::MAX),
    })
}

/// Asks for files to attach, in the shell's own dialog; the window gets tokens, names and sizes.
#[tauri::command]
#[specta::specta]
pub async fn pick_attachments(app: AppHandle) -> AppResult<Vec<PickedFile>> {
    blocking(app, |app, state| {
        let picked = app
            .dialog()
            .file()
            .blocking_pick_files()
            .unwrap_or_default();
        Ok(picked
            .into_iter()
            .filter_map(|p| p.into_path().ok())
            .map(|p| state.picked.issue(&p))
            .collect())
    })
    .await
}

/// Checks, archives and submits; earlier submissions of unknown outcome are resolved first, so nothing
/// is ever sent twice. The draft is removed once the provider took the message. When the firm's
/// archive server does not answer (issue 18 §6), the message is composed and kept on this desktop
/// instead, to be archived and submitted once it is back (`queued.rs`); the draft is removed too.
#[tauri::command]
#[specta::specta]
pub async fn send_draft(app: AppHandle, draft_form: DraftForm) -> AppResult<SendDone> {
    blocking(app, move |_, state| {
        let config = state.config()?;
        let draft = engine_draft(&state.picked, &draft_form, true)?;
        // NOTE: only a server that could not be reached when the archive was opened makes a send
        // queued: nothing has been archived or submitted then. An error after that point (the
        // server lost mid-send) is reported as it is: the outbox holds the send and resolves it,
        // where a queued copy, with a new Message-ID, could be sent a second time.
        let mut archive = match state.writer() {
            Ok(archive) => archive,
            Err(AppError::ArchiveUnreachable { .. }) => {
                let queued = send::queue::queue_draft(
                    &state.dir,
                    &config,
                    &draft_form.account,
                    &draft,
                    Utc::now(),
                )?;
                if let Some(id) = &draft_form.id {
                    drafts::delete(&state.dir, id)?;
                }
                return Ok(SendDone::Queued {
                    send: QueuedSend::of(&queued, None),
                });
            }
            Err(e) => return Err(e),
        };
        let outcome = send::send_draft(
            &state.dir,
            &config,
            &draft_form.account,
            &mut archive,
            &draft,
            Utc::now(),
            &mut |_| {},
        )?;
        if let Some(id) = &draft_form.id {
            drafts::delete(&state.dir, id)?;
        }
        watch::soon();
        Ok(SendDone::Sent {
            entry: OutboxItem::from(&outcome.entry),
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn save_draft(app: AppHandle, draft_form: DraftForm) -> AppResult<DraftForm> {
    blocking(app, move |_, state| {
        drafts::save(&state.dir, &state.picked, draft_form)
    })
    .await
}

// The drafts on disk (one that cannot be read is left out by `drafts::list`).
#[tauri::command]
#[specta::specta]
pub async fn list_drafts(app: AppHandle) -> Vec<DraftInfo> {
    // NOTE: only a panic of the listing fails the join; the window then shows no drafts, as before.
    blocking(app, |_, state| Ok(drafts::list(&state.dir)))
        .await
        .unwrap_or_default()
}

#[tauri::command]
#[specta::specta]
pub async fn load_draft(app: AppHandle, id: String) -> AppResult<DraftForm> {
    blocking(app, move |_, state| {
        drafts::load(&state.dir, &state.picked, &id)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_draft(app: AppHandle, id: String) -> AppResult<()> {
    blocking(app, move |_, state| drafts::delete(&state.dir, &id)).await
}

/// The sends kept on this desktop until the firm's archive server answers again, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn queued_sends(app: AppHandle) -> AppResult<Vec<QueuedSend>> {
    blocking(app, |app, state| {
        let stuck = tauri::Manager::state::<crate::queued::Stuck>(app);
        Ok(send::queue::SendQueue::of(&state.dir)
            .list()?
            .iter()
            .map(|q| QueuedSend::of(q, stuck.reason(&q.msgid)))
            .collect())
    })
    .await
}

/// Every submission, newest first.
#[tauri::command]
#[specta::specta]
pub async fn outbox(app: AppHandle) -> AppResult<Vec<OutboxItem>> {
    blocking(app, |_, state| {
        Ok(state
            .archive()?
            .outbox(None)?
            .iter()
            .map(OutboxItem::from)
            .collect())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafts::tests::form;
    use crate::dto::compose::PickedFile;

    #[test]
    fn sending_reads_only_files_the_shell_issued_a_token_for_issue_13() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("atto.pdf");
        std::fs::write(&file, b"%PDF-1.4").unwrap();
        let picked = PickedFiles::default();
        let draft = engine_draft(&picked, &form(vec![picked.issue(&file)]), true).unwrap();
        assert_eq!(draft.attachments[0].name, "atto.pdf");
        assert_eq!(draft.attachments[0].content_type, "application/pdf");
        assert_eq!(draft.attachments[0].bytes, b"%PDF-1.4");

        let secret = tmp.path().join("id_ed25519");
        std::fs::write(&secret, b"PRIVATE KEY").unwrap();
        let forged = PickedFile {
            token: secret.display().to_string(),
            name: "id_ed25519".into(),
            size: 11.0,
        };
        assert_eq!(
            engine_draft(&picked, &form(vec![forged]), true),
            Err(AppError::UnknownAttachment {
                token: secret.display().to_string()
            })
        );
    }
}
