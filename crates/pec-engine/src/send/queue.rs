//! Sends kept on this desktop while the firm's archive server does not answer (issue 18 §6), then moved
//! into the server's outbox and submitted once it is back — never twice.
//!
//! A queued send is composed at once (checked against the PEC rules, PEC rules §8, with the Message-ID
//! Attesta chose) and kept in `queued-sends/` of the data directory as two files: the exact bytes
//! (`KEY.eml`) and what it is (`KEY.json`: account, Message-ID, recipients, subject, when). Each is
//! written to a temporary name, synced and renamed, the bytes first: a send is queued once its `.json`
//! exists, and a crash at any moment leaves it either whole or absent.
//!
//! Moving it ([`move_to_outbox`]) archives the bytes and queues them in the server's outbox in one
//! transaction, with the Message-ID as the idempotency key ([`Archive::enqueue_once`]): moved again after
//! a crash, or by a second desktop holding the same message, it is found there and not queued again.
//! Only the caller that takes the entry from `queued` to `submitting` ([`Archive::outbox_claim`]) hands
//! it to the provider, by the same code as any send ([`super::submit_entry`]'s second half). The files
//! are removed only after that, so a crash in between leaves the send to be found again, never lost;
//! from then on an outcome left unknown is the outbox's to resolve, as for any send (issue 5).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use pec_archive::outbox::OutboxEntry;
use pec_archive::{Archive, Reading};
use pec_core::signature::TrustAnchors;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Draft, SendOutcome, compose, draft, hand_over};
use crate::{DataDir, EngineConfig, EngineError};

/// The folder of the queue in a data directory.
pub const FOLDER: &str = "queued-sends";

/// One send waiting on this desktop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    pub account: String,
    /// The message's Message-ID: its idempotency key in the server's outbox.
    pub msgid: String,
    pub recipients: Vec<String>,
    pub subject: String,
    pub queued_at: DateTime<Utc>,
    /// Why the last attempt to move it did not (its account gone, its password missing, its provider
    /// not answering): it stays queued, tried again each time the server is back, and the sends after
    /// it go on meanwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<QueuedFailure>,
}

/// A queued send's last failed attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedFailure {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// The queue of a data directory (`queued-sends/`).
#[derive(Debug, Clone)]
pub struct SendQueue {
    dir: PathBuf,
}

fn io(path: &Path, e: std::io::Error) -> EngineError {
    EngineError::Write {
        path: path.to_path_buf(),
        source: e,
    }
}

fn unreadable(path: &Path, e: std::io::Error) -> EngineError {
    EngineError::Read {
        path: path.to_path_buf(),
        source: e,
    }
}

impl SendQueue {
    pub fn of(dir: &DataDir) -> SendQueue {
        SendQueue::at(dir.path().join(FOLDER))
    }

    pub fn at(dir: impl Into<PathBuf>) -> SendQueue {
        SendQueue { dir: dir.into() }
    }

    /// A send's file names: from its Message-ID's digest (a Message-ID may hold any character).
    fn key(msgid: &str) -> String {
        let digest = Sha256::digest(msgid.as_bytes());
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    fn file(&self, msgid: &str, extension: &str) -> PathBuf {
        self.dir
            .join(format!("{}.{extension}", SendQueue::key(msgid)))
    }

    /// Writes `bytes` to `path` whole or not at all: a temporary file, synced, renamed, the folder
    /// synced.
    fn write_whole(&self, path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
        let tmp = path.with_extension("tmp");
        let mut file = std::fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
        file.write_all(bytes).map_err(|e| io(&tmp, e))?;
        file.sync_all().map_err(|e| io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
        self.sync_folder()
    }

    fn sync_folder(&self) -> Result<(), EngineError> {
        std::fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io(&self.dir, e))
    }

    /// Keeps `bytes` (composed, with `queued.msgid`) until the server is back.
    pub fn push(&self, queued: &Queued, bytes: &[u8]) -> Result<(), EngineError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| io(&self.dir, e))?;
        self.write_whole(&self.file(&queued.msgid, "eml"), bytes)?;
        let what = serde_json::to_vec_pretty(queued).unwrap_or_default();
        self.write_whole(&self.file(&queued.msgid, "json"), &what)
    }

    /// The sends waiting, oldest first (a description that cannot be read is left out, and left
    /// where it is).
    pub fn list(&self) -> Result<Vec<Queued>, EngineError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(unreadable(&self.dir, e)),
        };
        let mut queued: Vec<Queued> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|p| serde_json::from_slice(&std::fs::read(p).ok()?).ok())
            .collect();
        queued.sort_by(|a, b| (a.queued_at, &a.msgid).cmp(&(b.queued_at, &b.msgid)));
        Ok(queued)
    }

    /// Notes why the last attempt to move `queued` failed (its description rewritten whole).
    pub fn note_failure(
        &self,
        queued: &Queued,
        at: DateTime<Utc>,
        reason: String,
    ) -> Result<(), EngineError> {
        let noted = Queued {
            last_failure: Some(QueuedFailure { at, reason }),
            ..queued.clone()
        };
        let what = serde_json::to_vec_pretty(&noted).unwrap_or_default();
        self.write_whole(&self.file(&queued.msgid, "json"), &what)
    }

    /// The exact bytes of a queued send.
    pub fn bytes(&self, queued: &Queued) -> Result<Vec<u8>, EngineError> {
        let path = self.file(&queued.msgid, "eml");
        std::fs::read(&path).map_err(|e| unreadable(&path, e))
    }

    /// Forgets a send (it is in the server's outbox now): its description first, so that a crash
    /// between the two leaves bytes nobody lists, never a description without bytes.
    pub fn remove(&self, queued: &Queued) -> Result<(), EngineError> {
        for extension in ["json", "eml"] {
            let path = self.file(&queued.msgid, extension);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&path, e)),
            }
        }
        self.sync_folder()
    }
}

