//! The bounds every reading stays within, so hostile XML ends in a typed error, quickly.
//!
//! SdI refuses files over 5 MB (FatturaPA technical rules, "dimensione massima del file"); a PEC message
//! is capped by the providers at about 30 MB. The limits leave room for the base64 attachments real
//! invoices carry and still bound memory and time.

/// Largest input read, in bytes (16 MiB).
pub const MAX_INPUT_BYTES: u32 = 16 * 1024 * 1024;
/// Largest text after transcoding to UTF-8, in bytes: twice [`MAX_INPUT_BYTES`] (UTF-16 grows at
/// most ×1.5, ISO-8859-1 ×2; only a windows-1252 file dense in `€`-like characters, ×3, can exceed it).
pub const MAX_TEXT_BYTES: u32 = 2 * MAX_INPUT_BYTES;
/// Deepest element nesting (a FatturaPA line is 6 deep, an XAdES signature under a SOAP body about 14).
pub const MAX_DEPTH: u32 = 64;
/// Most elements in one document (about 20,000 invoice lines).
pub const MAX_ELEMENTS: u32 = 200_000;
/// Most attributes on one element (FatturaPA roots carry about six; quick-xml's duplicate check is
/// quadratic in their number).
pub const MAX_ATTRIBUTES: u32 = 64;
/// Most namespace declarations in scope at once (each element's name is resolved against them).
pub const MAX_NAMESPACES: u32 = 128;
