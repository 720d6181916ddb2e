//! The one error type of the signature module.
//!
//! `Err` means "could not even try" (an anchor file that is not a certificate, a `.p7s` that
//! is not CMS at all). A signature that fails to verify is never an error: it is a
//! [`SignatureReport`](super::SignatureReport) with status and findings.

/// Why a certificate or a `.p7s` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The input is not valid BER/DER, or nests or grows beyond the safety limits.
    #[error("malformed encoding: {0}")]
    Malformed(&'static str),
    /// The bytes are well-formed ASN.1 but not a CMS SignedData.
    #[error("not a cms signed-data structure: {0}")]
    NotSignedData(&'static str),
    /// The bytes are not an X.509 certificate.
    #[error("not an x.509 certificate")]
    NotACertificate,
    /// A PEM file without a single `CERTIFICATE` block.
    #[error("no certificate found in pem data")]
    NoPemCertificate,
    /// A PEM block whose base64 body does not decode.
    #[error("invalid base64 in pem data")]
    InvalidPem,
}
