//! The lab's REM services (`attesta lab up --rem`): what a REM provider writes, per ETSI EN 319 532-4 /
//! EN 319 522-4-1 as AgID's REM-Policy-IT 1.2 kit shows it (`docs/rem.md`, `docs/lab.md`).
//!
//! [`evidence`] writes an ERDS evidence, [`xades`] signs it XAdES-B-T with the provider's key and a
//! signature timestamp from the lab TSA ([`tsa`], RFC 3161), [`message`] wraps it (and, for a dispatch,
//! the original) in the provider's S/MIME signature. The routing (who gets which evidence) is the
//! circuit's, in `provider/rem.rs`.

pub mod evidence;
pub mod message;
pub mod tsa;
pub mod xades;

pub use evidence::{EvidenceSpec, LabEvent};
pub use message::RemMessageSpec;
pub use tsa::LabTsa;
pub use xades::XadesSigner;

/// What the REM providers sign with: one evidence signer per provider (the same key and certificate
/// as its S/MIME signer) and the lab TSA.
pub struct RemKeys {
    pub signers: Vec<XadesSigner>,
    pub tsa: LabTsa,
}
