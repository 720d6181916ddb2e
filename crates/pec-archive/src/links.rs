//! Links from each send to its evidence, materialised in `sent` and `sent_recipients` (PEC rules §7).
//!
//! A send exists under a key once a receipt names that key, or once a sent copy with that Message-ID
//! is known to be one (it came from a Sent folder or from Attesta's own submission). Whenever an item
//! with a key is stored, the key's send is recomputed with `pec_core::correlate` from everything under
//! that key; so arrival order never matters. The stored form is [`SentRecord`], the same whether
//! written now or recomputed by `archive check`.

use std::collections::{BTreeSet, HashMap};

use crate::db::{Db, OptionalExtension, RowsIn, in_list, params, params_from_iter};
use pec_core::correlate::{LinkKey, SentOutcome, correlate};
use pec_core::signature::SignatureStatus;
use pec_core::{Family, PecKind};

use crate::journal::time;
use crate::rows::{FACT_COLUMNS, FactsRow};
use crate::stored::Cell;

/// A send as stored: plain values, comparable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentRecord {
    pub link_key: String,
    /// `rem` when a REM message certifies the send, else `pec`.
    pub family: String,
    pub subject: Option<String>,
    pub sender: Option<String>,
    pub sent_at: Option<String>,
    pub accepted_at: Option<String>,
    pub sort_at: Option<String>,
    pub summary: String,
    pub evidence: String,
    pub findings: String,
    pub recipients: Vec<RecipientRecord>,
}

/// One recipient as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRecord {
    pub address: String,
    pub kind: Option<String>,
    pub state: String,
    pub at: Option<String>,
    pub reason: Option<String>,
    pub decided_by: Option<i64>,
    /// For a `disputed` recipient, the receipt that contradicts `decided_by`.
    pub disputed_by: Option<i64>,
}

impl SentRecord {
    fn from_outcome(o: &SentOutcome, first_seen: Option<String>, family: Family) -> SentRecord {
        SentRecord {
            link_key: o.key.0.clone(),
            family: family.as_str().to_owned(),
            subject: o.subject.clone(),
            sender: o.sender.clone(),
            sent_at: o.sent_at.map(time),
            accepted_at: o.accepted_at.map(time),
            sort_at: o.sent_at.or(o.accepted_at).map(time).or(first_seen),
            summary: o.summary.as_str().to_owned(),
            evidence: serde_json::to_string(&o.evidence).unwrap_or_default(),
            findings: serde_json::to_string(&o.findings).unwrap_or_default(),
            recipients: o
                .recipients
                .iter()
                .map(|r| RecipientRecord {
                    address: r.address.clone(),
                    kind: r.kind.map(|k| k.as_str().to_owned()),
                    state: r.state.as_str().to_owned(),
                    at: r.at.map(time),
                    reason: r.reason.clone(),
                    decided_by: r.decided_by,
                    disputed_by: r.disputed_by,
                })
                .collect(),
        }
    }
}

/// How many keys one query asks about.
const CHUNK: usize = 256;

/// How many sends a walk over all of them (check, rebuild) recomputes at once: their evidence is in
/// memory together.
pub const RELINK_CHUNK: usize = 512;

