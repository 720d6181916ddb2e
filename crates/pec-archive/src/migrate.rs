//! Moving evidence from one archive to another (issue 18 §5): a person's SQLite file into the firm's
//! shared archive on PostgreSQL, or back to a file for one person.
//!
//! Every message goes over with its exact bytes, every origin with its INTERNALDATE, its first sight
//! and — for a submission — its sender (issue 18 §3), and its latest recorded verdict (so nothing is verified again, and nothing judged differently
//! on the way). The target takes them through its own store, so its hash chain records each arrival;
//! the source is only read. One transaction per chunk: a move cut short keeps what it wrote, and the
//! next run goes on — a message the target holds with all its origins adds nothing, so a second run
//! adds nothing at all. [`Archive::migrate_into`] ends by proving it: every message of the source is in
//! the target, byte for byte, with every origin.

use chrono::{DateTime, Utc};

use crate::db::Engine;
use crate::error::ArchiveError;
use crate::item::{ORIGIN_COLUMNS, read_origin};
use crate::journal::{hex, parse_time};
use crate::open::Archive;
use crate::origin::Origin;
use crate::reading::{Reading, understand};
use crate::rows::latest_verdict;
use crate::store::{Incoming, Seen, Stored, commit_with_journal, store_in};

/// Messages per transaction on the target.
const CHUNK: i64 = 200;

/// What a move did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MigrateReport {
    /// Messages in the source.
    pub messages: u64,
    /// Of those, new to the target.
    pub new: u64,
    /// Origins the target did not have yet (of messages new or known).
    pub origins_added: u64,
    /// What the final comparison found missing or different in the target (empty: nothing lost).
    pub missing: Vec<String>,
}

/// One source message: id, SHA-256, bytes, first sight.
type Moving = (i64, [u8; 32], Vec<u8>, DateTime<Utc>);

/// One origin of a source message, with its times.
struct Arrival {
    origin: Origin,
    received: Option<DateTime<Utc>>,
    seen: DateTime<Utc>,
}

