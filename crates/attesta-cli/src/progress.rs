//! Progress for long jobs: a bar on a terminal, plain lines (a few per minute) otherwise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Shows how far a job is, in bytes or items.
pub enum Progress {
    Bar(ProgressBar),
    Lines { what: &'static str, last: Instant },
}

impl Progress {
    /// `what` names the job in plain lines ("importing").
    pub fn new(what: &'static str, total: u64, bytes: bool) -> Progress {
        if std::io::stderr().is_terminal() {
            let template = if bytes {
                "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} ({eta})"
            } else {
                "{spinner} {msg} [{bar:30}] {pos}/{len} ({eta})"
            };
            let bar = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(what);
            Progress::Bar(bar)
        } else {
            Progress::Lines {
                what,
                last: Instant::now(),
            }
        }
    }

    /// Reports `done` of `total`, with a short status text.
    pub fn update(&mut self, done: u64, total: u64, status: &str) {
        match self {
            Progress::Bar(bar) => {
                bar.set_length(total);
                bar.set_position(done);
                bar.set_message(status.to_owned());
            }
            Progress::Lines { what, last } => {
                if last.elapsed() >= Duration::from_secs(10) {
                    *last = Instant::now();
                    let pct = (done * 100).checked_div(total).unwrap_or(100);
                    eprintln!("attesta: {what}: {pct}% ({status})");
                }
            }
        }
    }

    pub fn finish(self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
