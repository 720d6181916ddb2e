//! A forger's toolbox: what someone who holds genuine signed PEC messages, but no provider key, can make of
//! them (issue 13). Everything outside the signed content is unsigned — the outer headers, the boundary,
//! the preamble, the signature part's own headers — so a forger can rearrange it freely, keep the genuine
//! signature and hope that a reader takes facts from somewhere the signature does not cover.
//!
//! [`Genuine`] takes a genuine message apart (outer headers, signed content, signature part) by plain byte
//! search, independent of pec-core; [`Rewrap`] puts the pieces back in a forger's layouts. The adversarial
//! suites (pec-core `tests/it/forgery.rs`, and the pack and archive suites) assert the verdict and the
//! finding a user gets for each.

/// The pieces of a genuine `multipart/signed` message whose signed entity is the whole message.
#[derive(Debug, Clone)]
pub struct Genuine {
    /// The outer headers without `Content-Type` (and without the blank line), each line CRLF-ended.
    pub headers: Vec<u8>,
    /// The signed content exactly as signed (the first body part, without the line break before the
    /// next delimiter).
    pub content: Vec<u8>,
    /// The signature part (its headers and the encoded `.p7s`).
    pub signature_part: Vec<u8>,
}

impl Genuine {
    /// Take `raw` apart; `None` when it is not a top-level `multipart/signed` with two parts.
    pub fn new(raw: &[u8]) -> Option<Genuine> {
        let header_end = find(raw, b"\r\n\r\n")
            .map(|i| (i + 2, i + 4))
            .or_else(|| find(raw, b"\n\n").map(|i| (i + 1, i + 2)))?;
        let head = &raw[..header_end.0];
        let body = &raw[header_end.1..];
        let (headers, content_type) = without_content_type(head);
        if !content_type
            .to_ascii_lowercase()
            .contains("multipart/signed")
        {
            return None;
        }
        let boundary = boundary_of(&content_type)?;
        let delimiter = format!("--{boundary}");
        let mut starts = Vec::new();
        let mut at = 0;
        while let Some(found) = find(&body[at..], delimiter.as_bytes()) {
            let pos = at + found;
            if pos == 0 || body[pos - 1] == b'\n' {
                starts.push(pos);
            }
            at = pos + delimiter.len();
        }
        let part = |n: usize| -> Option<Vec<u8>> {
            let open = *starts.get(n)?;
            let close = *starts.get(n + 1)?;
            let from = open + find(&body[open..], b"\n")? + 1;
            let mut to = close;
            if to > 0 && body[to - 1] == b'\n' {
                to -= 1;
            }
            if to > 0 && body[to - 1] == b'\r' {
                to -= 1;
            }
            Some(body[from..to.max(from)].to_vec())
        };
        Some(Genuine {
            headers,
            content: part(0)?,
            signature_part: part(1)?,
        })
    }
}

/// The layouts a forger tries. `forged` is a forged signed content (a `multipart/mixed` with a forged
/// `daticert.xml`), `other` another genuine message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rewrap {
    /// The genuine layout again (the control case: it must stay `valid`).
    Unchanged,
    /// The forged content and a copy of the signature part behind delimiters in the middle of a line of
    /// the preamble: a lenient reader sees them first, a strict one sees only the genuine parts.
    MidLineDelimiter,
    /// The same, with delimiters followed by other text on their line (`--B tail`).
    DelimiterWithTrailingText,
    /// A forged `daticert.xml` beside the signed entity, in a `multipart/mixed` wrapper.
    DaticertBesideSigned,
    /// A second signature part inside the signed entity.
    TwoSignatureParts,
    /// A second genuine signed entity beside the first, in a `multipart/mixed` wrapper.
    SecondSignedEntity,
    /// The genuine signed entity as the content of an outer `multipart/signed` carrying the other
    /// message's signature.
    NestedInAnotherSignedEntity,
    /// The signed entity declares `Content-Transfer-Encoding: base64`, which no multipart may.
    EncodedMultipart,
    /// The signature parts of two genuine messages swapped.
    SwappedSignature,
}

impl Rewrap {
    pub const ALL: [Rewrap; 9] = [
        Rewrap::Unchanged,
        Rewrap::MidLineDelimiter,
        Rewrap::DelimiterWithTrailingText,
        Rewrap::DaticertBesideSigned,
        Rewrap::TwoSignatureParts,
        Rewrap::SecondSignedEntity,
        Rewrap::NestedInAnotherSignedEntity,
        Rewrap::EncodedMultipart,
        Rewrap::SwappedSignature,
    ];
}

const B: &str = "----=_forged_outer";
const W: &str = "----=_forged_wrapper";

