//! Status queries: per sent message and per recipient, with filters for what needs attention.
//!
//! Overdue is judged here, against the caller's clock, from the stored certified acceptance time
//! (PEC rules §1: 12 h warning, 24 h final notice); it is never stored, so it is always current.

use chrono::{DateTime, Utc};
use pec_core::correlate::{Overdue, RecipientState, SentFinding, SentSummary, overdue};
use pec_core::daticert::RecipientType;
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use serde::Serialize;

use crate::error::ArchiveError;
use crate::facts::enum_from;
use crate::journal::parse_time;
use crate::links::RecipientRecord;
use crate::open::Archive;

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
    pub msgid: String,
    pub subject: Option<String>,
    pub sender: Option<String>,
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

const WAITING: &str = "('pending', 'warned-12h')";
// NOTE: a disputed recipient (issue 13 §3) is listed with the failures: it needs a person's look.
const FAILED: &str = "('failed', 'timed-out-24h', 'not-accepted', 'disputed')";

impl Archive {
    /// The sends matching `filter`, newest first, judged at `now`.
    pub fn status(
        &self,
        filter: &StatusFilter,
        now: DateTime<Utc>,
    ) -> Result<Vec<SentStatus>, ArchiveError> {
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut attention: Vec<String> = Vec::new();
        // NOTE: `s.id IN (SELECT sent_id … WHERE state IN …)` walks the state index, so a filter costs
        // what it finds, not the size of the archive.
        if filter.pending {
            attention.push(format!(
                "s.id IN (SELECT sent_id FROM sent_recipients WHERE state IN {WAITING})"
            ));
        }
        if filter.failed {
            attention.push(format!(
                "s.id IN (SELECT sent_id FROM sent_recipients WHERE state IN {FAILED})"
            ));
        }
        if filter.overdue {
            values.push(Value::Text(crate::journal::time(
                pec_core::correlate::overdue_if_accepted_by(now),
            )));
            attention.push(format!(
                "(s.id IN (SELECT sent_id FROM sent_recipients WHERE state IN {WAITING}) AND s.accepted_at <= ?{})",
                values.len()
            ));
        }
        if !attention.is_empty() {
            conditions.push(format!("({})", attention.join(" OR ")));
        }
        if let Some(since) = filter.since {
            values.push(Value::Text(crate::journal::time(since)));
            conditions.push(format!("s.sort_at >= ?{}", values.len()));
        }
        if let Some(until) = filter.until {
            values.push(Value::Text(crate::journal::time(until)));
            conditions.push(format!("s.sort_at < ?{}", values.len()));
        }
        if let Some(msgid) = &filter.msgid {
            values.push(Value::Text(pec_core::ids::unbracketed(msgid).to_owned()));
            conditions.push(format!("s.link_key = ?{}", values.len()));
        }
        let mut sql = String::from(
            "SELECT s.id, s.link_key, s.subject, s.sender, s.sent_at, s.accepted_at, s.summary, \
             s.evidence, s.findings FROM sent s",
        );
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY s.sort_at DESC, s.id DESC");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let heads = stmt
            .query_map(params_from_iter(values), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut all_recipients = self.recipients_of(heads.iter().map(|h| h.0))?;
        let mut out = Vec::with_capacity(heads.len());
        for (id, key, subject, sender, sent_at, accepted_at, summary, evidence, findings) in heads {
            let accepted_at = accepted_at.as_deref().and_then(parse_time);
            let recipients: Vec<RecipientStatus> = all_recipients
                .remove(&id)
                .unwrap_or_default()
                .into_iter()
                .map(|r| recipient_status(r, accepted_at, now))
                .collect();
            out.push(SentStatus {
                id,
                msgid: format!("<{key}>"),
                subject,
                sender,
                sent_at: sent_at.as_deref().and_then(parse_time),
                accepted_at,
                summary: SentSummary::parse(&summary).unwrap_or(SentSummary::Pending),
                overdue: recipients.iter().filter_map(|r| r.overdue).max(),
                recipients,
                evidence: serde_json::from_str(&evidence).unwrap_or_default(),
                findings: serde_json::from_str(&findings).unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// The recipients of many sends at once (one statement per thousand sends, not one per send).
    fn recipients_of(
        &self,
        ids: impl Iterator<Item = i64>,
    ) -> Result<std::collections::HashMap<i64, Vec<RecipientRecord>>, ArchiveError> {
        let ids: Vec<i64> = ids.collect();
        let mut out: std::collections::HashMap<i64, Vec<RecipientRecord>> =
            std::collections::HashMap::new();
        for chunk in ids.chunks(1000) {
            let marks = vec!["?"; chunk.len()].join(",");
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT sent_id, address, type, state, at, reason, decided_by, disputed_by \
                 FROM sent_recipients \
                 WHERE sent_id IN ({marks}) ORDER BY sent_id, position"
            ))?;
            let rows = stmt.query_map(params_from_iter(chunk.iter()), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    RecipientRecord {
                        address: r.get(1)?,
                        kind: r.get(2)?,
                        state: r.get(3)?,
                        at: r.get(4)?,
                        reason: r.get(5)?,
                        decided_by: r.get(6)?,
                        disputed_by: r.get(7)?,
                    },
                ))
            })?;
            for row in rows {
                let (id, record) = row?;
                out.entry(id).or_default().push(record);
            }
        }
        Ok(out)
    }

    /// How many sends there are.
    pub fn sent_count(&self) -> Result<u64, ArchiveError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sent", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// How many bytes of raw messages are archived (the evidence itself, before compression).
    pub fn raw_bytes(&self) -> Result<u64, ArchiveError> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(sum(size), 0) FROM raw", [], |r| {
                r.get::<_, i64>(0)
            })? as u64)
    }

    /// Folds the write-ahead log into the database file (what SQLite does by itself from time to time).
    pub fn checkpoint(&self) -> Result<(), ArchiveError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// How many messages are archived.
    pub fn message_count(&self) -> Result<u64, ArchiveError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM raw", [], |r| r.get::<_, i64>(0))? as u64)
    }
}

fn recipient_status(
    r: RecipientRecord,
    accepted_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> RecipientStatus {
    let state = RecipientState::parse(&r.state).unwrap_or(RecipientState::Pending);
    let certified = r.kind.as_deref() != Some("esterno");
    RecipientStatus {
        overdue: if certified {
            overdue(accepted_at, state, now)
        } else {
            None
        },
        address: r.address,
        kind: r.kind.as_deref().and_then(enum_from),
        state,
        at: r.at.as_deref().and_then(parse_time),
        reason: r.reason,
        evidence: r.decided_by,
        disputed_by: r.disputed_by,
    }
}