/// Checks `draft` for the account `address` as a send does, composes it now and keeps it in `dir`'s
/// queue: what the window does when the firm's server does not answer.
pub fn queue_draft(
    dir: &DataDir,
    config: &EngineConfig,
    address: &str,
    draft: &Draft,
    now: DateTime<Utc>,
) -> Result<Queued, EngineError> {
    let account = config.account(address)?;
    let recipients = draft::check_recipients(draft, account.max_recipients)?;
    draft::check_service(draft, &account.address, account.service)?;
    let (bytes, msgid) = compose::compose(&account.address, draft, now)?;
    draft::check_size(bytes.len(), recipients.len(), account.max_message_bytes)?;
    let queued = Queued {
        account: account.address.clone(),
        msgid,
        recipients,
        subject: draft.subject.clone(),
        queued_at: now,
        last_failure: None,
    };
    SendQueue::of(dir).push(&queued, &bytes)?;
    Ok(queued)
}

/// A queued send in the server's outbox.
#[derive(Debug, Clone)]
pub struct Moved {
    pub entry: OutboxEntry,
    /// Whether this caller took it to hand it to the provider (false: it was already taken, by this
    /// desktop before a crash or by another one).
    pub claimed: bool,
}

/// Moves one queued send into `archive`'s outbox (once, by its Message-ID) and takes it to submit if
/// it is still `queued` there. The files stay in the queue (see [`drain`]).
pub fn move_to_outbox(
    queue: &SendQueue,
    queued: &Queued,
    archive: &mut Archive,
    anchors: &TrustAnchors,
    now: DateTime<Utc>,
) -> Result<Moved, EngineError> {
    let bytes = queue.bytes(queued)?;
    let reading = Reading::of(&bytes, anchors, now);
    let (entry, _) = archive.enqueue_once(
        bytes,
        reading,
        &queued.account,
        &queued.msgid,
        &queued.recipients,
        now,
    )?;
    let claimed = archive.outbox_claim(entry.id, now)?;
    Ok(Moved {
        entry: archive.outbox_entry(entry.id)?,
        claimed,
    })
}

/// What became of one queued send.
#[derive(Debug)]
pub enum Drained {
    /// Handed to the provider by this desktop (its outcome, as a send's).
    Sent(Result<SendOutcome, EngineError>),
    /// Already in the server's outbox, taken by someone else: not submitted again.
    AlreadyThere(OutboxEntry),
    /// Not moved, for a reason of its own (its account removed, its password missing, its provider
    /// not answering): it stays queued with the reason, and the sends after it go on.
    Stuck(EngineError),
}