/// `genuine` rearranged as `how` says.
pub fn rewrap(genuine: &Genuine, how: Rewrap, forged: &[u8], other: &Genuine) -> Vec<u8> {
    let mut out = genuine.headers.clone();
    let signed_type = format!(
        "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; \
         boundary=\"{B}\"\r\n"
    );
    let d = format!("--{B}");
    let entity_body = |content: &[u8], signature: &[u8]| -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(format!("{d}\r\n").as_bytes());
        b.extend_from_slice(content);
        b.extend_from_slice(format!("\r\n{d}\r\n").as_bytes());
        b.extend_from_slice(signature);
        b.extend_from_slice(format!("\r\n{d}--\r\n").as_bytes());
        b
    };
    let entity = |content: &[u8], signature: &[u8], boundary: &str| -> Vec<u8> {
        let mut e = format!(
            "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; \
             micalg=sha-256; boundary=\"{boundary}\"\r\n\r\n"
        )
        .into_bytes();
        let body = entity_body(content, signature);
        e.extend_from_slice(
            &String::from_utf8_lossy(&body)
                .replace(B, boundary)
                .into_bytes(),
        );
        e
    };
    match how {
        Rewrap::Unchanged => {
            out.extend_from_slice(signed_type.as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&entity_body(&genuine.content, &genuine.signature_part));
        }
        Rewrap::MidLineDelimiter | Rewrap::DelimiterWithTrailingText => {
            let lead = |line: &str| match how {
                Rewrap::MidLineDelimiter => format!("This is an S/MIME signed message {line}\r\n"),
                _ => format!("{line} S/MIME\r\n"),
            };
            out.extend_from_slice(signed_type.as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(lead(&d).as_bytes());
            out.extend_from_slice(forged);
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(lead(&d).as_bytes());
            out.extend_from_slice(&genuine.signature_part);
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&entity_body(&genuine.content, &genuine.signature_part));
        }
        Rewrap::DaticertBesideSigned | Rewrap::SecondSignedEntity => {
            out.extend_from_slice(
                format!("Content-Type: multipart/mixed; boundary=\"{W}\"\r\n\r\n--{W}\r\n")
                    .as_bytes(),
            );
            out.extend_from_slice(&entity(&genuine.content, &genuine.signature_part, B));
            out.extend_from_slice(format!("\r\n--{W}\r\n").as_bytes());
            if how == Rewrap::DaticertBesideSigned {
                out.extend_from_slice(
                    b"Content-Type: application/xml; name=\"daticert.xml\"\r\n\
                      Content-Disposition: attachment; filename=\"daticert.xml\"\r\n\
                      Content-Transfer-Encoding: base64\r\n\r\n",
                );
                out.extend_from_slice(&daticert_of(forged));
            } else {
                out.extend_from_slice(&entity(
                    &other.content,
                    &other.signature_part,
                    "----=_forged_second",
                ));
            }
            out.extend_from_slice(format!("\r\n--{W}--\r\n").as_bytes());
        }
        Rewrap::TwoSignatureParts => {
            out.extend_from_slice(signed_type.as_bytes());
            out.extend_from_slice(b"\r\n");
            let mut body = entity_body(&genuine.content, &genuine.signature_part);
            body.truncate(body.len() - (d.len() + 4));
            body.extend_from_slice(format!("{d}\r\n").as_bytes());
            body.extend_from_slice(&other.signature_part);
            body.extend_from_slice(format!("\r\n{d}--\r\n").as_bytes());
            out.extend_from_slice(&body);
        }
        Rewrap::NestedInAnotherSignedEntity => {
            out.extend_from_slice(signed_type.as_bytes());
            out.extend_from_slice(b"\r\n");
            let inner = entity(
                &genuine.content,
                &genuine.signature_part,
                "----=_forged_inner",
            );
            out.extend_from_slice(&entity_body(&inner, &other.signature_part));
        }
        Rewrap::EncodedMultipart => {
            out.extend_from_slice(signed_type.as_bytes());
            out.extend_from_slice(b"Content-Transfer-Encoding: base64\r\n\r\n");
            out.extend_from_slice(&entity_body(&genuine.content, &genuine.signature_part));
        }
        Rewrap::SwappedSignature => {
            out.extend_from_slice(signed_type.as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&entity_body(&genuine.content, &other.signature_part));
        }
    }
    out
}

/// The base64 body of the `daticert.xml` part of a signed content made by the lab's composer.
fn daticert_of(content: &[u8]) -> Vec<u8> {
    let Some(at) = find(content, b"filename=\"daticert.xml\"") else {
        return Vec::new();
    };
    let rest = &content[at..];
    let Some(start) = find(rest, b"\r\n\r\n").map(|i| i + 4) else {
        return Vec::new();
    };
    let end = find(&rest[start..], b"\r\n--").map_or(rest.len(), |i| start + i);
    rest[start..end].to_vec()
}

/// Outer headers without `Content-Type` (unfolded away), and the `Content-Type` value.
fn without_content_type(head: &[u8]) -> (Vec<u8>, String) {
    let text = String::from_utf8_lossy(head);
    let mut kept = Vec::new();
    let mut content_type = String::new();
    let mut in_content_type = false;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\r', '\n']);
        let continuation = bare.starts_with([' ', '\t']);
        if continuation && in_content_type {
            content_type.push(' ');
            content_type.push_str(bare.trim());
            continue;
        }
        in_content_type = !continuation
            && bare
                .get(..13)
                .is_some_and(|n| n.eq_ignore_ascii_case("content-type:"));
        if in_content_type {
            content_type.push_str(bare[13..].trim());
        } else if !bare.is_empty() {
            kept.extend_from_slice(bare.as_bytes());
            kept.extend_from_slice(b"\r\n");
        }
    }
    (kept, content_type)
}

/// The `boundary` parameter of a Content-Type value.
fn boundary_of(content_type: &str) -> Option<String> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("boundary=")? + "boundary=".len();
    let rest = &content_type[at..];
    let value = match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next()?,
        None => rest.split([';', ' ', '\t']).next()?,
    };
    (!value.is_empty()).then(|| value.to_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
