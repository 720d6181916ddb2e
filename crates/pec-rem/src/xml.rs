//! The bounded XML reading under every REM evidence: one parse (no DTD, no entity expansion, bounded
//! size, depth and node count — the Trusted List reader's), whose tree is both verified (`xades`) and
//! read (`evidence`), so what is verified is what is read.
//!
//! ETSI EN 319 522-4-1 leaves many evidence elements unqualified (`<EventTime>`, `<Details>`,
//! `<AppLayerIdentifier>` carry no namespace in the REM-Policy-IT kit); [`erds`] matches an element in
//! the ERDS namespace or in none, and nothing else.

use xml_sec::{Document, Node};

pub use pec_trusted_list::xml::{
    DS, Subtree, XADES, c14n_algorithm, canonical, child, children, duplicate_id, id_of, is, text,
    within,
};

/// ETSI EN 319 522-4-1 evidence namespace.
pub const ERDS: &str = "http://uri.etsi.org/19522/v1#";
/// ETSI EN 319 532-4 extensions (the subject of the original, …).
pub const REM_EXT: &str = "http://uri.etsi.org/19532/v1#";
/// SAML 2.0 assertions (identity attributes of sender and recipients).
pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

/// Why an evidence could not be read as XML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("the evidence is {bytes} bytes, more than the {limit} bytes we read")]
    TooLarge { bytes: usize, limit: usize },
    #[error("the evidence is not UTF-8 text")]
    NotUtf8,
    #[error("the evidence carries a DTD (refused: entity expansion is never performed)")]
    DtdForbidden,
    #[error("the evidence has too many XML nodes")]
    TooManyNodes,
    #[error("the evidence nests elements {depth} deep, more than {limit}")]
    TooDeep { depth: usize, limit: usize },
    #[error("the evidence is not well-formed XML: {0}")]
    Malformed(String),
}

/// The largest evidence we read. A real one is 10–20 kB; a dispatch's evidence lists one digest per
/// part, never megabytes.
pub const MAX_EVIDENCE_BYTES: usize = 1024 * 1024;

/// Parses an evidence's bytes into a tree, or says why not.
pub fn parse(xml: &[u8]) -> Result<Document<'_>, XmlError> {
    use pec_trusted_list::ReadError as R;
    if xml.len() > MAX_EVIDENCE_BYTES {
        return Err(XmlError::TooLarge {
            bytes: xml.len(),
            limit: MAX_EVIDENCE_BYTES,
        });
    }
    pec_trusted_list::xml::parse(xml).map_err(|e| match e {
        R::TooLarge { bytes, limit } => XmlError::TooLarge { bytes, limit },
        R::NotUtf8 => XmlError::NotUtf8,
        R::DtdForbidden => XmlError::DtdForbidden,
        R::TooManyNodes { .. } => XmlError::TooManyNodes,
        R::TooDeep { depth, limit } => XmlError::TooDeep { depth, limit },
        other => XmlError::Malformed(other.to_string()),
    })
}

/// Whether `node` is the evidence element `local`, in the ERDS namespace or in none.
pub fn erds(node: Node<'_, '_>, local: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == local
        && matches!(node.tag_name().namespace(), None | Some(ERDS))
}

/// The child evidence elements `local` of `node`, in document order.
pub fn erds_children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    local: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| erds(*c, local))
}
