//! The import pipeline: read files → (on every core) recognise, inspect, verify → archive in batches.
//!
//! One reader thread splits files into messages (an mbox holds many); worker threads skip what the
//! archive already holds (by SHA-256 and origin, on their own read-only connection) and read the rest;
//! the caller's thread writes batches, one transaction each. Killing the process loses at most the batch
//! in flight, and importing again picks up where it stopped: everything committed is recognised as
//! already archived. Cancelling (Ctrl-C) stops reading, then finishes the batch in hand.

use std::io::{BufReader, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use pec_archive::store::address;
use pec_archive::{Archive, DocumentChecker, Incoming, Location, Origin, Reading, Stored};
use pec_core::signature::{TimeWitnesses, TrustAnchors};

use super::sources::{SourceFile, is_mbox};
use super::{ImportProgress, ImportSummary, Skipped};
use crate::EngineError;

/// Messages per transaction: large enough to be fast (each commit waits for the disk), small enough that
/// a kill loses little (what was lost is read again by the next run).
const BATCH: usize = 1024;
/// A batch is written at least this often, so progress shows on slow sources.
const BATCH_TIME: Duration = Duration::from_millis(1000);

/// One message read from a source.
pub(crate) struct Unit {
    pub raw: Vec<u8>,
    pub origin: Origin,
    /// Bytes of the source this unit accounts for (for progress by bytes).
    pub bytes: u64,
    /// Archive it whatever it looks like (a server handed it out as a message: nothing is dropped).
    pub always: bool,
    /// When the mailbox server received it (IMAP INTERNALDATE), for the signature's time check
    /// (issue 13 §4); `None` for files.
    pub received: Option<DateTime<Utc>>,
}

/// Where a producer puts what it reads.
pub(crate) struct Sink {
    units: SyncSender<Unit>,
    work: SyncSender<Work>,
}

impl Sink {
    /// Hands a message on; false when the import is over (stop producing).
    pub fn send(&self, unit: Unit) -> bool {
        self.units.send(unit).is_ok()
    }

    /// Reports something that could not be read.
    pub fn skip(&self, path: String, why: String) {
        let _ = self.work.send(Work::Skipped(Skipped { path, why }));
    }

    /// Reports progress with nothing to archive.
    pub fn progress(&self, bytes: u64) {
        let _ = self.work.send(Work::Progress(bytes));
    }

    /// Makes the job larger (a source that learns its size as it goes).
    pub fn add_total(&self, bytes: u64) {
        let _ = self.work.send(Work::Total(bytes));
    }
}

/// What a worker hands the writer.
pub(crate) enum Work {
    Ready(Box<Incoming>),
    /// Already archived with this origin: nothing to write.
    Known,
    Skipped(Skipped),
    /// Progress in bytes with nothing to write (the end of a file).
    Progress(u64),
    /// More work than announced.
    Total(u64),
}

/// Runs the import of `files` into `archive`.
pub fn run(
    archive: &mut Archive,
    files: Vec<SourceFile>,
    mailbox: Option<String>,
    anchors: &TrustAnchors,
    now: DateTime<Utc>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportSummary, EngineError> {
    let total_bytes: u64 = files.iter().map(|f| f.size).sum();
    let (summary, ()) = run_with(
        archive,
        total_bytes,
        anchors,
        now,
        cancel,
        progress,
        |sink| read_files(files, mailbox, sink, cancel),
    )?;
    Ok(summary)
}

/// Runs `produce` (on its own thread) and archives everything it hands to its [`Sink`]: read on every
/// core, written in batches here. Returns the summary and what `produce` returned.
pub(crate) fn run_with<R: Send>(
    archive: &mut Archive,
    total_bytes: u64,
    anchors: &TrustAnchors,
    now: DateTime<Utc>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&ImportProgress),
    produce: impl FnOnce(&Sink) -> R + Send,
) -> Result<(ImportSummary, R), EngineError> {
    let mut state = ImportProgress {
        total_bytes,
        ..ImportProgress::default()
    };
    let mut summary = ImportSummary::default();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let db = archive.location().clone();
    // Signed attachments are checked on the workers too (issue 15 §6), not by the single writer.
    let documents = archive.document_checker();

    let produced = std::thread::scope(|scope| -> Result<R, EngineError> {
        let (unit_tx, unit_rx) = sync_channel::<Unit>(workers * 16);
        let (work_tx, work_rx) = sync_channel::<Work>(BATCH * 2);
        let unit_rx = Arc::new(Mutex::new(unit_rx));

        let sink = Sink {
            units: unit_tx,
            work: work_tx.clone(),
        };
        let producer = scope.spawn(move || produce(&sink));
        for _ in 0..workers {
            let rx = Arc::clone(&unit_rx);
            let tx = work_tx.clone();
            let db = db.clone();
            let documents = documents.clone();
            scope.spawn(move || work(&db, rx, tx, anchors, documents.as_deref(), now));
        }
        drop(work_tx);
        write(archive, work_rx, &mut state, &mut summary, now, progress)?;
        producer
            .join()
            .map_err(|_| EngineError::Internal("the reader stopped unexpectedly".into()))
    })?;
    summary.interrupted = cancel.load(Ordering::Relaxed);
    Ok((summary, produced))
}

/// The reader: files into units (messages), in order, each from its file for `mailbox`.
fn read_files(files: Vec<SourceFile>, mailbox: Option<String>, sink: &Sink, cancel: &AtomicBool) {
    for file in files {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        let name = file.path.display().to_string();
        let skip = |why: String| sink.skip(name.clone(), why);
        let mut f = match std::fs::File::open(&file.path) {
            Ok(f) => f,
            Err(e) => {
                skip(format!("cannot read: {e}"));
                sink.progress(file.size);
                continue;
            }
        };
        let mut head = [0u8; 5];
        let n = read_up_to(&mut f, &mut head);
        if !file.in_maildir && is_mbox(&head[..n]) {
            let reader = BufReader::new(head[..n].chain(f));
            let mut accounted = 0u64;
            for (i, message) in mail_parser::mailbox::mbox::MessageIterator::new(reader).enumerate()
            {
                if cancel.load(Ordering::Relaxed) {
                    return;
                }
                match message {
                    Ok(m) => {
                        let raw = m.contents().to_vec();
                        let bytes = (raw.len() as u64).min(file.size - accounted.min(file.size));
                        accounted += bytes;
                        let origin = Origin::File {
                            path: name.clone(),
                            part: i as u32 + 1,
                            mailbox: mailbox.clone(),
                        };
                        if !sink.send(Unit {
                            raw,
                            origin,
                            bytes,
                            always: false,
                            received: None,
                        }) {
                            return;
                        }
                    }
                    Err(e) => {
                        skip(format!("mbox unreadable after message {i}: {e}"));
                        break;
                    }
                }
            }
            sink.progress(file.size.saturating_sub(accounted));
        } else {
            let mut raw = head[..n].to_vec();
            if let Err(e) = f.read_to_end(&mut raw) {
                skip(format!("cannot read: {e}"));
                sink.progress(file.size);
                continue;
            }
            let origin = Origin::File {
                path: name.clone(),
                part: 0,
                mailbox: mailbox.clone(),
            };
            if !sink.send(Unit {
                raw,
                origin,
                bytes: file.size,
                always: false,
                received: None,
            }) {
                return;
            }
        }
    }
}

fn read_up_to(f: &mut std::fs::File, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    n
}

/// Units a worker takes at once when they are waiting: looked up in one query (a round trip each would
/// keep a worker waiting on a server archive).
const WORKER_TAKES: usize = 8;

/// A worker: skip what is known, read (inspect + verify, and check signed attachments) what is new.
fn work(
    db: &Location,
    units: Arc<Mutex<Receiver<Unit>>>,
    out: SyncSender<Work>,
    anchors: &TrustAnchors,
    documents: Option<&dyn DocumentChecker>,
    now: DateTime<Utc>,
) {
    let lookup = db.open_read_only().ok();
    loop {
        let taken = match units.lock() {
            Ok(rx) => match rx.recv() {
                Ok(first) => {
                    let mut taken = vec![first];
                    while taken.len() < WORKER_TAKES {
                        match rx.try_recv() {
                            Ok(u) => taken.push(u),
                            Err(_) => break,
                        }
                    }
                    taken
                }
                Err(_) => return,
            },
            Err(_) => return,
        };
        let checked: Vec<(Unit, Result<[u8; 32], String>)> = taken
            .into_iter()
            .map(|unit| {
                let check = if unit.always {
                    Ok(())
                } else {
                    pec_core::check_mail(&unit.raw).map_err(|e| e.to_string())
                };
                let sha = check.map(|()| address(&unit.raw));
                (unit, sha)
            })
            .collect();
        let asked: Vec<([u8; 32], &Origin)> = checked
            .iter()
            .filter_map(|(unit, sha)| sha.as_ref().ok().map(|s| (*s, &unit.origin)))
            .collect();
        let mut known = lookup
            .as_ref()
            .and_then(|a| a.lookup_many(&asked).ok())
            .unwrap_or_else(|| vec![None; asked.len()])
            .into_iter();
        for (unit, sha) in checked {
            let bytes = unit.bytes;
            let work = match sha {
                Err(why) => Work::Skipped(Skipped {
                    path: unit.origin.describe(),
                    why: format!("not mail: {why}"),
                }),
                Ok(sha256) => match known.next().flatten() {
                    Some((_, true)) => Work::Known,
                    Some((_, false)) => Work::Ready(Box::new(Incoming {
                        raw: unit.raw,
                        origin: unit.origin,
                        received: unit.received,
                        reading: None,
                    })),
                    None => {
                        let witnesses = TimeWitnesses::at(now).received(unit.received);
                        let reading =
                            Reading::witnessed(&unit.raw, sha256, anchors, &witnesses, documents);
                        Work::Ready(Box::new(Incoming {
                            raw: unit.raw,
                            origin: unit.origin,
                            received: unit.received,
                            reading: Some(reading),
                        }))
                    }
                },
            };
            if out.send(work).is_err() || out.send(Work::Progress(bytes)).is_err() {
                return;
            }
        }
    }
}

/// The writer: batches into the archive, progress to the caller.
fn write(
    archive: &mut Archive,
    work: Receiver<Work>,
    state: &mut ImportProgress,
    summary: &mut ImportSummary,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<(), EngineError> {
    let mut batch: Vec<Incoming> = Vec::with_capacity(BATCH);
    let mut last_write = Instant::now();
    loop {
        let next = work.recv_timeout(BATCH_TIME);
        let done = matches!(next, Err(RecvTimeoutError::Disconnected));
        match next {
            Ok(Work::Ready(incoming)) => batch.push(*incoming),
            Ok(Work::Known) => {
                summary.already_archived += 1;
                state.already_archived += 1;
            }
            Ok(Work::Skipped(s)) => {
                state.skipped += 1;
                summary.skipped.push(s);
            }
            Ok(Work::Progress(bytes)) => state.done_bytes += bytes,
            Ok(Work::Total(bytes)) => state.total_bytes += bytes,
            Err(_) => {}
        }
        if batch.len() >= BATCH
            || (!batch.is_empty() && (done || last_write.elapsed() >= BATCH_TIME))
        {
            let outcome = archive
                .store(std::mem::take(&mut batch), now)
                .map_err(EngineError::Archive)?;
            for stored in outcome.items {
                match stored {
                    Stored::New(_) => {
                        summary.new += 1;
                        state.new += 1;
                    }
                    Stored::NewOrigin(_) | Stored::Known(_) => {
                        summary.already_archived += 1;
                        state.already_archived += 1;
                    }
                }
            }
            last_write = Instant::now();
            progress(state);
        }
        if done {
            progress(state);
            return Ok(());
        }
    }
}
