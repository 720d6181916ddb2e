//! The crate's one error type: why a file could not even be read as an invoice or a notification.
//!
//! Errors are typed (a code plus data, serialised with `code`), so the window can word them in Italian
//! and English. What is merely odd in a file that *was* read is a finding on the reading, not an error.

use serde::Serialize;

/// Why `read_invoice` / `read_notification` gave up. Every hostile input ends here, quickly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum InvoiceError {
    /// Larger than [`limits::MAX_INPUT_BYTES`](crate::limits::MAX_INPUT_BYTES), or, once transcoded to
    /// UTF-8, larger than [`limits::MAX_TEXT_BYTES`](crate::limits::MAX_TEXT_BYTES) (`size` is then the
    /// transcoded size's upper bound).
    #[error("file too large: {size} bytes (limit {limit})")]
    TooLarge { size: u64, limit: u32 },
    /// Not UTF-8, though UTF-8 is what its BOM, its declaration or their absence says; `offset` is the
    /// first bad byte. Never guessed to be another encoding.
    #[error("not utf-8 at byte {offset}")]
    NotUtf8 { offset: u32 },
    /// Not valid in the encoding its BOM or declaration names (an odd-length UTF-16 file, a declared
    /// UTF-16 without a BOM); `encoding` is the WHATWG name, `offset` the first bad byte of the input.
    #[error("not valid {encoding} at byte {offset}")]
    BadEncoding { encoding: String, offset: u32 },
    /// The declaration names an encoding this reader does not accept (only UTF-8, ISO-8859-1 /
    /// windows-1252, ISO-8859-15 and UTF-16 with a BOM are); `name` is printable ASCII, at most 40
    /// characters and an ellipsis.
    #[error("unsupported encoding `{name}`")]
    UnsupportedEncoding { name: String },
    /// A DOCTYPE: neither format has one, and a DTD is how entity bombs get in.
    #[error("a doctype is not allowed")]
    Doctype,
    /// An entity reference other than the five predefined ones and character references.
    #[error("unknown entity `&{name};`")]
    UnknownEntity { name: String },
    /// Elements nested deeper than [`limits::MAX_DEPTH`](crate::limits::MAX_DEPTH).
    #[error("elements nested deeper than {limit}")]
    TooDeep { limit: u32 },
    /// More elements than [`limits::MAX_ELEMENTS`](crate::limits::MAX_ELEMENTS).
    #[error("more than {limit} elements")]
    TooManyElements { limit: u32 },
    /// More attributes on one element than [`limits::MAX_ATTRIBUTES`](crate::limits::MAX_ATTRIBUTES).
    #[error("more than {limit} attributes on one element")]
    TooManyAttributes { limit: u32 },
    /// More namespace declarations in scope than [`limits::MAX_NAMESPACES`](crate::limits::MAX_NAMESPACES).
    #[error("more than {limit} namespace declarations in scope")]
    TooManyNamespaces { limit: u32 },
    /// Not well-formed XML (or a namespace prefix that is never declared).
    #[error("malformed xml at byte {offset}: {detail}")]
    Malformed { offset: u32, detail: String },
    /// No root element at all.
    #[error("no root element")]
    Empty,
    /// Well-formed, but the root is not a FatturaPA invoice.
    #[error("not an invoice: root `{root}` in namespace `{namespace}`")]
    NotAnInvoice { root: String, namespace: String },
    /// Well-formed, but the root is not an SdI notification.
    #[error("not an sdi notification: root `{root}` in namespace `{namespace}`")]
    NotANotification { root: String, namespace: String },
    /// A block without which the document cannot be read (`CedentePrestatore`, a body, …).
    #[error("missing `{element}`")]
    Missing { element: String },
}
