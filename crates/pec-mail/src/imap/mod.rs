//! IMAP: a read-only session ([`Session`]), folder roles ([`folders`]) and the pure sync decisions
//! ([`plan`]).

pub mod folders;
pub mod plan;
mod session;

pub use folders::{Folder, FolderRole};
pub use plan::{KnownFolder, ServerFolder, SyncPlan, missing, plan};
pub use session::{Fetched, Session};
