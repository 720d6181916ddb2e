//! Whether a document carries an enveloped XML signature (XMLDSig, as XAdES-BES uses it), and where.
//!
//! SdI signs its notifications (XAdES-BES, enveloped, `URI=""`), and an invoice may be XAdES-signed
//! instead of CAdES-wrapped. This crate does not verify anything: it reports that a `ds:Signature` is
//! a child of the document element and hands over the byte spans, so the verifier (the lead's XAdES
//! code) works on the exact bytes received, never on a re-serialisation. Until it has verified, a
//! notification's content is a hint, not a fact.

use serde::{Deserialize, Serialize};

use crate::xml::{ByteSpan, Element};

/// The XMLDSig namespace (XML Signature Syntax and Processing, §4).
pub const XMLDSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// An enveloped signature found in a document (not verified here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct XmlSignature {
    /// The `ds:Signature` element, start tag to end tag.
    pub signature: ByteSpan,
    /// The element that contains it (the signed document element, for an enveloped `URI=""` reference).
    pub signed_element: ByteSpan,
    /// How many `ds:Signature` children the element has (more than one is worth a look).
    pub count: u32,
}

/// The enveloped signature of `element`, if a `ds:Signature` is one of its children.
pub(crate) fn enveloped(element: &Element) -> Option<XmlSignature> {
    let mut signatures = element
        .children
        .iter()
        .filter(|c| c.name == "Signature" && c.ns == XMLDSIG_NS);
    let first = signatures.next()?;
    Some(XmlSignature {
        signature: first.span,
        signed_element: element.span,
        count: 1 + signatures.count() as u32,
    })
}
