//! `archive check`: proves the archive holds what was archived, or says exactly what changed.
//!
//! Re-hashes every stored message, walks the hash chain (and compares its end with the head file),
//! compares every message, origin and verdict with what the chain says was recorded, and recomputes
//! every derived row and every send from the raw bytes. Anything edited, removed or inserted behind
//! Attesta's back is reported with what it was. Read-only.

use std::collections::{BTreeMap, HashMap};

use pec_core::inspect;
use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ArchiveError;
use crate::facts::Facts;
use crate::head;
use crate::item::read_origin;
use crate::journal::{self, ChainBreak, Event, Head, VerdictDigest, hex};
use crate::links;
use crate::open::Archive;
use crate::origin::Origin;
use crate::rows::{FACT_COLUMNS, FactsRow};

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
    /// A verdict differs from the one recorded.
    VerdictAltered,
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
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What the journal says was recorded for one message.
#[derive(Default)]
struct Recorded {
    size: u64,
    at: String,
    origins: Vec<Origin>,
    verdict: Option<VerdictDigest>,
}

impl Archive {
    /// Checks the whole archive.
    pub fn check(&self) -> Result<CheckReport, ArchiveError> {
        let conn = &self.conn;
        let mut problems = Vec::new();
        let mut add = |code, id, message: String| problems.push(Problem { code, id, message });

        let quick: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if quick != "ok" {
            add(
                ProblemCode::DatabaseDamaged,
                None,
                format!("SQLite reports damage: {quick}"),
            );
        }

        // 1. The chain, and its end against the head file.
        let walk = journal::walk(conn)?;
        for b in &walk.breaks {
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
        head_file(&self.head_path, walk.head, &mut add);

        // 2. What was recorded, message by message.
        let mut recorded: HashMap<String, Recorded> = HashMap::new();
        for entry in &walk.entries {
            match &entry.event {
                Event::Archived {
                    sha256,
                    size,
                    origin,
                    verdict,
                } => {
                    let r = recorded.entry(sha256.clone()).or_default();
                    r.size = *size;
                    r.at.clone_from(&entry.at);
                    r.origins.push(origin.clone());
                    r.verdict = Some(verdict.clone());
                }
                Event::Origin { sha256, origin } => {
                    recorded
                        .entry(sha256.clone())
                        .or_default()
                        .origins
                        .push(origin.clone());
                }
                Event::Verdict { sha256, verdict } => {
                    recorded.entry(sha256.clone()).or_default().verdict = Some(verdict.clone());
                }
            }
        }

        // 3. Every stored message against the record, and its derived row against its bytes.
        let mut messages = 0u64;
        let mut stmt = conn.prepare(&format!(
            "SELECT r.id, r.sha256, r.size, r.bytes, m.id, m.sig_status, m.signed_at, {FACT_COLUMNS}, r.codec \
             FROM raw r LEFT JOIN messages m ON m.id = r.id ORDER BY r.id"
        ))?;
        let mut rows = stmt.query([])?;
        let mut seen: HashMap<String, i64> = HashMap::new();
        while let Some(row) = rows.next()? {
            messages += 1;
            let id: i64 = row.get(0)?;
            let stored_sha = hex(&row.get::<_, Vec<u8>>(1)?);
            let stored_size: i64 = row.get(2)?;
            let codec: String = row.get(27)?;
            // NOTE: read whatever type the cell holds now (an edit may have stored text): a changed cell is
            // a finding to report, never an error that stops the check.
            let cell: &[u8] = match row.get_ref(3)? {
                rusqlite::types::ValueRef::Blob(b) | rusqlite::types::ValueRef::Text(b) => b,
                _ => &[],
            };
            let (bytes, unreadable) = match crate::blob::unpack(&codec, cell, stored_size as u64) {
                Ok(b) => (b, None),
                Err(why) => (Vec::new(), Some(why)),
            };
            let actual_sha = hex(&Sha256::digest(&bytes));
            seen.insert(stored_sha.clone(), id);
            let Some(rec) = recorded.get(&stored_sha) else {
                add(
                    ProblemCode::MessageInserted,
                    Some(id),
                    format!(
                        "message {id} ({} bytes, SHA-256 {actual_sha}) was never archived by Attesta: it was inserted behind its back",
                        bytes.len()
                    ),
                );
                continue;
            };
            if let Some(why) = &unreadable {
                add(
                    ProblemCode::BytesAltered,
                    Some(id),
                    format!(
                        "message {id} was altered: archived on {} as {} bytes with SHA-256 {stored_sha}, its stored bytes are now unreadable ({why})",
                        rec.at, rec.size
                    ),
                );
                continue;
            }
            if actual_sha != stored_sha
                || stored_size as u64 != rec.size
                || bytes.len() as u64 != rec.size
            {
                add(
                    ProblemCode::BytesAltered,
                    Some(id),
                    format!(
                        "message {id} was altered: archived on {} as {} bytes with SHA-256 {stored_sha}, it now has {} bytes with SHA-256 {actual_sha}",
                        rec.at,
                        rec.size,
                        bytes.len()
                    ),
                );
            }
            check_origins(conn, id, rec, &mut add)?;
            let message_row: Option<i64> = row.get(4)?;
            if message_row.is_none() {
                add(
                    ProblemCode::FactsAltered,
                    Some(id),
                    format!("message {id} has no derived facts (run `attesta archive rebuild`)"),
                );
                continue;
            }
            let sig_status: String = row.get(5)?;
            let signed_at: Option<String> = row.get(6)?;
            check_verdict(conn, id, rec, &sig_status, signed_at.as_deref(), &mut add)?;
            let stored = FactsRow::read(row, 7)?;
            let fresh = FactsRow::from_facts(&Facts::derive(&inspect(&bytes)));
            if stored != fresh {
                add(
                    ProblemCode::FactsAltered,
                    Some(id),
                    format!(
                        "message {id}: derived data differs from what its bytes say ({}); run `attesta archive rebuild`",
                        differences(&stored, &fresh)
                    ),
                );
            }
        }
        drop(rows);
        drop(stmt);
        for (sha, rec) in &recorded {
            if rec.size > 0 && !seen.contains_key(sha) {
                let from = rec
                    .origins
                    .first()
                    .map(Origin::describe)
                    .unwrap_or_default();
                add(
                    ProblemCode::MessageRemoved,
                    None,
                    format!(
                        "a message was removed: {} bytes with SHA-256 {sha}, archived on {} from {from}",
                        rec.size, rec.at
                    ),
                );
            }
        }

        // 4. Every send against its evidence.
        let sends = check_sends(conn, &mut add)?;

        problems.sort_by_key(|p| (p.id.is_none(), p.id));
        Ok(CheckReport {
            messages,
            journal_entries: walk.entries.len() as u64,
            sends,
            head_seq: walk.head.seq,
            head_hash: walk.head.hash_hex(),
            problems,
        })
    }
}

type Add<'a> = dyn FnMut(ProblemCode, Option<i64>, String) + 'a;

fn head_file(path: &std::path::Path, db_head: Head, add: &mut Add<'_>) {
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

fn check_origins(
    conn: &Connection,
    id: i64,
    rec: &Recorded,
    add: &mut Add<'_>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT source, account, folder, folder_role, uidvalidity, uid, path, part, id FROM origins WHERE raw_id = ?1",
    )?;
    let mut stored: Vec<Origin> = stmt
        .query_map([id], read_origin)?
        .collect::<rusqlite::Result<_>>()?;
    for origin in &rec.origins {
        match stored.iter().position(|o| o == origin) {
            Some(i) => {
                stored.swap_remove(i);
            }
            None => add(
                ProblemCode::OriginRemoved,
                Some(id),
                format!(
                    "message {id}: its recorded origin \"{}\" was removed or edited",
                    origin.describe()
                ),
            ),
        }
    }
    for origin in stored {
        add(
            ProblemCode::OriginInserted,
            Some(id),
            format!(
                "message {id}: origin \"{}\" was never recorded by Attesta",
                origin.describe()
            ),
        );
    }
    Ok(())
}

fn check_verdict(
    conn: &Connection,
    id: i64,
    rec: &Recorded,
    sig_status: &str,
    signed_at: Option<&str>,
    add: &mut Add<'_>,
) -> rusqlite::Result<()> {
    let Some(expected) = &rec.verdict else {
        return Ok(());
    };
    let latest = conn
        .prepare_cached(
            "SELECT v.status, v.signed_at, t.report, t.sha256 FROM verdicts v JOIN verdict_texts t ON t.id = v.text_id \
             WHERE v.raw_id = ?1 ORDER BY v.id DESC LIMIT 1",
        )?
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Vec<u8>>(3)?,
            ))
        })?
        .next()
        .transpose()?;
    let was = format!(
        "`{}`{}",
        expected.status.as_str(),
        expected
            .signed_at
            .as_deref()
            .map(|t| format!(" (signed at {t})"))
            .unwrap_or_default()
    );
    match latest {
        None => add(
            ProblemCode::VerdictAltered,
            Some(id),
            format!("message {id}: its recorded verdict {was} was removed"),
        ),
        Some((status, at, report, text_sha)) => {
            let report_sha = hex(&Sha256::digest(report.as_bytes()));
            if status != expected.status.as_str() || at != expected.signed_at {
                add(
                    ProblemCode::VerdictAltered,
                    Some(id),
                    format!(
                        "message {id}: the verdict recorded was {was}; the database now says `{status}`"
                    ),
                );
            } else if report_sha != expected.report_sha256
                || hex(&text_sha) != expected.report_sha256
            {
                add(
                    ProblemCode::VerdictAltered,
                    Some(id),
                    format!("message {id}: the text of its recorded verdict {was} was edited"),
                );
            }
        }
    }
    if sig_status != expected.status.as_str() || signed_at != expected.signed_at.as_deref() {
        add(
            ProblemCode::VerdictAltered,
            Some(id),
            format!(
                "message {id}: its listed signature status is `{sig_status}`, but the verdict recorded was {was}"
            ),
        );
    }
    Ok(())
}

