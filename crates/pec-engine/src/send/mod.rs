//! Sending a PEC message correctly, and never twice (issue 5).
//!
//! 1. The draft is checked against the rules providers enforce ([`draft`]), then composed with a
//!    Message-ID Attesta chose ([`compose`]).
//! 2. The exact bytes are archived and queued in the outbox in one transaction, **before** submitting.
//! 3. The outbox says `submitting`, then the bytes go over SMTPS; `submitted` is recorded when the
//!    provider answers 250.
//! 4. If the connection drops mid-submission or the process dies, the entry stays `submitting` or
//!    becomes `uncertain`: [`resolve`] finds out (an acceptance in the archive after syncing? the copy in
//!    Sent?) before anything is submitted again.
//! 5. A sent copy is stored in Sent when the provider does not keep one ([`sent_copy`]).

pub mod compose;
pub mod draft;
pub mod queue;
mod resolve;
mod sent_copy;
mod workflow;

use chrono::{DateTime, Utc};
use pec_archive::outbox::{OutboxEntry, OutboxState};
use pec_archive::{Archive, Reading};
use pec_core::signature::TrustAnchors;
use pec_mail::MailError;
use pec_mail::smtp::{Submission, submit};
use serde::Serialize;

pub use draft::{Draft, DraftAttachment, SendError};
pub use resolve::{Resolution, resolve};
pub use workflow::{RESUBMIT_GRACE, content_type, resolve_earlier, send_draft};

use crate::EngineError;
use crate::accounts::Account;

/// How a send went.
#[derive(Debug, Clone, Serialize)]
pub struct SendOutcome {
    pub entry: OutboxEntry,
    /// The provider's SMTP reply.
    pub reply: Option<String>,
}

/// The environment variable of the fault injection used by the end-to-end tests: with the value
/// `abort-after-submit`, the process dies right after the provider accepted the message and before the
/// outbox records it — the worst moment for a crash.
pub const FAULT_ENV: &str = "ATTESTA_FAULT";

/// Checks, composes, archives, submits. Returns the outbox entry as it ended.
pub fn send(
    archive: &mut Archive,
    account: &Account,
    password: &str,
    draft: &Draft,
    anchors: &TrustAnchors,
    now: DateTime<Utc>,
) -> Result<SendOutcome, EngineError> {
    let recipients = draft::check_recipients(draft, account.max_recipients)?;
    draft::check_service(draft, &account.address, account.service)?;
    let (bytes, msgid) = compose::compose(&account.address, draft, now)?;
    draft::check_size(bytes.len(), recipients.len(), account.max_message_bytes)?;
    let reading = Reading::of(&bytes, anchors, now);
    let entry = archive.enqueue(bytes, reading, &account.address, &msgid, &recipients, now)?;
    submit_entry(archive, account, password, entry, now)
}

/// Hands an outbox entry to the provider and records the outcome.
pub(crate) fn submit_entry(
    archive: &mut Archive,
    account: &Account,
    password: &str,
    entry: OutboxEntry,
    now: DateTime<Utc>,
) -> Result<SendOutcome, EngineError> {
    archive.outbox_set(entry.id, OutboxState::Submitting, None, now)?;
    hand_over(archive, account, password, entry, now)
}

/// Hands an outbox entry already marked `submitting` to the provider and records the outcome.
pub(crate) fn hand_over(
    archive: &mut Archive,
    account: &Account,
    password: &str,
    entry: OutboxEntry,
    now: DateTime<Utc>,
) -> Result<SendOutcome, EngineError> {
    let bytes = archive.raw(entry.raw_id)?;
    let roots = account.tls()?;
    let runtime = crate::runtime::network()?;
    let result = runtime.block_on(submit(
        &account.smtp,
        &roots,
        &account.login,
        password,
        Submission {
            from: &account.address,
            recipients: &entry.recipients,
            bytes: &bytes,
        },
    ));
    match result {
        Ok(accepted) => {
            if std::env::var(FAULT_ENV).as_deref() == Ok("abort-after-submit") {
                std::process::abort();
            }
            archive.outbox_set(entry.id, OutboxState::Submitted, Some(&accepted.reply), now)?;
            let note = runtime.block_on(sent_copy::ensure(
                account,
                password,
                &roots,
                &entry.msgid,
                &bytes,
            ));
            archive.outbox_sent_copy(entry.id, &note, now)?;
            Ok(SendOutcome {
                entry: archive.outbox_entry(entry.id)?,
                reply: Some(accepted.reply),
            })
        }
        Err(e) => {
            let state = if before_data(&e) {
                OutboxState::Failed
            } else {
                OutboxState::Uncertain
            };
            archive.outbox_set(entry.id, state, Some(&e.to_string()), now)?;
            Err(e.into())
        }
    }
}

/// Whether a submission error certainly happened before the provider could take the message.
fn before_data(e: &MailError) -> bool {
    matches!(
        e,
        MailError::Connect { .. }
            | MailError::Certificate { .. }
            | MailError::Tls { .. }
            | MailError::Login { .. }
            | MailError::NoStartTls { .. }
            | MailError::Rejected { .. }
            | MailError::Roots(_)
    )
}

/// Entries of `account` whose outcome Attesta must find out before sending anything again.
pub fn unresolved(archive: &Archive, account: &str) -> Result<Vec<OutboxEntry>, EngineError> {
    Ok(archive
        .outbox(Some(account))?
        .into_iter()
        .filter(|e| matches!(e.state, OutboxState::Submitting | OutboxState::Uncertain))
        .collect())
}
