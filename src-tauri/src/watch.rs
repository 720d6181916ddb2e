//! The background watcher: syncs every account now and then (and soon after a send), and raises the
//! deadline alerts — a certified recipient still waiting 12 h or 24 h after acceptance (PEC rules §1) —
//! once per recipient and deadline, in the window and as a desktop notification.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use pec_archive::listing::SentQuery;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::dto::app::{JobKind, Language};
use crate::dto::words::Overdue;
use crate::events::DeadlineAlert;
use crate::state::AppState;
use crate::{jobs, notify, prefs, sync};

/// How often every account is synced.
const PERIOD: Duration = Duration::from_secs(60);

/// How often the deadlines are looked at; the first look waits for the window's first lists.
const DEADLINES: Duration = Duration::from_secs(30);
const FIRST_DEADLINES: Duration = Duration::from_secs(8);

/// Seconds since start-up at which the next sync is due (moved earlier by [`soon`]).
static NEXT_SYNC: AtomicU64 = AtomicU64::new(0);

/// Asks for a sync within a few seconds (after a send: the acceptance and receipts come by mail).
pub fn soon() {
    NEXT_SYNC.store(0, Ordering::Relaxed);
}

/// Starts the watcher thread.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name("attesta-watch".into())
        .spawn(move || {
            let started = Instant::now();
            let mut alerted: HashSet<(String, String, Overdue)> = HashSet::new();
            let mut next_deadlines = FIRST_DEADLINES;
            loop {
                let elapsed = started.elapsed().as_secs();
                if elapsed >= NEXT_SYNC.load(Ordering::Relaxed) {
                    NEXT_SYNC.store(elapsed + PERIOD.as_secs(), Ordering::Relaxed);
                    // NOTE: issue 18 §6: while the firm's server is away a sync could archive
                    // nothing and would fail each minute; it resumes with the server (a sync asked
                    // for by hand still runs, and says why it failed).
                    if !app.state::<AppState>().away() {
                        start_sync(&app);
                    }
                }
                if started.elapsed() >= next_deadlines {
                    next_deadlines = started.elapsed() + DEADLINES;
                    deadlines(&app, &mut alerted);
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        });
}

/// Starts a sync job unless one runs or there is no account.
pub fn start_sync(app: &AppHandle) {
    let state = app.state::<AppState>();
    if state.running(JobKind::Sync) || state.config().map_or(true, |c| c.accounts.is_empty()) {
        return;
    }
    let handle = app.clone();
    let _ = jobs::spawn(app, JobKind::Sync, None, move |state, cancel, report| {
        sync::sync_all(&handle, state, cancel, report)
    });
}

fn deadlines(app: &AppHandle, alerted: &mut HashSet<(String, String, Overdue)>) {
    let state = app.state::<AppState>();
    let query = SentQuery {
        overdue: true,
        limit: 200,
        descending: true,
        ..SentQuery::default()
    };
    let Ok(page) = state
        .archive()
        .and_then(|a| Ok(a.sent_page(&query, Utc::now())?))
    else {
        return;
    };
    let it = prefs::load(&state.dir).language == Language::It;
    for send in &page.rows {
        for r in &send.recipients {
            let Some(late) = r.overdue else {
                continue;
            };
            if !alerted.insert((send.msgid.clone(), r.address.clone(), late)) {
                continue;
            }
            let alert = DeadlineAlert {
                msgid: send.msgid.clone(),
                subject: send.subject.clone(),
                address: r.address.clone(),
                overdue: late,
            };
            let _ = alert.emit(app);
            let hours = late.hours();
            let title = if it {
                format!("Non consegnata dopo {hours} ore: {}", r.address)
            } else {
                format!("Not delivered after {hours} hours: {}", r.address)
            };
            notify::show(
                app,
                &state,
                &title,
                send.subject.as_deref().unwrap_or_default(),
            );
        }
    }
}
