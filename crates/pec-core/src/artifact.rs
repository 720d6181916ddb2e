//! What a file handed to Attesta is: a message, a loose `daticert.xml`, a loose `smime.p7s`, or not mail.
//!
//! Users drag in whatever they have; saying plainly "this is not mail" beats a confusing empty reading.

use serde::Serialize;

use crate::daticert::{self, Daticert};
use crate::inspection::{Inspection, inspect};

/// A file, recognised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "artifact", rename_all = "kebab-case")]
pub enum Artifact {
    /// An RFC 5322 message.
    Message(Box<Inspection>),
    /// A daticert.xml on its own.
    Daticert(Box<Daticert>),
    /// A DER/BER CMS structure on its own (a detached `smime.p7s`).
    Signature,
    /// Not mail at all.
    NotMail(NotMail),
}

/// Why a file is not mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "kebab-case")]
pub enum NotMail {
    #[error("the file is empty")]
    Empty,
    #[error("the file does not start with mail headers")]
    NoHeaders,
}

/// Recognise and read a file's bytes.
pub fn recognise(raw: &[u8]) -> Artifact {
    let trimmed = trim_leading_whitespace(raw);
    if trimmed.is_empty() {
        return Artifact::NotMail(NotMail::Empty);
    }
    if looks_like_xml(raw)
        && let Ok(d) = daticert::read(raw)
    {
        return Artifact::Daticert(Box::new(d));
    }
    if looks_like_cms(raw) {
        return Artifact::Signature;
    }
    if !starts_with_header_field(trimmed) {
        return Artifact::NotMail(NotMail::NoHeaders);
    }
    Artifact::Message(Box::new(inspect(raw)))
}

/// Whether bytes could be one mail message (cheap: looks at the first line only). The archive takes
/// only what passes; a loose `daticert.xml` or `smime.p7s` is not a message.
pub fn check_mail(raw: &[u8]) -> Result<(), NotMail> {
    let trimmed = trim_leading_whitespace(raw);
    if trimmed.is_empty() {
        return Err(NotMail::Empty);
    }
    if !starts_with_header_field(trimmed) {
        return Err(NotMail::NoHeaders);
    }
    Ok(())
}

fn trim_leading_whitespace(raw: &[u8]) -> &[u8] {
    let start = raw
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(raw.len());
    &raw[start..]
}

fn looks_like_xml(raw: &[u8]) -> bool {
    matches!(
        raw,
        [0xEF, 0xBB, 0xBF, ..] | [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] | [b'<', 0, ..]
    ) || trim_leading_whitespace(raw).starts_with(b"<")
}

/// A DER/BER SEQUENCE whose first element is the signedData OID `1.2.840.113549.1.7.2`.
fn looks_like_cms(raw: &[u8]) -> bool {
    const SIGNED_DATA: &[u8] = &[
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02,
    ];
    raw.first() == Some(&0x30)
        && raw.len() > 16
        && raw[..16]
            .windows(SIGNED_DATA.len())
            .any(|w| w == SIGNED_DATA)
}

/// An RFC 5322 header field (`Name: value`) or an mbox `From ` line starts the file.
fn starts_with_header_field(raw: &[u8]) -> bool {
    if raw.starts_with(b"From ") {
        return true;
    }
    let line_end = memchr::memchr(b'\n', raw).unwrap_or(raw.len());
    let line = &raw[..line_end];
    match memchr::memchr(b':', line) {
        Some(colon) if colon > 0 => line[..colon]
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b':'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_and_empty_files_are_not_mail() {
        assert_eq!(recognise(b""), Artifact::NotMail(NotMail::Empty));
        assert_eq!(
            recognise(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
            Artifact::NotMail(NotMail::NoHeaders)
        );
        assert_eq!(
            recognise(&[0x00, 0xff, 0x13, 0x37]),
            Artifact::NotMail(NotMail::NoHeaders)
        );
    }

    #[test]
    fn a_plain_message_is_a_message_that_is_not_pec() {
        let Artifact::Message(i) = recognise(b"From: a@b.it\r\nSubject: hi\r\n\r\nbody\r\n") else {
            panic!("not recognised as a message");
        };
        assert_eq!(i.kind, crate::PecKind::NotPec);
    }
}
