//! Small MIME-writing helpers: base64 in 76-column lines, dates, line-ending conversion, list wrapping.

use base64::Engine;
use chrono::{DateTime, Utc};

/// Base64 in lines of 76 characters, each ending in CRLF (RFC 2045 §6.8).
pub fn base64_lines(bytes: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 76 * 2 + 2);
    for chunk in encoded.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

/// An RFC 5322 date in Italian winter time, as the test kit writes them.
pub fn rfc2822_date(t: DateTime<Utc>) -> String {
    rfc2822_date_in(t, crate::zone::cet())
}

/// An RFC 5322 date at a given offset (the lab uses Italy's offset at that instant).
pub fn rfc2822_date_in(t: DateTime<Utc>, offset: chrono::FixedOffset) -> String {
    t.with_timezone(&offset)
        .format("%a, %d %b %Y %H:%M:%S %z")
        .to_string()
}

/// The same message with every CRLF turned into a bare LF (as many archives and repositories store mail).
pub fn to_lf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\r' && raw.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

/// The message wrapped one level down by a list server: new top-level headers, a `multipart/mixed` whose
/// first part is a footer and whose second part is the original top-level entity (its MIME headers and
/// body, unchanged).
pub fn wrap_in_list(raw: &[u8], list: &str) -> Vec<u8> {
    let split = find(raw, b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| find(raw, b"\n\n").map(|i| (i, 2)));
    let Some((head_end, sep)) = split else {
        return raw.to_vec();
    };
    let head = String::from_utf8_lossy(&raw[..head_end]);
    // Keep only the MIME headers of the entity (unfolded lines that start with Content-).
    let mut mime_headers = String::new();
    let mut keep = false;
    for line in head.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.starts_with([' ', '\t']) {
            if keep {
                mime_headers += line;
                mime_headers += "\r\n";
            }
            continue;
        }
        keep = line.to_ascii_lowercase().starts_with("content-");
        if keep {
            mime_headers += line;
            mime_headers += "\r\n";
        }
    }
    let boundary = "==list-wrapper-boundary==";
    let mut out = Vec::new();
    out.extend_from_slice(
        format!(
            "From: {list}\r\nTo: {list}\r\nSubject: [lista] messaggio inoltrato\r\nList-Id: <{list}>\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n\
             --{boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n\
             Messaggio distribuito dalla lista {list}.\r\n--{boundary}\r\n"
        )
        .as_bytes(),
    );
    out.extend_from_slice(mime_headers.as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&raw[head_end + sep..]);
    out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
