//! What the engine tells the window without being asked: job progress (sync, import, export), the
//! archive changed (new mail or receipts: lists refresh), deadlines passed (12 h / 24 h), a second
//! launch left requests for the window (a file opened, a `mailto:` link), the archive's upgrade at
//! start (issue 17 §4).

use serde::{Deserialize, Serialize};

use crate::dto::app::{JobKind, JobPhase, UpgradePhase};
use crate::dto::words::Overdue;
use crate::error::AppError;

/// Progress of a background job; the last one of a job has a phase other than `running`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct JobEvent {
    pub job: JobKind,
    pub phase: JobPhase,
    /// Bytes (or items) done and in all; `total` 0 while unknown.
    #[specta(type = u32)]
    pub done: f64,
    #[specta(type = u32)]
    pub total: f64,
    /// Messages archived for the first time so far.
    pub new: u32,
    /// Which account, for a sync.
    pub account: Option<String>,
    /// Why it failed.
    pub error: Option<AppError>,
    /// Where the result is (an export's directory).
    pub output: Option<String>,
}

/// New messages reached the archive: the window refreshes its lists and counts.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type, tauri_specta::Event,
)]
pub struct ArchiveChanged {
    pub new: u32,
}

/// A certified recipient passed a deadline without delivery (PEC rules §1).
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type, tauri_specta::Event,
)]
pub struct DeadlineAlert {
    pub msgid: String,
    pub subject: Option<String>,
    pub address: String,
    pub overdue: Overdue,
}

/// Another launch (a file or a `mailto:` link opened from the desktop) left requests: the window
/// takes them with `launch_requests`.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type, tauri_specta::Event,
)]
pub struct LaunchWaiting {
    /// How many arguments it brought.
    pub requests: u32,
}

/// The archive's upgrade on the first start of a newer Attesta: its phase and how far it is. The last
/// one has the phase `done` (the window opens) or `failed` (with the error, naming the kept copy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct ArchiveUpgrade {
    pub phase: UpgradePhase,
    /// While copying: pages copied and in all; while migrating: the step and the steps in all.
    pub done: u32,
    pub total: u32,
    /// Where the copy is kept (removed once `done`).
    pub copy: Option<String>,
    /// Once `done`: derived rows `archive rebuild` would recompute.
    pub derived: u32,
    /// Why it failed.
    pub error: Option<AppError>,
}