/// Moves every queued send of `dir` into `archive` and submits those this desktop took, oldest
/// first, each from its own account (earlier submissions of unknown outcome resolved first, as
/// [`super::send_draft`] does). A send that cannot go for a reason of its own stays queued with that
/// reason ([`Drained::Stuck`], [`Queued::last_failure`]) and the next ones go on; when the archive
/// server itself went away again, it stops there (that send and the rest stay queued) and returns
/// the error. `each` hears about every send, moved or stuck; the count is of those moved.
pub fn drain(
    dir: &DataDir,
    config: &EngineConfig,
    archive: &mut Archive,
    now: DateTime<Utc>,
    each: &mut dyn FnMut(&Queued, Drained),
) -> Result<usize, EngineError> {
    let queue = SendQueue::of(dir);
    let mut done = 0;
    for queued in queue.list()? {
        match drain_one(&queue, &queued, config, dir, archive, now) {
            Ok(drained) => {
                // NOTE: the outbox holds the send and its state from here on (a submission whose
                // outcome is unknown is resolved there before anything is sent again), so the copy
                // here goes.
                queue.remove(&queued)?;
                each(&queued, drained);
                done += 1;
            }
            Err(e) if server_gone(&e) => return Err(e),
            Err(e) => {
                queue.note_failure(&queued, now, e.to_string())?;
                each(&queued, Drained::Stuck(e));
            }
        }
    }
    Ok(done)
}

/// Moves one queued send and, if this desktop took it, hands it to its provider.
fn drain_one(
    queue: &SendQueue,
    queued: &Queued,
    config: &EngineConfig,
    dir: &DataDir,
    archive: &mut Archive,
    now: DateTime<Utc>,
) -> Result<Drained, EngineError> {
    let account = config.account(&queued.account)?;
    let (trust, password) = super::workflow::credentials(dir, config, account)?;
    super::workflow::resolve_with(archive, account, &trust, &password, now)?;
    let moved = move_to_outbox(queue, queued, archive, &trust.anchors, now)?;
    Ok(if moved.claimed {
        Drained::Sent(hand_over(archive, account, &password, moved.entry, now))
    } else {
        Drained::AlreadyThere(moved.entry)
    })
}

