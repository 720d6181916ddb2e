//! A main-thread heartbeat, for the UI benchmark only (`scripts/bench-ui`, issue 16 §4): when the
//! environment names a file in `ATTESTA_HEARTBEAT`, a thread asks the main thread (the one that paints
//! the window and takes its input) every 2 ms to run an empty closure, and appends one line per beat:
//! when it asked (milliseconds since the Unix epoch) and how long the main thread took to run it. A
//! beat that waits 180 ms means the main thread was busy, and the window frozen, for about that long;
//! the longest wait is the longest stall, to within the 2 ms between beats. Off by default.

use std::io::Write;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tauri::AppHandle;

/// The variable naming the file the beats go to.
pub const VARIABLE: &str = "ATTESTA_HEARTBEAT";
const EVERY: Duration = Duration::from_millis(2);

/// Starts the heartbeat if [`VARIABLE`] names a file.
pub fn start(app: &AppHandle) {
    let Some(path) = std::env::var_os(VARIABLE) else {
        return;
    };
    let Ok(mut file) = std::fs::File::create(&path) else {
        eprintln!("attesta: cannot write the heartbeat to {}", path.display());
        return;
    };
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name("attesta-heartbeat".into())
        .spawn(move || {
            loop {
                let (done, beat) = mpsc::channel();
                let asked_at = SystemTime::now();
                let asked = Instant::now();
                if app
                    .run_on_main_thread(move || {
                        let _ = done.send(Instant::now());
                    })
                    .is_err()
                {
                    return;
                }
                let Ok(ran) = beat.recv() else { return };
                let epoch = asked_at
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_secs_f64()
                    * 1000.0;
                let waited = ran.duration_since(asked).as_secs_f64() * 1000.0;
                if writeln!(file, "{epoch:.1} {waited:.2}").is_err() {
                    return;
                }
                std::thread::sleep(EVERY);
            }
        });
}
