//! File names that are safe on every platform, whatever the subject or the addresses were.
//!
//! A pack's member names and the packs' own file names are built from text anyone can write: a subject,
//! an address, a provider's name. A person unzips the pack on Windows, macOS or Linux, so a name must
//! never climb out of its folder (`../`), name a device (`CON`, `NUL`, `COM1`… on Windows, with any
//! extension), hide itself (a leading dot), carry control or bidirectional-override characters (a
//! newline, U+202E that shows `exe.txt` as `txt.exe`), end in a dot or a space (Windows drops them), or
//! exceed what a file system and Windows' 260-character paths allow. [`component`] makes one such name;
//! [`file_name`] adds an extension that survives truncation.

/// At most this many bytes (UTF-8) for one name, extension included. Far below the 255 of every common
/// file system, so that a pack unzipped a few folders deep still fits Windows' 260-character paths.
pub const MAX_NAME_BYTES: usize = 120;

/// Used when nothing usable is left of a name.
const EMPTY: &str = "_";

/// Characters Windows refuses in a name, plus both path separators.
const FORBIDDEN: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

/// Device names Windows reserves, whatever the extension (`CON.txt` is the console too).
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$", "COM0", "COM1", "COM2", "COM3",
    "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// Characters that change how text around them is shown, or are invisible: never in a file name.
fn is_invisible_or_bidi(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                      // soft hyphen
        | '\u{061C}'                    // Arabic letter mark
        | '\u{180E}'                    // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}'       // zero-width space/joiners, LRM, RLM
        | '\u{2028}'..='\u{202E}'       // line/paragraph separators, embeddings and overrides
        | '\u{2060}'..='\u{206F}'       // word joiner, isolates, deprecated format characters
        | '\u{FEFF}'                    // byte order mark
        | '\u{FFF9}'..='\u{FFFB}'       // interlinear annotation
    )
}

/// One path component, safe everywhere, at most `max_bytes` long (and at least one character).
///
/// Separators and characters Windows forbids become `_`; control, invisible and bidirectional
/// characters and runs of white space become one space; leading dots and spaces, trailing dots and
/// spaces are removed; a reserved device name gets a leading `_`.
pub fn component(raw: &str, max_bytes: usize) -> String {
    let mut out = String::with_capacity(raw.len().min(max_bytes));
    let mut pending_space = false;
    for c in raw.chars() {
        if c.is_whitespace() || c.is_control() || is_invisible_or_bidi(c) {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(if FORBIDDEN.contains(&c) { '_' } else { c });
    }
    let trimmed = out.trim_start_matches(['.', ' ']);
    let mut name = truncate(trimmed, max_bytes.max(1))
        .trim_end_matches(['.', ' '])
        .to_owned();
    if name.is_empty() {
        name = EMPTY.to_owned();
    }
    if is_reserved(&name) {
        name.insert(0, '_');
        name = truncate(&name, max_bytes.max(2))
            .trim_end_matches(['.', ' '])
            .to_owned();
    }
    name
}

/// A file name: a safe stem and `extension` (given without the dot, itself made safe), bounded to
/// [`MAX_NAME_BYTES`] by shortening the stem, so the extension always survives.
pub fn file_name(stem: &str, extension: &str) -> String {
    let ext = component(extension, 16);
    let room = MAX_NAME_BYTES.saturating_sub(ext.len() + 1).max(1);
    let stem = component(stem, room);
    format!("{stem}.{ext}")
}

/// Whether `name` is a Windows device name, with or without extension (`nul`, `Com1.tar.gz`).
pub fn is_reserved(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(base))
}

/// A `/`-joined relative path is safe if each component is what [`component`] would make of it.
pub fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 4 * MAX_NAME_BYTES
        && path
            .split('/')
            .all(|c| !c.is_empty() && component(c, MAX_NAME_BYTES) == c)
}

