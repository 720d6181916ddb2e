//! Compose: a draft as the window edits it (To and Cc only: a PEC message cannot have Bcc), kept on
//! disk until sent, and the outbox.

use pec_archive::outbox::OutboxEntry;
use serde::{Deserialize, Serialize};

use super::words::{OutboxState, ReceiptKind};
use super::{id, when};
use crate::error::AppError;

/// A message being written. Attachments are files picked in the shell's dialog, named by the tokens
/// it issued (never a path: issue 13 §5), read when it is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct DraftForm {
    /// `null` for a new draft; kept drafts have an id.
    pub id: Option<String>,
    pub account: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<PickedFile>,
    pub receipt: ReceiptKind,
    /// REM: ask for signed evidence of a relay to an ordinary mailbox (REM accounts only).
    #[serde(default)]
    pub rem_relay_evidence: bool,
}

/// A kept draft, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DraftInfo {
    pub id: String,
    pub subject: String,
    pub to: Vec<String>,
    pub saved_at: String,
}

/// What the PEC rule checks found about a draft, before sending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct DraftCheck {
    pub recipients: u32,
    /// Size of the attachments, in bytes.
    #[specta(type = u32)]
    pub attachment_bytes: f64,
    /// The provider's limit on size × recipients.
    #[specta(type = u32)]
    pub limit_bytes: f64,
    pub max_recipients: u32,
}

/// A file picked to attach: the window shows its name and size and gives back its token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PickedFile {
    /// Issued by the shell for this run; the only way the window can name the file.
    pub token: String,
    pub name: String,
    #[specta(type = u32)]
    pub size: f64,
}

/// What Send did: handed to the provider (its outbox entry), or kept on this desktop until the firm's
/// archive server answers again (issue 18 §6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum SendDone {
    Sent { entry: OutboxItem },
    Queued { send: QueuedSend },
}

/// A send kept on this desktop until the firm's archive server answers again (issue 18 §6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct QueuedSend {
    pub account: String,
    pub msgid: String,
    pub recipients: Vec<String>,
    pub subject: String,
    pub queued_at: String,
    /// Why the last attempt to send it, once the server was back, did not go (it stays queued, and
    /// the sends after it went on).
    pub last_failure: Option<QueuedSendFailure>,
}

/// A queued send's last failed attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct QueuedSendFailure {
    pub at: String,
    pub error: AppError,
}

impl QueuedSend {
    /// `q` as the window lists it; `error` is the typed reason of its last failed attempt, when
    /// this run of the app made one (the queue keeps the reason's words for `attesta`).
    pub fn of(q: &pec_engine::send::queue::Queued, error: Option<AppError>) -> QueuedSend {
        QueuedSend {
            account: q.account.clone(),
            msgid: q.msgid.clone(),
            recipients: q.recipients.clone(),
            subject: q.subject.clone(),
            queued_at: q.queued_at.to_rfc3339(),
            last_failure: q.last_failure.as_ref().map(|f| QueuedSendFailure {
                at: f.at.to_rfc3339(),
                error: error.unwrap_or_else(|| AppError::Internal {
                    detail: f.reason.clone(),
                }),
            }),
        }
    }
}

/// One submission and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct OutboxItem {
    pub id: u32,
    /// The archived bytes.
    pub item: u32,
    pub account: String,
    pub msgid: String,
    pub recipients: Vec<String>,
    pub state: OutboxState,
    pub attempts: u32,
    pub detail: Option<String>,
    pub sent_copy: Option<String>,
    pub updated_at: Option<String>,
}

impl From<&OutboxEntry> for OutboxItem {
    fn from(e: &OutboxEntry) -> OutboxItem {
        OutboxItem {
            id: id(e.id),
            item: id(e.raw_id),
            account: e.account.clone(),
            msgid: e.msgid.clone(),
            recipients: e.recipients.clone(),
            state: e.state,
            attempts: e.attempts,
            detail: e.detail.clone(),
            sent_copy: e.sent_copy.clone(),
            updated_at: when(e.updated_at),
        }
    }
}
