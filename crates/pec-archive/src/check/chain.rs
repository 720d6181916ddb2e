//! Step 1 of `archive check`: the hash chain's breaks, and its end against the head file kept beside the
//! database (`head.rs`), which tells a crash between two writes from entries cut off the end.

use super::{Add, ProblemCode};
use crate::head;
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

/// The chain's end in the database against the one the head file recorded.
pub(super) fn head_file(path: &std::path::Path, db_head: Head, add: &mut Add<'_>) {
    match head::read(path) {
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
