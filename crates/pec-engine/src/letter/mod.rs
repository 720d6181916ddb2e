//! The letter a person reads in an archived message: for a transport envelope (or a `completa`
//! receipt) the original message it carries as `postacert.eml`, unwrapped (PEC rules §3, §5); for mail
//! that is not PEC the message itself; for other receipts the provider's own text. With its attachments,
//! which the app opens or saves byte for byte.
//!
//! Derived from the raw bytes on demand, never stored. Bodies are text only: an HTML-only body is
//! turned into text, so nothing remote is ever loaded to show a message. Attachment names are cleaned
//! ([`name`]) and each attachment says what opening it could do ([`risk`], issue 13 §5).

pub mod name;
pub mod risk;

use mail_parser::{Message, MessagePart, MimeHeaders};
use pec_core::headers::HeaderHints;
use pec_core::structure::{Parsed, parse};
use serde::Serialize;

pub use name::AttachmentName;
pub use risk::Risk;

/// Where the letter's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LetterSource {
    /// The original message carried as `postacert.eml`.
    Original,
    /// The message itself (mail that is not PEC: a sent copy, ordinary mail).
    Message,
    /// The provider's human-readable text of a receipt or notice.
    ProviderText,
}

/// One attachment of the letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterAttachment {
    /// Its position, as [`attachment`] takes it.
    pub index: usize,
    /// The cleaned name ([`AttachmentName`]): shown, and used for saved and opened files.
    pub name: String,
    /// The real extension, lowercase, without its dot.
    pub extension: Option<String>,
    pub content_type: String,
    /// What opening it could do.
    pub risk: Risk,
    /// Decoded size in bytes.
    pub size: usize,
    /// A `breve` receipt's `<name>.hash` stand-in (PEC rules §5).
    pub hash_stand_in: bool,
}

/// What a person reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    pub source: LetterSource,
    pub subject: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// The `Date` header, RFC 3339.
    pub date: Option<String>,
    pub message_id: Option<String>,
    pub text: String,
    /// The body was HTML only and is shown converted to text.
    pub from_html: bool,
    pub attachments: Vec<LetterAttachment>,
}

/// The message whose letter is shown, and where it comes from: the original as the signed content
/// carries it (the same parse the verifier's bytes come from), never a lenient reading of the whole.
/// Returns the message whose headers are shown, the one whose text is shown, and the source.
fn letter_message<'m, 'x>(
    parsed: &'m Parsed<'x>,
) -> (&'m Message<'x>, &'m Message<'x>, LetterSource) {
    let located = parsed.locate();
    if let Some(original) = located.original {
        return (original, original, LetterSource::Original);
    }
    if located.structure.signed.is_none() && located.structure.daticert.is_none() {
        return (
            located.pec_message,
            located.pec_message,
            LetterSource::Message,
        );
    }
    // A receipt's text is the provider's, inside what it signed; the headers are the outer ones.
    let text = parsed.signed_content().unwrap_or(located.pec_message);
    (located.pec_message, text, LetterSource::ProviderText)
}

/// The letter in `raw` (an archived message's exact bytes). Total: damaged mail gives what could be read.
pub fn letter(raw: &[u8]) -> Letter {
    let Some(parsed) = parse(raw) else {
        return Letter {
            source: LetterSource::Message,
            subject: None,
            from: None,
            to: Vec::new(),
            cc: Vec::new(),
            date: None,
            message_id: None,
            text: String::from_utf8_lossy(raw).into_owned(),
            from_html: false,
            attachments: Vec::new(),
        };
    };
    let (shown, body, source) = letter_message(&parsed);
    let hints = HeaderHints::from_message(shown);
    let from_html = body.text_body_count() == 0 && body.html_body_count() > 0;
    let text = body
        .body_text(0)
        .map(|t| t.into_owned())
        .unwrap_or_default();
    let attachments = match source {
        // A receipt's own attachments are daticert.xml, postacert.eml and the signature: the evidence
        // panel shows those; the letter has none.
        LetterSource::ProviderText => Vec::new(),
        LetterSource::Original | LetterSource::Message => shown
            .attachments()
            .enumerate()
            .map(|(index, part)| {
                let file = AttachmentFile::of(part, index);
                let hash_stand_in = file.name.extension().as_deref() == Some("hash")
                    && file.content_type.starts_with("text/");
                LetterAttachment {
                    index,
                    extension: file.name.extension(),
                    name: file.name.into_string(),
                    content_type: file.content_type,
                    risk: file.risk,
                    size: part.contents().len(),
                    hash_stand_in,
                }
            })
            .collect(),
    };
    Letter {
        source,
        subject: hints.subject,
        from: hints.from,
        to: hints.to,
        cc: hints.cc,
        date: hints.date,
        message_id: hints.message_id,
        text,
        from_html,
        attachments,
    }
}

/// One attachment, ready to open or save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentFile {
    pub name: AttachmentName,
    pub content_type: String,
    pub risk: Risk,
    /// The decoded bytes.
    pub bytes: Vec<u8>,
}

impl AttachmentFile {
    fn of(part: &MessagePart<'_>, index: usize) -> AttachmentFile {
        let name = AttachmentName::clean(part.attachment_name(), index);
        let content_type = pec_core::original::mime_type(part);
        AttachmentFile {
            risk: Risk::of(&name, &content_type),
            name,
            content_type,
            bytes: Vec::new(),
        }
    }
}