fn check_sends(conn: &Connection, add: &mut Add<'_>) -> rusqlite::Result<u64> {
    let mut keys: BTreeMap<String, bool> = BTreeMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT DISTINCT link_key FROM messages WHERE link_key IS NOT NULL")?;
        for key in stmt.query_map([], |r| r.get::<_, String>(0))? {
            keys.insert(key?, false);
        }
        let mut stmt = conn.prepare("SELECT link_key FROM sent")?;
        for key in stmt.query_map([], |r| r.get::<_, String>(0))? {
            keys.insert(key?, true);
        }
    }
    let mut sends = 0;
    for key in keys.keys() {
        let expected = links::compute(conn, key)?;
        let stored = links::read(conn, key)?;
        if stored.is_some() {
            sends += 1;
        }
        match (expected, stored) {
            (None, None) => {}
            (Some(_), None) => add(
                ProblemCode::SendAltered,
                None,
                format!(
                    "the send <{key}> was removed (its evidence is still archived); run `attesta archive rebuild`"
                ),
            ),
            (None, Some(_)) => add(
                ProblemCode::SendAltered,
                None,
                format!("the send <{key}> is listed, but no archived evidence makes it a send"),
            ),
            (Some(e), Some(s)) if e != s => {
                add(ProblemCode::SendAltered, None, send_difference(key, &e, &s));
            }
            _ => {}
        }
    }
    Ok(sends)
}

