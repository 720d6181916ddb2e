//! The pack crate's errors: short lowercase phrases. Building a pack fails only when the archive cannot
//! be read or the ZIP cannot be written; verifying one fails only when the file cannot be read at all —
//! anything wrong *inside* a pack is a [`PackVerdict`](crate::PackVerdict), never an error.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error(transparent)]
    Archive(#[from] pec_archive::ArchiveError),
    #[error("sent message {0} has no evidence in the archive")]
    NoEvidence(String),
    #[error("cannot write the ZIP container: {0}")]
    Zip(String),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}
