//! Writing PEC messages to the rules: what a client submits ([`Send`], [`Original`]) and everything a
//! provider produces about it ([`ProviderMessage`], and the test kit's [`Pec`]), signed through a pluggable
//! [`Signer`] (PEC rules §1–§5).
//!
//! This is the project's one writer of PEC structure: the lab's providers (`pec-lab`) use it for real
//! mail, and `pec-testkit` re-exports it for tests, fuzz seeds and benchmarks. It has no servers, no
//! I/O and no clock: times are arguments, signing is the caller's [`Signer`].

mod breve;
mod daticert;
mod message;
mod mime;
mod original;
mod pec;
mod rng;
mod send;
pub mod zone;

pub use breve::{attachment_hash, breve_original};
pub use daticert::DaticertSpec;
pub use message::{PecKindSpec, PlaceholderSigner, ProviderMessage, Signer};
pub use mime::{base64_lines, rfc2822_date, rfc2822_date_in, to_lf, wrap_in_list};
pub use original::{Original, ReceiptType};
pub use pec::Pec;
pub use rng::Rng;
pub use send::{Attachment, Send};
