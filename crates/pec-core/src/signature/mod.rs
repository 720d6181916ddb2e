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
//! Decoding is RustCrypto's (`cms`, `x509-cert`, `der`, `spki`, one generation with `rsa` 0.9).
//! Map: [`ber`] normalises BER to DER (`der` reads DER only); [`signed_data`] reads the SignedData
//! with `cms`, keeping the bytes that are signed; [`signed_attrs`] reads the signed attributes;
//! [`certificate`], [`extensions`], [`names`], [`time`] and [`keys`] derive what trust needs from
//! an `x509-cert` certificate; [`algorithms`] does the digests and signature arithmetic
//! ([`rsa_public`]: the RSA public operation on `crypto-bigint`, prepared once per key);
//! [`anchors`] holds the trusted CAs and [`cache`] remembers decoded certificates and checks across
//! verifications; [`path`] builds and judges the chain; [`verify`] puts it together, [`timing`] compares the claimed
//! signingTime with the [`TimeWitnesses`] (issue 13 §4, `docs/time.md`); [`summary`]
//! describes a `.p7s`.

mod algorithms;
mod anchors;
mod ber;
mod cache;
mod canonical;
mod certificate;
mod error;
mod extensions;
mod findings;
mod keys;
mod names;
mod path;
mod report;
mod rsa_public;
mod signed_attrs;
mod signed_data;
mod summary;
mod time;
mod timing;
mod verify;
mod witnesses;

pub use algorithms::{DigestAlgorithm, SignatureAlgorithm};
pub use anchors::TrustAnchors;
pub use canonical::to_crlf;
pub use error::SignatureError;
pub use findings::{FindingCode, Severity, SignatureFinding};
pub use report::{ChainLink, SignatureReport, SignatureStatus, SignerInfo};
pub use summary::{P7sSummary, describe_p7s};
pub use verify::{verify_detached, verify_detached_at};
pub use witnesses::TimeWitnesses;
