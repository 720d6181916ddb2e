//! What the shell holds while it runs: the data directory, a few read connections to the archive for
//! the lists and the reader, the demo provider when it runs, and the cancel flags of running jobs.
//! Writers (sync, import, send, export) open their own connection ([`AppState::writer`], acting as the
//! person set in Settings): the archive's lock file orders them. The readers never write.
//!
//! Commands run in parallel off the main thread (issue 16 §4): with one read connection a slow query
//! (a search of a common word, a count) held up the page another list was waiting for, so there are
//! [`READERS`] of them and a command takes a free one.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

use pec_archive::{Archive, Location};
use pec_engine::documents::DocumentTrust;
use pec_engine::{DataDir, EngineConfig};
use pec_lab::LabHandle;

use crate::dto::app::JobKind;
use crate::error::{AppError, AppResult};
use crate::launch::from_disk::OpenedFiles;
use crate::picked::PickedFiles;

/// How many read connections the shell keeps.
pub const READERS: usize = 3;

pub struct AppState {
    pub dir: DataDir,
    /// Where the archive is (changed by [`AppState::reopen`]).
    location: Mutex<Location>,
    /// `None` while the firm's server could not be reached (issue 18 §6: the app starts anyway, and
    /// the heartbeat opens them once it answers, [`AppState::reopen`]).
    readers: Vec<Mutex<Option<Archive>>>,
    /// Which reader a command waits for when all are taken (in turn).
    next: AtomicUsize,
    pub lab: Mutex<Option<LabHandle>>,
    jobs: Mutex<HashMap<JobKind, Arc<AtomicBool>>>,
    /// Serialises configuration edits (read, change, save).
    config: Mutex<()>,
    /// Files picked to attach, by token (the window never names a path).
    pub picked: PickedFiles,
    /// Files opened from the desktop, shown and not archived (by token).
    pub opened_files: OpenedFiles,
    /// What signed attachments are judged against (the imported Trusted Lists, the trusted
    /// directories), loaded once and forgotten when trust changes.
    documents: Mutex<Option<Arc<DocumentTrust>>>,
    /// Whether the status bar's last look found the firm's server unreachable (issue 18 §6): the
    /// minute's sync then waits for it instead of failing each minute.
    away: AtomicBool,
}

impl AppState {
    /// Opens (creating or migrating) the archive of `dir`: its own file, or the firm's server.
    pub fn open(dir: DataDir) -> AppResult<AppState> {
        let location = pec_engine::shared_archive::location(&dir)?;
        let readers: Vec<Mutex<Option<Archive>>> = match open_readers(&location, READERS) {
            Ok(readers) => readers.into_iter().map(|a| Mutex::new(Some(a))).collect(),
            // NOTE: issue 18 §6: a desktop started while the firm's server is away still starts: it
            // reads what it kept, queues sends, and the heartbeat opens the archive once it is back.
            Err(e) if e.is_unreachable() => (0..READERS).map(|_| Mutex::new(None)).collect(),
            Err(e) => return Err(e.into()),
        };
        let away = readers.iter().any(|r| r.lock().is_ok_and(|a| a.is_none()));
        Ok(AppState {
            location: Mutex::new(location),
            dir,
            readers,
            next: AtomicUsize::new(0),
            lab: Mutex::new(None),
            jobs: Mutex::new(HashMap::new()),
            config: Mutex::new(()),
            picked: PickedFiles::default(),
            opened_files: OpenedFiles::default(),
            documents: Mutex::new(None),
            away: AtomicBool::new(away),
        })
    }

    /// The trust signed attachments are judged against (loaded on first use).
    pub fn document_trust(&self) -> AppResult<Arc<DocumentTrust>> {
        let mut cached = self.documents.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(trust) = cached.as_ref() {
            return Ok(trust.clone());
        }
        let trust = Arc::new(DocumentTrust::load(&self.dir, &self.config()?, &[])?);
        *cached = Some(trust.clone());
        Ok(trust)
    }

    /// Trust changed (a directory added or removed, a list imported): load it again when next asked.
    pub fn forget_document_trust(&self) {
        *self.documents.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// A read connection (lists, reader, search): a free one, else the next in turn once it is free;
    /// `ArchiveUnreachable` while the firm's server has not been reached since start-up.
    pub fn archive(&self) -> AppResult<Reader<'_>> {
        let mut taken = None;
        for reader in &self.readers {
            match reader.try_lock() {
                Ok(guard) => {
                    taken = Some(guard);
                    break;
                }
                Err(TryLockError::Poisoned(p)) => {
                    taken = Some(p.into_inner());
                    break;
                }
                Err(TryLockError::WouldBlock) => {}
            }
        }
        let guard = taken.unwrap_or_else(|| {
            let turn = self.next.fetch_add(1, Ordering::Relaxed) % self.readers.len();
            self.readers[turn].lock().unwrap_or_else(|p| p.into_inner())
        });
        if guard.is_none() {
            return Err(AppError::ArchiveUnreachable {
                detail: "not reached since Attesta started".into(),
            });
        }
        Ok(Reader(guard))
    }

    /// A connection of its own, for a job that writes: the one place the window opens the archive to
    /// write, acting as the person set in Settings now (issue 18 §3), so the journal records who
    /// archived, sent, re-verified or exported what; and recording the verdicts of signed attachments
    /// with this data directory's Trusted Lists and trusted directories (issue 15 §6).
    pub fn writer(&self) -> AppResult<Archive> {
        let location = self
            .location
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let config = self.config()?;
        let documents = pec_engine::documents::ArchiveDocuments::new(&self.dir, &config);
        Ok(location
            .open()?
            .acting_as(config.user)
            .checking_documents(Arc::new(documents)))
    }

