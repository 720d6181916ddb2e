//! Whether an upgrade kept everything (issue 17 §4): the upgraded archive passes `archive check` as to
//! its evidence, holds as many messages, raw blobs, origins and journal entries as the copy made
//! before it, and its hash chain still runs through the copy's end (the copy's chain is a prefix).
//!
//! Derived rows (facts, sends) that differ from what this version reads from the raw bytes are not a
//! loss: `archive check` itself calls them repairable with `archive rebuild`, and a migration that adds
//! a column leaves them so by design (versions 4 and 7). They are counted, and the user is told.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::db::{Db, OptionalExtension};

use crate::check::ProblemCode;
use crate::error::ArchiveError;
use crate::journal::{self, Head};
use crate::open::Archive;

/// What the archive holds, as counted in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Holdings {
    raw: i64,
    messages: i64,
    origins: i64,
    journal: i64,
    head: Head,
}

impl Holdings {
    fn count(conn: &Db) -> crate::db::Result<Holdings> {
        let count = |table: &str| -> crate::db::Result<i64> {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        };
        Ok(Holdings {
            raw: count("raw")?,
            messages: count("messages")?,
            origins: count("origins")?,
            journal: count("journal")?,
            head: journal::head(conn)?,
        })
    }

    /// What the copy at `copy` holds, read without writing to it.
    pub(crate) fn of_copy(copy: &Path) -> Result<Holdings, ArchiveError> {
        let conn = Connection::open_with_flags(
            copy,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Ok(Holdings::count(&Db::Sqlite(conn))?)
    }
}

/// What the verification found wrong: one sentence each, empty when the upgrade kept everything.
/// `derived` counts the derived rows `archive rebuild` would recompute.
pub(crate) struct Verdict {
    pub findings: Vec<String>,
    pub derived: u64,
}

/// Verifies the upgraded `archive` against what the copy held before.
pub(crate) fn verify(archive: &Archive, before: Holdings) -> Result<Verdict, ArchiveError> {
    let mut findings = Vec::new();
    let mut derived = 0;
    // NOTE: the upgrade holds the write lock already.
    for problem in archive.check_holding_lock()?.problems {
        match problem.code {
            ProblemCode::FactsAltered | ProblemCode::SendAltered => derived += 1,
            _ => findings.push(format!("archive check: {}", problem.message)),
        }
    }
    let after = Holdings::count(&archive.conn)?;
    let mut compare = |what: &str, was: i64, is: i64| {
        if was != is {
            findings.push(format!("{what}: {was} before the upgrade, {is} after"));
        }
    };
    compare("raw messages", before.raw, after.raw);
    compare("derived rows", before.messages, after.messages);
    compare("origins", before.origins, after.origins);
    compare("journal entries", before.journal, after.journal);
    if before.head != Head::EMPTY {
        let hash: Option<Vec<u8>> = archive
            .conn
            .query_row(
                "SELECT hash FROM journal WHERE seq = ?1",
                [before.head.seq],
                |r| r.get(0),
            )
            .optional()?;
        if hash.as_deref() != Some(before.head.hash.as_slice()) {
            findings.push(format!(
                "the journal no longer runs through entry {} (hash {}) where it ended before the upgrade",
                before.head.seq,
                before.head.hash_hex()
            ));
        }
    }
    Ok(Verdict { findings, derived })
}