/// The longest prefix of `text` that is at most `max_bytes` long and ends on a character boundary.
fn truncate(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(name: &str) {
        assert!(!name.is_empty(), "empty name");
        assert!(name.len() <= MAX_NAME_BYTES, "{name:?} is too long");
        assert!(!name.contains(['/', '\\']), "{name:?} has a separator");
        assert!(!name.chars().any(char::is_control), "{name:?}");
        assert!(!name.starts_with(['.', ' ']), "{name:?}");
        assert!(!name.ends_with(['.', ' ']), "{name:?}");
        assert!(!is_reserved(name), "{name:?} is a device name");
        assert!(is_safe_path(name), "{name:?}");
    }

    #[test]
    fn path_traversal_stays_in_its_folder() {
        let name = file_name("../../etc/passwd", "eml");
        safe(&name);
        assert_eq!(name, "_.._etc_passwd.eml");
        assert_eq!(component("..", 50), "_");
        assert_eq!(component("/etc/shadow", 50), "_etc_shadow");
        assert_eq!(
            component("..\\..\\windows\\system32", 50),
            "_.._windows_system32"
        );
        assert_eq!(component("C:\\boot.ini", 50), "C__boot.ini");
    }

    #[test]
    fn windows_device_names_are_never_produced() {
        for raw in [
            "CON",
            "con.txt",
            "CON.txt",
            "Nul",
            "aux.tar.gz",
            "COM1",
            "lpt9.eml",
            "PRN ",
            "CONIN$",
        ] {
            let name = component(raw, 50);
            safe(&name);
            assert!(name.starts_with('_'), "{raw:?} gave {name:?}");
        }
        assert_eq!(file_name("CON", "txt"), "_CON.txt");
        assert_eq!(component("CON.txt", 50), "_CON.txt");
        // Only the whole first part is reserved.
        assert_eq!(component("CONSEGNA.eml", 50), "CONSEGNA.eml");
        assert_eq!(component("com10", 50), "com10");
    }

    #[test]
    fn control_and_invisible_characters_become_spaces_once() {
        let name = file_name("Diffida\r\nBcc: victim@example.com\0\t end", "eml");
        safe(&name);
        assert_eq!(name, "Diffida Bcc_ victim@example.com end.eml");
        // An override that would show "exe.txt" as "txt.exe" is removed.
        assert_eq!(component("report\u{202E}txt.exe", 50), "report txt.exe");
        assert_eq!(component("\u{FEFF}\u{200B}a", 50), "a");
    }

    #[test]
    fn long_names_are_cut_on_a_character_boundary_keeping_the_extension() {
        let long = "è".repeat(300);
        let name = file_name(&long, "eml");
        safe(&name);
        assert!(name.ends_with("è.eml"), "{name}");
        assert!(name.len() <= MAX_NAME_BYTES);
        let ascii = file_name(&"a".repeat(300), "pdf");
        assert_eq!(ascii.len(), MAX_NAME_BYTES);
        assert!(ascii.ends_with(".pdf"));
        // A cut that leaves a trailing dot or space trims it.
        let dotted = format!("{}. . .x", "b".repeat(MAX_NAME_BYTES - 7));
        safe(&file_name(&dotted, "eml"));
    }

    #[test]
    fn empty_or_dotted_names_get_a_placeholder() {
        for raw in ["", "   ", "...", ". .", "\n\n"] {
            assert_eq!(component(raw, 50), "_", "{raw:?}");
        }
        assert_eq!(file_name("", ""), "_._");
        assert_eq!(component(".hidden", 50), "hidden");
    }

    #[test]
    fn ordinary_names_are_kept_as_they_are() {
        assert_eq!(
            file_name("2026-03-02T0915Z_consegna_mario.rossi@pec.it", "eml"),
            "2026-03-02T0915Z_consegna_mario.rossi@pec.it.eml"
        );
        assert_eq!(
            component("Perché sì — «citazione»", 50),
            "Perché sì — «citazione»"
        );
    }

    #[test]
    fn a_path_is_safe_only_if_every_component_is() {
        assert!(is_safe_path("02-consegne/a@b.eml"));
        assert!(!is_safe_path("../a.eml"));
        assert!(!is_safe_path("/a.eml"));
        assert!(!is_safe_path("a//b.eml"));
        assert!(!is_safe_path("CON/a.eml"));
        assert!(!is_safe_path("a\nb.eml"));
        assert!(!is_safe_path(""));
    }
}
