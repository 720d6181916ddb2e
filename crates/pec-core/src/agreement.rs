//! Do two readings of one message see the same parts? The strict delimiter scan ([`crate::boundary`],
//! RFC 2046 §5.1.1: a delimiter starts a line and is followed only by padding) against mail-parser's
//! tree, which also accepts `--BOUNDARY` in the middle of a line or followed by other text.
//!
//! Why it matters (issue 13): the outer headers and boundaries of a PEC message are unsigned. A forger who
//! re-wraps a genuine receipt can place parts where only the lenient reader sees them — a forged
//! `daticert.xml` beside the genuine signature. Attesta reads every fact from the strictly cut signed
//! bytes; any place where the two readings part ways is reported, and the verdict is never `valid` then.

use mail_parser::{Message, MimeHeaders, PartType};

use crate::boundary::body_parts;
use crate::span::Span;

/// How many multipart entities one reading may hold before Attesta stops comparing. A PEC message has a
/// handful (the signed entity, its content, a list server's wrapper); a signed structure past this is not
/// something a provider writes, and it is reported rather than checked at quadratic cost.
pub const MULTIPART_LIMIT: usize = 64;

/// Where the two readings of `message` disagree, in words, outermost first (empty: they agree).
///
/// `message` was parsed from `bytes`, and its offsets point into them; attached messages are not entered
/// (their bytes are content, not structure).
pub fn disagreements(message: &Message<'_>, bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut checked = 0;
    for (id, part) in message.parts.iter().enumerate() {
        let PartType::Multipart(children) = &part.body else {
            continue;
        };
        checked += 1;
        if checked > MULTIPART_LIMIT {
            found.push(format!(
                "the message holds more than {MULTIPART_LIMIT} multipart entities; they were not all \
                 checked"
            ));
            break;
        }
        if declares_encoding(part) {
            found.push(format!(
                "multipart entity #{id} declares a transfer encoding, which RFC 2045 §6.4 forbids: \
                 readers decode it differently"
            ));
        }
        let Some(boundary) = part.content_type().and_then(|c| c.attribute("boundary")) else {
            found.push(format!("multipart entity #{id} has no boundary"));
            continue;
        };
        let body = Span::new(part.offset_body as usize, part.offset_end as usize);
        let Some(body_bytes) = body.slice(bytes) else {
            found.push(format!("multipart entity #{id} lies outside the message"));
            continue;
        };
        let strict: Vec<Span> = body_parts(body_bytes, boundary.as_bytes())
            .into_iter()
            .map(|s| s.shifted(body.start))
            .collect();
        let lenient: Vec<Span> = children
            .iter()
            .filter_map(|&c| message.parts.get(c as usize))
            .map(|p| Span::new(p.offset_header as usize, p.offset_end as usize))
            .collect();
        if strict.len() != lenient.len() {
            found.push(format!(
                "multipart entity #{id}: a strict reading of its delimiters finds {} part(s), a lenient \
                 one {}",
                strict.len(),
                lenient.len()
            ));
            continue;
        }
        if let Some(n) = strict
            .iter()
            .zip(&lenient)
            .position(|(s, l)| !same_part(bytes, *s, *l))
        {
            found.push(format!(
                "multipart entity #{id}: part {} is cut differently by a strict and a lenient reading of \
                 its delimiters",
                n + 1
            ));
        }
    }
    found
}

/// Whether the entity names a Content-Transfer-Encoding other than the identity ones.
fn declares_encoding(part: &mail_parser::MessagePart<'_>) -> bool {
    part.content_transfer_encoding().is_some_and(|e| {
        let e = e.trim();
        !(e.eq_ignore_ascii_case("7bit")
            || e.eq_ignore_ascii_case("8bit")
            || e.eq_ignore_ascii_case("binary"))
    })
}

/// The same part, up to the line break before the next delimiter (which the strict scan gives to the
/// delimiter, and a lenient reader may keep in the part).
fn same_part(bytes: &[u8], strict: Span, lenient: Span) -> bool {
    if strict.start != lenient.start {
        return false;
    }
    let end = lenient.end.min(bytes.len());
    end >= strict.end && matches!(&bytes[strict.end..end], b"" | b"\n" | b"\r\n" | b"\r")
}

#[cfg(test)]
mod tests {
    use mail_parser::MessageParser;

    use super::*;

    fn check(raw: &[u8]) -> Vec<String> {
        let message = MessageParser::new().parse(raw).unwrap();
        disagreements(&message, raw)
    }

    #[test]
    fn a_well_formed_multipart_reads_the_same_both_ways() {
        let raw = b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\npreamble\r\n--b\r\n\
            Content-Type: text/plain\r\n\r\none\r\n--b\r\nContent-Type: text/plain\r\n\r\ntwo\r\n--b--\r\n";
        assert_eq!(check(raw), Vec::<String>::new());
    }

    #[test]
    fn bare_lf_line_ends_read_the_same_both_ways() {
        let raw =
            b"Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n\
            one\n--b\nContent-Type: text/plain\n\ntwo\n--b--\n";
        assert_eq!(check(raw), Vec::<String>::new());
    }

    #[test]
    fn a_delimiter_in_the_middle_of_a_line_is_a_disagreement() {
        let raw = b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
            Content-Type: text/plain\r\n\r\none x--b\r\nContent-Type: text/plain\r\n\r\nhidden\r\n\
            --b--\r\n";
        let found = check(raw);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("strict"), "{found:?}");
    }

    #[test]
    fn an_encoded_multipart_is_a_disagreement() {
        let raw = b"Content-Type: multipart/mixed; boundary=\"b\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
            --b\r\nContent-Type: text/plain\r\n\r\none\r\n--b--\r\n";
        assert!(
            check(raw).iter().any(|f| f.contains("RFC 2045")),
            "{:?}",
            check(raw)
        );
    }
}
