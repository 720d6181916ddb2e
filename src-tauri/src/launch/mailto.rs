//! A `mailto:` link read into a draft (RFC 6068): the addresses of the path and of `to`, `cc`,
//! `subject` and `body`, percent-decoded as UTF-8. Unknown header fields are ignored; `bcc` is left
//! out of the draft, since a PEC message has no Bcc (PEC rules §8), and named in it
//! (`bcc_left_out`) for the window to say so. Nothing is ever sent from here: the draft only fills
//! the compose window.
//!
//! A link is text from anywhere (a web page, a document): one longer than [`MAX_LENGTH`] is refused
//! whole, and CR, LF and other control characters never reach a header — in the addresses and the
//! subject they become spaces; in the body only line breaks and tabs stay.

use crate::dto::launch::MailtoDraft;

/// The longest link read, in bytes as received. Browsers cut links near 2 KiB-64 KiB; a longer one is
/// not a person's link.
pub const MAX_LENGTH: usize = 32 * 1024;

/// Why a link was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailtoError {
    #[error("not a mailto: link")]
    NotMailto,
    #[error("the link is {length} bytes long, at most {max}")]
    TooLong { length: usize, max: usize },
}

/// Whether `arg` is a `mailto:` link (the scheme is case-insensitive, RFC 3986 §3.1).
pub fn is_mailto(arg: &str) -> bool {
    arg.get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("mailto:"))
}

/// Reads a `mailto:` link.
pub fn parse(link: &str) -> Result<MailtoDraft, MailtoError> {
    if !is_mailto(link) {
        return Err(MailtoError::NotMailto);
    }
    if link.len() > MAX_LENGTH {
        return Err(MailtoError::TooLong {
            length: link.len(),
            max: MAX_LENGTH,
        });
    }
    let rest = &link[7..];
    // NOTE: a fragment is not part of a mailto URI (RFC 6068 §2); a `#` in an address is encoded.
    let rest = rest.split('#').next().unwrap_or_default();
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut draft = MailtoDraft::default();
    add_addresses(&mut draft.to, &decode(path));
    for field in query.split('&').filter(|f| !f.is_empty()) {
        let (name, value) = field.split_once('=').unwrap_or((field, ""));
        let value = decode(value);
        match decode(name).to_ascii_lowercase().as_str() {
            "to" => add_addresses(&mut draft.to, &value),
            "cc" => add_addresses(&mut draft.cc, &value),
            "subject" => draft.subject = one_line(&value),
            "body" => draft.body = body_text(&value),
            "bcc" => add_addresses(&mut draft.bcc_left_out, &value),
            // in-reply-to, keywords, anything else: ignored (RFC 6068 §2).
            _ => {}
        }
    }
    Ok(draft)
}

/// Percent-decoding (RFC 3986 §2.1) to UTF-8; a `%` not followed by two hex digits stays as is, and
/// bytes that are not UTF-8 become U+FFFD. `+` is a plus (RFC 6068 §5: not a space).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A header's text: every control character (CR and LF among them) a space, trimmed.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Comma-separated addresses, each on one line, empty ones dropped.
fn add_addresses(into: &mut Vec<String>, text: &str) {
    into.extend(
        one_line(text)
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned),
    );
}

/// The body: line breaks (CRLF, CR, LF) as LF, tabs kept, other control characters removed.
fn body_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_holds_comma_separated_percent_decoded_addresses() {
        let d = parse("mailto:studio%40pec.it,%20anna@pec.example").unwrap();
        assert_eq!(d.to, ["studio@pec.it", "anna@pec.example"]);
        assert!(d.cc.is_empty());
    }

    #[test]
    fn to_cc_subject_and_body_fill_the_draft_and_field_names_ignore_case() {
        let d = parse(
            "MAILTO:a@pec.it?To=b@pec.it&CC=c@pec.it,d@pec.it&Subject=Diffida%20n.%203&body=Gentile%20avvocato%2C%0D%0Asaluti",
        )
        .unwrap();
        assert_eq!(d.to, ["a@pec.it", "b@pec.it"]);
        assert_eq!(d.cc, ["c@pec.it", "d@pec.it"]);
        assert_eq!(d.subject, "Diffida n. 3");
        assert_eq!(d.body, "Gentile avvocato,\nsaluti");
    }

    #[test]
    fn bcc_is_left_out_and_named_unknown_fields_are_ignored_and_nothing_asks_to_send() {
        let d =
            parse("mailto:a@pec.it?bcc=spia@example.com&x-send=now&in-reply-to=%3Cx@y%3E").unwrap();
        assert_eq!(
            d,
            MailtoDraft {
                to: vec!["a@pec.it".into()],
                bcc_left_out: vec!["spia@example.com".into()],
                ..MailtoDraft::default()
            }
        );
    }

    #[test]
    fn utf8_is_decoded_and_a_plus_stays_a_plus() {
        let d = parse("mailto:?subject=Citt%C3%A0+2%2B2").unwrap();
        assert_eq!(d.subject, "Città+2+2");
        assert!(d.to.is_empty());
    }

    #[test]
    fn a_broken_percent_sequence_stays_literal_and_bad_utf8_is_replaced() {
        let d = parse("mailto:?subject=100%25%20%ZZ%E0").unwrap();
        assert_eq!(d.subject, "100% %ZZ\u{FFFD}");
    }

    #[test]
    fn cr_and_lf_never_reach_a_header() {
        let d = parse(
            "mailto:a@pec.it%0D%0ABcc:%20spia@example.com?subject=Ciao%0D%0AX-Evil:%201&cc=c@pec.it%0A",
        )
        .unwrap();
        assert_eq!(d.to, ["a@pec.it  Bcc: spia@example.com"]);
        assert_eq!(d.subject, "Ciao  X-Evil: 1");
        assert_eq!(d.cc, ["c@pec.it"]);
        for text in d.to.iter().chain(&d.cc).chain([&d.subject]) {
            assert!(!text.contains(['\r', '\n']), "{text:?}");
        }
    }

    #[test]
    fn the_body_keeps_line_breaks_and_tabs_only() {
        let d = parse("mailto:?body=a%0Db%0Ac%09d%00e%1Bf").unwrap();
        assert_eq!(d.body, "a\nb\nc\tdef");
    }

    #[test]
    fn a_huge_link_is_refused_whole() {
        let link = format!("mailto:a@pec.it?body={}", "x".repeat(MAX_LENGTH));
        assert_eq!(
            parse(&link),
            Err(MailtoError::TooLong {
                length: link.len(),
                max: MAX_LENGTH
            })
        );
    }

    #[test]
    fn only_mailto_links_are_read() {
        assert_eq!(parse("http://example.com"), Err(MailtoError::NotMailto));
        assert_eq!(parse("mail"), Err(MailtoError::NotMailto));
    }
}
