//! The original as a `breve` delivery receipt carries it: every attachment replaced by a text part
//! `<filename>.hash` holding the SHA-1 of the attachment as transmitted (PEC rules §5).
//!
//! NOTE: "as transmitted" is the part's body exactly as it travelled (for base64, the encoded text), from
//! the byte after the blank line that ends the part's headers up to and including the line break before
//! the next boundary delimiter. The test kit's [`Send::original_breve`](super::Send::original_breve) hashes
//! the same bytes, and a test below holds the two together.

use mail_parser::{MessageParser, MimeHeaders, PartType};
use sha1::{Digest, Sha1};

/// SHA-1 of `transmitted` (the attachment body as it travelled), 40 lower-case hex characters.
pub fn attachment_hash(transmitted: &[u8]) -> String {
    Sha1::digest(transmitted)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `raw` with every attachment part (a non-multipart part with a file name, other than the message's own
/// body) replaced by its `<filename>.hash` stand-in. A message that cannot be read is returned unchanged.
pub fn breve_original(raw: &[u8]) -> Vec<u8> {
    let Some(message) = MessageParser::default().parse(raw) else {
        return raw.to_vec();
    };
    // (start of the part's headers, end of its body, file name, body span)
    let mut replaced: Vec<(usize, usize, String, usize)> = Vec::new();
    for (index, part) in message.parts.iter().enumerate() {
        if index == 0 || matches!(part.body, PartType::Multipart(_)) {
            continue;
        }
        let Some(name) = part.attachment_name() else {
            continue;
        };
        let (start, body, mut end) = (
            part.offset_header as usize,
            part.offset_body as usize,
            part.offset_end as usize,
        );
        // mail-parser ends a part before the line break that precedes the next delimiter; the hash
        // covers that line break too (the attachment's last line, as transmitted).
        if raw.get(end..).is_some_and(|rest| rest.starts_with(b"\r\n")) {
            end += 2;
        } else if raw.get(end) == Some(&b'\n') {
            end += 1;
        }
        if start <= body && body <= end && end <= raw.len() {
            replaced.push((start, end, name.to_owned(), body));
        }
    }
    replaced.sort_by_key(|r| r.0);
    let mut out = Vec::with_capacity(raw.len());
    let mut at = 0;
    for (start, end, name, body) in replaced {
        if start < at {
            continue; // inside a part already replaced
        }
        out.extend_from_slice(&raw[at..start]);
        let name = format!("{}.hash", name.replace(['"', '\r', '\n'], "_"));
        out.extend_from_slice(
            format!(
                "Content-Type: text/plain; name=\"{name}\"\r\n\
                 Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n{}\r\n",
                attachment_hash(&raw[body..end])
            )
            .as_bytes(),
        );
        at = end;
    }
    out.extend_from_slice(&raw[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Attachment, Send};
    use chrono::TimeZone;

    fn send_with(attachments: usize) -> Send {
        let at = chrono::Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        let mut s = Send::new("a@alfa.pec.lab", &["b@beta.pec.lab"], "Fattura", at);
        for n in 0..attachments {
            s.attachments.push(Attachment {
                name: format!("doc{n}.pdf"),
                content_type: "application/pdf".into(),
                bytes: vec![n as u8; 300 + n],
            });
        }
        s
    }

    #[test]
    fn the_lab_hashes_attachments_exactly_as_the_test_kit_does() {
        for n in 0..3 {
            let s = send_with(n);
            assert_eq!(
                String::from_utf8_lossy(&breve_original(&s.original())),
                String::from_utf8_lossy(&s.original_breve()),
                "{n} attachments"
            );
        }
    }

    #[test]
    fn a_message_without_attachments_is_unchanged() {
        let raw = b"From: a@b\r\nSubject: x\r\n\r\nhello\r\n";
        assert_eq!(breve_original(raw), raw.to_vec());
    }
}
