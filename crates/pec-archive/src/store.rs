//! Archiving a batch: raw bytes once by SHA-256, every new origin, derived facts, the verdict, the search
//! index, the journal entries — then the sends the batch touched are relinked. One transaction per
//! batch: a batch is archived entirely or not at all, so an interrupted import loses nothing that was
//! committed and leaves nothing half-written.

use std::collections::{BTreeSet, HashMap};

use crate::db::{Engine, OptionalExtension, Value, in_list, params, params_from_iter};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::documents::{DocumentChecker, DocumentVerdict};
use crate::error::ArchiveError;
use crate::head::{self, HeadRecord};
use crate::journal::{self, Event, hex, time};
use crate::links;
use crate::open::Archive;
use crate::origin::Origin;
use crate::pending::{Pending, Rows};
use crate::person::Person;
use crate::reading::Reading;
use crate::rows::{FactsRow, put_message, put_search, put_verdict};

/// One message arriving.
pub struct Incoming {
    pub raw: Vec<u8>,
    pub origin: Origin,
    /// When the mailbox server received it (IMAP INTERNALDATE), recorded with the origin: a time the
    /// signer does not choose (issue 13 §4). `None` for files and submissions.
    pub received: Option<DateTime<Utc>>,
    /// The reading of `raw`; needed only when the bytes are new to the archive (see
    /// [`Archive::lookup`]), so known messages are not inspected and verified again.
    pub reading: Option<Reading>,
}

/// What happened to one incoming message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// New bytes: archived under this id.
    New(i64),
    /// Bytes already archived under this id; this origin was new and is now recorded.
    NewOrigin(i64),
    /// Bytes and origin both already archived.
    Known(i64),
}

impl Stored {
    pub fn id(self) -> i64 {
        match self {
            Stored::New(id) | Stored::NewOrigin(id) | Stored::Known(id) => id,
        }
    }
}

/// The result of one batch.
#[derive(Debug, Clone, Default)]
pub struct StoreOutcome {
    pub items: Vec<Stored>,
    /// How many sends were recomputed.
    pub relinked: usize,
}

/// The SHA-256 of raw bytes, the archive's address for them.
pub fn address(raw: &[u8]) -> [u8; 32] {
    Sha256::digest(raw).into()
}

impl Archive {
    /// Where `raw` already is: its id, and whether `origin` is already recorded for it.
    pub fn lookup(
        &self,
        sha256: &[u8; 32],
        origin: &Origin,
    ) -> Result<Option<(i64, bool)>, ArchiveError> {
        let id: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM raw WHERE sha256 = ?1")?
            .query_row([sha256.as_slice()], |r| r.get(0))
            .optional()?;
        let Some(id) = id else { return Ok(None) };
        Ok(Some((id, self.origin_recorded(id, origin)?)))
    }

    /// [`Archive::lookup`] for many messages, in one query for their bytes (an import's workers ask
    /// for several at once: on a server archive each question is a round trip).
    pub fn lookup_many(
        &self,
        asked: &[([u8; 32], &Origin)],
    ) -> Result<Vec<Option<(i64, bool)>>, ArchiveError> {
        let known = known_in(&self.conn, asked.iter().map(|(sha, _)| sha))?;
        asked
            .iter()
            .map(|(sha, origin)| match known.get(sha) {
                Some((id, _)) => Ok(Some((*id, self.origin_recorded(*id, origin)?))),
                None => Ok(None),
            })
            .collect()
    }

    fn origin_recorded(&self, id: i64, origin: &Origin) -> crate::db::Result<bool> {
        let found = match origin {
            Origin::Imap {
                account,
                folder,
                uidvalidity,
                uid,
                ..
            } => self
                .conn
                .prepare_cached(
                    "SELECT 1 FROM origins WHERE source = 'imap' AND account = ?1 AND folder = ?2 \
                     AND uidvalidity = ?3 AND uid = ?4",
                )?
                .exists(params![account, folder, uidvalidity, uid])?,
            // The same file imported for another mailbox (or for none) is another arrival.
            Origin::File {
                path,
                part,
                mailbox,
            } => self
                .conn
                .prepare_cached(
                    "SELECT 1 FROM origins WHERE source = 'file' AND path = ?1 AND part = ?2 AND raw_id = ?3 \
                     AND coalesce(account, '') = ?4",
                )?
                .exists(params![path, part, id, mailbox.as_deref().unwrap_or("")])?,
            Origin::Submitted { account, .. } => self
                .conn
                .prepare_cached(
                    "SELECT 1 FROM origins WHERE source = 'submitted' AND account = ?1 AND raw_id = ?2",
                )?
                .exists(params![account, id])?,
        };
        Ok(found)
    }

