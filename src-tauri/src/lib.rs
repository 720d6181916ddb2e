//! Attesta's desktop shell (Tauri 2): a thin layer over `pec-engine`. Each command is a short delegation
//! ([`commands`]); long work runs on background threads with progress and cancellation ([`jobs`]); the
//! engine's news reaches the window as typed events ([`events`]: job progress, new mail, deadlines);
//! errors are typed codes with data ([`error`]) that the UI words in Italian or English. What crosses
//! the boundary is in [`dto`], and its TypeScript bindings are generated ([`bindings`]).
//!
//! The web view loads only the bundled UI: a strict CSP (`tauri.conf.json`), no remote content, and a
//! capability that grants the main window its own commands and nothing else. Passwords only ever go to
//! the OS keyring (through `pec_engine::accounts::secrets`).
//!
//! One app runs per data directory: a file or a `mailto:` link opened from the desktop reaches the
//! running window ([`launch`]).

pub mod bindings;
pub mod commands;
mod demo;
mod drafts;
pub mod dto;
pub mod error;
pub mod events;
mod heartbeat;
mod jobs;
mod launch;
mod notify;
mod offline_cache;
mod opened;
mod painting;
mod picked;
mod prefs;
mod queued;
mod state;
mod sync;
mod updates;
mod upgrade;
mod watch;

use pec_archive::Archive;
use pec_engine::DataDir;
use tauri::{AppHandle, Manager, RunEvent};

pub use state::AppState;
pub use upgrade::Upgrading;

/// A SIGTERM (the session ending, a test driver) closes the app as closing its window does, so the
/// demo's lab and its Dovecot stop with it.
fn stop_on_sigterm(app: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            term.recv().await;
            if let Some(state) = app.try_state::<AppState>() {
                demo::stop(&state);
            }
            app.exit(0);
        }
    });
}

/// With the app's state managed: a crash's throw-away archives are swept and the offline copy pruned,
/// and the demo's lab (if any) and the mailbox watch start, in the background, so the window shows at
/// once.
fn started(app: &AppHandle) {
    let handle = app.clone();
    std::thread::spawn(move || {
        let data = handle.state::<AppState>().dir.path().to_path_buf();
        launch::from_disk::sweep_leftovers(&data);
        offline_cache::prune(&data);
        demo::resume(&handle.state::<AppState>());
        watch::start(&handle);
        queued::drain_soon(&handle);
    });
}

/// Runs the app until its window closes.
pub fn run() {
    let dir = match DataDir::resolve(None) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("attesta: {e}");
            std::process::exit(1);
        }
    };
    let context = tauri::generate_context!();
    let builder = bindings::builder();
    let handler = builder.invoke_handler();
    let mut app = tauri::Builder::default()
        // First: a second launch hands its arguments over and exits before anything else starts.
        .plugin(launch::instance::plugin(&context.config().identifier, &dir))
        .manage(launch::Pending::default())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init());
    // Only a packaged build carries the release key, and so an updater (see `updates`).
    if updates::configured(context.config()) {
        app = app.plugin(tauri_plugin_updater::Builder::new().build());
    }
    let app = app
        .invoke_handler(handler)
        .setup(move |app| {
            if let Some(window) = app.get_webview_window("main") {
                painting::apply(&window);
            }
            builder.mount_events(app);
            // What this launch was for waits until the window asks (`launch_requests`).
            let cwd = std::env::current_dir().unwrap_or_default();
            app.state::<launch::Pending>()
                .push(launch::requests(std::env::args_os().skip(1), &cwd));
            stop_on_sigterm(app.handle().clone());
            heartbeat::start(app.handle());
            app.manage(Upgrading::default());
            app.manage(queued::Stuck::default());
            // A data directory on the firm's server (issue 18) has no file of its own to upgrade:
            // the server's schema is brought up to date as the archive opens.
            let own_file = pec_engine::EngineConfig::load(&dir)
                .map_or(true, |config| config.shared_archive.is_none());
            if own_file && Archive::upgrade_pending(&dir.archive_file()) {
                // Issue 17 §4: minutes, perhaps; the window shows its progress meanwhile, and the app
                // starts once the archive is upgraded and verified.
                upgrade::start(app.handle(), dir, started)?;
            } else {
                app.manage(AppState::open(dir)?);
                started(app.handle());
            }
            Ok(())
        })
        .build(context);
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("attesta: the window could not start: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let RunEvent::Exit = event
            && let Some(state) = handle.try_state::<AppState>()
        {
            demo::stop(&state);
        }
    });
}
