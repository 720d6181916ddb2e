//! Links from each send to its evidence, materialised in `sent` and `sent_recipients` (PEC rules §7).
//!
//! A send exists under a key once a receipt names that key, or once a sent copy with that Message-ID
//! is known to be one (it came from a Sent folder or from Attesta's own submission). Whenever an item
//! with a key is stored, the key's send is recomputed with `pec_core::correlate` from everything under
//! that key; so arrival order never matters. The stored form is [`SentRecord`], the same whether
//! written now or recomputed by `archive check`.

use crate::db::{Db, OptionalExtension, params};
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

/// What the evidence under `key` says the send is; `None` when there is no send under it.
///
/// REM (docs/rem.md): a REM receipt names the send by its signed `AppLayerIdentifier`, which the kit
/// (and providers that rewrite it) may spell with another domain than the user's own Message-ID. A REM
/// send therefore also takes the plain messages whose key has the same local part (correlation binds a
/// sent copy only by its sender); and such a plain message makes no send of its own.
pub fn compute(conn: &Db, key: &str) -> crate::db::Result<Option<SentRecord>> {
    let mut found = Found::default();
    let mut stmt = conn.prepare_cached(&format!("{} WHERE m.link_key = ?1", item_select()))?;
    let mut rows = stmt.query([key])?;
    while let Some(row) = rows.next()? {
        found.add(&row)?;
    }
    let prefix = local_prefix(key);
    if found.family == Family::Rem
        && let Some(prefix) = &prefix
    {
        let mut stmt = conn.prepare_cached(&format!(
            "{} WHERE m.family = 'none' AND m.link_key != ?1 \
             AND substr(m.link_key, 1, length(?2)) = ?2",
            item_select()
        ))?;
        let mut rows = stmt.query(params![key, prefix])?;
        while let Some(row) = rows.next()? {
            found.add(&row)?;
        }
    }
    if found.family != Family::Rem
        && let Some(prefix) = &prefix
        && !rem_keys_like(conn, key, prefix)?.is_empty()
    {
        return Ok(None);
    }
    let Found {
        evidence,
        is_send,
        family,
        earliest_time,
    } = found;
    if !is_send {
        return Ok(None);
    }
    let outcome = correlate(&LinkKey(key.to_owned()), &evidence);
    Ok(Some(SentRecord::from_outcome(
        &outcome,
        earliest_time,
        family,
    )))
}

/// The columns `compute` reads of each item.
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

/// `local@` of a link key, when its local part is long enough to match on.
fn local_prefix(key: &str) -> Option<String> {
    let (local, _) = key.rsplit_once('@')?;
    (local.len() >= MIN_LOCAL_PART).then(|| format!("{local}@"))
}

/// The keys of REM messages other than `key` with the local part `prefix`.
fn rem_keys_like(conn: &Db, key: &str, prefix: &str) -> crate::db::Result<Vec<String>> {
    conn.prepare_cached(
        "SELECT DISTINCT link_key FROM messages WHERE family = 'rem' AND link_key != ?1 \
         AND substr(link_key, 1, length(?2)) = ?2",
    )?
    .query_map(params![key, prefix], |r| r.get(0))?
    .collect()
}

/// The other keys whose send depends on what is stored under `key` (REM's loose match: the plain
/// messages and the REM messages that share its local part).
pub fn siblings(conn: &Db, key: &str) -> crate::db::Result<Vec<String>> {
    let Some(prefix) = local_prefix(key) else {
        return Ok(Vec::new());
    };
    conn.prepare_cached(
        "SELECT DISTINCT link_key FROM messages WHERE link_key != ?1 \
         AND substr(link_key, 1, length(?2)) = ?2 AND family IN ('rem', 'none')",
    )?
    .query_map(params![key, prefix], |r| r.get(0))?
    .collect()
}

/// Recomputes and stores the send under `key` (or removes it if there is none any more).
pub fn relink(conn: &Db, key: &str) -> crate::db::Result<()> {
    match compute(conn, key)? {
        Some(record) => write(conn, &record),
        None => {
            conn.prepare_cached("DELETE FROM sent WHERE link_key = ?1")?
                .execute([key])?;
            Ok(())
        }
    }
}

fn write(conn: &Db, r: &SentRecord) -> crate::db::Result<()> {
    conn.prepare_cached(
        "INSERT INTO sent (link_key, subject, sender, sent_at, accepted_at, sort_at, summary, evidence, findings, family) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
         ON CONFLICT(link_key) DO UPDATE SET subject = excluded.subject, sender = excluded.sender, \
         family = excluded.family, \
         sent_at = excluded.sent_at, accepted_at = excluded.accepted_at, sort_at = excluded.sort_at, \
         summary = excluded.summary, evidence = excluded.evidence, findings = excluded.findings",
    )?
    .execute(params![
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
    ])?;
    let sent_id: i64 = conn
        .prepare_cached("SELECT id FROM sent WHERE link_key = ?1")?
        .query_row([&r.link_key], |row| row.get(0))?;
    conn.prepare_cached("DELETE FROM sent_recipients WHERE sent_id = ?1")?
        .execute([sent_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO sent_recipients (sent_id, position, address, type, state, at, reason, decided_by, \
         disputed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (i, rcpt) in r.recipients.iter().enumerate() {
        insert.execute(params![
            sent_id,
            i as i64,
            rcpt.address,
            rcpt.kind,
            rcpt.state,
            rcpt.at,
            rcpt.reason,
            rcpt.decided_by,
            rcpt.disputed_by
        ])?;
    }
    Ok(())
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
