//! Text to WinAnsiEncoding (Windows-1252), the encoding of the report's base-14 fonts.
//!
//! Italian needs only Latin-1 (à è é ì ò ù, «»); typographic quotes, dashes, the ellipsis and € are in
//! the 0x80–0x9F block. A few look-alikes are transliterated; anything else becomes `?` and is counted,
//! so the report can say that the exact text is in `manifest.json`.

/// The 0x80–0x9F block of Windows-1252, by code (0 = undefined).
const HIGH: [char; 32] = [
    '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0', '‘',
    '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
];

/// The WinAnsi code of `c`, if it has one.
fn code(c: char) -> Option<u8> {
    match c {
        ' '..='~' | '\u{A0}'..='\u{FF}' => Some(c as u8),
        _ => HIGH
            .iter()
            .position(|&h| h == c && h != '\0')
            .map(|i| 0x80 + i as u8),
    }
}

/// Characters outside WinAnsi that have a faithful stand-in inside it.
fn stand_in(c: char) -> Option<&'static str> {
    Some(match c {
        '\t' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => "-",
        '\u{2015}' => "—",
        '\u{2032}' => "'",
        '\u{2033}' => "\"",
        '\u{2192}' => "->",
        '\u{2190}' => "<-",
        '\u{2264}' => "<=",
        '\u{2265}' => ">=",
        '\u{2260}' => "!=",
        _ => return None,
    })
}

/// `text` encoded, and how many characters had to be shown as `?`.
pub fn encode(text: &str) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(text.len());
    let mut lost = 0;
    for c in text.chars() {
        if let Some(b) = code(c) {
            out.push(b);
        } else if let Some(s) = stand_in(c) {
            out.extend(s.chars().filter_map(code));
        } else if c.is_control() || ('\u{200B}'..='\u{200F}').contains(&c) || c == '\u{FEFF}' {
            // Invisible: nothing to show.
        } else {
            out.push(b'?');
            lost += 1;
        }
    }
    (out, lost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_text_encodes_without_loss() {
        let (bytes, lost) = encode("Perché è già così — «ciò» … 10 €");
        assert_eq!(lost, 0);
        assert_eq!(bytes[5], 0xE9); // é
        assert!(bytes.contains(&0x97)); // em dash
        assert!(bytes.contains(&0x80)); // euro
        assert!(bytes.contains(&0xAB)); // «
    }

    #[test]
    fn other_scripts_become_question_marks_and_are_counted() {
        let (bytes, lost) = encode("Привет 東京 😀");
        assert_eq!(lost, 9);
        assert!(bytes.iter().all(|&b| b == b'?' || b == b' '));
        let (bytes, lost) = encode("a\u{2192}b\u{200B}\u{2212}1");
        assert_eq!((bytes.as_slice(), lost), (&b"a->b-1"[..], 0));
    }
}