    /// Opens the archive of the data directory again, where its configuration now says it is (the
    /// firm's server, or this computer's file: issue 18 §6): new read connections replace the old ones
    /// one by one, so a command running meanwhile finishes on the archive it started on.
    pub fn reopen(&self) -> AppResult<()> {
        let location = pec_engine::shared_archive::location(&self.dir)?;
        let fresh = open_readers(&location, self.readers.len())?;
        for (reader, archive) in self.readers.iter().zip(fresh) {
            *reader.lock().unwrap_or_else(|p| p.into_inner()) = Some(archive);
        }
        *self.location.lock().unwrap_or_else(|p| p.into_inner()) = location;
        Ok(())
    }

    /// Where the window's copy of what it read from the firm's server is kept (one folder per server
    /// archive, `crate::offline_cache`); `None` for this computer's own file.
    pub fn offline_cache(&self) -> Option<std::path::PathBuf> {
        match &*self.location.lock().unwrap_or_else(|p| p.into_inner()) {
            Location::Server { address, .. } => Some(
                self.dir
                    .path()
                    .join(crate::offline_cache::FOLDER)
                    .join(address.file_key()),
            ),
            Location::File(_) => None,
        }
    }

    /// Records what the status bar's look at the firm's server found.
    pub fn set_away(&self, away: bool) {
        self.away.store(away, Ordering::Relaxed);
    }

    /// Whether the firm's server did not answer at the status bar's last look.
    pub fn away(&self) -> bool {
        self.away.load(Ordering::Relaxed)
    }

    pub fn config(&self) -> AppResult<EngineConfig> {
        Ok(EngineConfig::load(&self.dir)?)
    }

    /// Runs `change` on the configuration and saves it, one edit at a time.
    pub fn edit_config<T>(
        &self,
        change: impl FnOnce(&mut EngineConfig) -> AppResult<T>,
    ) -> AppResult<T> {
        let _one = self.config.lock().unwrap_or_else(|p| p.into_inner());
        let mut config = EngineConfig::load(&self.dir)?;
        let out = change(&mut config)?;
        config.save(&self.dir)?;
        Ok(out)
    }

    /// Marks `kind` running and returns its cancel flag; `Busy` if one already runs.
    pub fn begin(&self, kind: JobKind) -> AppResult<Arc<AtomicBool>> {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        if jobs.contains_key(&kind) {
            return Err(AppError::Busy);
        }
        let flag = Arc::new(AtomicBool::new(false));
        jobs.insert(kind, Arc::clone(&flag));
        Ok(flag)
    }

    pub fn end(&self, kind: JobKind) {
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&kind);
    }

    /// Asks a running job to stop; false if none runs.
    pub fn cancel(&self, kind: JobKind) -> bool {
        match self
            .jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&kind)
        {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    pub fn running(&self, kind: JobKind) -> bool {
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(&kind)
    }
}

/// The first connection opens (creating or upgrading) the archive; the others only read.
fn open_readers(location: &Location, n: usize) -> Result<Vec<Archive>, pec_archive::ArchiveError> {
    let mut readers = vec![location.open()?];
    for _ in 1..n {
        readers.push(location.open_read_only()?);
    }
    Ok(readers)
}

/// A read connection taken (see [`AppState::archive`]): the archive, while the guard is held.
pub struct Reader<'a>(MutexGuard<'a, Option<Archive>>);

impl std::ops::Deref for Reader<'_> {
    type Target = Archive;
    fn deref(&self) -> &Archive {
        // Built only around an open archive (`AppState::archive`).
        self.0.as_ref().expect("a reader holds an archive")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slow_query_does_not_hold_up_the_next_command_issue_16() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        dir.create().unwrap();
        let state = Arc::new(AppState::open(dir).unwrap());
        let slow = state.archive().unwrap();
        let (done, answered) = std::sync::mpsc::channel();
        let other = Arc::clone(&state);
        std::thread::spawn(move || {
            let _ = done.send(other.archive().unwrap().message_count().is_ok());
        });
        assert_eq!(
            answered.recv_timeout(std::time::Duration::from_secs(5)),
            Ok(true),
            "a second command waited for the first one's connection"
        );
        drop(slow);
    }

    #[test]
    fn every_read_the_window_makes_works_on_a_read_only_connection() {
        use chrono::Utc;
        use pec_archive::listing::{ListQuery, ListScope, ListSort, SentQuery};
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        dir.create().unwrap();
        let state = AppState::open(dir).unwrap();
        // The first connection opened (and migrated) the archive; the others only read.
        let _first = state.archive().unwrap();
        let _second = state.archive().unwrap();
        let third = state.archive().unwrap();
        let now = Utc::now();
        for sort in [ListSort::Date, ListSort::Sender, ListSort::Subject] {
            let query = ListQuery {
                scope: ListScope::Inbox,
                sort,
                descending: true,
                text: "diffida".into(),
                problems_only: false,
                offset: 0,
                limit: 100,
            };
            assert_eq!(third.list(&query).unwrap().total, 0);
        }
        assert!(third.search("diffida", 200).unwrap().is_empty());
        assert_eq!(third.view_counts(now).unwrap().inbox, 0);
        assert!(third.folders().unwrap().is_empty());
        assert!(third.outbox(None).unwrap().is_empty());
        let sent = SentQuery {
            limit: 50,
            ..SentQuery::default()
        };
        assert_eq!(third.sent_page(&sent, now).unwrap().total, 0);
        assert!(third.item(1, now).is_err());
        // The signature panel's recorded verdicts (issue 15 §6).
        assert!(third.document_history(1, 0, &[0; 32]).unwrap().is_empty());
    }
}
