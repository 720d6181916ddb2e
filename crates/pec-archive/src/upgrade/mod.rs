//! Upgrading an archive written by an older Attesta without risking it (issue 17 §4: "a newer archive
//! format migrates on first start with a progress bar, and the old file is kept until the migration
//! is verified").
//!
//! Used by [`Archive::open`](crate::Archive::open) whenever the file's version is older than this build's,
//! or a copy from an unfinished upgrade lies beside it. Under the writer's lock:
//!
//! 1. keep a copy of the archive as it is ([`copy`]; refused before touching anything when the disk
//!    has no room for it);
//! 2. run the pending migrations, each in its own transaction ([`crate::migrations`]);
//! 3. verify that nothing was lost ([`verify`]);
//! 4. only then remove the copy.
//!
//! A failure at 2 or 3 keeps the copy and says where it is. A copy under its final name means an
//! upgrade began and was not verified: the next open picks it up from there (a process killed after
//! the copy or after the migration recovers), and an archive whose upgrade failed verification is
//! never opened for writing while its copy is there.

mod copy;
#[cfg(test)]
mod tests;
mod verify;

use std::path::{Path, PathBuf};

use crate::error::ArchiveError;
use crate::migrations::{self, MIGRATIONS, Migration};
use crate::open::Archive;

/// Where an upgrade is, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpgradeStep {
    /// Keeping a copy of the archive as it is at `copy`: `done` of `total` pages copied.
    Copying {
        copy: PathBuf,
        done: u64,
        total: u64,
    },
    /// Running migration `step` of `of`, which brings the archive to version `version`.
    Migrating { step: u32, of: u32, version: i64 },
    /// Checking the upgraded archive against the copy.
    Verifying,
    /// The upgrade from version `from` to `to` kept everything, and the copy at `removed` was removed.
    /// `derived` rows differ from what this version reads from the raw bytes: `archive rebuild`
    /// recomputes them.
    Verified {
        from: i64,
        to: i64,
        removed: PathBuf,
        derived: u64,
    },
}

/// What an upgrade runs: the migrations, and how it learns the free disk space (tests replace both).
pub(crate) struct Plan<'a> {
    pub steps: &'a [Migration],
    pub free_space: fn(&Path) -> std::io::Result<u64>,
}

impl Plan<'static> {
    /// This build's migrations, the real disk.
    pub const CURRENT: Plan<'static> = Plan {
        steps: MIGRATIONS,
        free_space: copy::free_space,
    };
}

impl Archive {
    /// Whether opening the archive at `path` would upgrade it: an older version, or the copy of an
    /// unfinished upgrade beside it. Reads only; the desktop shell asks before opening, to show the
    /// upgrade's progress instead of a frozen window. `false` when it cannot tell (no file, not a
    /// database): opening then says why.
    pub fn upgrade_pending(path: &Path) -> bool {
        if matches!(copy::find(path), Ok(Some(_))) {
            return true;
        }
        let Ok(conn) = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) else {
            return false;
        };
        matches!(migrations::current(&crate::db::Db::Sqlite(conn)), Ok(v) if v > 0 && v < migrations::latest())
    }
}

/// Brings `archive` to the newest version of `plan`, safely (see the module's header).
pub(crate) fn bring_up_to_date(
    archive: Archive,
    plan: &Plan<'_>,
    progress: &mut dyn FnMut(&UpgradeStep),
) -> Result<Archive, ArchiveError> {
    let target = migrations::latest_of(plan.steps);
    let path = archive.path().to_path_buf();
    if migrations::current(&archive.conn)? >= target && copy::find(&path)?.is_none() {
        return Ok(archive);
    }
    let _lock = archive.lock()?;
    // NOTE: looked at again under the lock: another Attesta may have upgraded the file meanwhile.
    let version = migrations::current(&archive.conn)?;
    let (from, copy) = match copy::find(&path)? {
        Some(found) => found,
        None if version >= target => return Ok(archive),
        None => {
            let copy = copy::path_for(&path, version);
            keep_copy(&archive, &copy, plan, progress)?;
            (version, copy)
        }
    };
    let unverified = |findings: Vec<String>| ArchiveError::UpgradeUnverified {
        path: path.clone(),
        copy: copy.clone(),
        findings,
    };
    let could_not =
        |e: ArchiveError| unverified(vec![format!("the verification could not run: {e}")]);
    let before = verify::Holdings::of_copy(&copy).map_err(could_not)?;
    migrations::run_steps(&archive.conn, plan.steps, &mut |step, of, version| {
        progress(&UpgradeStep::Migrating { step, of, version });
    })
    .map_err(|(version, e)| ArchiveError::UpgradeFailed {
        path: path.clone(),
        version,
        detail: e.to_string(),
        copy: copy.clone(),
    })?;
    progress(&UpgradeStep::Verifying);
    let verdict = verify::verify(&archive, before).map_err(could_not)?;
    if !verdict.findings.is_empty() {
        return Err(unverified(verdict.findings));
    }
    copy::remove(&copy)?;
    progress(&UpgradeStep::Verified {
        from,
        to: target,
        removed: copy,
        derived: verdict.derived,
    });
    Ok(archive)
}

/// Step 1: the copy, if the disk has room for it.
fn keep_copy(
    archive: &Archive,
    copy: &Path,
    plan: &Plan<'_>,
    progress: &mut dyn FnMut(&UpgradeStep),
) -> Result<(), ArchiveError> {
    let needed = copy::size_needed(archive.sqlite()?)?;
    let dir = copy.parent().unwrap_or(Path::new("."));
    let free = (plan.free_space)(dir).map_err(|e| ArchiveError::io(dir, e))?;
    if free < needed {
        return Err(ArchiveError::NoRoomForCopy {
            path: archive.path().to_path_buf(),
            needed,
            free,
        });
    }
    copy::make(archive.sqlite()?, copy, &mut |done, total| {
        progress(&UpgradeStep::Copying {
            copy: copy.to_path_buf(),
            done,
            total,
        });
    })
}
