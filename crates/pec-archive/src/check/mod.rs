//! `archive check`: proves the archive holds what was archived, or says exactly what changed.
//!
//! Re-hashes every stored message, walks the hash chain (and compares its end with the head file),
//! compares every message, origin and verdict with what the chain says was recorded, and recomputes
//! every derived row and every send from the raw bytes. Anything edited, removed or inserted behind
//! Attesta's back is reported with what it was. Read-only.
//!
//! [`Archive::check`] runs the numbered steps, one file each:
//!
//! 0. SQLite's own integrity check (here);
//! 1. the chain and its end against the head file ([`chain`]);
//! 2. what the chain recorded, message by message ([`recorded`]);
//! 3. every stored message against that record and its bytes ([`messages`]; its origins, verdict and
//!    its signed attachments' verdicts in [`provenance`], its derived row in [`differences`]);
//! 4. every send against its evidence ([`sends`]).
//!
//! A role of the shared archive that reads only some mailboxes walks the whole chain and checks steps
//! 2–3 for its own mailboxes, not step 4 ([`scope`]).

mod chain;
mod differences;
mod messages;
mod provenance;
mod recorded;
mod scope;
mod sends;

pub use scope::Scope;

use crate::db::{Db, Engine};
use serde::Serialize;

use crate::error::ArchiveError;
use crate::head;
use crate::journal;
use crate::open::Archive;

/// What kind of problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemCode {
    /// SQLite itself found damage in the file.
    DatabaseDamaged,
    /// A journal entry was edited.
    JournalEdited,
    /// Journal entries were removed from the middle.
    JournalGap,
    /// A journal entry is unreadable.
    JournalUnreadable,
    /// Journal entries were removed from the end.
    JournalTruncated,
    /// The head file is missing or unreadable.
    HeadFile,
    /// A message's bytes differ from what was archived.
    BytesAltered,
    /// A message recorded in the journal is gone.
    MessageRemoved,
    /// A message is in the database but was never archived by Attesta.
    MessageInserted,
    /// A recorded origin is gone.
    OriginRemoved,
    /// An origin is in the database but was never recorded (or was edited).
    OriginInserted,
    /// A submission's sender (issue 18 §3) is not the person the journal recorded.
    SenderAltered,
    /// A verdict differs from the one recorded.
    VerdictAltered,
    /// A signed attachment's verdict (issue 15 §6) differs from the one recorded, was removed, or was
    /// never recorded by Attesta.
    DocumentVerdictAltered,
    /// A derived row differs from what the raw bytes give (repairable with `archive rebuild`).
    FactsAltered,
    /// A send or a recipient state differs from what its evidence gives (repairable with rebuild).
    SendAltered,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: ProblemCode,
    /// The archive id concerned, when there is one.
    pub id: Option<i64>,
    pub message: String,
}

/// What `check` found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub messages: u64,
    pub journal_entries: u64,
    pub sends: u64,
    /// The end of the chain: a user may note it down to compare later.
    pub head_seq: i64,
    pub head_hash: String,
    pub problems: Vec<Problem>,
    /// What was checked: the whole archive, or the mailboxes of a role that reads only some.
    pub scope: Scope,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Archive {
    /// Checks the whole archive, as it is at one moment: other writers (this desktop's, or other
    /// desktops' on a shared archive) go on meanwhile, and what they commit after that moment is left
    /// for the next check.
    pub fn check(&self) -> Result<CheckReport, ArchiveError> {
        // NOTE: the moment is taken holding this desktop's write lock, which its writers hold from
        // before the head file's `pending` line to after its `committed` one: the head file read then
        // matches the moment (never a commit the moment does not show yet, or one half-recorded).
        let moment = {
            let _lock = self.lock()?;
            self.moment()?
        };
        self.check_at(moment)
    }

    /// [`Archive::check`] by a caller that holds this desktop's write lock already (an upgrade).
    pub(crate) fn check_holding_lock(&self) -> Result<CheckReport, ArchiveError> {
        self.check_at(self.moment()?)
    }

    /// The moment a check sees: a read-only snapshot, and the head file as it is then.
    fn moment(&self) -> Result<Moment<'_>, ArchiveError> {
        Ok(Moment {
            snapshot: self.conn.snapshot()?,
            head: head::read(&self.head_path),
        })
    }

    fn check_at(&self, moment: Moment<'_>) -> Result<CheckReport, ArchiveError> {
        let conn: &Db = &moment.snapshot;
        let mut problems = Vec::new();
        let mut add = |code, id, message: String| problems.push(Problem { code, id, message });

        // 0. SQLite's own reading of the file (a PostgreSQL server checks its own pages).
        if conn.engine() == Engine::Sqlite {
            database(conn, &mut add)?;
        }
        // 1. The chain, and its end against the head file (on a shared archive, this desktop's witness:
        //    the chain must still run through the end this desktop last wrote).
        let walk = journal::walk(conn)?;
        chain::breaks(&walk.breaks, &mut add);
        match conn.engine() {
            Engine::Sqlite => chain::head_file(&self.head_path, moment.head, walk.head, &mut add),
            Engine::Postgres => {
                chain::witness_file(conn, &self.head_path, moment.head, walk.head, &mut add)?
            }
        }
        // 2. What was recorded, message by message.
        let mut recorded = recorded::from_journal(&walk.entries);
        let scope = scope::narrow(&mut recorded, &crate::access::granted_mailboxes(conn)?);
        // 3. Every stored message against the record, and its derived row against its bytes.
        let messages = messages::check(conn, &recorded, &mut add)?;
        // 4. Every send against its evidence (only with every mailbox in view).
        let sends = if scope.sends_checked {
            sends::check(conn, &mut add)?
        } else {
            conn.query_row("SELECT count(*) FROM sent", [], |r| r.get::<_, i64>(0))? as u64
        };

        problems.sort_by_key(|p| (p.id.is_none(), p.id));
        Ok(CheckReport {
            messages,
            journal_entries: walk.entries.len() as u64,
            sends,
            head_seq: walk.head.seq,
            head_hash: walk.head.hash_hex(),
            problems,
            scope,
        })
    }
}

/// What one check sees.
struct Moment<'a> {
    snapshot: crate::db::Tx<'a>,
    /// The head file as read at that moment.
    head: Result<Option<head::HeadRecord>, String>,
}

/// How each step reports a problem: its code, the archive id concerned, the sentence.
type Add<'a> = dyn FnMut(ProblemCode, Option<i64>, String) + 'a;

/// Step 0: damage SQLite itself finds in the file.
fn database(conn: &Db, add: &mut Add<'_>) -> crate::db::Result<()> {
    let quick: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if quick != "ok" {
        add(
            ProblemCode::DatabaseDamaged,
            None,
            format!("SQLite reports damage: {quick}"),
        );
    }
    Ok(())
}