/// Whether `e` says the archive's server does not answer (then every send would fail the same way).
fn server_gone(e: &EngineError) -> bool {
    matches!(e, EngineError::Archive(a) if a.is_unreachable())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pec_core::daticert::ReceiptType;

    /// A fixed moment (the engine's chrono has no clock).
    fn at() -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap()
    }

    fn draft(subject: &str) -> Draft {
        Draft {
            to: vec!["cliente@pec.example.it".into()],
            cc: Vec::new(),
            subject: subject.into(),
            body: "In allegato l'atto.".into(),
            attachments: Vec::new(),
            receipt: ReceiptType::Completa,
            rem_relay_evidence: false,
        }
    }

    fn composed(queue: &SendQueue, subject: &str, now: DateTime<Utc>) -> Queued {
        let (bytes, msgid) =
            compose::compose("studio@pec.example.it", &draft(subject), now).unwrap();
        let queued = Queued {
            account: "studio@pec.example.it".into(),
            msgid,
            recipients: vec!["cliente@pec.example.it".into()],
            subject: subject.into(),
            queued_at: now,
            last_failure: None,
        };
        queue.push(&queued, &bytes).unwrap();
        queued
    }

    /// An archive in `dir`: on the test server's database `server` when given (two desktops on one
    /// shared archive), else the directory's own file.
    fn archive(dir: &Path, server: Option<&pec_archive::db::postgres::Address>) -> Archive {
        match server {
            Some(address) => Archive::open_postgres(address, dir).unwrap(),
            None => Archive::open(&Archive::file_in(dir)).unwrap(),
        }
    }

    fn test_server() -> Option<pec_archive::db::postgres::Address> {
        let address = pec_archive::db::postgres::Address::test_server()?.unwrap();
        Some(address.create_fresh_database("attesta_queue").unwrap())
    }

    #[test]
    fn a_queued_send_survives_a_reopen_whole_and_in_order() {
        let tmp = tempfile::tempdir().unwrap();
        let queue = SendQueue::at(tmp.path().join(FOLDER));
        let now = at();
        let first = composed(&queue, "Diffida", now);
        let second = composed(&queue, "Ricorso", now + chrono::Duration::seconds(1));
        // A crash while writing a third leaves only a temporary file: not a queued send.
        std::fs::write(tmp.path().join(FOLDER).join("abc.tmp"), b"half").unwrap();
        let again = SendQueue::at(tmp.path().join(FOLDER));
        assert_eq!(again.list().unwrap(), vec![first.clone(), second]);
        let bytes = again.bytes(&first).unwrap();
        assert!(String::from_utf8_lossy(&bytes).contains(first.msgid.trim_matches(['<', '>'])));
        again.remove(&first).unwrap();
        assert_eq!(again.list().unwrap().len(), 1);
        // Removed twice (a crash after the first removal) is fine.
        again.remove(&first).unwrap();
    }

    #[test]
    fn a_queued_send_that_cannot_go_stays_with_its_reason_and_the_next_ones_are_tried() {
        let tmp = tempfile::tempdir().unwrap();
        let data = DataDir::resolve(Some(&tmp.path().join("data"))).unwrap();
        data.create().unwrap();
        let queue = SendQueue::of(&data);
        let now = at();
        // Both accounts were removed from this desktop after the sends were queued.
        let first = composed(&queue, "Diffida", now);
        let second = composed(&queue, "Ricorso", now + chrono::Duration::seconds(1));
        let mut archive = archive(tmp.path(), None);
        let mut heard = Vec::new();
        let moved = drain(
            &data,
            &EngineConfig::default(),
            &mut archive,
            now + chrono::Duration::minutes(5),
            &mut |q, d| heard.push((q.subject.clone(), matches!(d, Drained::Stuck(_)))),
        )
        .unwrap();
        assert_eq!(moved, 0);
        assert_eq!(
            heard,
            [("Diffida".to_owned(), true), ("Ricorso".to_owned(), true)],
            "the second was tried after the first could not go"
        );
        let left = queue.list().unwrap();
        assert_eq!(left.len(), 2, "both stay queued");
        for (q, was) in left.iter().zip([&first, &second]) {
            assert_eq!(q.msgid, was.msgid);
            let failure = q.last_failure.as_ref().expect("the reason is kept");
            assert_eq!(failure.at, now + chrono::Duration::minutes(5));
            assert!(
                failure.reason.contains("studio@pec.example.it"),
                "{}",
                failure.reason
            );
            assert_eq!(queue.bytes(q).unwrap(), queue.bytes(was).unwrap());
        }
        assert!(
            archive.outbox(None).unwrap().is_empty(),
            "nothing reached the outbox"
        );
    }

    #[test]
    fn a_queued_send_moved_twice_is_queued_and_taken_once() {
        let tmp = tempfile::tempdir().unwrap();
        let queue = SendQueue::at(tmp.path().join(FOLDER));
        let now = at();
        let queued = composed(&queue, "Diffida", now);
        let mut archive = archive(tmp.path(), None);
        let anchors = TrustAnchors::default();
        let first = move_to_outbox(&queue, &queued, &mut archive, &anchors, now).unwrap();
        assert!(first.claimed);
        // The process dies before the files go; the next run moves the same send again.
        let second = move_to_outbox(&queue, &queued, &mut archive, &anchors, now).unwrap();
        assert!(!second.claimed, "taken a second time");
        assert_eq!(second.entry.id, first.entry.id);
        let outbox = archive.outbox(None).unwrap();
        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox[0].msgid, queued.msgid);
        assert_eq!(outbox[0].attempts, 1);
    }

    #[test]
    fn two_desktops_holding_the_same_queued_send_queue_it_once_on_the_shared_archive() {
        let Some(server) = test_server() else {
            println!("SKIPPED: no test PostgreSQL server (scripts/lib/postgres-cluster)");
            return;
        };
        let now = at();
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let queue_one = SendQueue::at(one.path().join(FOLDER));
        let queued = composed(&queue_one, "Diffida", now);
        // The second desktop holds the same message (its data directory copied from the first).
        let queue_two = SendQueue::at(two.path().join(FOLDER));
        queue_two
            .push(&queued, &queue_one.bytes(&queued).unwrap())
            .unwrap();
        let handles: Vec<_> = [
            (one.path().to_path_buf(), queue_one),
            (two.path().to_path_buf(), queue_two),
        ]
        .into_iter()
        .map(|(dir, queue)| {
            let server = server.clone();
            let queued = queued.clone();
            std::thread::spawn(move || {
                let mut archive = archive(&dir, Some(&server));
                move_to_outbox(&queue, &queued, &mut archive, &TrustAnchors::default(), now)
                    .unwrap()
            })
        })
        .collect();
        let moved: Vec<Moved> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(
            moved.iter().filter(|m| m.claimed).count(),
            1,
            "exactly one desktop takes it to submit"
        );
        let check = archive(one.path(), Some(&server));
        let outbox = check.outbox(None).unwrap();
        assert_eq!(outbox.len(), 1, "{outbox:?}");
        assert_eq!(check.message_count().unwrap(), 1);
    }
}
