//! Opening a pack someone hands us, which may be hostile: a ZIP bomb, `../` or absolute names, huge or
//! encrypted members, duplicate names, not a ZIP at all. Members are read into memory one by one with
//! size limits, never extracted to disk, so a name can never reach the file system; whatever is wrong
//! becomes part of the verdict.

use std::borrow::Cow;
use std::io::{Read, Seek};

use zip::ZipArchive;

/// How much of a pack is read at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Members (entries) in the ZIP.
    pub max_entries: usize,
    /// Bytes of one member, decompressed. PEC providers cap a message at tens of MB.
    pub max_member_bytes: u64,
    /// Bytes of all members, decompressed.
    pub max_total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 10_000,
            max_member_bytes: 256 << 20,
            max_total_bytes: 2 << 30,
        }
    }
}

/// One entry of the ZIP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// As the ZIP spells it (decoded as UTF-8 or CP437, lossily if need be). Only ever compared.
    pub name: String,
    pub content: Content,
}

/// What could be read of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A directory entry (no content).
    Directory,
    /// Larger than the limit (bytes): not read further.
    TooLarge(u64),
    /// Could not be read: encrypted, an unsupported compression, a bad checksum, damage.
    Unreadable(String),
}

/// A ZIP read within limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub entries: Vec<Entry>,
    /// Two entries share a name (readers disagree which one they show).
    pub duplicate_names: bool,
    /// Entries beyond [`Limits::max_entries`], not read.
    pub skipped_entries: usize,
}

/// Reads every entry of the ZIP in `reader` within `limits`. `Err` says why it is not a ZIP.
pub fn open<R: Read + Seek>(reader: R, limits: &Limits) -> Result<Opened, String> {
    let mut archive = ZipArchive::new(reader).map_err(|e| e.to_string())?;
    let count = archive.len();
    let mut opened = Opened {
        entries: Vec::with_capacity(count.min(limits.max_entries)),
        duplicate_names: archive.has_duplicate_names(),
        skipped_entries: count.saturating_sub(limits.max_entries),
    };
    let mut total: u64 = 0;
    for index in 0..count.min(limits.max_entries) {
        let listed = match archive.name_for_index(index) {
            Some(Ok(name)) => name.into_owned(),
            _ => format!("#{index}"),
        };
        let file = match archive.by_index(index) {
            Ok(file) => file,
            Err(e) => {
                opened.entries.push(Entry {
                    name: listed,
                    content: Content::Unreadable(e.to_string()),
                });
                continue;
            }
        };
        let name = file
            .name()
            .map(Cow::into_owned)
            .unwrap_or_else(|_| String::from_utf8_lossy(file.name_raw()).into_owned());
        let content = if file.is_dir() {
            Content::Directory
        } else if file.encrypted() {
            Content::Unreadable("encrypted".to_owned())
        } else {
            let room = limits
                .max_member_bytes
                .min(limits.max_total_bytes.saturating_sub(total));
            read_bounded(file, room)
        };
        if let Content::Bytes(b) = &content {
            total += b.len() as u64;
        }
        opened.entries.push(Entry { name, content });
    }
    Ok(opened)
}

/// Reads at most `room` bytes; more is [`Content::TooLarge`], whatever the header claimed.
fn read_bounded(file: impl Read, room: u64) -> Content {
    let mut bytes = Vec::new();
    match file.take(room.saturating_add(1)).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() as u64 > room => Content::TooLarge(room),
        Ok(_) => Content::Bytes(bytes),
        Err(e) => Content::Unreadable(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_bomb_is_stopped_at_the_limit_without_reading_it_all() {
        let zeros = vec![0u8; 8 << 20];
        let bomb = zip_of(&[("bomb.eml", &zeros)]);
        assert!(bomb.len() < 64 << 10, "deflate squeezes zeros");
        let limits = Limits {
            max_member_bytes: 1 << 20,
            ..Limits::default()
        };
        let opened = open(Cursor::new(bomb), &limits).unwrap();
        assert_eq!(opened.entries[0].content, Content::TooLarge(1 << 20));
    }

    #[test]
    fn the_total_is_bounded_too() {
        let mb = vec![7u8; 1 << 20];
        let zip = zip_of(&[("a", &mb), ("b", &mb), ("c", &mb)]);
        let limits = Limits {
            max_total_bytes: (2 << 20) + 10,
            ..Limits::default()
        };
        let opened = open(Cursor::new(zip), &limits).unwrap();
        assert!(matches!(opened.entries[1].content, Content::Bytes(_)));
        assert!(matches!(opened.entries[2].content, Content::TooLarge(_)));
    }

    #[test]
    fn traversal_names_are_only_names() {
        let zip = zip_of(&[("../../etc/passwd", b"root"), ("/abs.eml", b"x")]);
        let opened = open(Cursor::new(zip), &Limits::default()).unwrap();
        let names: Vec<&str> = opened.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["../../etc/passwd", "/abs.eml"]);
    }

    #[test]
    fn entries_past_the_count_limit_are_counted_not_read() {
        let zip = zip_of(&[("a", b"1"), ("b", b"2"), ("c", b"3")]);
        let limits = Limits {
            max_entries: 2,
            ..Limits::default()
        };
        let opened = open(Cursor::new(zip), &limits).unwrap();
        assert_eq!(opened.entries.len(), 2);
        assert_eq!(opened.skipped_entries, 1);
    }

    #[test]
    fn garbage_is_not_a_zip() {
        assert!(
            open(
                Cursor::new(b"PK\x03\x04 not really".to_vec()),
                &Limits::default()
            )
            .is_err()
        );
        assert!(open(Cursor::new(Vec::new()), &Limits::default()).is_err());
    }
}
