//! Why a list was refused: every way a list can fail to be a fact, named, with a message a user
//! understands (the UI words them itself from the code and data; these are the English fallback).
//!
//! Returned by `verify` and by `TrustedLists::add_*`.

use serde::Serialize;

use crate::error::ReadError;

/// A list refused as a source of trust.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum ListRefused {
    #[error("the list cannot be read: {0}")]
    Unreadable(ReadError),
    #[error("the list is not signed")]
    NoSignature,
    #[error("the list carries {count} signatures; a Trusted List has exactly one")]
    SeveralSignatures { count: usize },
    #[error("the signature is not enveloped in the list's root element")]
    SignatureNotEnveloped,
    #[error("the document holds more than one Trusted List")]
    SeveralLists,
    #[error("two elements carry the same Id {id:?}, so a reference could point at either")]
    DuplicateId { id: String },
    #[error("the signature is incomplete: it lacks {0}")]
    MalformedSignature(&'static str),
    #[error("the signature uses an unsupported {role}: {uri}")]
    UnsupportedAlgorithm { role: &'static str, uri: String },
    #[error("the signature carries {count} references, more than the {limit} a list may have")]
    TooManyReferences { count: usize, limit: usize },
    #[error("the signature does not cover the whole list (no enveloped reference to the document)")]
    WholeListNotSigned,
    #[error(
        "the signature references {uri:?}, which is not part of the signature's own properties"
    )]
    UnexpectedReference { uri: String },
    #[error("the signature references {uri:?}, which is not in the list")]
    UnresolvedReference { uri: String },
    #[error("the list was changed after it was signed (digest of {uri:?} does not match)")]
    DigestMismatch { uri: String },
    #[error("the signature value does not verify with the signer's key")]
    BadSignatureValue,
    #[error("the signing certificate cannot be read")]
    BadCertificate,
    #[error(
        "the list is signed by {subject} (SHA-256 {sha256}), a certificate not accepted for this list"
    )]
    SignerNotAccepted { subject: String, sha256: String },
    #[error(
        "the list says it was issued on {issued}, outside its signer's validity ({not_before} to {not_after})"
    )]
    SignerNotValidAtIssue {
        issued: chrono::DateTime<chrono::Utc>,
        not_before: chrono::DateTime<chrono::Utc>,
        not_after: chrono::DateTime<chrono::Utc>,
    },
    #[error("the signed properties name a different signing certificate")]
    SigningCertificateMismatch,
    #[error("the list could not be canonicalised: {0}")]
    Canonicalisation(String),
    #[error("a {found} list was given where the EU list of trusted lists was expected")]
    NotAListOfLists { found: String },
    #[error("the EU list of trusted lists was given where a national list was expected")]
    UnexpectedListOfLists,
    #[error("no verified EU list of trusted lists is loaded yet: load it before national lists")]
    NoListOfLists,
    #[error("the EU list of trusted lists names no signing certificate for territory {territory}")]
    NoPointerFor { territory: String },
}

impl From<ReadError> for ListRefused {
    fn from(e: ReadError) -> Self {
        Self::Unreadable(e)
    }
}
