//! Which encoding an XML file is in, and its text as UTF-8: the step before `xml.rs` parses anything.
//!
//! Used by `xml::parse` (whole files) and `xml::first_element` (`recognise`, a bounded prefix). Italian
//! accounting software writes FatturaPA files in UTF-8, ISO-8859-1 / windows-1252 (`Società`, `Più`),
//! sometimes ISO-8859-15 or UTF-16 with a BOM. The rule (XML 1.0 §4.3.3 and Appendix F, narrowed):
//! 1. a UTF-8, UTF-16LE or UTF-16BE byte order mark wins;
//! 2. else the `encoding="…"` pseudo-attribute of an XML declaration at the very first byte, read as
//!    ASCII within [`MAX_DECLARATION_BYTES`] (a longer or unterminated declaration is malformed);
//! 3. else UTF-8.
//!
//! Only UTF-8, ISO-8859-1 (and its labels; WHATWG reads it as windows-1252, a superset), ISO-8859-15 and
//! UTF-16 (with a BOM) are accepted; any other name is [`InvoiceError::UnsupportedEncoding`]. Decoding
//! is strict: bytes that are not valid in the chosen encoding are an error (`NotUtf8` for UTF-8,
//! `BadEncoding` otherwise), never a replacement character and never a guess at another encoding.
//!
//! Spans: the parser works on the UTF-8 text, but every offset it reports ([`crate::ByteSpan`]s,
//! error offsets) is mapped back through [`OffsetMap`] to the input *as given* (BOM included). The map
//! is exact because decoding is strict: a single-byte encoding has one input byte per character, UTF-16
//! two per code unit. So a span always slices the bytes received, never the transcoded text.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, ISO_8859_15, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::InvoiceError;
use crate::limits::{MAX_INPUT_BYTES, MAX_TEXT_BYTES};

/// Longest XML declaration read for its `encoding` (real ones are under 60 bytes).
pub const MAX_DECLARATION_BYTES: usize = 256;
/// Longest encoding name kept in an error, in characters.
const MAX_NAME_CHARS: usize = 40;

/// How many input bytes each character of the UTF-8 text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Width {
    /// The input was UTF-8: offsets are the same.
    Utf8,
    /// One byte per character (ISO-8859-1, windows-1252, ISO-8859-15).
    OneByte,
    /// Two bytes per UTF-16 code unit.
    Utf16,
}

/// The input as UTF-8 text, and how to map offsets in that text back to the input.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub map: OffsetMap,
}

/// Maps an offset in the UTF-8 text to the input's byte offset. Cheap for offsets asked in increasing
/// order (the parser's positions only grow); an earlier offset restarts the walk from the start.
#[derive(Debug)]
pub(crate) struct OffsetMap {
    bom: usize,
    width: Width,
    /// Last mapped position: (offset in the text, offset in the input after the BOM).
    cursor: (usize, usize),
}

impl OffsetMap {
    /// The input offset of text offset `at` (inside a character: that character's first byte).
    pub fn input_offset(&mut self, text: &str, at: usize) -> usize {
        if self.width == Width::Utf8 {
            return self.bom + at;
        }
        if at < self.cursor.0 {
            self.cursor = (0, 0);
        }
        let (from, mut input) = self.cursor;
        let mut to = at.min(text.len());
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        for ch in text.get(from..to).unwrap_or_default().chars() {
            input += match self.width {
                Width::Utf16 => 2 * ch.len_utf16(),
                _ => 1,
            };
        }
        self.cursor = (to, input);
        self.bom + input
    }
}

/// Decodes `input` whole: the size limits checked, the encoding chosen by the rule above.
pub(crate) fn decode(input: &[u8]) -> Result<Decoded<'_>, InvoiceError> {
    if input.len() > MAX_INPUT_BYTES as usize {
        return Err(InvoiceError::TooLarge {
            size: input.len() as u64,
            limit: MAX_INPUT_BYTES,
        });
    }
    decode_bounded(input, true)
}

/// Decodes at most the first `bytes` of `input` (a character cut at the end is dropped), for a
/// look at the first element only.
pub(crate) fn decode_prefix(input: &[u8], bytes: usize) -> Result<Decoded<'_>, InvoiceError> {
    let whole = input.len() <= bytes;
    decode_bounded(&input[..input.len().min(bytes)], whole)
}

