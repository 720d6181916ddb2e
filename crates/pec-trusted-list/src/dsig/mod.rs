//! The list's own enveloped XML signature (W3C XMLDSig 1.1; ETSI TS 119 612 §5.7 requires an enveloped
//! XAdES signature over the whole list): references, canonicalisation, digests, signature value.
//!
//! Used by `verify`, which adds the binding (is the signer accepted?). Canonical XML comes from the
//! `xml-sec` crate's C14N (inclusive 1.0/1.1 and exclusive 1.0), run on the same bounded tree `read`
//! reads. Forgery shapes refused here: a second signature or list, a signature outside the root, a
//! reference that does not cover the whole document, a same-document reference that leaves the
//! signature, duplicate Ids, XPath/XSLT transforms, any digest or signature value that does not match.

pub mod algorithms;
pub mod key;

use base64::Engine as _;
use xml_sec::c14n::C14nAlgorithm;
use xml_sec::{Document, Node};

use crate::refused::ListRefused;
use crate::xml::{self, DS, Subtree, TSL, XADES, child, children, id_of, text, within};
use algorithms::{DigestAlg, ENVELOPED, SignatureAlg};

/// The most `Reference`s a list's signature may carry (the EU and Italian lists carry two).
pub const MAX_REFERENCES: usize = 8;

/// A signature whose references and value verify with `signer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedSignature {
    /// The certificate (DER) whose key verified the signature value.
    pub signer: Vec<u8>,
}

/// Checks the one enveloped signature of a parsed list. `fallback_keys` are tried when `KeyInfo` carries
/// no certificate (the accepted set; binding is still checked by the caller).
pub fn check(
    doc: &Document<'_>,
    fallback_keys: &[Vec<u8>],
) -> Result<CheckedSignature, ListRefused> {
    let root = doc.root_element();
    if !xml::is(root, TSL, "TrustServiceStatusList") {
        return Err(ListRefused::Unreadable(crate::ReadError::NotATrustedList {
            found: root.tag_name().name().to_owned(),
        }));
    }
    let lists = doc
        .descendants()
        .filter(|n| xml::is(*n, TSL, "TrustServiceStatusList"))
        .count();
    if lists > 1 {
        return Err(ListRefused::SeveralLists);
    }
    let signatures: Vec<Node<'_, '_>> = doc
        .descendants()
        .filter(|n| xml::is(*n, DS, "Signature"))
        .collect();
    let sig = match signatures.as_slice() {
        [] => return Err(ListRefused::NoSignature),
        [one] => *one,
        many => return Err(ListRefused::SeveralSignatures { count: many.len() }),
    };
    if sig.parent_element().map(|p| p.id()) != Some(root.id()) {
        return Err(ListRefused::SignatureNotEnveloped);
    }
    unique_ids(doc)?;

    let signed_info =
        child(sig, DS, "SignedInfo").ok_or(ListRefused::MalformedSignature("SignedInfo"))?;
    let c14n_method = child(signed_info, DS, "CanonicalizationMethod")
        .ok_or(ListRefused::MalformedSignature("CanonicalizationMethod"))?;
    let c14n = c14n_algorithm(c14n_method, true)?;
    let sig_alg = SignatureAlg::from_uri(
        child(signed_info, DS, "SignatureMethod")
            .and_then(|m| m.attribute("Algorithm"))
            .ok_or(ListRefused::MalformedSignature("SignatureMethod"))?,
    )?;

    let references: Vec<Node<'_, '_>> = children(signed_info, DS, "Reference").collect();
    // NOTE: each reference costs a canonicalisation of up to the whole list; a real list has two.
    if references.len() > MAX_REFERENCES {
        return Err(ListRefused::TooManyReferences {
            count: references.len(),
            limit: MAX_REFERENCES,
        });
    }
    let mut whole_document = false;
    for reference in references {
        whole_document |= check_reference(doc, sig, reference)?;
    }
    if !whole_document {
        return Err(ListRefused::WholeListNotSigned);
    }

    let signed_info_set = Subtree::of(signed_info);
    let signed_info_bytes = canonical(doc, &c14n, |n| signed_info_set.contains(n))?;
    let value = child(sig, DS, "SignatureValue")
        .ok_or(ListRefused::MalformedSignature("SignatureValue"))?;
    let value =
        base64(&text(value)).ok_or(ListRefused::MalformedSignature("a base64 SignatureValue"))?;

    let embedded = embedded_certificates(sig)?;
    let candidates: &[Vec<u8>] = if embedded.is_empty() {
        fallback_keys
    } else {
        &embedded
    };
    let signer = candidates
        .iter()
        .find(|c| key::verifies(c, sig_alg, &signed_info_bytes, &value))
        .ok_or(ListRefused::BadSignatureValue)?
        .clone();
    check_xades_signing_certificate(sig, &signer)?;
    Ok(CheckedSignature { signer })
}

