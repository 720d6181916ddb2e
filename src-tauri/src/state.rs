//! What the shell holds while it runs: the data directory, a read connection to the archive for the
//! lists and the reader, the demo provider when it runs, and the cancel flags of running jobs.
//! Writers (sync, import, send) open their own connection: the archive's lock file orders them.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};

use pec_archive::Archive;
use pec_engine::{DataDir, EngineConfig};
use pec_lab::LabHandle;

use crate::dto::app::JobKind;
use crate::error::{AppError, AppResult};
use crate::picked::PickedFiles;

pub struct AppState {
    pub dir: DataDir,
    reader: Mutex<Archive>,
    pub lab: Mutex<Option<LabHandle>>,
    jobs: Mutex<HashMap<JobKind, Arc<AtomicBool>>>,
    /// Serialises configuration edits (read, change, save).
    config: Mutex<()>,
    /// Files picked to attach, by token (the window never names a path).
    pub picked: PickedFiles,
}

impl AppState {
    /// Opens (creating or migrating) the archive in `dir`.
    pub fn open(dir: DataDir) -> AppResult<AppState> {
        let reader = Archive::open(&dir.archive_file())?;
        Ok(AppState {
            dir,
            reader: Mutex::new(reader),
            lab: Mutex::new(None),
            jobs: Mutex::new(HashMap::new()),
            config: Mutex::new(()),
            picked: PickedFiles::default(),
        })
    }

    /// The read connection (lists, reader, search).
    pub fn archive(&self) -> MutexGuard<'_, Archive> {
        self.reader.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A connection of its own, for a job that writes.
    pub fn writer(&self) -> AppResult<Archive> {
        Ok(Archive::open(&self.dir.archive_file())?)
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
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
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
