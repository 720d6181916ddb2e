//! The evidence archive: every message's raw bytes stored once by SHA-256 and never modified, the facts
//! derived from them, the links from each sent message to its receipts, full-text search, and an
//! append-only hash chain that proves nothing was edited, removed or inserted behind Attesta's back.
//!
//! One SQLite file (`rusqlite`, bundled, with FTS5) in the data directory, plus a small head file that
//! records the end of the hash chain outside the database. Used by the engine; the CLI and the desktop
//! shell reach it through the engine. Rules: PEC rules §7 (linking), issue 4 (the archive's promises).
//!
//! Map: [`open`] opens and migrates ([`migrations`]), keeping a copy until an upgrade is verified
//! ([`upgrade`]); [`store`] archives a batch (raw bytes,
//! [`origin`]s, [`facts`], [`journal`] entries, each naming the [`person`] the archive acts as) and
//! relinks what it touched ([`links`]); [`query`],
//! [`search`] and [`item`] read; [`check`] proves integrity; [`rebuild`] recomputes derived data.

pub mod access;
pub mod anchor;
pub mod blob;
pub mod check;
pub mod db;
pub mod documents;
mod error;
pub mod exported;
pub mod facts;
mod head;
pub mod item;
pub mod journal;
mod links;
pub mod listing;
mod location;
pub mod migrate;
mod migrations;
mod open;
pub mod origin;
pub mod outbox;
mod pending;
pub mod person;
pub mod probe;
pub mod query;
pub mod reading;
pub mod rebuild;
mod rows;
pub mod search;
mod sends;
mod spelled_sql;
pub mod store;
pub mod stored;
pub mod sync_state;
pub mod upgrade;
mod verdict;
mod witness;

pub use access::{Access, Mailboxes, mailbox_name};
pub use anchor::{Anchor, AnchorCheck};
pub use documents::{
    DocumentCheck, DocumentChecker, DocumentVerdict, SignedAttachment, TrustUsed, TrustedDir,
    TrustedDirGiven,
};
pub use error::ArchiveError;
pub use facts::Facts;
pub use location::Location;
pub use open::Archive;
pub use origin::{FolderRole, Origin, SentCopy};
pub use person::{Person, PersonProblem};
pub use reading::{Reading, Understood, understand, understand_checking};
pub use store::{Incoming, StoreOutcome, Stored};
pub use stored::BadStoredValue;
pub use upgrade::UpgradeStep;
pub use verdict::Verdict;
