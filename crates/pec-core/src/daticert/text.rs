//! Turning daticert bytes into clean XML text: encoding detection and removal of characters XML forbids.
//!
//! NOTE: real files arrive as UTF-8 (sometimes declared `utf-8` in lower case), UTF-16 with a BOM, or
//! ISO-8859-1, and some carry raw control characters inside `oggetto` (PEC rules §4). The raw bytes stay
//! the truth; this is only how we read them.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::model::{Repair, RepairKind};

/// Decode `bytes` to a string fit for an XML parser, recording each repair.
pub(super) fn decode(bytes: &[u8], repairs: &mut Vec<Repair>) -> String {
    let decoded = transcode(bytes, repairs);
    strip_forbidden_controls(decoded, repairs)
}

fn transcode(bytes: &[u8], repairs: &mut Vec<Repair>) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if encoding != encoding_rs::UTF_8 {
            repairs.push(Repair::new(
                RepairKind::Transcoded,
                format!("read as {} (byte-order mark)", encoding.name()),
            ));
        }
        note_errors(had_errors, encoding.name(), repairs);
        return text.into_owned();
    }
    // UTF-16 without a BOM still starts with `<` next to a zero byte.
    let utf16 = match bytes {
        [b'<', 0, ..] => Some(UTF_16LE),
        [0, b'<', ..] => Some(UTF_16BE),
        _ => None,
    };
    if let Some(encoding) = utf16 {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        repairs.push(Repair::new(
            RepairKind::Transcoded,
            format!("read as {} (no byte-order mark)", encoding.name()),
        ));
        note_errors(had_errors, encoding.name(), repairs);
        return text.into_owned();
    }
    let declared = declared_encoding(bytes);
    let encoding = declared
        .as_deref()
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    if encoding == encoding_rs::UTF_8 {
        match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => {
                // NOTE: undeclared Latin-1 is the usual culprit; windows-1252 is its superset.
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                repairs.push(Repair::new(
                    RepairKind::InvalidEncoding,
                    "not valid UTF-8 as declared; read as windows-1252",
                ));
                text.into_owned()
            }
        }
    } else {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        note_errors(had_errors, encoding.name(), repairs);
        text.into_owned()
    }
}

fn note_errors(had_errors: bool, name: &str, repairs: &mut Vec<Repair>) {
    if had_errors {
        repairs.push(Repair::new(
            RepairKind::InvalidEncoding,
            format!("bytes not valid in {name} were replaced"),
        ));
    }
}

/// The `encoding` pseudo-attribute of the XML declaration, if any (ASCII-compatible input only).
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let decl_end = head.find("?>")?;
    let decl = head.get(..decl_end)?.strip_prefix("<?xml")?;
    let at = decl.find("encoding")?;
    let rest = decl.get(at + "encoding".len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let value = rest.get(1..)?;
    let end = value.find(quote)?;
    Some(value.get(..end)?.trim().to_owned())
}

/// Replace C0 control characters other than tab, CR and LF (forbidden in XML 1.0) with a space.
pub(super) fn clean(text: String, repairs: &mut Vec<Repair>) -> String {
    strip_forbidden_controls(text, repairs)
}

fn strip_forbidden_controls(text: String, repairs: &mut Vec<Repair>) -> String {
    let forbidden = |c: char| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}';
    let count = text.chars().filter(|&c| forbidden(c)).count();
    if count == 0 {
        return text;
    }
    repairs.push(Repair::new(
        RepairKind::ControlCharacters,
        format!("{count} control character(s) not allowed in XML were replaced by spaces"),
    ));
    text.chars()
        .map(|c| if forbidden(c) { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_bom_is_transcoded_and_reported() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "<a>è</a>".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let mut repairs = Vec::new();
        assert_eq!(decode(&bytes, &mut repairs), "<a>è</a>");
        assert_eq!(repairs[0].what, RepairKind::Transcoded);
    }

    #[test]
    fn a_latin1_declaration_is_honoured() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe8</a>";
        let mut repairs = Vec::new();
        assert!(decode(bytes, &mut repairs).ends_with("<a>è</a>"));
        assert!(repairs.is_empty());
    }

    #[test]
    fn raw_control_characters_become_spaces() {
        let mut repairs = Vec::new();
        assert_eq!(decode(b"<a>x\x01\x1by</a>", &mut repairs), "<a>x  y</a>");
        assert_eq!(repairs[0].what, RepairKind::ControlCharacters);
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        let mut repairs = Vec::new();
        assert_eq!(decode(b"<a>caff\xe8</a>", &mut repairs), "<a>caffè</a>");
        assert_eq!(repairs[0].what, RepairKind::InvalidEncoding);
    }
}
