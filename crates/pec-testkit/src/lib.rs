//! Synthetic PEC messages built to the PEC rules, for tests, fuzzing seeds and benchmarks.
//!
//! Real messages carry real people's data and stay in `shared/corpus`; everything the project commits or
//! generates comes from here. A [`Send`] describes what a sender submitted; [`Pec`] builds the envelope,
//! receipts and notices a provider would produce for it (PEC rules §1–§5). Signing is pluggable
//! ([`Signer`]): [`pki::TestPki`] really signs with a test CA; [`PlaceholderSigner`] writes a placeholder.

pub mod corpus;
mod daticert;
mod mime;
mod pec;
pub mod pki;
mod rng;
mod send;

pub use daticert::DaticertSpec;
pub use mime::{to_lf, wrap_in_list};
pub use pec::{Pec, PecKindSpec, PlaceholderSigner, Signer};
pub use rng::Rng;
pub use send::{Attachment, Send};
