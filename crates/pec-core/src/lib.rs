//! PEC knowledge, pure: parse, classify, read daticert, locate the signed bytes, verify the
//! provider signature.
//!
//! No sockets, no files, no clock: every function takes bytes (and, where time matters, the time) as
//! arguments, and every reading is total — bad input gives findings, never a panic. Used by the archive,
//! the mail client, the engine and the `attesta` command. The rules are in the repository's
//! `docs/pec-rules.md` ("PEC rules §n" in comments).

pub mod agreement;
pub mod artifact;
mod boundary;
pub mod breve;
pub mod classify;
pub mod closed_set;
pub mod correlate;
pub mod daticert;
pub mod finding;
pub mod headers;
pub mod ids;
pub mod inspection;
pub mod italian_time;
pub mod kind;
pub mod original;
pub mod signature;
pub mod span;
pub mod structure;
pub mod verification;

pub use artifact::{Artifact, NotMail, check_mail, recognise};
pub use closed_set::{ClosedSet, UnknownSpelling};
pub use daticert::{Daticert, Errore, ReceiptType, Recipient, RecipientType};
pub use finding::{Finding, FindingCode, Severity};
pub use inspection::{Inspection, inspect, inspect_parsed};
pub use kind::{Family, PecKind, Tipo};
pub use pec_closed_set::closed_set;
pub use span::Span;
pub use verification::verify_signature;
