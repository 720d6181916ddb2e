//! The command's exit status, worst outcome wins.

use std::process::ExitCode;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Everything asked for holds.
    Ok = 0,
    /// Something does not hold (not mail, not valid, …).
    Failed = 1,
    /// The archive is not what a head noted down earlier says it was (`archive check --expect`).
    NotAsAnchored = 3,
    /// A usage or I/O error.
    Error = 2,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status as u8)
    }
}
