//! The one query builder for sends (issue 16 §3): which sends a filter selects, in which order, and
//! their rows read with their recipients in one batch. `Archive::status` (the CLI's `status`) and
//! `Archive::sent_page` (the Sent list) both build on it, so "pending", "failed" and "overdue" mean the
//! same everywhere and the state lists come from `RecipientState` itself.
//!
//! Overdue is judged against the caller's clock from the stored certified acceptance time (PEC rules §1:
//! 12 h warning); it is never stored, so it is always current.

use crate::db::{Engine, Value, dialect, params_from_iter};
use chrono::{DateTime, Utc};
use pec_core::closed_set::sql_list;
use pec_core::correlate::RecipientState;

use crate::error::ArchiveError;
use crate::journal::{parse_time, time};
use crate::links::{RECIPIENT_COLUMNS, RecipientRecord};
use crate::open::Archive;
use crate::person::Person;
use crate::query::{SentStatus, recipient_status};
use crate::stored::Cell;

/// Which sends need attention. The three combine with "or"; none set selects every send.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Attention {
    /// At least one recipient still waiting (pending or warned).
    pub pending: bool,
    /// At least one recipient failed, timed out, disputed, or the message was not accepted.
    pub failed: bool,
    /// At least one certified recipient waiting past the 12 h deadline.
    pub overdue: bool,
}

/// A `SELECT … FROM sent s` under construction: its conditions and their bound values.
#[derive(Debug, Default)]
pub(crate) struct SendsQuery {
    conditions: Vec<String>,
    values: Vec<Value>,
    /// Only among the most recently sent ([`SendsQuery::among_newest`]): the recipients' states are
    /// then looked up send by send.
    among_newest: bool,
}

/// The condition "some recipient of `s` is in one of `states`". Walks the state index, so a filter
/// costs what it finds, not the size of the archive; `per_send`, it looks at each send's own
/// recipients instead (for a few sends already chosen).
fn some_recipient_in(states: &[RecipientState], extra: &str, per_send: bool) -> String {
    if per_send {
        format!(
            "EXISTS (SELECT 1 FROM sent_recipients r WHERE r.sent_id = s.id AND r.state IN {}{extra})",
            sql_list(states)
        )
    } else {
        format!(
            "s.id IN (SELECT sent_id FROM sent_recipients WHERE state IN {}{extra})",
            sql_list(states)
        )
    }
}

/// The condition of the overdue sends at the bound deadline `deadline` (a placeholder).
fn overdue_condition(deadline: &str, per_send: bool) -> String {
    format!(
        "(s.accepted_at <= {deadline} AND s.family != 'rem' AND {})",
        some_recipient_in(
            &RecipientState::WAITING,
            " AND coalesce(type, '') != 'esterno'",
            per_send
        )
    )
}

impl SendsQuery {
    fn bind(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("?{}", self.values.len())
    }

    /// Only among the `n` most recently sent (by `sort_at`, then id). Called first: the conditions
    /// added after it look at those sends one by one. A first page asked newest first is found there
    /// in a few milliseconds however many sends match; taking every match from the state index and
    /// sorting them cost 40 ms for the 22,415 failed sends of a million-message archive (SQLite).
    pub(crate) fn among_newest(mut self, n: u64) -> SendsQuery {
        let n = self.bind(Value::Integer(n.min(i64::MAX as u64) as i64));
        self.conditions.push(format!(
            "s.id IN (SELECT id FROM sent ORDER BY sort_at DESC, id DESC LIMIT {n})"
        ));
        self.among_newest = true;
        self
    }