fn decode_bounded(input: &[u8], last: bool) -> Result<Decoded<'_>, InvoiceError> {
    let (encoding, bom) = sniff(input)?;
    let body = &input[bom..];
    let width = match encoding {
        e if e == UTF_8 => Width::Utf8,
        e if e == UTF_16LE || e == UTF_16BE => Width::Utf16,
        _ => Width::OneByte,
    };
    let map = OffsetMap {
        bom,
        width,
        cursor: (0, 0),
    };
    let text = if width == Width::Utf8 {
        Cow::Borrowed(utf8(body, bom, last)?)
    } else {
        Cow::Owned(transcode(encoding, body, bom, last)?)
    };
    Ok(Decoded { text, map })
}

/// `body` as UTF-8; when it is a prefix (`last` false), a character cut at its end is dropped.
fn utf8(body: &[u8], bom: usize, last: bool) -> Result<&str, InvoiceError> {
    match std::str::from_utf8(body) {
        Ok(text) => Ok(text),
        Err(e) if !last && e.error_len().is_none() => {
            Ok(std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default())
        }
        Err(e) => Err(InvoiceError::NotUtf8 {
            offset: (bom + e.valid_up_to()) as u32,
        }),
    }
}

/// `body` transcoded to UTF-8, strictly, into at most [`MAX_TEXT_BYTES`].
fn transcode(
    encoding: &'static Encoding,
    body: &[u8],
    bom: usize,
    last: bool,
) -> Result<String, InvoiceError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let needed = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .unwrap_or(usize::MAX);
    let mut text = String::with_capacity(needed.min(MAX_TEXT_BYTES as usize));
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut text, last);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::OutputFull => Err(InvoiceError::TooLarge {
            size: needed as u64,
            limit: MAX_TEXT_BYTES,
        }),
        DecoderResult::Malformed(bad, after) => Err(InvoiceError::BadEncoding {
            encoding: encoding.name().to_owned(),
            offset: (bom + read.saturating_sub(bad as usize + after as usize)) as u32,
        }),
    }
}

/// The encoding and the BOM's length, by the rule in the module header.
fn sniff(input: &[u8]) -> Result<(&'static Encoding, usize), InvoiceError> {
    if input.starts_with(b"\xEF\xBB\xBF") {
        return Ok((UTF_8, 3));
    }
    if input.starts_with(b"\xFF\xFE") {
        return Ok((UTF_16LE, 2));
    }
    if input.starts_with(b"\xFE\xFF") {
        return Ok((UTF_16BE, 2));
    }
    let Some(name) = declared(input)? else {
        return Ok((UTF_8, 0));
    };
    let unsupported = || InvoiceError::UnsupportedEncoding {
        name: sanitised(name),
    };
    let encoding = Encoding::for_label(name).ok_or_else(unsupported)?;
    if encoding == UTF_16LE || encoding == UTF_16BE {
        // NOTE: a declaration readable as ASCII is not UTF-16; UTF-16 without a BOM is not accepted.
        return Err(InvoiceError::BadEncoding {
            encoding: encoding.name().to_owned(),
            offset: 0,
        });
    }
    if [UTF_8, WINDOWS_1252, ISO_8859_15].contains(&encoding) {
        Ok((encoding, 0))
    } else {
        Err(unsupported())
    }
}

/// The `encoding` pseudo-attribute of an XML declaration at the first byte, if there is one.
fn declared(input: &[u8]) -> Result<Option<&[u8]>, InvoiceError> {
    let starts = input.starts_with(b"<?xml")
        && input
            .get(5)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    if !starts {
        return Ok(None);
    }
    let window = &input[..input.len().min(MAX_DECLARATION_BYTES)];
    let Some(end) = window.windows(2).position(|w| w == b"?>") else {
        return Err(InvoiceError::Malformed {
            offset: 0,
            detail: format!(
                "the xml declaration is unterminated or longer than {MAX_DECLARATION_BYTES} bytes"
            ),
        });
    };
    let mut rest = &window[5..end];
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let bad = |detail: &str| InvoiceError::Malformed {
        offset: 0,
        detail: format!("the xml declaration: {detail}"),
    };
    loop {
        rest = rest.trim_ascii_start();
        if rest.is_empty() {
            return Ok(None);
        }
        let name_len = rest.iter().position(|b| is_space(b) || *b == b'=');
        let (name, after) = rest.split_at(name_len.unwrap_or(rest.len()));
        let after = after.trim_ascii_start();
        let Some(after) = after.strip_prefix(b"=") else {
            return Err(bad("a pseudo-attribute without a value"));
        };
        let after = after.trim_ascii_start();
        let Some((&quote, after)) = after
            .split_first()
            .filter(|(q, _)| matches!(q, b'"' | b'\''))
        else {
            return Err(bad("an unquoted value"));
        };
        let Some(close) = after.iter().position(|b| *b == quote) else {
            return Err(bad("an unterminated value"));
        };
        if name == b"encoding" {
            return Ok(Some(&after[..close]));
        }
        rest = &after[close + 1..];
    }
}

