//! `archive rebuild`: recomputes every derived row, the search index and every send from the raw bytes.
//!
//! With trust anchors it also re-verifies every signature (e.g. after `attesta trust add`) and records a
//! new verdict, in the journal too, wherever the verdict changed; earlier verdicts stay recorded. The
//! anchors are chosen per message from where it came from (a lab account's mail is verified with that
//! account's anchors, as when it was synced) and judged with the times recorded of it (issue 13 §4:
//! the INTERNALDATE of its arrivals, the archive's first sight), so a rebuild never forgets a witness
//! the sync had. With a document checker on the handle it checks every signed attachment again too,
//! and records (and journals) a verdict that differs from the latest of that attachment (issue 15 §6).
//! The raw bytes and origins are never touched. One transaction: a failed rebuild leaves the archive
//! as it was.

use chrono::{DateTime, Utc};
use pec_core::signature::{TimeWitnesses, TrustAnchors};

use crate::documents::{DocumentChecker, DocumentVerdict};
use crate::error::ArchiveError;
use crate::item::origins_of;
use crate::journal::{Event, hex};
use crate::links;
use crate::open::Archive;
use crate::origin::Origin;
use crate::pending::{Pending, Rows};
use crate::reading::Reading;
use crate::rows::{FactsRow, latest_verdict, put_message, put_search, put_verdict};
use crate::store::commit_with_journal;
use crate::verdict::Verdict;

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RebuildReport {
    pub messages: u64,
    /// Messages whose verdict changed on re-verification (a new verdict was recorded).
    pub verdicts_changed: u64,
    /// Signed attachments whose verdict was recorded anew (issue 15 §6: first checked, or saying
    /// something else than the verdict recorded before).
    pub documents_changed: u64,
    pub sends: u64,
}

const CHUNK: i64 = 256;

/// Picks the trust anchors for a message from its origins.
pub type AnchorsFor<'f, 't> = &'f dyn Fn(&[Origin]) -> &'t TrustAnchors;

/// A `raw` row as read: id, SHA-256, codec, stored bytes, original size, first archived.
type StoredRow = (i64, Vec<u8>, String, Vec<u8>, i64, String);

