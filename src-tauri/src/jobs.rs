//! Long work on a background thread, with progress events and cancellation: sync, import, export.
//! One job of each kind at a time; the window is never blocked.

use std::sync::atomic::AtomicBool;

use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::dto::app::{JobKind, JobPhase};
use crate::error::{AppError, AppResult};
use crate::events::{ArchiveChanged, JobEvent};
use crate::state::AppState;

/// What a job reports while it runs.
pub struct Reporter {
    app: AppHandle,
    kind: JobKind,
    account: Option<String>,
}

impl Reporter {
    pub fn progress(&self, done: u64, total: u64, new: u64) {
        let _ = self
            .event(JobPhase::Running, done, total, new, None, None)
            .emit(&self.app);
    }

    fn event(
        &self,
        phase: JobPhase,
        done: u64,
        total: u64,
        new: u64,
        error: Option<AppError>,
        output: Option<String>,
    ) -> JobEvent {
        JobEvent {
            job: self.kind,
            phase,
            done: done as f64,
            total: total as f64,
            new: u32::try_from(new).unwrap_or(u32::MAX),
            account: self.account.clone(),
            error,
            output,
        }
    }
}

/// How a job ended: messages newly archived, and where its output is.
pub struct Finished {
    pub new: u64,
    pub output: Option<String>,
    pub interrupted: bool,
}

/// Starts `work` on its own thread as job `kind`.
pub fn spawn(
    app: &AppHandle,
    kind: JobKind,
    account: Option<String>,
    work: impl FnOnce(&AppState, &AtomicBool, &Reporter) -> AppResult<Finished> + Send + 'static,
) -> AppResult<()> {
    let cancel = app.state::<AppState>().begin(kind)?;
    let app = app.clone();
    std::thread::Builder::new()
        .name(format!("attesta-{kind:?}"))
        .spawn(move || {
            let state = app.state::<AppState>();
            let reporter = Reporter {
                app: app.clone(),
                kind,
                account,
            };
            let _ = reporter
                .event(JobPhase::Running, 0, 0, 0, None, None)
                .emit(&app);
            let result = work(&state, &cancel, &reporter);
            state.end(kind);
            let last = match result {
                Ok(f) => {
                    if f.new > 0 {
                        let _ = ArchiveChanged {
                            new: u32::try_from(f.new).unwrap_or(u32::MAX),
                        }
                        .emit(&app);
                    }
                    let phase = if f.interrupted {
                        JobPhase::Cancelled
                    } else {
                        JobPhase::Done
                    };
                    reporter.event(phase, 0, 0, f.new, None, f.output)
                }
                Err(e) => reporter.event(JobPhase::Failed, 0, 0, 0, Some(e), None),
            };
            let _ = last.emit(&app);
        })
        .map_err(AppError::internal)?;
    Ok(())
}