    /// Only sends needing `attention`, judged at `now`.
    pub(crate) fn attention(mut self, attention: Attention, now: DateTime<Utc>) -> SendsQuery {
        let per_send = self.among_newest;
        let mut any: Vec<String> = Vec::new();
        if attention.pending {
            any.push(some_recipient_in(&RecipientState::WAITING, "", per_send));
        }
        if attention.failed {
            any.push(some_recipient_in(&RecipientState::FAILING, "", per_send));
        }
        if attention.overdue {
            let deadline = self.bind(Value::Text(time(
                pec_core::correlate::overdue_if_accepted_by(now),
            )));
            any.push(overdue_condition(&deadline, per_send));
        }
        if !any.is_empty() {
            self.conditions.push(format!("({})", any.join(" OR ")));
        }
        self
    }

    /// Only sends sorted at or after `since` and before `until`.
    pub(crate) fn between(
        mut self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> SendsQuery {
        if let Some(since) = since {
            let p = self.bind(Value::Text(time(since)));
            self.conditions.push(format!("s.sort_at >= {p}"));
        }
        if let Some(until) = until {
            let p = self.bind(Value::Text(time(until)));
            self.conditions.push(format!("s.sort_at < {p}"));
        }
        self
    }

    /// Only the send under `key` (a Message-ID, brackets optional).
    pub(crate) fn key(mut self, key: Option<&str>) -> SendsQuery {
        if let Some(key) = key {
            let p = self.bind(Value::Text(pec_core::ids::unbracketed(key).to_owned()));
            self.conditions.push(format!("s.link_key = {p}"));
        }
        self
    }

    /// Only sends with an item matching every word of `text` (the search index); all for no words.
    pub(crate) fn text(mut self, engine: Engine, text: &str) -> SendsQuery {
        if let Some(words) = dialect::text_query(engine, text) {
            let q = self.bind(Value::Text(words));
            self.conditions.push(format!(
                "s.link_key IN (SELECT m.link_key FROM messages m WHERE m.id IN ({}))",
                dialect::matching(engine, &q)
            ));
        }
        self
    }

    fn where_clause(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.conditions.join(" AND "))
        }
    }

    /// How many sends match.
    pub(crate) fn count(&self, archive: &Archive) -> Result<u64, ArchiveError> {
        let n: i64 = archive
            .conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM sent s{}",
                self.where_clause()
            ))?
            .query_row(params_from_iter(self.values.iter()), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// The matching sends in `order` (an SQL `ORDER BY` list over `s`), `limit` of them from `offset`,
    /// each with its recipients judged at `now`: one statement for the sends, one per thousand sends for
    /// their recipients.
    pub(crate) fn fetch(
        mut self,
        archive: &Archive,
        order: &str,
        limit: Option<u64>,
        offset: u64,
        now: DateTime<Utc>,
    ) -> Result<Vec<SentStatus>, ArchiveError> {
        let mut sql = format!(
            "SELECT s.id, s.link_key, s.subject, s.sender, s.sent_at, s.accepted_at, s.summary, \
             s.evidence, s.findings, s.family FROM sent s{} ORDER BY {order}",
            self.where_clause()
        );
        if let Some(limit) = limit {
            let l = self.bind(Value::Integer(limit.min(i64::MAX as u64) as i64));
            let o = self.bind(Value::Integer(offset.min(i64::MAX as u64) as i64));
            sql.push_str(&format!(" LIMIT {l} OFFSET {o}"));
        }
        let mut stmt = archive.conn.prepare_cached(&sql)?;
        let heads = stmt
            .query_map(params_from_iter(self.values.iter()), |r| {
                let id: i64 = r.get(0)?;
                let summary: String = r.get(6)?;
                let family: String = r.get(9)?;
                Ok(SentStatus {
                    id,
                    family: Cell::new("sent", "family", id).read(&family)?,
                    msgid: format!("<{}>", r.get::<_, String>(1)?),
                    subject: r.get(2)?,
                    sender: r.get(3)?,
                    sent_by: None,
                    sent_at: r
                        .get::<_, Option<String>>(4)?
                        .as_deref()
                        .and_then(parse_time),
                    accepted_at: r
                        .get::<_, Option<String>>(5)?
                        .as_deref()
                        .and_then(parse_time),
                    summary: Cell::new("sent", "summary", id).read(&summary)?,
                    overdue: None,
                    recipients: Vec::new(),
                    evidence: Cell::new("sent", "evidence", id).json(&r.get::<_, String>(7)?)?,
                    findings: Cell::new("sent", "findings", id).json(&r.get::<_, String>(8)?)?,
                })
            })?
            .collect::<crate::db::Result<Vec<_>>>()?;
        let mut recipients = recipients_of(archive, heads.iter().map(|h| h.id))?;
        // Who sent it: the person recorded on the first of its items Attesta submitted (the sent copy
        // comes first among its evidence).
        let senders = senders_of(
            archive,
            heads.iter().flat_map(|h| h.evidence.iter().copied()),
        )?;
        let mut out = Vec::with_capacity(heads.len());
        for mut send in heads {
            send.sent_by = send.evidence.iter().find_map(|id| senders.get(id).cloned());
            send.recipients = recipients
                .remove(&send.id)
                .unwrap_or_default()
                .into_iter()
                .map(|r| recipient_status(send.id, r, send.family, send.accepted_at, now))
                .collect::<Result<_, _>>()?;
            send.overdue = send.recipients.iter().filter_map(|r| r.overdue).max();
            out.push(send);
        }
        Ok(out)
    }
}

