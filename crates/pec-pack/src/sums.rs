//! `SHA256SUMS.txt`: every other member's SHA-256 in the format `sha256sum -c` reads, so anyone can
//! check a pack's files with standard tools, and the manifest itself is covered by a hash.
//!
//! The text is a function of the manifest and the manifest's own hash, so [`verify_pack`] can tell
//! exactly which of the three — a member, the manifest, or this list — was changed.
//!
//! [`verify_pack`]: crate::verify_pack

use sha2::{Digest, Sha256};

use crate::manifest::{MANIFEST, Manifest};

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex SHA-256 of everything `reader` gives (a pack file, read as it streams: the pack's own
/// SHA-256, the one its export recorded in the archive's journal).
pub fn sha256_reader(mut reader: impl std::io::Read) -> std::io::Result<String> {
    let mut h = Sha256::new();
    std::io::copy(&mut reader, &mut h)?;
    Ok(hex(&h.finalize()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// The list for a pack whose manifest (as written) hashes to `manifest_sha256`.
pub fn text(manifest: &Manifest, manifest_sha256: &str) -> String {
    let mut out = format!("{manifest_sha256}  {MANIFEST}\n");
    for m in &manifest.members {
        out.push_str(&format!("{}  {}\n", m.sha256, m.path));
    }
    out
}

/// The lines of a list as (hash, path), for reading a pack whose manifest is lost.
pub fn parse(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let (hash, path) = line.split_once(' ')?;
            let path = path.strip_prefix([' ', '*']).unwrap_or(path);
            (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| (hash.to_ascii_lowercase(), path.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_lowercase_hex_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn lines_read_back_in_both_sha256sum_modes() {
        let h = sha256_hex(b"x");
        let text = format!("{h}  a/b.eml\n{h} *c.pdf\nnot a line\n");
        assert_eq!(
            parse(&text),
            vec![(h.clone(), "a/b.eml".to_owned()), (h, "c.pdf".to_owned())]
        );
    }
}
