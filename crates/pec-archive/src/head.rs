//! The head file: the end of the hash chain, kept beside the database so that cutting entries off the
//! end of the journal (together with the messages they record) does not go unseen.
//!
//! Written around every commit: first `pending` (the head the commit is about to make), then, once the
//! commit is durable, `committed`. A process killed in between leaves a file whose `pending` line names
//! the database's real end, so a crash never looks like tampering. Each write replaces the file
//! atomically (write, fsync, rename).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::error::ArchiveError;
use crate::journal::{GENESIS, Head, hex};

const MAGIC: &str = "attesta-archive-head 1";

/// What the head file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadRecord {
    pub committed: Head,
    pub pending: Option<Head>,
}

impl HeadRecord {
    /// Whether `head` (the database's end) is one this file vouches for.
    pub fn accepts(&self, head: Head) -> bool {
        head == self.committed || self.pending == Some(head)
    }
}

/// The head file of the archive at `db`.
pub fn path_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".head");
    PathBuf::from(name)
}

fn line(label: &str, head: Head) -> String {
    format!("{label} {} {}\n", head.seq, hex(&head.hash))
}

/// Replaces the head file with `record`.
pub fn write(path: &Path, record: HeadRecord) -> Result<(), ArchiveError> {
    let mut text = format!("{MAGIC}\n");
    text.push_str(&line("committed", record.committed));
    if let Some(p) = record.pending {
        text.push_str(&line("pending", p));
    }
    let tmp = path.with_extension("head.tmp");
    let io = |e| ArchiveError::io(path, e);
    let mut file = std::fs::File::options()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(io)?;
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Reads the head file: `Ok(None)` when it does not exist, `Err` text when it is unreadable.
pub fn read(path: &Path) -> Result<Option<HeadRecord>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let mut lines = text.lines();
    if lines.next() != Some(MAGIC) {
        return Err("not a head file".into());
    }
    let mut committed = None;
    let mut pending = None;
    for l in lines {
        let mut parts = l.split(' ');
        let (Some(label), Some(seq), Some(hash)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("unreadable line {l:?}"));
        };
        let head = Head {
            seq: seq
                .parse()
                .map_err(|_| format!("unreadable number {seq:?}"))?,
            hash: unhex(hash).ok_or_else(|| format!("unreadable hash {hash:?}"))?,
        };
        match label {
            "committed" => committed = Some(head),
            "pending" => pending = Some(head),
            _ => return Err(format!("unknown line {l:?}")),
        }
    }
    let committed = committed.ok_or("no committed line")?;
    Ok(Some(HeadRecord { committed, pending }))
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = GENESIS;
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_record_reads_back_and_vouches_for_both_its_heads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.head");
        assert_eq!(read(&path), Ok(None));
        let a = Head {
            seq: 3,
            hash: [7; 32],
        };
        let b = Head {
            seq: 5,
            hash: [9; 32],
        };
        let record = HeadRecord {
            committed: a,
            pending: Some(b),
        };
        write(&path, record).unwrap();
        let back = read(&path).unwrap().unwrap();
        assert_eq!(back, record);
        assert!(back.accepts(a) && back.accepts(b));
        assert!(!back.accepts(Head::EMPTY));
    }
}
