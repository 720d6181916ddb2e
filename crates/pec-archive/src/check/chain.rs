//! Step 1 of `archive check`: the hash chain's breaks, and its end against the head file kept beside the
//! database (`head.rs`), which tells a crash between two writes from entries cut off the end.

use super::{Add, ProblemCode};
use crate::head::HeadRecord;
use crate::journal::{ChainBreak, Head};

/// Each break the walk of the chain found.
pub(super) fn breaks(breaks: &[ChainBreak], add: &mut Add<'_>) {
    for b in breaks {
        match *b {
            ChainBreak::Edited { seq } => add(
                ProblemCode::JournalEdited,
                None,
                format!(
                    "journal entry {seq} was edited: its hash no longer follows from its content"
                ),
            ),
            ChainBreak::Missing { after, before } => add(
                ProblemCode::JournalGap,
                None,
                format!(
                    "journal entries {} to {} were removed",
                    after + 1,
                    before - 1
                ),
            ),
            ChainBreak::Unreadable { seq } => add(
                ProblemCode::JournalUnreadable,
                None,
                format!("journal entry {seq} is unreadable"),
            ),
        }
    }
}

/// The chain's end in the database against the one the head file (`path`, as `read`) recorded.
pub(super) fn head_file(
    path: &std::path::Path,
    read: Result<Option<HeadRecord>, String>,
    db_head: Head,
    add: &mut Add<'_>,
) {
    match read {
        Ok(None) if db_head == Head::EMPTY => {}
        Ok(None) => add(
            ProblemCode::HeadFile,
            None,
            format!("the head file {} is missing", path.display()),
        ),
        Err(e) => add(
            ProblemCode::HeadFile,
            None,
            format!("the head file {} is unreadable ({e})", path.display()),
        ),
        Ok(Some(record)) if record.accepts(db_head) => {}
        Ok(Some(record)) => {
            let recorded = record.pending.unwrap_or(record.committed);
            if db_head.seq < record.committed.seq {
                add(
                    ProblemCode::JournalTruncated,
                    None,
                    format!(
                        "the journal ends at entry {}, but the archive recorded entry {} as its end: entries {} to {} were removed",
                        db_head.seq,
                        record.committed.seq,
                        db_head.seq + 1,
                        record.committed.seq
                    ),
                );
            } else {
                add(
                    ProblemCode::JournalEdited,
                    None,
                    format!(
                        "the journal's end (entry {}, hash {}) is not the one the archive recorded (entry {}, hash {})",
                        db_head.seq,
                        db_head.hash_hex(),
                        recorded.seq,
                        recorded.hash_hex()
                    ),
                );
            }
        }
    }
}

/// On a shared archive, other desktops append after this one: its head file is a witness that the
/// chain still runs through the end this desktop last wrote (the entry there keeps its hash), not the
/// chain's end.
pub(super) fn witness_file(
    conn: &crate::db::Db,
    path: &std::path::Path,
    read: Result<Option<HeadRecord>, String>,
    db_head: Head,
    add: &mut Add<'_>,
) -> crate::db::Result<()> {
    use crate::db::OptionalExtension;
    let record = match read {
        Ok(Some(record)) => record,
        // A desktop that never wrote has nothing to witness.
        Ok(None) => return Ok(()),
        Err(e) => {
            add(
                ProblemCode::HeadFile,
                None,
                format!("the head file {} is unreadable ({e})", path.display()),
            );
            return Ok(());
        }
    };
    let holds = |h: Head| -> crate::db::Result<bool> {
        if h == Head::EMPTY {
            return Ok(true);
        }
        let stored: Option<Vec<u8>> = conn
            .query_row("SELECT hash FROM journal WHERE seq = ?1", [h.seq], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(stored.as_deref() == Some(h.hash.as_slice()))
    };
    if holds(record.committed)? || record.pending.map(holds).transpose()? == Some(true) {
        return Ok(());
    }
    let seen = record.committed;
    if db_head.seq < seen.seq {
        add(
            ProblemCode::JournalTruncated,
            None,
            format!(
                "the journal ends at entry {}, but this desktop saw it reach entry {}: entries {} to {} were removed",
                db_head.seq,
                seen.seq,
                db_head.seq + 1,
                seen.seq
            ),
        );
    } else {
        add(
            ProblemCode::JournalEdited,
            None,
            format!(
                "journal entry {} is not the one this desktop wrote (hash {})",
                seen.seq,
                seen.hash_hex()
            ),
        );
    }
    Ok(())
}