/// An encoding name fit for an error message: printable ASCII only, at most [`MAX_NAME_CHARS`].
fn sanitised(name: &[u8]) -> String {
    let mut out: String = name
        .iter()
        .take(MAX_NAME_CHARS)
        .map(|&b| {
            if b.is_ascii_graphic() {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect();
    if name.len() > MAX_NAME_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_wins_over_the_declaration() {
        let xml = b"\xFF\xFE<\0?\0x\0m\0l\0 \0v\0=\0'\x001\0'\0?\0>\0<\0r\0/\0>\0";
        let decoded = decode(xml).unwrap();
        assert_eq!(decoded.text, "<?xml v='1'?><r/>");
        assert_eq!(decode(b"\xFE\xFF\0<\0r\0/\0>").unwrap().text, "<r/>");
        let xml = b"\xEF\xBB\xBF<?xml version='1.0' encoding='ISO-8859-1'?><r>\xC3\xA0</r>";
        assert!(decode(xml).unwrap().text.ends_with("<r>à</r>"));
    }

    #[test]
    fn the_declared_labels_map_to_the_accepted_encodings_only() {
        let of = |label: &str| {
            let xml = format!("<?xml version=\"1.0\" encoding=\"{label}\"?><r/>");
            sniff(xml.as_bytes()).map(|(e, _)| e.name())
        };
        assert_eq!(of("ISO-8859-1"), Ok("windows-1252"));
        assert_eq!(of("latin1"), Ok("windows-1252"));
        assert_eq!(of("Windows-1252"), Ok("windows-1252"));
        assert_eq!(of("iso-8859-15"), Ok("ISO-8859-15"));
        assert_eq!(of("utf-8"), Ok("UTF-8"));
        assert_eq!(
            of("Shift_JIS"),
            Err(InvoiceError::UnsupportedEncoding {
                name: "Shift_JIS".into()
            })
        );
        assert!(matches!(
            of("UTF-16"),
            Err(InvoiceError::BadEncoding { .. })
        ));
        assert_eq!(sniff(b"<?xml-stylesheet href='x'?><r/>"), Ok((UTF_8, 0)));
        assert_eq!(sniff(b"<?xml version='1.0'?><r/>"), Ok((UTF_8, 0)));
    }

    #[test]
    fn offsets_map_back_to_the_input_bytes() {
        let xml = b"\xFF\xFE<\0r\0>\0\x3D\xD8\x00\xDE<\0/\0r\0>\0";
        let mut decoded = decode(xml).unwrap();
        let text = decoded.text.clone();
        assert_eq!(text, "<r>\u{1F600}</r>");
        assert_eq!(decoded.map.input_offset(&text, 3), 8);
        assert_eq!(decoded.map.input_offset(&text, 7), 12);
        assert_eq!(decoded.map.input_offset(&text, 0), 2);
        assert_eq!(
            decoded.map.input_offset(&text, 5),
            8,
            "inside 😀: its first byte"
        );
        let latin = b"<?xml version='1.0' encoding='latin1'?><r>\xE0</r>";
        let mut decoded = decode(latin).unwrap();
        let text = decoded.text.clone();
        assert_eq!(decoded.map.input_offset(&text, text.len()), latin.len());
    }

    #[test]
    fn a_prefix_drops_a_character_cut_at_its_end() {
        assert_eq!(decode_prefix(b"<r>\xC3\xA0</r>", 4).unwrap().text, "<r>");
        assert_eq!(decode_prefix(b"\xFF\xFE<\0r\0>", 6).unwrap().text, "<r");
    }
}
