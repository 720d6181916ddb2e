//! Signed documents received inside PEC, pure: recognise, unwrap and verify what a court, a
//! supplier or a notary sends — a CAdES `.p7m` (DER, BER, base64, nested), an `.m7m`, a `.tsd`, a
//! `.tsr`/`.tst` timestamp, a PAdES-signed PDF.
//!
//! Issue 15 §1–§2. No sockets, no files, no clock: [`open`] takes the bytes, the trust anchors, the
//! time of checking and (optionally) the Trusted Lists' qualified services, and returns a
//! [`DocumentReport`]: every signature (outermost first, each with its level), the innermost signed
//! content exactly as signed, and findings. Total: hostile input (truncated, deeply nested, huge, a
//! PDF whose byte ranges overlap) gives a verdict with findings, never a panic or a hang. The signed
//! content is never executed or rendered here.
//!
//! Map: [`format`] recognises the container, [`armor`] undoes base64/PEM, [`cades`] opens nested
//! `.p7m`, [`timestamped`] the `.tsr`/`.tst` and `.tsd`, [`m7m`] the S/MIME-plus-timestamp files,
//! [`pades`] the PDF signatures (`pdf` reads a PAdES-LT file's document security store),
//! [`qualified`] decides whether a signature is qualified, [`report`] is what the window, the
//! archive and `attesta verify-doc` read, [`trusted`] answers from the imported Trusted Lists
//! (pec-trusted-list). The CMS and RFC 3161 checks themselves are pec-core's
//! (`pec_core::signature`), shared with the PEC provider signatures.

pub mod armor;
pub mod cades;
mod entry;
pub mod format;
pub mod m7m;
mod open;
pub mod pades;
mod pdf;
pub mod qualified;
pub mod report;
pub mod timestamped;
pub mod trusted;

pub use format::DocumentFormat;
pub use open::{Checking, MAX_LEVEL, open};
pub use qualified::{Qualified, QualifiedServices};
pub use report::{DocumentReport, SignatureEntry, SignatureRole};