impl Archive {
    /// Copies every message of this archive into `target` (see the module's header), telling
    /// `progress(done, total)` as it goes. `now` is when the target's journal records the move, and the
    /// person `target` acts as is who made it (the sender of a submission stays its sender).
    pub fn migrate_into(
        &self,
        target: &mut Archive,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<MigrateReport, ArchiveError> {
        let total = self.message_count()?;
        let mut report = MigrateReport {
            messages: total,
            ..MigrateReport::default()
        };
        let mut after = 0i64;
        let mut done = 0u64;
        loop {
            let chunk = self.chunk_after(after)?;
            let Some(last) = chunk.last() else { break };
            after = last.0;
            let mut batch = Vec::new();
            for (id, sha, raw, first_seen) in chunk {
                let known = target.holds(&sha)?;
                let reading = if known {
                    None
                } else {
                    let verdict =
                        latest_verdict(&self.conn, id)?
                            .map(|(v, _)| v)
                            .ok_or_else(|| ArchiveError::Damaged {
                                id,
                                detail: "no verdict recorded".into(),
                            })?;
                    let (inspection, rem, _) = understand(&raw, None);
                    let mut reading = Reading::with_verdict(inspection, rem.as_ref(), verdict);
                    // The attachments' latest verdicts move as they were reached (when, with what trust).
                    reading.documents = Some(self.document_verdicts(id)?);
                    Some(reading)
                };
                for (n, arrival) in self.arrivals(id)?.into_iter().enumerate() {
                    batch.push((
                        Incoming {
                            raw: raw.clone(),
                            origin: arrival.origin,
                            received: arrival.received,
                            reading: if n == 0 { reading.clone() } else { None },
                        },
                        Seen {
                            message: first_seen,
                            origin: arrival.seen,
                        },
                    ));
                }
                done += 1;
            }
            let outcome = {
                let _lock = target.lock()?;
                let tx = target.conn.transaction()?;
                let (outcome, events) = store_in(&tx, batch, now, None)?;
                commit_with_journal(&target.head_path, tx, events, now, target.actor.as_ref())?;
                outcome
            };
            for item in outcome.items {
                match item {
                    Stored::New(_) => {
                        report.new += 1;
                        report.origins_added += 1;
                    }
                    Stored::NewOrigin(_) => report.origins_added += 1,
                    Stored::Known(_) => {}
                }
            }
            progress(done, total);
        }
        // A server plans by its statistics, which it refreshes only some while after a bulk load: a
        // search planned on those of the empty archive walked every message instead of its index.
        if target.conn.engine() == Engine::Postgres {
            target.conn.execute_batch("ANALYZE")?;
        }
        report.missing = self.missing_from(target)?;
        Ok(report)
    }

    /// Up to [`CHUNK`] messages after id `after`: id, SHA-256, bytes, first sight.
    fn chunk_after(&self, after: i64) -> Result<Vec<Moving>, ArchiveError> {
        type Row = (i64, Vec<u8>, String, Vec<u8>, i64, String);
        let rows: Vec<Row> = self
            .conn
            .prepare_cached(
                "SELECT id, sha256, codec, bytes, size, archived_at FROM raw WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?
            .query_map([after, CHUNK], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?
            .collect::<crate::db::Result<_>>()?;
        rows.into_iter()
            .map(|(id, sha, codec, bytes, size, archived_at)| {
                let damaged = |detail: String| ArchiveError::Damaged { id, detail };
                let raw = crate::blob::unpack(&codec, &bytes, size as u64).map_err(damaged)?;
                let sha: [u8; 32] = sha
                    .try_into()
                    .map_err(|_| damaged("its SHA-256 is not 32 bytes".into()))?;
                if crate::store::address(&raw) != sha {
                    return Err(damaged(
                        "its bytes do not hash to its address; `attesta archive check` says more"
                            .into(),
                    ));
                }
                let seen = parse_time(&archived_at).ok_or_else(|| {
                    damaged(format!("its first sight `{archived_at}` is no time"))
                })?;
                Ok((id, sha, raw, seen))
            })
            .collect()
    }

    /// Every origin of message `id`, oldest first, with its times.
    fn arrivals(&self, id: i64) -> Result<Vec<Arrival>, ArchiveError> {
        let rows = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ORIGIN_COLUMNS}, received_at, seen_at FROM origins WHERE raw_id = ?1 ORDER BY id"
            ))?
            .query_map([id], |r| {
                let received: Option<String> = r.get("received_at")?;
                let seen: String = r.get("seen_at")?;
                Ok((read_origin(r)?, received, seen))
            })?
            .collect::<crate::db::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(origin, received, seen)| {
                Ok(Arrival {
                    origin,
                    received: received.as_deref().and_then(parse_time),
                    seen: parse_time(&seen).ok_or_else(|| ArchiveError::Damaged {
                        id,
                        detail: format!("an origin's first sight `{seen}` is no time"),
                    })?,
                })
            })
            .collect()
    }

    /// Whether this archive holds the message with SHA-256 `sha`.
    fn holds(&self, sha: &[u8; 32]) -> Result<bool, ArchiveError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM raw WHERE sha256 = ?1")?
            .exists([sha.as_slice()])?)
    }

    /// What of this archive `target` lacks: messages (by SHA-256; the address is the hash of the
    /// bytes, and the target's own check re-hashes them) and origins, one sentence each.
    fn missing_from(&self, target: &Archive) -> Result<Vec<String>, ArchiveError> {
        let mut missing = Vec::new();
        let mut after = 0i64;
        loop {
            let ids: Vec<(i64, Vec<u8>)> = self
                .conn
                .prepare_cached("SELECT id, sha256 FROM raw WHERE id > ?1 ORDER BY id LIMIT ?2")?
                .query_map([after, CHUNK * 10], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<crate::db::Result<_>>()?;
            let Some(last) = ids.last() else { break };
            after = last.0;
            for (id, sha) in ids {
                let there: Option<i64> = {
                    use crate::db::OptionalExtension;
                    target
                        .conn
                        .prepare_cached("SELECT id FROM raw WHERE sha256 = ?1")?
                        .query_row([sha.as_slice()], |r| r.get(0))
                        .optional()?
                };
                let Some(there) = there else {
                    missing.push(format!("message {} is not in the target", hex(&sha)));
                    continue;
                };
                let theirs = crate::item::origins_of(&target.conn, there)?;
                for origin in crate::item::origins_of(&self.conn, id)? {
                    if !theirs.contains(&origin) {
                        missing.push(format!(
                            "message {} lacks its origin {origin:?} in the target",
                            hex(&sha)
                        ));
                    }
                }
            }
        }
        Ok(missing)
    }
}
