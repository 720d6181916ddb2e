//! A main-thread heartbeat, for the UI benchmark only (`scripts/bench-ui`, issue 16 §4): when the
//! environment names a file in `ATTESTA_HEARTBEAT`, a thread asks the main thread (the one that paints
//! the window and takes its input) every 2 ms to run an empty closure, and appends one line per beat:
//! when it asked (milliseconds since the Unix epoch), how long the main thread took to run it and how
//! long the control took (below). A
//! beat that waits 180 ms means the main thread was busy, and the window frozen, for about that long;
//! the longest wait is the longest stall, to within the 2 ms between beats. Each beat is also sent to
//! a plain thread of its own (the control), whose wait is logged beside: on a loaded machine both wait
//! for a core, and only what the main thread waits beyond the control is the window's own doing. Off
//! by default.

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
    let (to_control, control) = mpsc::channel::<mpsc::Sender<Instant>>();
    let _ = std::thread::Builder::new()
        .name("attesta-heartbeat-control".into())
        .spawn(move || {
            for done in control {
                let _ = done.send(Instant::now());
            }
        });
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name("attesta-heartbeat".into())
        .spawn(move || {
            loop {
                let (done, beat) = mpsc::channel();
                let (control_done, control_beat) = mpsc::channel();
                let asked_at = SystemTime::now();
                let asked = Instant::now();
                if app
                    .run_on_main_thread(move || {
                        let _ = done.send(Instant::now());
                    })
                    .is_err()
                    || to_control.send(control_done).is_err()
                {
                    return;
                }
                let (Ok(ran), Ok(control_ran)) = (beat.recv(), control_beat.recv()) else {
                    return;
                };
                let epoch = asked_at
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_secs_f64()
                    * 1000.0;
                let waited = ran.duration_since(asked).as_secs_f64() * 1000.0;
                let control = control_ran.duration_since(asked).as_secs_f64() * 1000.0;
                if writeln!(file, "{epoch:.1} {waited:.2} {control:.2}").is_err() {
                    return;
                }
                std::thread::sleep(EVERY);
            }
        });
}
