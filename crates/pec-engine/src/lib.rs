//! Attesta's engine: where the state lives, what is configured, and the jobs the UI and the CLI run.
//!
//! Everything here is usable headless; the desktop shell and the `attesta` command are thin layers over it.

pub mod accounts;
pub mod config;
pub mod data_dir;
pub mod documents;
mod error;
pub mod export;
pub mod import;
pub mod letter;
pub mod private;
pub mod quarantine;
pub mod recorded;
pub mod runtime;
pub mod sdi;
pub mod send;
pub mod shared_archive;
pub mod sync;
pub mod trust;
pub mod trust_book;
pub mod trusted_lists;
pub mod user;

pub use config::EngineConfig;
pub use data_dir::DataDir;
pub use error::EngineError;
pub use trust::Trust;
pub use trust_book::TrustBook;