    /// Archives a batch in one transaction. A new message without a reading is an error (nothing of
    /// the batch is written).
    pub fn store(
        &mut self,
        batch: Vec<Incoming>,
        now: DateTime<Utc>,
    ) -> Result<StoreOutcome, ArchiveError> {
        let _lock = self.lock()?;
        let tx = self.conn.transaction()?;
        let (outcome, events) = store_in(
            &tx,
            batch.into_iter().map(|i| (i, Seen::at(now))),
            now,
            self.documents.as_deref(),
        )?;
        commit_with_journal(&self.head_path, tx, events, now, self.actor.as_ref())?;
        Ok(outcome)
    }
}

/// When an incoming message was first seen: now, or — for a message moved from another archive
/// (`migrate`) — when that archive first saw it and each origin, so the first sight, a time witness
/// (issue 13 §4), moves with the evidence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seen {
    /// The message's first sight (its `raw.archived_at` when it is new here).
    pub message: DateTime<Utc>,
    /// This origin's first sight.
    pub origin: DateTime<Utc>,
}

impl Seen {
    pub(crate) fn at(now: DateTime<Utc>) -> Seen {
        Seen {
            message: now,
            origin: now,
        }
    }
}

/// The work of [`Archive::store`] inside the caller's transaction: returns what happened and the
/// journal entries to append.
///
/// The batch is looked up at once ([`known_in`]) and its new rows are inserted together, many per
/// statement, without waiting for answers ([`Pending`]): on PostgreSQL a batch then costs a few
/// statements per table instead of a dozen per message (issue 18).
///
/// A new message's signed attachments are recorded with it (issue 15 §6): the verdicts its reading
/// carries, else those `documents` gives now.
pub(crate) fn store_in(
    tx: &crate::db::Tx<'_>,
    batch: impl IntoIterator<Item = (Incoming, Seen)>,
    now: DateTime<Utc>,
    documents: Option<&dyn DocumentChecker>,
) -> Result<(StoreOutcome, Vec<Event>), ArchiveError> {
    let batch: Vec<(Incoming, Seen, [u8; 32])> = batch
        .into_iter()
        .map(|(incoming, seen)| {
            let sha = address(&incoming.raw);
            (incoming, seen, sha)
        })
        .collect();
    let mut known = known_in(tx, batch.iter().map(|(_, _, sha)| sha))?;
    let mut ids = RawIds::reserve(
        tx,
        batch.iter().filter(|b| !known.contains_key(&b.2)).count(),
    )?;
    let mut pending = Pending::new(tx.engine(), Rows::New);
    let mut events = Vec::new();
    let mut touched: BTreeSet<String> = BTreeSet::new();
    let mut items = Vec::new();
    let mut signed: Vec<(i64, [u8; 32], Vec<DocumentVerdict>)> = Vec::new();
    let mut written = 0usize;
    for (incoming, seen, sha) in batch {
        let stored = match known.get(&sha).cloned() {
            Some((id, key)) => {
                // Whether the origin is new is the insert's answer: what the batch holds goes first.
                pending.flush(tx)?;
                if insert_origin(tx, id, &incoming.origin, incoming.received, seen.origin)? {
                    events.push(Event::Origin {
                        sha256: hex(&sha),
                        origin: incoming.origin.clone(),
                        received: incoming.received.map(time),
                    });
                    if incoming.origin.is_sent_copy() {
                        touched.extend(key);
                    }
                    Stored::NewOrigin(id)
                } else {
                    Stored::Known(id)
                }
            }
            None => {
                let Some(reading) = incoming.reading else {
                    return Err(ArchiveError::NoSuchItem(format!(
                        "{} (new message handed in without a reading)",
                        hex(&sha)
                    )));
                };
                let (codec, stored) = match reading.packed {
                    Some(p) if p.sha256 == sha => (p.codec, p.bytes),
                    _ => crate::blob::pack(&incoming.raw),
                };
                let (size, archived_at) = (incoming.raw.len() as i64, time(seen.message));
                let id = match ids.next() {
                    Some(id) => {
                        pending.raw.push(params![
                            id,
                            sha.as_slice(),
                            size,
                            codec.as_str(),
                            stored,
                            archived_at
                        ]);
                        id
                    }
                    None => tx
                        .prepare_cached(
                            "INSERT INTO raw (sha256, size, codec, bytes, archived_at) \
                             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                        )?
                        .query_row(
                            params![sha.as_slice(), size, codec.as_str(), stored, archived_at],
                            |r| r.get(0),
                        )?,
                };
                // New bytes: this origin cannot be recorded yet (an IMAP origin already recorded
                // with other bytes keeps those, as before).
                pending.origins.push(OriginRow::new(
                    id,
                    &incoming.origin,
                    incoming.received,
                    seen.origin,
                ));
                let digest = put_verdict(&mut pending, id, &reading.verdict, now);
                let row = FactsRow::from_facts(&reading.facts);
                put_message(
                    &mut pending,
                    id,
                    &row,
                    reading.verdict.status,
                    reading.verdict.signed_at,
                );
                put_search(tx, &mut pending, id, &reading.search)?;
                let verdicts = match (reading.documents, documents) {
                    (Some(verdicts), _) => verdicts,
                    (None, Some(checker)) => {
                        DocumentVerdict::all_of(&checker.check(&incoming.raw, now))
                    }
                    (None, None) => Vec::new(),
                };
                if !verdicts.is_empty() {
                    signed.push((id, sha, verdicts));
                }
                known.insert(sha, (id, row.link_key.clone()));
                touched.extend(row.link_key);
                // On PostgreSQL the server inserts these while the next ones are prepared.
                written += 1;
                if written.is_multiple_of(ROWS_SENT_TOGETHER) {
                    pending.flush(tx)?;
                }
                events.push(Event::Archived {
                    sha256: hex(&sha),
                    size: incoming.raw.len() as u64,
                    origin: incoming.origin,
                    received: incoming.received.map(time),
                    verdict: digest,
                });
                Stored::New(id)
            }
        };
        items.push(stored);
    }
    pending.flush(tx)?;
    // After the messages they belong to are written.
    for (id, sha, verdicts) in &signed {
        events.extend(crate::documents::record(tx, *id, sha, verdicts, &[])?);
    }
    let relinked: Vec<String> = links::with_siblings(tx, &touched)?.into_iter().collect();
    links::relink_many(tx, &relinked)?;
    Ok((
        StoreOutcome {
            items,
            relinked: touched.len(),
        },
        events,
    ))
}

/// How many new messages' rows are sent to the engine together (one multi-row insert per table: see
/// `RowsIn`).
const ROWS_SENT_TOGETHER: usize = 64;

/// How many messages [`known_in`] looks up per query.
const LOOKUP_CHUNK: usize = 256;

/// Messages archived already, by SHA-256: their id and link key.
type Known = HashMap<[u8; 32], (i64, Option<String>)>;

/// Which of `shas` are archived already.
fn known_in<'a>(
    conn: &crate::db::Db,
    shas: impl Iterator<Item = &'a [u8; 32]>,
) -> crate::db::Result<Known> {
    let shas: Vec<&[u8; 32]> = shas.collect();
    let mut known = HashMap::new();
    for chunk in shas.chunks(LOOKUP_CHUNK) {
        let (marks, chunk) = in_list(chunk);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT r.sha256, r.id, m.link_key FROM raw r LEFT JOIN messages m ON m.id = r.id \
             WHERE r.sha256 IN ({marks})"
        ))?;
        let rows = stmt.query_map(params_from_iter(chunk.iter().map(|s| s.as_slice())), |r| {
            let sha: Vec<u8> = r.get(0)?;
            Ok((sha, r.get::<_, i64>(1)?, r.get::<_, Option<String>>(2)?))
        })?;
        for row in rows {
            let (sha, id, key) = row?;
            if let Ok(sha) = <[u8; 32]>::try_from(sha.as_slice()) {
                known.insert(sha, (id, key));
            }
        }
    }
    Ok(known)
}

