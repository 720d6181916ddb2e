//! What the app was launched for, as the window gets it (issue 17): a PEC message opened from disk
//! (shown, not archived), one that the archive already holds, a signed document, a `mailto:` draft,
//! or why an argument could not be opened.

use serde::{Deserialize, Serialize};

use super::document::DocumentView;
use super::message::MessageView;
use crate::error::AppError;

/// What a `mailto:` link asks the compose window to hold (RFC 6068; no Bcc: PEC has none, so a
/// link's `bcc` is only named).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MailtoDraft {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
    /// The link's `bcc` addresses, left out (a PEC message has no Bcc): the window says so rather
    /// than drop them silently.
    pub bcc_left_out: Vec<String>,
}

/// One launch request, resolved. `token` names the opened file in later calls (its attachments,
/// "Archive"): the window never names a path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Launched {
    /// A message from disk, read and verified as the archive would, and not archived.
    Message {
        token: u32,
        name: String,
        message: Box<MessageView>,
    },
    /// The archive already holds these exact bytes (same SHA-256): its message `id`.
    Archived { id: u32, name: String },
    /// A signed document (`.p7m`, `.m7m`, `.tsd`, a signed PDF): its signature panel.
    Document {
        token: u32,
        name: String,
        document: DocumentView,
    },
    /// The compose window, prefilled; the person sends it or not.
    Compose { draft: MailtoDraft },
    /// An argument that could not be opened, and why.
    Failed { name: String, error: AppError },
}