fn send_difference(key: &str, expected: &links::SentRecord, stored: &links::SentRecord) -> String {
    for (i, e) in expected.recipients.iter().enumerate() {
        match stored.recipients.get(i) {
            Some(s) if s == e => {}
            Some(s) if s.address == e.address => {
                return format!(
                    "the send <{key}>: recipient {} is listed as `{}`, but its evidence says `{}`; run `attesta archive rebuild`",
                    e.address, s.state, e.state
                );
            }
            _ => {
                return format!(
                    "the send <{key}>: recipient {} is missing from its list; run `attesta archive rebuild`",
                    e.address
                );
            }
        }
    }
    if stored.recipients.len() > expected.recipients.len() {
        return format!("the send <{key}> lists recipients its evidence does not name");
    }
    if stored.summary != expected.summary {
        return format!(
            "the send <{key}> is summarised as `{}`, but its evidence says `{}`",
            stored.summary, expected.summary
        );
    }
    format!("the send <{key}> differs from what its evidence says; run `attesta archive rebuild`")
}

fn differences(stored: &FactsRow, fresh: &FactsRow) -> String {
    let mut out = Vec::new();
    let mut cmp = |name: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{name}: stored {a:?}, derived {b:?}"));
        }
    };
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    cmp("kind", stored.kind.clone(), fresh.kind.clone());
    cmp("virus", stored.virus.to_string(), fresh.virus.to_string());
    cmp("provider", o(&stored.provider), o(&fresh.provider));
    cmp("sender", o(&stored.sender), o(&fresh.sender));
    cmp("subject", o(&stored.subject), o(&fresh.subject));
    cmp(
        "identificativo",
        o(&stored.identificativo),
        o(&fresh.identificativo),
    );
    cmp("msgid", o(&stored.msgid), o(&fresh.msgid));
    cmp("message_id", o(&stored.message_id), o(&fresh.message_id));
    cmp("link_key", o(&stored.link_key), o(&fresh.link_key));
    cmp("link_basis", o(&stored.link_basis), o(&fresh.link_basis));
    cmp("consegna", o(&stored.consegna), o(&fresh.consegna));
    cmp(
        "certified_at",
        o(&stored.certified_at),
        o(&fresh.certified_at),
    );
    cmp(
        "receipt_type",
        o(&stored.receipt_type),
        o(&fresh.receipt_type),
    );
    cmp("errore", stored.errore.clone(), fresh.errore.clone());
    cmp(
        "errore_esteso",
        o(&stored.errore_esteso),
        o(&fresh.errore_esteso),
    );
    cmp(
        "recipients",
        stored.recipients.clone(),
        fresh.recipients.clone(),
    );
    cmp(
        "untyped_recipients",
        stored.untyped_recipients.clone(),
        fresh.untyped_recipients.clone(),
    );
    cmp("date", o(&stored.date), o(&fresh.date));
    cmp("findings", stored.findings.clone(), fresh.findings.clone());
    cmp(
        "attachments",
        stored.attachments.clone(),
        fresh.attachments.clone(),
    );
    out.join("; ")
}
