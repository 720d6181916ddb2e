//! Synthetic PEC messages built to the PEC rules, for tests, fuzzing seeds and benchmarks.
//!
//! Real messages carry real people's data and stay in `shared/corpus`; everything the project commits or
//! generates comes from here. A [`Send`] describes what a sender submitted; [`Pec`] builds the envelope,
//! receipts and notices a provider would produce for it (PEC rules §1–§5). Signing is pluggable
//! ([`Signer`]): [`pki::TestPki`] really signs with a test CA; [`PlaceholderSigner`] writes a placeholder.
//!
//! The composition itself lives in crate `pec-compose` (the lab's providers write real mail with it) and is
//! re-exported here unchanged; [`pki`] stays here as an independent signer (the `openssl` binary), so the
//! lab's in-process signatures and openssl's are both checked by pec-core's tests. [`openssl_ca`] is a
//! CA with a database, for the tests of revocation (CRLs, OCSP) and of timestamps; [`relay`] cuts a
//! server off and lets it back.

pub mod corpus;
pub mod forgery;
pub mod openssl_ca;
pub mod pki;
pub mod relay;
pub mod release_fixture;

pub use pec_compose::{
    Attachment, DaticertSpec, Pec, PecKindSpec, PlaceholderSigner, Rng, Send, Signer, to_lf,
    wrap_in_list,
};
