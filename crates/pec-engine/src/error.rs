//! The engine's errors: short lowercase phrases, typed so a UI can word them in Italian or English.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("no data directory could be determined for this platform; pass --data-dir")]
    NoDataDir,
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid: {message}")]
    BadConfig { path: PathBuf, message: String },
    #[error("{path} is not a directory")]
    NotADirectory { path: PathBuf },
    #[error("{path} holds no certificate that could be read")]
    NoCertificates { path: PathBuf },
    #[error(transparent)]
    Archive(#[from] pec_archive::ArchiveError),
}
