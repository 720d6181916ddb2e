//! A small, bounded PDF reader for what signature checking needs beyond the signatures' own bytes:
//! the document security store (`dss.rs`) of PAdES-LT/LTA files.
//!
//! NOTE: not `lopdf`. It parses the whole file (every object, every object stream inflated with no
//! limit) and its parser recurses without a depth bound, so a hostile file could exhaust memory or
//! the stack (an abort `catch_unwind` cannot catch). This reader resolves only the objects asked
//! for, by the cross-reference (`xref.rs`, tables and streams, every incremental update, a scan
//! when it is damaged), parses with a depth and size bound (`object.rs`), and inflates streams
//! within a per-stream and per-file budget (`stream.rs`). It never renders, never decrypts (an
//! encrypted file's streams are unreadable and reported so), and never panics on input.

mod dss;
mod file;
mod object;
mod stream;
mod xref;

pub(crate) use dss::read as security_store;
