//! The archive's errors: short lowercase phrases, typed so a UI can word them in Italian or English.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{path} is not an Attesta archive (the file is not a database); it was left as it was")]
    NotAnArchive { path: PathBuf },
    #[error("{path} is damaged ({detail}); it was left as it was")]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path} was written by a newer Attesta (archive version {found}, this one knows up to {known}); it was left as it was"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "upgrading {path} to archive version {version} failed ({detail}); the file was left as it was"
    )]
    MigrationFailed {
        path: PathBuf,
        version: i64,
        detail: String,
    },
    #[error(
        "there is no room to keep a copy of {path} before upgrading it ({needed} bytes needed, {free} free); nothing was changed"
    )]
    NoRoomForCopy {
        path: PathBuf,
        needed: u64,
        free: u64,
    },
    #[error(
        "upgrading {path} to archive version {version} failed ({detail}); the archive as it was before the upgrade is kept at {copy}"
    )]
    UpgradeFailed {
        path: PathBuf,
        version: i64,
        detail: String,
        copy: PathBuf,
    },
    #[error(
        "the upgrade of {path} could not be verified ({}); it is not opened for writing, and the archive as it was before the upgrade is kept at {copy}",
        findings.join("; ")
    )]
    UpgradeUnverified {
        path: PathBuf,
        copy: PathBuf,
        findings: Vec<String>,
    },
    #[error("the firm's archive at {address} cannot be used: {detail}")]
    Server { address: String, detail: String },
    /// The firm's server could not be reached, or the connection to it was lost (issue 18 §6): the
    /// window says so, reads what it kept, queues sends, and tries again.
    #[error("the firm's archive server does not answer ({detail})")]
    Unreachable { detail: String },
    #[error("the archive is in use by another Attesta process ({path})")]
    Busy { path: PathBuf },
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("archive database error: {0}")]
    Database(crate::db::Error),
    #[error("{0}")]
    BadStoredValue(#[from] crate::stored::BadStoredValue),
    #[error("reading a message failed unexpectedly; nothing was changed")]
    ReaderFailed,
    #[error("archived message {id} is damaged ({detail}); `attesta archive check` says more")]
    Damaged { id: i64, detail: String },
    #[error("no archived item {0}")]
    NoSuchItem(String),
    /// The firm's server holds an archive this desktop's role was not granted (issue 18 §4).
    #[error(
        "your role on {address} has not been granted the firm's archive; ask whoever manages it (`attesta archive grant`)"
    )]
    NotGranted { address: String },
    /// The firm's server refused a write: this desktop's role there reads only (issue 18 §4).
    #[error(
        "your role on the firm's archive can read and export, not write ({detail}); nothing was changed"
    )]
    ReadOnly { detail: String },
}

impl From<crate::db::Error> for ArchiveError {
    /// A database error, or the bad stored value a row mapper carried out (see [`crate::stored`]).
    fn from(e: crate::db::Error) -> ArchiveError {
        match e {
            crate::db::Error::Stored(bad) => ArchiveError::BadStoredValue(bad),
            e if e.is_refused_write() => ArchiveError::ReadOnly {
                detail: e.to_string(),
            },
            e if e.is_unreachable() => ArchiveError::Unreachable {
                detail: e.to_string(),
            },
            e => ArchiveError::Database(e),
        }
    }
}

impl From<rusqlite::Error> for ArchiveError {
    /// An SQLite error met outside the database layer (opening, upgrading).
    fn from(e: rusqlite::Error) -> ArchiveError {
        crate::db::Error::from(e).into()
    }
}

impl ArchiveError {
    /// Whether the firm's server could not be reached (see [`ArchiveError::Unreachable`]).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, ArchiveError::Unreachable { .. })
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> ArchiveError {
        ArchiveError::Io {
            path: path.into(),
            source,
        }
    }
}