/// Attachment `index` of the letter in `raw`: its cleaned name and its decoded bytes.
pub fn attachment(raw: &[u8], index: usize) -> Option<(String, Vec<u8>)> {
    attachment_file(raw, index).map(|f| (f.name.into_string(), f.bytes))
}

/// Attachment `index` of the letter in `raw`: its cleaned name, its risk and its decoded bytes.
pub fn attachment_file(raw: &[u8], index: usize) -> Option<AttachmentFile> {
    let parsed = parse(raw)?;
    let (shown, _, _) = letter_message(&parsed);
    shown
        .attachments()
        .nth(index)
        .map(|part| file_of(part, index))
}

/// Every attachment of the letter in `raw`, in order (index `i` is attachment `i`), from one reading
/// of the message.
pub fn attachment_files(raw: &[u8]) -> Vec<AttachmentFile> {
    let Some(parsed) = parse(raw) else {
        return Vec::new();
    };
    let (shown, _, _) = letter_message(&parsed);
    shown
        .attachments()
        .enumerate()
        .map(|(index, part)| file_of(part, index))
        .collect()
}

/// The attachments of the letter in `parsed` whose decoded bytes `keep` accepts, each with its
/// position (as [`attachment_files`] numbers them): only those are copied. `parsed` is the parse the
/// archive's reading inspected, so a message is not parsed again to find its signed files.
pub fn attachment_files_where_parsed(
    parsed: &Parsed<'_>,
    keep: impl Fn(&[u8]) -> bool,
) -> Vec<(usize, AttachmentFile)> {
    let (shown, _, source) = letter_message(parsed);
    if source == LetterSource::ProviderText {
        return Vec::new();
    }
    shown
        .attachments()
        .enumerate()
        .filter(|(_, part)| keep(part.contents()))
        .map(|(index, part)| (index, file_of(part, index)))
        .collect()
}

fn file_of(part: &MessagePart<'_>, index: usize) -> AttachmentFile {
    let mut file = AttachmentFile::of(part, index);
    file.bytes = part.contents().to_vec();
    file
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use pec_testkit::{Attachment, Pec, PecKindSpec, PlaceholderSigner, Send};

    fn send() -> Send {
        let mut send = Send::new(
            "tribunale@pec.giustizia.example",
            &["studio@pec.it"],
            "Notifica atto 118/2026",
            Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap(),
        );
        send.attachments.push(Attachment {
            name: "atto.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: b"%PDF-1.4 atto".to_vec(),
        });
        send
    }

    #[test]
    fn an_envelope_shows_the_original_it_carries_with_its_attachments() {
        let raw = Pec::new(&send(), PecKindSpec::Envelope).build(&PlaceholderSigner);
        let letter = letter(&raw);
        assert_eq!(letter.source, LetterSource::Original);
        assert_eq!(letter.subject.as_deref(), Some("Notifica atto 118/2026"));
        assert_eq!(
            letter.from.as_deref(),
            Some("tribunale@pec.giustizia.example")
        );
        assert_eq!(letter.attachments.len(), 1);
        assert_eq!(letter.attachments[0].name, "atto.pdf");
        assert_eq!(letter.attachments[0].risk, Risk::Safe);
        let (name, bytes) = attachment(&raw, 0).unwrap();
        assert_eq!(
            (name.as_str(), bytes.as_slice()),
            ("atto.pdf", &b"%PDF-1.4 atto"[..])
        );
        assert!(attachment(&raw, 1).is_none());
    }

    #[test]
    fn a_receipt_shows_the_providers_text_and_damaged_bytes_still_read() {
        let raw = Pec::new(&send(), PecKindSpec::Acceptance).build(&PlaceholderSigner);
        let letter = letter(&raw);
        assert_eq!(letter.source, LetterSource::ProviderText);
        assert!(letter.attachments.is_empty());
        assert!(!letter.text.is_empty());
        let plain = super::letter(b"Subject: ciao\r\n\r\ntesto\r\n");
        assert_eq!(plain.source, LetterSource::Message);
        assert_eq!(plain.text.trim(), "testo");
        let _ = super::letter(&[0xff, 0x00, 0x13]);
    }

    #[test]
    fn a_disguised_program_shows_its_real_extension_and_is_risky_issue_13() {
        let mut send = send();
        send.attachments.push(Attachment {
            name: "fattura\u{202E}fdp.exe".into(),
            content_type: "application/pdf".into(),
            bytes: b"MZ".to_vec(),
        });
        let raw = Pec::new(&send, PecKindSpec::Envelope).build(&PlaceholderSigner);
        let shown = &letter(&raw).attachments[1];
        assert_eq!(shown.name, "fatturafdp.exe");
        assert_eq!(shown.extension.as_deref(), Some("exe"));
        assert_eq!(shown.risk, Risk::Executable);
        let file = attachment_file(&raw, 1).unwrap();
        assert_eq!(file.name.as_str(), "fatturafdp.exe");
        assert_eq!(file.risk, Risk::Executable);
        assert_eq!(file.bytes, b"MZ");
    }
}
