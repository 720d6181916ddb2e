//! Status queries: per sent message and per recipient, with filters for what needs attention (built
//! with the one query builder for sends, `sends.rs`).
//!
//! Overdue is judged at the caller's clock, from the stored certified acceptance time (PEC rules §1:
//! 12 h warning, 24 h final notice); it is never stored, so it is always current.

use chrono::{DateTime, Utc};
use pec_core::Family;
use pec_core::correlate::{Overdue, RecipientState, SentFinding, SentSummary, overdue};
use pec_core::daticert::RecipientType;
use serde::Serialize;

use crate::error::ArchiveError;
use crate::journal::parse_time;
use crate::links::RecipientRecord;
use crate::open::Archive;
use crate::person::Person;
use crate::sends::{Attention, SendsQuery};
use crate::stored::{BadStoredValue, Cell};

/// The order of `status`: the most recently sent first.
const STATUS_ORDER: &str = "s.sort_at DESC, s.id DESC";
/// How many of the most recent sends a page of `status` is looked for among first.
const AMONG_NEWEST: u64 = 2_000;

/// Which sends to list. Several conditions combine with "and"; `pending`, `failed` and `overdue`
/// with "or" among themselves (a send needing any of those kinds of attention).
#[derive(Debug, Clone, Default)]
pub struct StatusFilter {
    /// At least one recipient still waiting (pending or warned).
    pub pending: bool,
    /// At least one recipient failed, timed out, or the message was not accepted.
    pub failed: bool,
    /// At least one recipient past the 12 h deadline without delivery.
    pub overdue: bool,
    /// Sent (or accepted) at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Sent (or accepted) before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Only this send (its Message-ID, brackets optional).
    pub msgid: Option<String>,
    /// At most this many, newest first.
    pub limit: Option<usize>,
}

/// One recipient of a send, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecipientStatus {
    pub address: String,
    #[serde(rename = "type")]
    pub kind: Option<RecipientType>,
    pub state: RecipientState,
    pub at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    /// Past a deadline without delivery, at the time of asking.
    pub overdue: Option<Overdue>,
    /// The archive id of the item that decided the state (for `disputed`: the delivery receipt).
    pub evidence: Option<i64>,
    /// For `disputed`: the archive id of the receipt that contradicts `evidence` (the failure).
    pub disputed_by: Option<i64>,
}

/// One send, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentStatus {
    /// The send's row id in the archive.
    pub id: i64,
    /// `rem` when a REM message certifies the send (never overdue: REM sets no client deadline).
    pub family: Family,
    pub msgid: String,
    pub subject: Option<String>,
    pub sender: Option<String>,
    /// Who sent it (issue 18 §3): the person recorded on Attesta's own submission of it; `None` when
    /// Attesta did not submit it, or no person was set when it did.
    pub sent_by: Option<Person>,
    pub sent_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub summary: SentSummary,
    /// The worst lateness among its recipients.
    pub overdue: Option<Overdue>,
    pub recipients: Vec<RecipientStatus>,
    /// Archive ids of every linked item.
    pub evidence: Vec<i64>,
    pub findings: Vec<SentFinding>,
}

impl Archive {
    /// The sends matching `filter`, newest first, judged at `now`.
    pub fn status(
        &self,
        filter: &StatusFilter,
        now: DateTime<Utc>,
    ) -> Result<Vec<SentStatus>, ArchiveError> {
        let attention = Attention {
            pending: filter.pending,
            failed: filter.failed,
            overdue: filter.overdue,
        };
        let limit = filter.limit.map(|l| l as u64);
        let query = |among_newest: Option<u64>| {
            let query = match among_newest {
                Some(n) => SendsQuery::default().among_newest(n),
                None => SendsQuery::default(),
            };
            query
                .attention(attention, now)
                .between(filter.since, filter.until)
                .key(filter.msgid.as_deref())
        };
        // A page newest first is looked for among the most recent sends first; where they hold fewer
        // than the page, all of them are asked.
        if let Some(limit) = limit {
            let page = query(Some((limit * 20).max(AMONG_NEWEST))).fetch(
                self,
                STATUS_ORDER,
                Some(limit),
                0,
                now,
            )?;
            if page.len() as u64 == limit {
                return Ok(page);
            }
        }
        query(None).fetch(self, STATUS_ORDER, limit, 0, now)
    }

    /// How many sends there are.
    pub fn sent_count(&self) -> Result<u64, ArchiveError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sent", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// How many bytes of raw messages are archived (the evidence itself, before compression).
    pub fn raw_bytes(&self) -> Result<u64, ArchiveError> {
        Ok(self.conn.query_row(
            "SELECT CAST(coalesce(sum(size), 0) AS BIGINT) FROM raw",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Folds the write-ahead log into the database file (what SQLite does by itself from time to time;
    /// a server manages its own).
    pub fn checkpoint(&self) -> Result<(), ArchiveError> {
        if let Some(file) = self.conn.sqlite() {
            file.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// How many messages are archived.
    pub fn message_count(&self) -> Result<u64, ArchiveError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM raw", [], |r| r.get::<_, i64>(0))? as u64)
    }
}

/// One stored recipient of send `sent_id` as shown, judged at `now`.
pub(crate) fn recipient_status(
    sent_id: i64,
    r: RecipientRecord,
    family: Family,
    accepted_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<RecipientStatus, BadStoredValue> {
    // NOTE: `sent_recipients` has no row id of its own: its values are named by their send's row.
    let cell = |column| Cell::new("sent_recipients", column, sent_id);
    let state: RecipientState = cell("state").read(&r.state)?;
    let kind: Option<RecipientType> = cell("type").read_opt(r.kind.as_deref())?;
    // NOTE: REM defines no client-side deadline: the provider issues a signed failure (docs/rem.md §5).
    let certified = kind != Some(RecipientType::Esterno) && family != Family::Rem;
    Ok(RecipientStatus {
        overdue: if certified {
            overdue(accepted_at, state, now)
        } else {
            None
        },
        address: r.address,
        kind,
        state,
        at: r.at.as_deref().and_then(parse_time),
        reason: r.reason,
        evidence: r.decided_by,
        disputed_by: r.disputed_by,
    })
}