/// What the evidence under each of `keys` says its send is (`None` when there is no send under it), in
/// the keys' order, read in a few queries whatever their number (a batch's sends on a server archive
/// would otherwise cost round trips each: issue 18).
///
/// REM (docs/rem.md): a REM receipt names the send by its signed `AppLayerIdentifier`, which the kit
/// (and providers that rewrite it) may spell with another domain than the user's own Message-ID. A REM
/// send therefore also takes the plain messages whose key has the same local part (correlation binds a
/// sent copy only by its sender); and such a plain message makes no send of its own.
pub fn compute_many(
    conn: &Db,
    keys: &[String],
) -> crate::db::Result<Vec<(String, Option<SentRecord>)>> {
    let mut found: HashMap<&str, Found> = keys
        .iter()
        .map(|k| (k.as_str(), Found::default()))
        .collect();
    for chunk in keys.chunks(CHUNK) {
        let (marks, chunk) = in_list(chunk);
        let mut stmt =
            conn.prepare_cached(&format!("{} WHERE m.link_key IN ({marks})", item_select()))?;
        let mut rows = stmt.query(params_from_iter(chunk))?;
        while let Some(row) = rows.next()? {
            let key: String = row.get("link_key")?;
            if let Some(f) = found.get_mut(key.as_str()) {
                f.add(&row)?;
            }
        }
    }
    // REM sends take the plain messages that share their local part; other sends give way to a REM
    // message that shares theirs.
    let mut rem_prefixes: HashMap<String, Vec<&str>> = HashMap::new();
    let mut other_prefixes: HashMap<String, Vec<&str>> = HashMap::new();
    for key in keys {
        if let Some(prefix) = local_prefix(key) {
            let by_family = if found[key.as_str()].family == Family::Rem {
                &mut rem_prefixes
            } else {
                &mut other_prefixes
            };
            by_family.entry(prefix).or_default().push(key);
        }
    }
    let rem_prefix_list: Vec<&String> = rem_prefixes.keys().collect();
    for chunk in rem_prefix_list.chunks(CHUNK) {
        let (marks, chunk) = in_list(chunk);
        let mut stmt = conn.prepare_cached(&format!(
            "{} WHERE m.link_local IN ({marks}) AND m.family = 'none'",
            item_select()
        ))?;
        let mut rows = stmt.query(params_from_iter(chunk))?;
        while let Some(row) = rows.next()? {
            let item_key: String = row.get("link_key")?;
            let Some(sends) = local_prefix(&item_key).and_then(|p| rem_prefixes.get(&p)) else {
                continue;
            };
            for send in sends.iter().filter(|s| **s != item_key) {
                if let Some(f) = found.get_mut(send) {
                    f.add(&row)?;
                }
            }
        }
    }
    let mut yielding: BTreeSet<&str> = BTreeSet::new();
    let other_prefix_list: Vec<&String> = other_prefixes.keys().collect();
    for chunk in other_prefix_list.chunks(CHUNK) {
        let (marks, chunk) = in_list(chunk);
        let rem_keys = conn
            .prepare_cached(&format!(
                "SELECT DISTINCT link_local, link_key FROM messages \
                 WHERE family = 'rem' AND link_local IN ({marks})"
            ))?
            .query_map(params_from_iter(chunk), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<crate::db::Result<Vec<_>>>()?;
        for (prefix, rem_key) in rem_keys {
            for key in other_prefixes.get(&prefix).into_iter().flatten() {
                if **key != rem_key {
                    yielding.insert(key);
                }
            }
        }
    }
    Ok(keys
        .iter()
        .map(|key| {
            let found = found.remove(key.as_str()).unwrap_or_default();
            let record = (!yielding.contains(key.as_str()))
                .then(|| found.into_record(key))
                .flatten();
            (key.clone(), record)
        })
        .collect())
}

/// The columns `compute_many` reads of each item.
fn item_select() -> String {
    format!(
        "SELECT m.id, m.sig_status, EXISTS(SELECT 1 FROM origins o WHERE o.raw_id = m.id \
         AND (o.source = 'submitted' OR o.folder_role = 'sent')), \
         NOT EXISTS(SELECT 1 FROM origins o WHERE o.raw_id = m.id \
         AND NOT (o.source = 'imap' AND o.folder_role = 'inbox')), {FACT_COLUMNS} \
         FROM messages m"
    )
}

/// The items found for a send, as correlation evidence.
#[derive(Default)]
struct Found {
    evidence: Vec<pec_core::correlate::Evidence>,
    is_send: bool,
    family: Family,
    earliest_time: Option<String>,
}

impl Found {
    /// The send these items make under `key`, if they make one.
    fn into_record(self, key: &str) -> Option<SentRecord> {
        if !self.is_send {
            return None;
        }
        let outcome = correlate(&LinkKey(key.to_owned()), &self.evidence);
        Some(SentRecord::from_outcome(
            &outcome,
            self.earliest_time,
            self.family,
        ))
    }

    fn add(&mut self, row: &crate::db::Row<'_>) -> crate::db::Result<()> {
        let id: i64 = row.get(0)?;
        let status: String = row.get(1)?;
        let sent_origin: bool = row.get(2)?;
        let arrived: bool = row.get(3)?;
        let facts = FactsRow::read(row)?;
        let kind = facts.kind(id)?;
        if facts.family == Family::Rem.as_str() {
            self.family = Family::Rem;
        }
        if kind.is_receipt() || (kind == PecKind::NotPec && sent_origin) {
            self.is_send = true;
        }
        let sig: SignatureStatus = Cell::new("messages", "sig_status", id).read(&status)?;
        let e = facts.evidence(id, sig, arrived)?;
        if let Some(at) = e.at.map(time)
            && self.earliest_time.as_ref().is_none_or(|t| &at < t)
        {
            self.earliest_time = Some(at);
        }
        self.evidence.push(e);
        Ok(())
    }
}

/// The shortest local part a loose (REM) match is allowed on: a Message-ID's local part is a long
/// unique token; a short one would join strangers.
const MIN_LOCAL_PART: usize = 12;

/// `local@` of a link key (up to its first `@`), when its local part is long enough to match on: the
/// value the database computes as `messages.link_local` (schema version 9), which is what keys are
/// matched by.
fn local_prefix(key: &str) -> Option<String> {
    let (local, _) = key.split_once('@')?;
    (local.chars().count() >= MIN_LOCAL_PART).then(|| format!("{local}@"))
}

/// The keys whose send depends on what is stored under `keys`: the keys themselves and, through REM's
/// loose match, the plain and REM messages that share a key's local part.
pub fn with_siblings(conn: &Db, keys: &BTreeSet<String>) -> crate::db::Result<BTreeSet<String>> {
    let mut all = keys.clone();
    let prefixes: BTreeSet<String> = keys.iter().filter_map(|k| local_prefix(k)).collect();
    let prefixes: Vec<&String> = prefixes.iter().collect();
    for chunk in prefixes.chunks(CHUNK) {
        let (marks, chunk) = in_list(chunk);
        let found = conn
            .prepare_cached(&format!(
                "SELECT DISTINCT link_key FROM messages WHERE link_local IN ({marks}) \
                 AND family IN ('rem', 'none')"
            ))?
            .query_map(params_from_iter(chunk), |r| r.get::<_, String>(0))?
            .collect::<crate::db::Result<Vec<_>>>()?;
        all.extend(found);
    }
    Ok(all)
}

/// Recomputes and stores the send under each of `keys` (or removes it if there is none any more),
/// inside a transaction: a few reads whatever their number, and writes many rows per statement that
/// wait for no answer.
pub fn relink_many(conn: &Db, keys: &[String]) -> crate::db::Result<()> {
    let mut gone = Vec::new();
    let mut sends = RowsIn::new(
        "INSERT INTO sent (link_key, subject, sender, sent_at, accepted_at, sort_at, summary, evidence, \
         findings, family) VALUES",
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        "ON CONFLICT(link_key) DO UPDATE SET subject = excluded.subject, sender = excluded.sender, \
         family = excluded.family, \
         sent_at = excluded.sent_at, accepted_at = excluded.accepted_at, sort_at = excluded.sort_at, \
         summary = excluded.summary, evidence = excluded.evidence, findings = excluded.findings",
    );
    // A send's recipients name it by key: its id is looked up by the insert itself.
    let mut recipients = RowsIn::new(
        "INSERT INTO sent_recipients (sent_id, position, address, type, state, at, reason, decided_by, \
         disputed_by) VALUES",
        "((SELECT id FROM sent WHERE link_key = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        "",
    );
    let mut written = Vec::new();
    for (key, record) in compute_many(conn, keys)? {
        let Some(r) = record else {
            gone.push(key);
            continue;
        };
        sends.push(params![
            r.link_key,
            r.subject,
            r.sender,
            r.sent_at,
            r.accepted_at,
            r.sort_at,
            r.summary,
            r.evidence,
            r.findings,
            r.family
        ]);
        for (i, rcpt) in r.recipients.iter().enumerate() {
            recipients.push(params![
                r.link_key,
                i as i64,
                rcpt.address,
                rcpt.kind,
                rcpt.state,
                rcpt.at,
                rcpt.reason,
                rcpt.decided_by,
                rcpt.disputed_by
            ]);
        }
        written.push(key);
    }
    for chunk in gone.chunks(CHUNK) {
        let (marks, chunk) = in_list(chunk);
        conn.prepare_cached(&format!("DELETE FROM sent WHERE link_key IN ({marks})"))?
            .execute_later(params_from_iter(chunk))?;
    }
    sends.flush(conn)?;
    for chunk in written.chunks(CHUNK) {
        let (marks, chunk) = in_list(chunk);
        conn.prepare_cached(&format!(
            "DELETE FROM sent_recipients WHERE sent_id IN (SELECT id FROM sent WHERE link_key IN ({marks}))"
        ))?
        .execute_later(params_from_iter(chunk))?;
    }
    recipients.flush(conn)
}

/// The send stored under `key`, as stored.
pub fn read(conn: &Db, key: &str) -> crate::db::Result<Option<SentRecord>> {
    let head = conn
        .prepare_cached(
            "SELECT id, link_key, subject, sender, sent_at, accepted_at, sort_at, summary, evidence, findings, \
             family FROM sent WHERE link_key = ?1",
        )?
        .query_row([key], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                SentRecord {
                    link_key: r.get(1)?,
                    subject: r.get(2)?,
                    sender: r.get(3)?,
                    sent_at: r.get(4)?,
                    accepted_at: r.get(5)?,
                    sort_at: r.get(6)?,
                    summary: r.get(7)?,
                    evidence: r.get(8)?,
                    findings: r.get(9)?,
                    family: r.get(10)?,
                    recipients: Vec::new(),
                },
            ))
        })
        .optional()?;
    let Some((id, mut record)) = head else {
        return Ok(None);
    };
    record.recipients = recipients(conn, id)?;
    Ok(Some(record))
}

