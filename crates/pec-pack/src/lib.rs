//! Evidence packs: what a lawyer files when a delivery is disputed, and what anyone can check later.
//!
//! One ZIP per sent message (issue 7): the message as sent and every receipt and notice, byte for byte
//! as the archive holds them, in folders and under names a person understands; `report.pdf`, the same
//! facts in words (Italian by default, English on request) with every file's signature verdict and
//! SHA-256; `manifest.json`, the facts for machines; `SHA256SUMS.txt`, every member's hash in the form
//! `sha256sum -c` reads. [`verify_pack`] re-checks a pack offline: every hash, every signature, and the
//! per-recipient outcomes the receipts certify.
//!
//! Used by `pec-engine`'s export job (the CLI and the desktop app call that), never by the archive.
//! Reads the archive, never writes it. Map: [`build`] makes a pack from the archive ([`collect`] reads
//! the evidence, [`layout`] names it, [`outcome`] re-derives what it certifies, [`manifest`] states it,
//! [`report`] prints it, [`container`] zips it); [`verify`] checks one ([`reader`] opens it safely);
//! [`names`] makes file names safe; [`words`] says things in Italian and English.

pub mod build;
pub mod collect;
pub mod container;
mod error;
pub mod language;
pub mod layout;
pub mod manifest;
pub mod names;
pub mod outcome;
pub mod reader;
pub mod report;
pub mod sums;
pub mod time;
pub mod verify;
pub mod words;

pub use build::{Pack, PackOptions, build_pack};
pub use error::PackError;
pub use language::Language;
pub use manifest::Manifest;
pub use verify::{
    Assurance, PackProblem, PackVerdict, SentCopyField, verify_pack, verify_pack_bytes,
    verify_pack_bytes_with, verify_pack_file, verify_pack_file_with, verify_pack_with,
};

/// The name and version written into every pack and report (`Attesta 0.1.0`).
pub fn producer() -> String {
    format!("Attesta {}", env!("CARGO_PKG_VERSION"))
}