impl Archive {
    /// Rebuilds derived data; re-verifies when `anchors` is given, with the anchors it picks for each
    /// message's origins. `progress(done, total)` is called as it goes.
    pub fn rebuild<'t>(
        &mut self,
        anchors: Option<AnchorsFor<'_, 't>>,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<RebuildReport, ArchiveError> {
        let _lock = self.lock()?;
        let checker = self.documents.clone();
        let total = self.message_count()?;
        let tx = self.conn.transaction()?;
        let mut report = RebuildReport::default();
        let mut events = Vec::new();
        let mut after = 0i64;
        loop {
            let stored: Vec<StoredRow> = tx
                .prepare_cached(
                    "SELECT id, sha256, codec, bytes, size, archived_at FROM raw WHERE id > ?1 ORDER BY id LIMIT ?2",
                )?
                .query_map([after, CHUNK], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                })?
                .collect::<crate::db::Result<_>>()?;
            let mut first_seen = Vec::with_capacity(stored.len());
            let chunk = stored
                .into_iter()
                .map(|(id, sha, codec, bytes, size, archived_at)| {
                    first_seen.push(archived_at);
                    crate::blob::unpack(&codec, &bytes, size as u64)
                        .map(|raw| (id, sha, raw))
                        .map_err(|detail| ArchiveError::Damaged { id, detail })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let Some(last) = chunk.last() else { break };
            after = last.0;
            let per_message: Vec<Option<(&TrustAnchors, TimeWitnesses)>> = match anchors {
                Some(pick) => chunk
                    .iter()
                    .zip(&first_seen)
                    .map(|((id, _, _), seen)| {
                        let anchors = pick(&origins_of(&tx, *id)?);
                        Ok(Some((
                            anchors,
                            crate::witness::recorded(&tx, *id, Some(seen), now)?,
                        )))
                    })
                    .collect::<crate::db::Result<_>>()?,
                None => vec![None; chunk.len()],
            };
            // Signed attachments are checked again only when signatures are.
            let documents = checker.as_deref().filter(|_| anchors.is_some());
            let fresh = read_all(&chunk, &per_message, documents, now)?;
            let mut pending = Pending::new(tx.engine(), Rows::Rederived);
            for ((id, sha, _), (inspection, rem, verified, checked)) in chunk.iter().zip(fresh) {
                // NOTE: only a message with a signed attachment asks for what was recorded (on a
                // server each question is a round trip); bytes never change, so nothing else could.
                if let Some(checked) = checked.filter(|c| !c.is_empty()) {
                    let previous: Vec<_> = crate::documents::latest(&tx, *id)?
                        .into_iter()
                        .filter_map(|d| d.verdict.ok())
                        .collect();
                    let recorded = crate::documents::record(&tx, *id, sha, &checked, &previous)?;
                    report.documents_changed += recorded.len() as u64;
                    events.extend(recorded);
                }
                let recorded = latest_verdict(&tx, *id)?.map(|(v, _)| v);
                let verdict = match (verified, recorded) {
                    (Some(new), Some(old)) if new.same_as(&old) => old,
                    (Some(new), _) => {
                        let digest = put_verdict(&mut pending, *id, &new, now);
                        events.push(Event::Verdict {
                            sha256: hex(sha),
                            verdict: digest,
                        });
                        report.verdicts_changed += 1;
                        new
                    }
                    (None, Some(old)) => old,
                    (None, None) => {
                        return Err(ArchiveError::NoSuchItem(format!(
                            "{id} (no verdict recorded; rebuild with trust anchors)"
                        )));
                    }
                };
                let reading = Reading::with_verdict(inspection, rem.as_ref(), verdict);
                put_message(
                    &mut pending,
                    *id,
                    &FactsRow::from_facts(&reading.facts),
                    reading.verdict.status,
                    reading.verdict.signed_at,
                );
                put_search(&tx, &mut pending, *id, &reading.search)?;
                report.messages += 1;
            }
            pending.flush(&tx)?;
            progress(report.messages, total);
        }
        tx.execute("DELETE FROM sent", [])?;
        let keys: Vec<String> = tx
            .prepare("SELECT DISTINCT link_key FROM messages WHERE link_key IS NOT NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<crate::db::Result<_>>()?;
        for chunk in keys.chunks(links::RELINK_CHUNK) {
            links::relink_many(&tx, chunk)?;
        }
        report.sends =
            tx.query_row("SELECT count(*) FROM sent", [], |r| r.get::<_, i64>(0))? as u64;
        commit_with_journal(&self.head_path, tx, events, now, self.actor.as_ref())?;
        Ok(report)
    }
}

/// One message read again: its inspection, its REM reading if REM, (with anchors) its verdict, and
/// (with a document checker too) its signed attachments' verdicts.
type Reread = (
    pec_core::Inspection,
    Option<pec_rem::RemMessage>,
    Option<Verdict>,
    Option<Vec<DocumentVerdict>>,
);

/// Inspects (and, with anchors, verifies) a chunk on every core.
fn read_all(
    chunk: &[(i64, Vec<u8>, Vec<u8>)],
    anchors: &[Option<(&TrustAnchors, TimeWitnesses)>],
    documents: Option<&dyn DocumentChecker>,
    now: DateTime<Utc>,
) -> Result<Vec<Reread>, ArchiveError> {
    let one = |raw: &[u8], anchors: &Option<(&TrustAnchors, TimeWitnesses)>| {
        let understood = crate::reading::understand_checking(
            raw,
            anchors.as_ref().map(|(a, w)| (*a, w)),
            documents.map(|c| (c, now)),
        );
        (
            understood.inspection,
            understood.rem,
            understood.report.as_ref().map(Verdict::from_report),
            understood.documents.as_ref().map(DocumentVerdict::all_of),
        )
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = chunk.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = chunk
            .chunks(per)
            .zip(anchors.chunks(per))
            .map(|(part, anchors)| {
                s.spawn(move || {
                    part.iter()
                        .zip(anchors)
                        .map(|((_, _, raw), a)| one(raw, a))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(chunk.len());
        for h in handles {
            out.extend(h.join().map_err(|_| ArchiveError::ReaderFailed)?);
        }
        Ok(out)
    })
}
