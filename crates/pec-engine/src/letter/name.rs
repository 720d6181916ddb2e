//! An attachment's name as Attesta shows it and writes it to disk: the sender chose it, so it is
//! cleaned before anyone sees it (issue 13 §5). Used by the letter, the reader's Open and Save.
//!
//! The attack: `fattura\u{202E}fdp.exe` *displays* as `fatturaexe.pdf` — a right-to-left override
//! turns the real extension around. Padding (`fattura.pdf          .exe`), zero-width characters and
//! trailing dots (Windows drops them: `x.exe.` runs as `x.exe`) do the same job. So every invisible
//! format or control character is removed, runs of spaces fold to one, and the name ends on its real
//! extension. The same cleaned name is displayed and used for saved files, so what a person sees is
//! what the system opens.

use serde::Serialize;

/// Longest cleaned name, in bytes (most file systems allow 255).
const MAX_BYTES: usize = 200;

/// A cleaned attachment name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct AttachmentName(String);

/// Characters that change how text is shown without being seen: bidirectional embeddings, overrides
/// and isolates, marks, zero-width characters, the soft hyphen, tags, interlinear annotations.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// Characters no file name may hold on some system Attesta runs on (a directory, a drive, a stream).
fn forbidden(c: char) -> bool {
    matches!(c, '/' | '\\' | ':' | '<' | '>' | '"' | '|' | '?' | '*')
}

/// Device names Windows reserves whatever the extension.
fn reserved(stem: &str) -> bool {
    let s = stem.to_ascii_uppercase();
    matches!(s.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((s.starts_with("COM") || s.starts_with("LPT"))
            && s.len() == 4
            && s.as_bytes()[3].is_ascii_digit())
}

impl AttachmentName {
    /// Cleans `raw` (as the message names it, if it does); attachment `index` is `allegato-<index+1>`
    /// when nothing is left.
    pub fn clean(raw: Option<&str>, index: usize) -> AttachmentName {
        let mut out = String::new();
        let mut space = false;
        for c in raw.unwrap_or_default().chars() {
            if invisible(c) {
                continue;
            }
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(if forbidden(c) { '_' } else { c });
        }
        // Hidden files (`.bashrc`) and Windows' silently dropped trailing dots and spaces.
        let trimmed = out.trim_matches(|c: char| c == '.' || c == ' ');
        let mut name = trimmed.to_owned();
        if name.is_empty() {
            name = format!("allegato-{}", index + 1);
        }
        let stem = name.split('.').next().unwrap_or_default().trim_end();
        if reserved(stem) {
            name.insert(0, '_');
        }
        AttachmentName(shorten(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The real extension, lowercase, without its dot: what the system opens the file with.
    pub fn extension(&self) -> Option<String> {
        let (stem, ext) = self.0.rsplit_once('.')?;
        (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_lowercase())
    }

    /// The extensions from the last one back (`atto.pdf.p7m` → `p7m`, `pdf`), lowercase.
    pub fn extensions(&self) -> Vec<String> {
        let mut parts: Vec<&str> = self.0.split('.').collect();
        if parts.len() < 2 {
            return Vec::new();
        }
        parts.remove(0);
        parts
            .iter()
            .rev()
            .map(|p| p.trim().to_lowercase())
            .collect()
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// At most [`MAX_BYTES`], cut in the stem so the extension stays whole and last.
fn shorten(name: String) -> String {
    if name.len() <= MAX_BYTES {
        return name;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if e.len() < 20 => (s, format!(".{e}")),
        _ => (name.as_str(), String::new()),
    };
    let mut cut = MAX_BYTES - ext.len();
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{ext}", stem[..cut].trim_end())
}

impl std::fmt::Display for AttachmentName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(raw: &str) -> String {
        AttachmentName::clean(Some(raw), 0).into_string()
    }

    #[test]
    fn a_right_to_left_override_cannot_hide_the_real_extension_issue_13() {
        let name = AttachmentName::clean(Some("fattura\u{202E}fdp.exe"), 0);
        assert_eq!(name.as_str(), "fatturafdp.exe");
        assert_eq!(name.extension().as_deref(), Some("exe"));
        for bidi in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{2066}', '\u{2067}', '\u{2068}',
            '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            assert_eq!(clean(&format!("a{bidi}b.pdf")), "ab.pdf", "{bidi:?}");
        }
    }

    #[test]
    fn zero_width_characters_padding_and_trailing_dots_are_gone_issue_13() {
        assert_eq!(clean("fat\u{200B}tura\u{FEFF}.pdf"), "fattura.pdf");
        assert_eq!(clean("fattura.pdf            .exe"), "fattura.pdf .exe");
        assert_eq!(
            AttachmentName::clean(Some("fattura.pdf            .exe"), 0)
                .extension()
                .as_deref(),
            Some("exe")
        );
        assert_eq!(clean("virus.exe. . "), "virus.exe");
        assert_eq!(clean("riga\r\nnuova.txt"), "riganuova.txt");
    }

    #[test]
    fn a_name_never_leaves_its_folder_nor_hides_itself() {
        assert_eq!(clean("../../.bashrc"), "_.._.bashrc");
        assert_eq!(clean(".profile"), "profile");
        assert_eq!(clean("C:\\Windows\\x.pdf"), "C__Windows_x.pdf");
        assert_eq!(clean("CON.txt"), "_CON.txt");
        assert_eq!(
            AttachmentName::clean(Some(" \u{202E} "), 2).as_str(),
            "allegato-3"
        );
        assert_eq!(AttachmentName::clean(None, 0).as_str(), "allegato-1");
    }

    #[test]
    fn a_long_name_keeps_its_extension_last() {
        let long = format!("{}.exe", "a".repeat(400));
        let name = AttachmentName::clean(Some(&long), 0);
        assert!(name.as_str().len() <= MAX_BYTES);
        assert_eq!(name.extension().as_deref(), Some("exe"));
        let accents = format!("{}.pdf", "è".repeat(300));
        assert!(clean(&accents).ends_with("è.pdf"));
    }

    #[test]
    fn double_extensions_are_listed_from_the_last() {
        let name = AttachmentName::clean(Some("Atto.PDF.p7m"), 0);
        assert_eq!(name.extensions(), vec!["p7m", "pdf"]);
        assert_eq!(AttachmentName::clean(Some("README"), 0).extension(), None);
    }
}
