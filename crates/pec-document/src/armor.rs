//! Base64 and PEM wrappings of a signed file: `.p7m` files sent as text.
//!
//! Issue 15 §1: FatturaPA and Italian signing tools often send the DER of a `.p7m` as base64, with
//! or without `-----BEGIN PKCS7-----` armour, with LF or CRLF line breaks. Decoding is total: text that
//! is not clean base64 of something that looks like ASN.1 is not a wrapping, and is left alone.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Largest text decoded (a signed invoice is a few hundred KB; 256 MB is far past any real one).
const MAX_TEXT: usize = 256 << 20;

/// The bytes inside a base64 or PEM wrapping, when `bytes` is one and decodes to something that
/// starts like a DER/BER SEQUENCE.
pub fn unwrap(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.len() > MAX_TEXT || bytes.first() == Some(&0x30) {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let body: &str = match text.find("-----BEGIN") {
        Some(start) => {
            let after = &text[start..];
            let header_end = after.find('\n')? + 1;
            let end = after.find("-----END")?;
            after.get(header_end..end)?
        }
        None => text,
    };
    // One pass that gives up at the first byte base64 cannot hold (a PDF, an XML, 64 MiB of zeros
    // cost a few bytes, not a copy of themselves).
    let mut compact = Vec::with_capacity(body.len());
    for b in body.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=') {
            compact.push(b);
        } else if !b.is_ascii_whitespace() {
            return None;
        }
    }
    if compact.is_empty() {
        return None;
    }
    let decoded = STANDARD.decode(&compact).ok()?;
    (decoded.first() == Some(&0x30)).then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_base64_and_pem_with_crlf_unwrap_to_the_same_bytes() {
        let der = [0x30, 0x03, 0x02, 0x01, 0x05];
        let b64 = STANDARD.encode(der);
        assert_eq!(unwrap(b64.as_bytes()).unwrap(), der);
        let pem = format!("-----BEGIN PKCS7-----\r\n{b64}\r\n-----END PKCS7-----\r\n");
        assert_eq!(unwrap(pem.as_bytes()).unwrap(), der);
    }

    #[test]
    fn text_that_is_not_a_wrapping_is_left_alone() {
        assert!(unwrap(b"<FatturaElettronica/>").is_none());
        assert!(
            unwrap(b"aGVsbG8=").is_none(),
            "base64 of text, not of ASN.1"
        );
        assert!(unwrap(&[0x30, 0x80]).is_none(), "already binary");
        assert!(unwrap(b"").is_none());
    }
}
