//! Where the archive is, as the window shows it (issue 18 §6): this computer's file, or the firm's
//! shared archive on its server — reachable or not, and what this desktop's role may do there.

use serde::{Deserialize, Serialize};

/// What a role may do in the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum ArchiveAccess {
    /// Browse, search, check, export.
    Read,
    /// Also archive, sync and send.
    Write,
}

impl From<pec_archive::Access> for ArchiveAccess {
    fn from(a: pec_archive::Access) -> ArchiveAccess {
        match a {
            pec_archive::Access::Read => ArchiveAccess::Read,
            pec_archive::Access::Write => ArchiveAccess::Write,
        }
    }
}

/// The archive in use, for the status bar and Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "place", rename_all = "kebab-case")]
pub enum ArchivePlace {
    /// This computer's own archive file.
    Local,
    /// The firm's shared archive at `address` (never with a password).
    Server {
        address: String,
        /// Whether the server answered just now.
        reachable: bool,
        /// Why not, when it did not (in the engine's words).
        detail: Option<String>,
        /// What this desktop's role may do there (when it answered).
        access: Option<ArchiveAccess>,
    },
}

/// The address and password typed for the firm's shared archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SharedArchiveForm {
    /// `postgres://user@host[:port]/database[?sslrootcert=CA.pem]`.
    pub address: String,
    /// Empty when the server asks for none.
    pub password: String,
}

/// What a connection test found on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "found", rename_all = "kebab-case")]
pub enum SharedArchiveTest {
    /// An empty database: using it makes the archive there.
    Empty,
    /// The firm's archive, with this many messages, and what this role may do.
    Archive {
        #[specta(type = u32)]
        messages: f64,
        access: ArchiveAccess,
        /// The mailboxes this role reads (row-level security); `None`: every mailbox.
        mailboxes: Option<Vec<String>>,
    },
    /// An archive from a newer Attesta: this one cannot use it.
    TooNew,
}