/// Who submitted each of many items, by archive id, as recorded on Attesta's own submission of it
/// (issue 18 §3): one statement per thousand items. An item Attesta did not submit, or submitted with
/// no person set, is absent; of two submissions of one item, the first recorded speaks.
fn senders_of(
    archive: &Archive,
    ids: impl Iterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, Person>, ArchiveError> {
    let ids: Vec<i64> = ids.collect();
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(1000) {
        let marks = vec!["?"; chunk.len()].join(",");
        let mut stmt = archive.conn.prepare_cached(&format!(
            "SELECT raw_id, sent_by, sent_by_email FROM origins \
             WHERE source = 'submitted' AND sent_by IS NOT NULL AND raw_id IN ({marks}) ORDER BY id"
        ))?;
        let rows = stmt.query_map(params_from_iter(chunk.iter()), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Person {
                    name: r.get(1)?,
                    email: r.get(2)?,
                },
            ))
        })?;
        for row in rows {
            let (id, person) = row?;
            out.entry(id).or_insert(person);
        }
    }
    Ok(out)
}

/// The recipients of many sends at once: one statement per thousand sends.
fn recipients_of(
    archive: &Archive,
    ids: impl Iterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, Vec<RecipientRecord>>, ArchiveError> {
    let ids: Vec<i64> = ids.collect();
    let mut out: std::collections::HashMap<i64, Vec<RecipientRecord>> =
        std::collections::HashMap::new();
    for chunk in ids.chunks(1000) {
        let marks = vec!["?"; chunk.len()].join(",");
        let mut stmt = archive.conn.prepare_cached(&format!(
            "SELECT sent_id, {RECIPIENT_COLUMNS} FROM sent_recipients \
             WHERE sent_id IN ({marks}) ORDER BY sent_id, position"
        ))?;
        let rows = stmt.query_map(params_from_iter(chunk.iter()), |r| {
            Ok((r.get::<_, i64>(0)?, RecipientRecord::read(r, 1)?))
        })?;
        for row in rows {
            let (id, record) = row?;
            out.entry(id).or_default().push(record);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_lists_are_spelled_from_the_states() {
        assert_eq!(
            some_recipient_in(&RecipientState::WAITING, "", false),
            "s.id IN (SELECT sent_id FROM sent_recipients WHERE state IN ('pending', 'warned-12h'))"
        );
        assert!(
            some_recipient_in(&RecipientState::FAILING, "", true)
                .contains("('failed', 'timed-out-24h', 'not-accepted', 'disputed')")
        );
    }
}
