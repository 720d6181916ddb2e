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
//!
//! Signed documents (issue 15) reuse the same checks: [`signer_check`] is one SignerInfo's
//! digest, certificate, signature value and chain; [`ess`] the signing-certificate binding
//! (RFC 5035); [`timestamp`] an RFC 3161 token (its TSA path, EKU and imprint); [`cades`] an
//! attached or detached CAdES document with its signature timestamps and countersignatures, each
//! judged at the time it rests on (the timestamp's when usable, else the claimed signingTime);
//! [`revocation`] checks its path against the CRLs ([`crl`]) and OCSP responses ([`ocsp`]) the
//! file carries, never the network.

mod algorithms;
mod anchors;
mod ber;
mod cache;
mod cades;
mod canonical;
mod certificate;
mod crl;
mod error;
mod ess;
mod extensions;
mod findings;
mod keys;
mod names;
mod ocsp;
mod path;
mod report;
mod revocation;
mod rsa_public;
mod security_store;
mod signed_attrs;
mod signed_data;
mod signer_check;
mod summary;
mod time;
mod timestamp;
mod timing;
mod value;
mod verify;
mod witnesses;

pub use algorithms::{DigestAlgorithm, SignatureAlgorithm};
pub use anchors::TrustAnchors;
pub use ber::{Normalised, normalise as normalise_ber};
pub use cades::{
    CmsDocument, DocumentContext, DocumentSignature, TimeBasis, content_type_of,
    verify_cms_document,
};
pub use canonical::to_crlf;
pub use error::SignatureError;
pub use findings::{FindingCode, Severity, SignatureFinding, status_of};
pub use report::{ChainLink, SignatureReport, SignatureStatus, SignerInfo};
pub use security_store::SecurityStore;
pub use summary::{P7sSummary, describe_p7s};
pub use timestamp::{
    ID_CT_TST_INFO, Imprint, TimestampReport, TimestampRevocation, TstInfo, read_tst_info,
    verify_timestamp, verify_timestamp_revocation,
};
pub use value::{SignatureValue, ValueVerdict, verify_signature_value};
pub use verify::{verify_detached, verify_detached_at};
pub use witnesses::TimeWitnesses;
