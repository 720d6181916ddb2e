//! The copy an upgrade keeps: the archive as it was, next to it, named so a person understands it
//! (`archive.v6.before-upgrade.sqlite3`), private (0600) and durable before any migration runs.
//!
//! Made with SQLite's online backup (a consistent snapshot even of a WAL database, which a raw file
//! copy is not), into a `.partial` file that is fsync'd and only then renamed: a copy under its final
//! name is always complete, so finding one means an upgrade began and was not verified (issue 17 §4).

use std::fs::File;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use crate::error::ArchiveError;

/// How many pages one backup step copies (4 MiB at SQLite's default 4 KiB page).
const PAGES_PER_STEP: i32 = 1024;

/// The name's parts around the version: `archive.v`, `.before-upgrade.sqlite3` for `archive.sqlite3`.
fn affixes(archive: &Path) -> (String, String) {
    let stem = archive
        .file_stem()
        .map_or_else(|| "archive".into(), |s| s.to_string_lossy().into_owned());
    let ext = archive
        .extension()
        .map_or_else(|| "sqlite3".into(), |s| s.to_string_lossy().into_owned());
    (format!("{stem}.v"), format!(".before-upgrade.{ext}"))
}

/// Where the copy of `archive` at schema `version` goes.
pub(crate) fn path_for(archive: &Path, version: i64) -> PathBuf {
    let (prefix, suffix) = affixes(archive);
    archive.with_file_name(format!("{prefix}{version}{suffix}"))
}

fn partial(copy: &Path) -> PathBuf {
    let mut name = copy.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// The copy an unfinished upgrade left beside `archive`, if any (the oldest, should there be more),
/// with the archive version it holds.
pub(crate) fn find(archive: &Path) -> Result<Option<(i64, PathBuf)>, ArchiveError> {
    let dir = match archive.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let (prefix, suffix) = affixes(archive);
    let entries = std::fs::read_dir(dir).map_err(|e| ArchiveError::io(dir, e))?;
    let mut found: Option<(i64, PathBuf)> = None;
    for entry in entries {
        let entry = entry.map_err(|e| ArchiveError::io(dir, e))?;
        let name = entry.file_name();
        let Some(version) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(&suffix))
            .and_then(|v| v.parse::<i64>().ok())
        else {
            continue;
        };
        if found.as_ref().is_none_or(|(v, _)| version < *v) {
            found = Some((version, entry.path()));
        }
    }
    Ok(found)
}

/// The bytes the copy needs: every page of the database as the connection sees it (WAL included).
pub(crate) fn size_needed(conn: &Connection) -> rusqlite::Result<u64> {
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    let size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    Ok(u64::try_from(pages.saturating_mul(size)).unwrap_or(0))
}

/// The bytes free for an unprivileged user on the file system holding `dir`.
pub(crate) fn free_space(dir: &Path) -> std::io::Result<u64> {
    let stat = rustix::fs::statvfs(dir)?;
    Ok(stat.f_bavail.saturating_mul(stat.f_frsize))
}

/// Copies the database `from` (the open archive) to `copy`, telling `copied(done, total)` in pages,
/// and makes it durable. A stale `.partial` from a killed copy is replaced; a failed copy leaves none.
pub(crate) fn make(
    from: &Connection,
    copy: &Path,
    copied: &mut dyn FnMut(u64, u64),
) -> Result<(), ArchiveError> {
    let partial = partial(copy);
    let made = make_via(from, &partial, copy, copied);
    if made.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    made
}

fn make_via(
    from: &Connection,
    partial: &Path,
    copy: &Path,
    copied: &mut dyn FnMut(u64, u64),
) -> Result<(), ArchiveError> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| ArchiveError::io(p, e)
    };
    match std::fs::remove_file(partial) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(ArchiveError::io(partial, e)),
    }
    // NOTE: made 0600 before SQLite opens it, so the evidence copy is never readable by others.
    File::options()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(partial)
        .map_err(io(partial))?;
    {
        let mut to = Connection::open_with_flags(
            partial,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        {
            let backup = Backup::new(from, &mut to)?;
            loop {
                let step = backup.step(PAGES_PER_STEP)?;
                let p = backup.progress();
                let total = u64::try_from(p.pagecount).unwrap_or(0);
                let left = u64::try_from(p.remaining).unwrap_or(0);
                copied(total.saturating_sub(left), total);
                match step {
                    StepResult::Done => break,
                    StepResult::More => {}
                    // Busy or locked (or a state a later rusqlite adds): wait a little and go on.
                    _ => std::thread::sleep(std::time::Duration::from_millis(50)),
                }
            }
        }
        // One self-contained file (no -wal beside it): a person can move it, restore it, open it.
        to.pragma_update(None, "journal_mode", "DELETE")?;
    }
    File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(io(partial))?;
    std::fs::rename(partial, copy).map_err(io(copy))?;
    sync_dir(copy);
    Ok(())
}

/// Removes the copy (after a verified upgrade), durably.
pub(crate) fn remove(copy: &Path) -> Result<(), ArchiveError> {
    std::fs::remove_file(copy).map_err(|e| ArchiveError::io(copy, e))?;
    sync_dir(copy);
    Ok(())
}

/// Makes a rename or removal in `file`'s directory durable (best effort: not every file system can).
fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent()
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_is_named_for_a_person_and_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("archive.sqlite3");
        assert_eq!(find(&archive).unwrap(), None);
        let copy = path_for(&archive, 6);
        assert_eq!(
            copy.file_name().unwrap(),
            "archive.v6.before-upgrade.sqlite3"
        );
        std::fs::write(&copy, b"").unwrap();
        std::fs::write(partial(&path_for(&archive, 3)), b"").unwrap();
        std::fs::write(dir.path().join("other.v2.before-upgrade.sqlite3"), b"").unwrap();
        assert_eq!(find(&archive).unwrap(), Some((6, copy)));
    }
}