/// Checks one `Reference`; returns whether it is the whole-document (`URI=""`) enveloped reference.
fn check_reference(
    doc: &Document<'_>,
    sig: Node<'_, '_>,
    reference: Node<'_, '_>,
) -> Result<bool, ListRefused> {
    let uri = reference
        .attribute("URI")
        .ok_or(ListRefused::UnexpectedReference {
            uri: "(none)".into(),
        })?
        .to_owned();
    let mut enveloped = false;
    // NOTE: with no Transform the same-document node-set is canonicalised with inclusive C14N 1.0
    // (XMLDSig §4.4.3.2).
    let mut c14n = C14nAlgorithm::from_uri("http://www.w3.org/TR/2001/REC-xml-c14n-20010315")
        .ok_or_else(|| ListRefused::Canonicalisation("inclusive C14N unavailable".into()))?;
    if let Some(transforms) = child(reference, DS, "Transforms") {
        for t in children(transforms, DS, "Transform") {
            if t.attribute("Algorithm") == Some(ENVELOPED) {
                enveloped = true;
            } else {
                // NOTE: a same-document reference drops comments whatever the C14N variant says
                // (XMLDSig §4.4.3.3), so `with_comments` is never honoured here.
                c14n = c14n_algorithm(t, false)?;
            }
        }
    }
    let digest_alg = DigestAlg::from_uri(
        child(reference, DS, "DigestMethod")
            .and_then(|m| m.attribute("Algorithm"))
            .ok_or(ListRefused::MalformedSignature("DigestMethod"))?,
    )?;
    let expected = child(reference, DS, "DigestValue")
        .and_then(|v| base64(&text(v)))
        .ok_or(ListRefused::MalformedSignature("DigestValue"))?;

    let (bytes, whole) = if uri.is_empty() {
        if !enveloped {
            return Err(ListRefused::WholeListNotSigned);
        }
        let signature = Subtree::of(sig);
        (canonical(doc, &c14n, |n| !signature.contains(n))?, true)
    } else if let Some(id) = uri.strip_prefix('#') {
        let target = doc
            .descendants()
            .find(|n| n.is_element() && id_of(*n) == Some(id))
            .ok_or_else(|| ListRefused::UnresolvedReference { uri: uri.clone() })?;
        // NOTE: the only same-document fragment a Trusted List's signature needs is its own XAdES
        // SignedProperties; anything else the signature "covers" by Id is a wrapping vector.
        if !within(target, sig.id()) || enveloped {
            return Err(ListRefused::UnexpectedReference { uri });
        }
        let properties = Subtree::of(target);
        (canonical(doc, &c14n, |n| properties.contains(n))?, false)
    } else {
        return Err(ListRefused::UnexpectedReference { uri });
    };
    if digest_alg.digest(&bytes) != expected {
        return Err(ListRefused::DigestMismatch { uri });
    }
    Ok(whole)
}

/// The C14N algorithm an element's `Algorithm` names (see [`xml::c14n_algorithm`]).
fn c14n_algorithm(
    method: Node<'_, '_>,
    honour_comments: bool,
) -> Result<C14nAlgorithm, ListRefused> {
    xml::c14n_algorithm(method, honour_comments).map_err(|uri| ListRefused::UnsupportedAlgorithm {
        role: "transform or canonicalisation",
        uri,
    })
}

fn canonical(
    doc: &Document<'_>,
    algo: &C14nAlgorithm,
    visible: impl Fn(Node<'_, '_>) -> bool,
) -> Result<Vec<u8>, ListRefused> {
    xml::canonical(doc, algo, visible).map_err(ListRefused::Canonicalisation)
}

/// Refuses a document where two elements share an Id: a reference must resolve to one element.
fn unique_ids(doc: &Document<'_>) -> Result<(), ListRefused> {
    match xml::duplicate_id(doc) {
        Some(id) => Err(ListRefused::DuplicateId { id }),
        None => Ok(()),
    }
}

fn embedded_certificates(sig: Node<'_, '_>) -> Result<Vec<Vec<u8>>, ListRefused> {
    let mut out = Vec::new();
    if let Some(info) = child(sig, DS, "KeyInfo") {
        for data in children(info, DS, "X509Data") {
            for c in children(data, DS, "X509Certificate") {
                out.push(base64(&text(c)).ok_or(ListRefused::BadCertificate)?);
            }
        }
    }
    Ok(out)
}

/// XAdES `SigningCertificate` (ETSI EN 319 132-1 §5.2.2): when present, one of its digests must be the
/// signer's certificate — the signed statement of who signed.
fn check_xades_signing_certificate(sig: Node<'_, '_>, signer: &[u8]) -> Result<(), ListRefused> {
    let certs: Vec<Node<'_, '_>> = sig
        .descendants()
        .filter(|n| {
            xml::is(*n, XADES, "SigningCertificate") || xml::is(*n, XADES, "SigningCertificateV2")
        })
        .flat_map(|s| children(s, XADES, "Cert"))
        .collect();
    if certs.is_empty() {
        return Ok(());
    }
    for cert in certs {
        let Some(digest) = child(cert, XADES, "CertDigest") else {
            continue;
        };
        let alg = child(digest, DS, "DigestMethod").and_then(|m| m.attribute("Algorithm"));
        let value = child(digest, DS, "DigestValue").and_then(|v| base64(&text(v)));
        if let (Some(alg), Some(value)) = (alg, value)
            && DigestAlg::from_uri(alg).is_ok_and(|a| a.digest(signer) == value)
        {
            return Ok(());
        }
    }
    Err(ListRefused::SigningCertificateMismatch)
}

fn base64(t: &str) -> Option<Vec<u8>> {
    let compact: String = t.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()
}
