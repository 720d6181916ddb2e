//! The wire: IMAP sync and SMTP submission for any PEC provider, always over verified TLS.
//!
//! PEC rules §9: providers offer IMAPS (993) and SMTPS (465); STARTTLS (587) is supported for hand
//! configured servers. Certificates are always verified (public roots, plus roots an account adds, such
//! as the lab's); credentials are only ever sent inside TLS. Read-only toward the server: folders are
//! `EXAMINE`d and bodies fetched with `BODY.PEEK[]`, so nothing is marked read, moved or deleted; the only
//! write is [`imap::Session::append`] (storing a sent copy), which the engine calls when a provider does
//! not keep one.
//!
//! Sync decisions are pure ([`imap::plan`]); the sockets are in [`imap::Session`] and [`smtp`]. Used by
//! the engine, which feeds what is fetched into the archive.

mod endpoint;
mod error;
pub mod imap;
pub mod smtp;
mod tls;

pub use endpoint::{Endpoint, Security};
pub use error::MailError;
pub use tls::TlsRoots;
