//! Verification of PEC provider signatures: detached CMS (S/MIME) in pure Rust.
//!
//! PEC rules §6: every provider message is `multipart/signed` with a detached CMS SignedData
//! (`smime.p7s`). Trust = the signer chains to a PEC CA (built-in [`TrustAnchors`]), every
//! certificate valid at the CMS signingTime, KeyUsage digitalSignature, SAN e-mail = From.
//! Legacy SHA-1 and RSA-1024 are accepted for past evidence and reported as warnings.
//!
//! Pure and total: no I/O, no clock; a bad signature is a [`SignatureReport`] with a status
//! and findings, never a panic or an `Err`.
//!
//! Map: [`ber`] normalises BER to DER; [`der_reader`] walks DER keeping exact bytes; [`cms`]
//! reads the SignedData; [`certificate`] and [`names`] read X.509; [`algorithms`] does the
//! digests and signature arithmetic; [`anchors`] holds the trusted CAs; [`path`] builds and
//! judges the chain; [`verify`] puts it together; [`summary`] describes a `.p7s`.

mod algorithms;
mod anchors;
mod ber;
mod canonical;
mod certificate;
mod cms;
mod der_reader;
mod error;
mod findings;
mod names;
mod oids;
mod path;
mod report;
mod summary;
mod time;
mod verify;

pub use algorithms::{DigestAlgorithm, SignatureAlgorithm};
pub use anchors::TrustAnchors;
pub use canonical::to_crlf;
pub use error::SignatureError;
pub use findings::{FindingCode, Severity, SignatureFinding};
pub use report::{ChainLink, SignatureReport, SignatureStatus, SignerInfo};
pub use summary::{P7sSummary, describe_p7s};
pub use verify::{verify_detached, verify_detached_at};