/// The ids new raw messages of a batch take. On PostgreSQL they are drawn from the identity's
/// sequence at once, so the inserts need not wait to learn them; on SQLite (no round trips) each
/// insert returns its own.
struct RawIds(std::vec::IntoIter<i64>);

impl RawIds {
    fn reserve(conn: &crate::db::Db, n: usize) -> crate::db::Result<RawIds> {
        let ids = match conn.engine() {
            Engine::Postgres if n > 0 => conn
                .prepare_cached(
                    "SELECT nextval(pg_get_serial_sequence('raw', 'id')) FROM generate_series(1, ?1)",
                )?
                .query_map([n as i64], |r| r.get(0))?
                .collect::<crate::db::Result<Vec<i64>>>()?,
            _ => Vec::new(),
        };
        Ok(RawIds(ids.into_iter()))
    }

    fn next(&mut self) -> Option<i64> {
        self.0.next()
    }
}

/// Records `origin` for raw message `id`, first seen at `seen`; false if it was already recorded.
fn insert_origin(
    conn: &crate::db::Db,
    id: i64,
    origin: &Origin,
    received: Option<DateTime<Utc>>,
    seen: DateTime<Utc>,
) -> crate::db::Result<bool> {
    let n = origin_statement(conn)?.execute(OriginRow::new(id, origin, received, seen))?;
    Ok(n == 1)
}

