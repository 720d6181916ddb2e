//! Why a list could not even be read: the bytes are not a Trusted List we can walk safely.
//!
//! Used by `read` and wrapped by `ListRefused::Unreadable` when verifying.

use serde::Serialize;

/// A list that could not be read (hostile or broken XML, or not a TS 119 612 list at all).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum ReadError {
    #[error("the list is {bytes} bytes, more than the {limit} bytes we read")]
    TooLarge { bytes: usize, limit: usize },
    #[error("the list is not UTF-8 text")]
    NotUtf8,
    #[error("the list carries a DTD (refused: entity expansion is never performed)")]
    DtdForbidden,
    #[error("the list has more than {limit} XML nodes")]
    TooManyNodes { limit: u32 },
    #[error("the list nests elements {depth} deep, more than {limit}")]
    TooDeep { depth: usize, limit: usize },
    #[error("the list is not well-formed XML: {0}")]
    Malformed(String),
    #[error("the document is not a Trusted List (root element {found})")]
    NotATrustedList { found: String },
    #[error("the list lacks {0}")]
    Missing(&'static str),
    #[error("the list's {field} is not valid: {value:?}")]
    Invalid { field: &'static str, value: String },
}