/// The columns [`RecipientRecord::read`] reads, from `sent_recipients`.
pub const RECIPIENT_COLUMNS: &str = "address, type, state, at, reason, decided_by, disputed_by";

impl RecipientRecord {
    /// A recipient from columns `start..start+7` (in [`RECIPIENT_COLUMNS`] order).
    pub fn read(r: &crate::db::Row<'_>, start: usize) -> crate::db::Result<RecipientRecord> {
        Ok(RecipientRecord {
            address: r.get(start)?,
            kind: r.get(start + 1)?,
            state: r.get(start + 2)?,
            at: r.get(start + 3)?,
            reason: r.get(start + 4)?,
            decided_by: r.get(start + 5)?,
            disputed_by: r.get(start + 6)?,
        })
    }
}

/// The recipients of send `sent_id`, in order.
pub fn recipients(conn: &Db, sent_id: i64) -> crate::db::Result<Vec<RecipientRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RECIPIENT_COLUMNS} FROM sent_recipients WHERE sent_id = ?1 ORDER BY position"
    ))?;
    let rows = stmt.query_map([sent_id], |r| RecipientRecord::read(r, 0))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loose match looks keys up by the database's `link_local`; the key's own prefix is computed
    /// here. Both must say the same of every key, or siblings would be missed.
    #[test]
    fn the_database_and_the_code_cut_a_key_alike() {
        let db = Db::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        crate::migrations::run(&db).unwrap();
        let keys = [
            "abcdefghijkl@example.it",
            "abcdefghijk@example.it",
            "àèìòùàèìòùàè@example.it",
            "àèìòùàèìòù@example.it",
            "abcdefghijklmnop@a@b",
            "no-at-sign-at-all-here",
            "@abcdefghijklmnop",
        ];
        for (i, key) in keys.iter().enumerate() {
            let id = i as i64 + 1;
            db.execute(
                "INSERT INTO raw (id, sha256, size, codec, bytes, archived_at) VALUES (?1, ?2, 0, 'none', x'', '')",
                params![id, vec![i as u8; 32]],
            )
            .unwrap();
            db.execute(
                "INSERT INTO messages (id, kind, virus, link_key, recipients, untyped_recipients, findings, \
                 attachments, sig_status) VALUES (?1, 'not-pec', 0, ?2, '[]', '[]', '[]', '{}', 'unsigned')",
                params![id, key],
            )
            .unwrap();
            let stored: Option<String> = db
                .query_row("SELECT link_local FROM messages WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(stored, local_prefix(key), "{key}");
        }
        assert_eq!(
            local_prefix("abcdefghijkl@example.it").as_deref(),
            Some("abcdefghijkl@")
        );
        assert_eq!(local_prefix("abcdefghijk@example.it"), None);
    }
}
