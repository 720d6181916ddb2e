//! The two references a REM evidence's signature must carry, and nothing else (ETSI EN 319 522-4-1
//! with XAdES baseline, EN 319 132-1 §6): the whole evidence minus the signature (`URI=""` with the
//! enveloped transform, or XPath Filter 2.0 subtracting `/descendant::ds:Signature`, which is the same
//! set once the evidence holds one signature), and the signature's own `SignedProperties`.
//!
//! Wrapping shapes are refused: a reference to any other element, a second whole-document reference,
//! an XPath or XSLT transform other than that exact filter. Each reference's node set is canonicalised
//! with `xml-sec`'s C14N on the one tree the facts are read from.

use xml_sec::c14n::C14nAlgorithm;
use xml_sec::{Document, Node};

use super::Refusal;
use super::algorithms::{self, ENVELOPED, SIGNED_PROPERTIES_TYPE, XPATH_FILTER2};
use crate::xml::{DS, Subtree, XADES, child, children, id_of, text, within};

/// Inclusive C14N 1.0 without comments: XMLDSig's default for a same-document node set.
const C14N_10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";

/// What a reference covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Covers {
    /// The whole evidence, minus its signature.
    Evidence,
    /// The signature's `SignedProperties` (signing time, signing certificate).
    SignedProperties,
}

/// Checks one `Reference` of `sig` and says what it covers; a digest that does not match is
/// [`Refusal::DigestMismatch`].
pub fn check(
    doc: &Document<'_>,
    sig: Node<'_, '_>,
    reference: Node<'_, '_>,
) -> Result<Covers, Refusal> {
    let uri = reference
        .attribute("URI")
        .ok_or_else(|| Refusal::Shape("a reference without URI".into()))?;
    let mut whole = false;
    let mut c14n = C14nAlgorithm::from_uri(C14N_10)
        .ok_or_else(|| Refusal::Shape("inclusive C14N unavailable".into()))?;
    if let Some(transforms) = child(reference, DS, "Transforms") {
        for t in transforms.children().filter(Node::is_element) {
            if !crate::xml::is(t, DS, "Transform") {
                return Err(Refusal::Shape(
                    "an unknown element among the transforms".into(),
                ));
            }
            match t.attribute("Algorithm").unwrap_or("") {
                ENVELOPED => whole = true,
                XPATH_FILTER2 if subtracts_signatures(t) => whole = true,
                // NOTE: a same-document reference drops comments whatever the C14N variant says
                // (XMLDSig §4.4.3.3).
                _ => c14n = c14n_algorithm(t, false)?,
            }
        }
    }
    let digest = child(reference, DS, "DigestMethod")
        .and_then(|m| m.attribute("Algorithm"))
        .ok_or_else(|| Refusal::Shape("a reference without DigestMethod".into()))?;
    let digest = algorithms::digest(digest)
        .ok_or_else(|| Refusal::Unsupported(format!("digest {digest}")))?;
    let expected = child(reference, DS, "DigestValue")
        .and_then(|v| crate::base64(&text(v)))
        .ok_or_else(|| Refusal::Shape("a reference without a readable DigestValue".into()))?;

    let (covers, bytes) = if uri.is_empty() {
        if !whole {
            return Err(Refusal::Shape(
                "the whole-evidence reference does not leave the signature out".into(),
            ));
        }
        let signature = Subtree::of(sig);
        (
            Covers::Evidence,
            canonical(doc, &c14n, |n| !signature.contains(n))?,
        )
    } else if let Some(id) = uri.strip_prefix('#') {
        let target = doc
            .descendants()
            .find(|n| n.is_element() && id_of(*n) == Some(id))
            .ok_or_else(|| Refusal::Shape(format!("reference {uri} points at nothing")))?;
        // NOTE: the only fragment an evidence signature needs is its own SignedProperties; anything
        // else covered by Id is a wrapping vector.
        let own_properties = crate::xml::is(target, XADES, "SignedProperties")
            && within(target, sig.id())
            && reference.attribute("Type") == Some(SIGNED_PROPERTIES_TYPE);
        if !own_properties || whole {
            return Err(Refusal::Shape(format!(
                "reference {uri} covers something other than the evidence or its signed properties"
            )));
        }
        let properties = Subtree::of(target);
        (
            Covers::SignedProperties,
            canonical(doc, &c14n, |n| properties.contains(n))?,
        )
    } else {
        return Err(Refusal::Shape(format!(
            "reference {uri} points outside the evidence"
        )));
    };
    if digest.digest_parts(&[&bytes]) != expected {
        return Err(Refusal::DigestMismatch(covers));
    }
    Ok(covers)
}

/// Whether an XPath Filter 2.0 transform is exactly `subtract /descendant::ds:Signature` with `ds`
/// bound to XMLDSig: the one filter signers use for an enveloped signature.
fn subtracts_signatures(transform: Node<'_, '_>) -> bool {
    let filters: Vec<Node<'_, '_>> = transform.children().filter(Node::is_element).collect();
    let [xpath] = filters.as_slice() else {
        return false;
    };
    let expression = text(*xpath);
    let Some(prefix) = expression
        .strip_prefix("/descendant::")
        .and_then(|rest| rest.strip_suffix(":Signature"))
    else {
        return false;
    };
    xpath.tag_name().name() == "XPath"
        && xpath.tag_name().namespace() == Some(XPATH_FILTER2)
        && xpath.attribute("Filter") == Some("subtract")
        && xpath.lookup_namespace_uri(Some(prefix)) == Some(DS)
}

/// The C14N algorithm an element's `Algorithm` names (shared with the Trusted List verifier).
pub fn c14n_algorithm(
    method: Node<'_, '_>,
    honour_comments: bool,
) -> Result<C14nAlgorithm, Refusal> {
    crate::xml::c14n_algorithm(method, honour_comments)
        .map_err(|uri| Refusal::Unsupported(format!("transform or canonicalisation {uri}")))
}

/// The canonical form of the nodes `visible` keeps.
pub fn canonical(
    doc: &Document<'_>,
    algo: &C14nAlgorithm,
    visible: impl Fn(Node<'_, '_>) -> bool,
) -> Result<Vec<u8>, Refusal> {
    crate::xml::canonical(doc, algo, visible)
        .map_err(|e| Refusal::Shape(format!("canonicalisation failed: {e}")))
}

/// The `Reference`s of `signed_info`, in order.
pub fn references<'a, 'i: 'a>(
    signed_info: Node<'a, 'i>,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    children(signed_info, DS, "Reference")
}

/// Whether `cert` has the digest `value` (base64) under the XML digest URI `uri` (XAdES `CertDigest`).
pub fn cert_digest_matches(uri: &str, value: &str, cert: &[u8]) -> bool {
    match (algorithms::digest(uri), crate::base64(value)) {
        (Some(alg), Some(expected)) => alg.digest_parts(&[cert]) == expected,
        _ => false,
    }
}
