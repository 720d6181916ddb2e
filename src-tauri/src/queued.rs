//! Sends queued on this desktop while the firm's archive server did not answer (issue 18 §6), moved
//! into the server's outbox and submitted when it is back: at start-up and each time the status bar's
//! heartbeat finds the server again. The engine's [`pec_engine::send::queue`] makes a send leave the
//! queue once, by its Message-ID, whoever moves it; here one move runs at a time. A send that cannot
//! go for a reason of its own (its account removed, its password missing) stays queued and does not
//! hold the others back; its typed reason is kept here ([`Stuck`]) for the Outbox to show.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;
use pec_engine::send::queue::{self, Drained};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::error::AppError;
use crate::events::ArchiveChanged;
use crate::state::AppState;
use crate::watch;

/// The typed reason each queued send's last attempt failed, by Message-ID (managed state).
#[derive(Default)]
pub struct Stuck(Mutex<HashMap<String, AppError>>);

impl Stuck {
    /// Why the last attempt to send `msgid` failed in this run of the app, if it did.
    pub fn reason(&self, msgid: &str) -> Option<AppError> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(msgid)
            .cloned()
    }

    fn set(&self, msgid: &str, reason: Option<AppError>) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match reason {
            Some(e) => map.insert(msgid.to_owned(), e),
            None => map.remove(msgid),
        };
    }
}

/// Whether a move is running (a second call while it runs does nothing: the first takes all).
static MOVING: AtomicBool = AtomicBool::new(false);

/// Moves the queued sends, if any, on a thread of their own.
pub fn drain_soon(app: &AppHandle) {
    let state = app.state::<AppState>();
    if queue::SendQueue::of(&state.dir)
        .list()
        .map_or(true, |q| q.is_empty())
    {
        return;
    }
    if MOVING.swap(true, Ordering::SeqCst) {
        return;
    }
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name("attesta-queued".into())
        .spawn(move || {
            drain(&app);
            MOVING.store(false, Ordering::SeqCst);
        });
}

fn drain(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Ok(config) = state.config() else {
        return;
    };
    // NOTE: a server still away fails here, and the sends stay queued for the next heartbeat.
    let Ok(mut archive) = state.writer() else {
        return;
    };
    let stuck = app.state::<Stuck>();
    let mut heard = 0;
    let result = queue::drain(
        &state.dir,
        &config,
        &mut archive,
        Utc::now(),
        &mut |queued, d| {
            heard += 1;
            match d {
                Drained::Stuck(e) => stuck.set(&queued.msgid, Some(AppError::from(e))),
                Drained::Sent(_) => {
                    stuck.set(&queued.msgid, None);
                    watch::soon();
                }
                Drained::AlreadyThere(_) => stuck.set(&queued.msgid, None),
            }
        },
    );
    if heard > 0 || result.is_err() {
        let _ = ArchiveChanged { new: 0 }.emit(app);
    }
}
