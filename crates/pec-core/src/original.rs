//! The original message an envelope or a `completa` receipt carries as `postacert.eml` (PEC rules §3, §5).

use mail_parser::{Message, MessagePart, MimeHeaders, PartType};
use serde::Serialize;

use crate::headers::HeaderHints;

/// What a person wants to know about the original message: who, what, and which attachments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OriginalMessage {
    pub subject: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub date: Option<String>,
    pub message_id: Option<String>,
    pub attachments: Vec<Attachment>,
}

/// One attachment of the original message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    /// Decoded size in bytes.
    pub size: usize,
    /// Whether this is a `breve` receipt's `<name>.hash` stand-in (PEC rules §5).
    pub is_hash_stand_in: bool,
}

impl OriginalMessage {
    /// Summarise a parsed original message.
    pub fn from_message(message: &Message<'_>) -> OriginalMessage {
        let hints = HeaderHints::from_message(message);
        let attachments = message
            .parts
            .iter()
            .filter(|p| !matches!(p.body, PartType::Multipart(_)))
            .filter_map(|part| {
                let name = part.attachment_name()?.trim().to_owned();
                let content_type = mime_type(part);
                let is_hash_stand_in = name.to_ascii_lowercase().ends_with(".hash")
                    && content_type.starts_with("text/");
                Some(Attachment {
                    size: part.len(),
                    name,
                    content_type,
                    is_hash_stand_in,
                })
            })
            .collect();
        OriginalMessage {
            subject: hints.subject,
            from: hints.from,
            to: hints.to,
            cc: hints.cc,
            date: hints.date,
            message_id: hints.message_id,
            attachments,
        }
    }
}

/// A part's declared type, `type/subtype` in lowercase; `application/octet-stream` when it declares none.
pub fn mime_type(part: &MessagePart<'_>) -> String {
    part.content_type()
        .map(|c| match c.subtype() {
            Some(sub) => format!("{}/{}", c.ctype(), sub),
            None => c.ctype().to_owned(),
        })
        .unwrap_or_else(|| "application/octet-stream".into())
        .to_ascii_lowercase()
}