/// The statement that records one origin (nothing when it is recorded already).
fn origin_statement(conn: &crate::db::Db) -> crate::db::Result<crate::db::Statement<'_>> {
    conn.prepare_cached(
        "INSERT INTO origins (raw_id, source, account, folder, folder_role, uidvalidity, uid, path, part, seen_at, received_at, sent_by, sent_by_email) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT DO NOTHING",
    )
}

/// The parameters of [`origin_statement`] for one origin of raw message `id`.
struct OriginRow(Vec<Value>);

impl OriginRow {
    fn new(
        id: i64,
        origin: &Origin,
        received: Option<DateTime<Utc>>,
        seen: DateTime<Utc>,
    ) -> OriginRow {
        let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::Text(s.to_owned()));
        let int = |n: Option<i64>| n.map_or(Value::Null, Value::Integer);
        let (account, folder, role, uidvalidity, uid, path, part) = match origin {
            Origin::Imap {
                account,
                folder,
                role,
                uidvalidity,
                uid,
            } => (
                Some(account.as_str()),
                Some(folder.as_str()),
                Some(role.as_str()),
                Some(i64::from(*uidvalidity)),
                Some(i64::from(*uid)),
                None,
                None,
            ),
            Origin::File {
                path,
                part,
                mailbox,
            } => (
                mailbox.as_deref(),
                None,
                None,
                None,
                None,
                Some(path.as_str()),
                Some(i64::from(*part)),
            ),
            Origin::Submitted { account, .. } => {
                (Some(account.as_str()), None, None, None, None, None, None)
            }
        };
        let sender = origin.sent_by();
        OriginRow(vec![
            Value::Integer(id),
            Value::Text(origin.source().as_str().to_owned()),
            text(account),
            text(folder),
            text(role),
            int(uidvalidity),
            int(uid),
            text(path),
            int(part),
            Value::Text(time(seen)),
            text(received.map(time).as_deref()),
            text(sender.map(|p| p.name.as_str())),
            text(sender.and_then(|p| p.email.as_deref())),
        ])
    }
}

impl crate::db::Params for OriginRow {
    fn bind(&self) -> Vec<crate::db::Param<'_>> {
        self.0.iter().map(crate::db::ToParam::to_param).collect()
    }
}

/// Appends `events`, done `by` that person, to the journal and commits, keeping the head file in step
/// (see `head`).
pub(crate) fn commit_with_journal(
    head_path: &std::path::Path,
    tx: crate::db::Tx<'_>,
    events: Vec<Event>,
    now: DateTime<Utc>,
    by: Option<&Person>,
) -> Result<(), ArchiveError> {
    if events.is_empty() {
        tx.commit()?;
        return Ok(());
    }
    let before = journal::head(&tx)?;
    let after = journal::append(&tx, before, now, by, events)?;
    head::write(
        head_path,
        HeadRecord {
            committed: before,
            pending: Some(after),
        },
    )?;
    tx.commit()?;
    head::write(
        head_path,
        HeadRecord {
            committed: after,
            pending: None,
        },
    )
}
