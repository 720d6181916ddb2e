//! The sent copy is plain mail that no provider signs: what makes it the message that was sent is that
//! it agrees with what the provider **signed** about that message — the acceptance's daticert
//! (`mittente`, `destinatari`, `oggetto`, `msgid`), and, where a `completa` delivery receipt is in the
//! pack, the original it encloses, byte for byte (issue 13 §2, PEC rules §3, §5).
//!
//! Used by [`verify_pack`](crate::verify_pack). A disagreement is a [`PackProblem::SentCopyDiffers`].

use pec_core::ids::{same_address, same_message_id};
use pec_core::{Daticert, Inspection, ReceiptType};

use super::binding::signed_daticert;
use super::problem::{PackProblem, SentCopyField};

/// What a sent copy was compared with, for [`check`].
pub struct SignedFacts<'a> {
    /// The receipt whose signed daticert states the send's facts (the acceptance when there is one).
    pub daticert: &'a Daticert,
    /// Originals enclosed in signed `completa` delivery receipts: (receipt path, original bytes).
    pub originals: Vec<(&'a str, Vec<u8>)>,
}

/// How a sent copy fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Agreement {
    /// Sender, recipients, subject and Message-ID agree with the signed daticert.
    pub facts: bool,
    /// It is, byte for byte, the original a signed `completa` receipt encloses (false when none does).
    pub original: bool,
}

/// The original enclosed (`postacert.eml`) in the signed content of a `completa` delivery receipt.
pub fn enclosed_original(raw: &[u8], inspection: &Inspection) -> Option<Vec<u8>> {
    let daticert = signed_daticert(inspection)?;
    if daticert.ricevuta != Some(ReceiptType::Completa)
        || !inspection.structure.postacert.as_ref()?.signed
    {
        return None;
    }
    let parsed = pec_core::structure::parse(raw)?;
    let located = parsed.locate();
    located.original.map(|m| m.raw_message().to_vec())
}

/// Compares the sent copy at `path` (`raw`, read as `inspection`) with `signed`.
pub fn check(
    path: &str,
    raw: &[u8],
    inspection: &Inspection,
    signed: &SignedFacts<'_>,
    problems: &mut Vec<PackProblem>,
) -> Agreement {
    let before = problems.len();
    let d = signed.daticert;
    let h = &inspection.headers;
    let mut differs = |field: SentCopyField, signed: Option<String>, found: Option<String>| {
        problems.push(PackProblem::SentCopyDiffers {
            member: path.to_owned(),
            field,
            signed,
            found,
        });
    };
    if !matches!((&h.from, &d.mittente), (Some(a), Some(b)) if same_address(a, b)) {
        differs(SentCopyField::Sender, d.mittente.clone(), h.from.clone());
    }
    let found: Vec<&String> = h.to.iter().chain(&h.cc).collect();
    let same_recipients = found.len() == d.destinatari.len()
        && found
            .iter()
            .all(|a| d.destinatari.iter().any(|r| same_address(a, &r.address)))
        && d.destinatari
            .iter()
            .all(|r| found.iter().any(|a| same_address(a, &r.address)));
    if !same_recipients {
        let list = |v: Vec<&str>| Some(v.join(", "));
        differs(
            SentCopyField::Recipients,
            list(d.destinatari.iter().map(|r| r.address.as_str()).collect()),
            list(found.iter().map(|a| a.as_str()).collect()),
        );
    }
    let same_subject = match (&h.subject, &d.oggetto) {
        (Some(a), Some(b)) => same_words(a, b),
        (None, b) => b.as_deref().is_none_or(str::is_empty),
        (Some(a), None) => a.trim().is_empty(),
    };
    if !same_subject {
        differs(SentCopyField::Subject, d.oggetto.clone(), h.subject.clone());
    }
    if !matches!((&h.message_id, &d.msgid), (Some(a), Some(b)) if same_message_id(a, b)) {
        differs(
            SentCopyField::MessageId,
            d.msgid.clone(),
            h.message_id.clone(),
        );
    }
    let facts = problems.len() == before;
    let mut original = false;
    for (receipt, enclosed) in &signed.originals {
        if is_the_original(raw, enclosed) {
            original = true;
        } else {
            problems.push(PackProblem::SentCopyDiffers {
                member: path.to_owned(),
                field: SentCopyField::Original,
                signed: Some((*receipt).to_owned()),
                found: Some(crate::sums::sha256_hex(raw)),
            });
        }
    }
    Agreement {
        facts,
        original: original && problems.len() == before,
    }
}

/// Whether two subjects say the same words (runs of white space, as folding leaves them, are one).
fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Whether `sent` is the `enclosed` original byte for byte, line endings aside (a provider stores
/// CRLF, a Sent folder may hold LF). NOTE: a provider prepends header lines to a message it passes on
/// or stores (`Received:`, RFC 5321 §4.4; a Sent folder's own headers): whole header lines in front of
/// either one, and nothing else, are allowed.
pub fn is_the_original(sent: &[u8], enclosed: &[u8]) -> bool {
    let sent = crlf(sent);
    let enclosed = crlf(enclosed);
    let sent = trim_end_breaks(&sent);
    let enclosed = trim_end_breaks(&enclosed);
    !sent.is_empty() && (headers_before(sent, enclosed) || headers_before(enclosed, sent))
}

/// Whether `longer` is `message` with only whole header lines in front of it.
fn headers_before(message: &[u8], longer: &[u8]) -> bool {
    if !longer.ends_with(message) {
        return false;
    }
    let prefix = &longer[..longer.len() - message.len()];
    prefix.is_empty()
        || (prefix.ends_with(b"\r\n")
            && !prefix.starts_with(b"\r\n")
            && !prefix.windows(4).any(|w| w == b"\r\n\r\n"))
}

/// Every line break as CRLF.
fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    let mut previous = 0u8;
    for &b in bytes {
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        previous = b;
    }
    out
}

fn trim_end_breaks(bytes: &[u8]) -> &[u8] {
    let mut end = bytes.len();
    while end >= 2 && &bytes[end - 2..end] == b"\r\n" {
        end -= 2;
    }
    &bytes[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_original_matches_byte_for_byte_whatever_the_line_endings() {
        let sent = b"From: a@x\nSubject: s\n\nbody\n";
        assert!(is_the_original(
            sent,
            b"From: a@x\r\nSubject: s\r\n\r\nbody\r\n"
        ));
        assert!(is_the_original(
            sent,
            b"Received: from x\r\nFrom: a@x\r\nSubject: s\r\n\r\nbody\r\n"
        ));
        assert!(!is_the_original(
            sent,
            b"From: a@x\r\nSubject: s\r\n\r\nbody2\r\n"
        ));
        assert!(!is_the_original(
            sent,
            b"From: a@x\r\nSubject: t\r\n\r\nbody\r\n"
        ));
        // A whole message before it is not a header line.
        assert!(!is_the_original(
            b"\r\nbody",
            b"From: evil\r\n\r\nother\r\n\r\nbody"
        ));
        assert!(is_the_original(
            b"X-Stored: Sent\r\nFrom: a@x\r\n\r\nbody",
            b"From: a@x\r\n\r\nbody"
        ));
        assert!(!is_the_original(b"", b"anything"));
    }

    #[test]
    fn subjects_compare_by_words() {
        assert!(same_words("Diffida  n. 42\r\n 2026", "Diffida n. 42 2026"));
        assert!(!same_words("Diffida n. 42", "Diffida n. 43"));
    }
}
