//! Splitting a multipart body at its boundary delimiters, byte-exact (RFC 2046 §5.1.1).
//!
//! The CRLF (or bare LF) before a delimiter belongs to the delimiter, not to the part: that is what makes
//! the signed span of `multipart/signed` exact (RFC 1847 §2.1).

use memchr::memmem;

use crate::span::Span;

/// The spans of the body parts of a multipart body, relative to `body`. Parts after the close delimiter
/// (the epilogue) and before the first delimiter (the preamble) are not returned.
pub fn body_parts(body: &[u8], boundary: &[u8]) -> Vec<Span> {
    let mut dash_boundary = Vec::with_capacity(boundary.len() + 2);
    dash_boundary.extend_from_slice(b"--");
    dash_boundary.extend_from_slice(boundary);
    let finder = memmem::Finder::new(&dash_boundary);

    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    let mut from = 0;
    while let Some(found) = finder.find(&body[from..]) {
        let at = from + found;
        from = at + dash_boundary.len();
        // A delimiter starts a line.
        if at != 0 && body[at - 1] != b'\n' {
            continue;
        }
        let after = &body[at + dash_boundary.len()..];
        let is_close = after.starts_with(b"--");
        // The rest of the line may only be transport padding (spaces, tabs) before the line break.
        let rest_start = if is_close { 2 } else { 0 };
        let line_end = memchr::memchr(b'\n', &after[rest_start..]).map(|i| i + rest_start);
        let padding_ok = after[rest_start..line_end.unwrap_or(after.len())]
            .iter()
            .all(|&b| matches!(b, b' ' | b'\t' | b'\r'));
        if !padding_ok {
            continue;
        }
        if let Some(start) = open.take() {
            parts.push(Span::new(start, line_break_start(body, at).max(start)));
        }
        if is_close {
            break;
        }
        match line_end {
            Some(end) => {
                let next = at + dash_boundary.len() + end + 1;
                open = Some(next);
                from = next;
            }
            None => break,
        }
    }
    // A body cut off before its close delimiter keeps its last part.
    if let Some(start) = open {
        parts.push(Span::new(start, body.len()));
    }
    parts
}

/// Where the line break before position `at` starts (CRLF or LF), or `at` itself at the start.
fn line_break_start(body: &[u8], at: usize) -> usize {
    if at >= 2 && body[at - 2] == b'\r' && body[at - 1] == b'\n' {
        at - 2
    } else if at >= 1 && body[at - 1] == b'\n' {
        at - 1
    } else {
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(body: &'a [u8], boundary: &str) -> Vec<&'a [u8]> {
        body_parts(body, boundary.as_bytes())
            .into_iter()
            .map(|s| s.slice(body).unwrap())
            .collect()
    }

    #[test]
    fn the_line_break_before_a_delimiter_belongs_to_the_delimiter() {
        let body = b"preamble\r\n--b\r\nA: 1\r\n\r\none\r\n--b\r\ntwo\r\n--b--\r\nepilogue";
        assert_eq!(texts(body, "b"), vec![&b"A: 1\r\n\r\none"[..], b"two"]);
    }

    #[test]
    fn bare_lf_and_transport_padding_are_accepted() {
        let body = b"--b  \none\n--b\ntwo\n--b-- \n";
        assert_eq!(texts(body, "b"), vec![&b"one"[..], b"two"]);
    }

    #[test]
    fn a_boundary_inside_a_line_is_not_a_delimiter() {
        let body = b"--b\nx --b y\n--bz\n--b--\n";
        assert_eq!(texts(body, "b"), vec![&b"x --b y\n--bz"[..]]);
    }

    #[test]
    fn a_truncated_body_keeps_its_last_part() {
        assert_eq!(texts(b"--b\none\n--b\ntw", "b"), vec![&b"one"[..], b"tw"]);
    }
}
