//! Where an archive is: a file on this desktop (SQLite), or the firm's server (PostgreSQL) with this
//! desktop's data directory beside it. Cloned freely and sent to other threads, so the workers of an
//! import or a sync open their own connections to the same archive.

use std::path::{Path, PathBuf};

use crate::db::postgres::Address;
use crate::error::ArchiveError;
use crate::open::Archive;
use crate::upgrade::UpgradeStep;

/// Where an archive is.
#[derive(Clone, Debug)]
pub enum Location {
    /// An SQLite file.
    File(PathBuf),
    /// A PostgreSQL database; `local` is this desktop's data directory (its head file).
    Server {
        address: Box<Address>,
        local: PathBuf,
    },
}

impl Location {
    /// Opens (creating or upgrading) the archive, telling `progress` where an upgrade is.
    pub fn open_upgrading(
        &self,
        progress: &mut dyn FnMut(&UpgradeStep),
    ) -> Result<Archive, ArchiveError> {
        match self {
            Location::File(path) => Archive::open_upgrading(path, progress),
            Location::Server { address, local } => Archive::open_postgres(address, local),
        }
    }

    /// Opens (creating or upgrading) the archive.
    pub fn open(&self) -> Result<Archive, ArchiveError> {
        self.open_upgrading(&mut |_| {})
    }

    /// Opens another connection that only reads.
    pub fn open_read_only(&self) -> Result<Archive, ArchiveError> {
        match self {
            Location::File(path) => Archive::open_read_only(path),
            Location::Server { address, local } => Archive::open_postgres_read_only(address, local),
        }
    }

    /// Whether the archive exists already (a server's always may: opening it says).
    pub fn exists(&self) -> bool {
        match self {
            Location::File(path) => path.exists(),
            Location::Server { .. } => true,
        }
    }

    /// The archive as shown to people: the file's path, or the server's address.
    pub fn shown(&self) -> String {
        match self {
            Location::File(path) => path.display().to_string(),
            Location::Server { address, .. } => address.shown.clone(),
        }
    }

    /// The file, when the archive is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(path) => Some(path),
            Location::Server { .. } => None,
        }
    }
}
