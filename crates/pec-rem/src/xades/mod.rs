//! The evidence's own XAdES-B-T signature (ETSI EN 319 132-1; EN 319 522-4-1 requires one on every
//! evidence): references (`reference.rs`), the signature value over the canonical `SignedInfo`, the
//! signed `SigningCertificate(V2)` binding, the signed `SigningTime`, and the RFC 3161
//! `SignatureTimeStamp` over the canonical `SignatureValue` element.
//!
//! The judgement of the signer (key, path to an anchor at the time the signature rests on, key usage)
//! is `pec-core`'s, shared with PEC and signed documents. Forgery shapes refused before any of it: a
//! second signature, a signature that is not a child of the evidence, duplicate Ids, any reference but
//! the two allowed.

pub mod algorithms;
pub mod reference;

use chrono::{DateTime, Utc};
use pec_core::signature::{
    FindingCode, SignatureFinding, SignatureReport, SignatureStatus, SignatureValue, TimeBasis,
    TimestampReport, TrustAnchors, status_of, verify_signature_value, verify_timestamp,
};
use serde::Serialize;
use xml_sec::{Document, Node};

use crate::xml::{self, DS, XADES, child, children, text};
use reference::{Covers, c14n_algorithm, canonical, cert_digest_matches};
use xml::within;

/// Why the signature's shape was refused before its value could mean anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A shape this verifier does not accept (a wrapping vector, a missing element).
    Shape(String),
    /// An algorithm it does not know.
    Unsupported(String),
    /// A reference's digest does not match what it covers: the evidence was altered.
    DigestMismatch(Covers),
}

impl Refusal {
    fn finding(&self) -> SignatureFinding {
        match self {
            Refusal::Shape(why) => SignatureFinding::new(
                FindingCode::MalformedCms,
                format!("The evidence's signature has a shape that is refused ({why})."),
            ),
            Refusal::Unsupported(what) => SignatureFinding::new(
                FindingCode::UnsupportedAlgorithm,
                format!(
                    "The evidence's signature uses an algorithm this program does not know ({what})."
                ),
            ),
            Refusal::DigestMismatch(Covers::Evidence) => SignatureFinding::new(
                FindingCode::ContentDigestMismatch,
                "The evidence was changed after it was signed.",
            ),
            Refusal::DigestMismatch(Covers::SignedProperties) => SignatureFinding::new(
                FindingCode::ContentDigestMismatch,
                "The signature's signed properties (its time, its signer) were changed after signing.",
            ),
        }
    }
}

/// The verdict on an evidence's XAdES signature.
#[derive(Debug, Clone, Serialize)]
pub struct XadesReport {
    pub status: SignatureStatus,
    /// Signer, path and findings (its `status` is [`Self::status`]).
    pub signature: SignatureReport,
    /// The signed `SigningTime` the signer states.
    pub signed_at: Option<DateTime<Utc>>,
    /// The signature's RFC 3161 timestamp, verified over the signature value.
    pub timestamp: Option<TimestampReport>,
    pub time_basis: TimeBasis,
    pub judged_at: Option<DateTime<Utc>>,
    /// The judged path as encoded, signer first (for the Trusted List check of REM services).
    #[serde(skip)]
    pub path: Vec<Vec<u8>>,
}

impl XadesReport {
    fn refused(refusal: &Refusal) -> XadesReport {
        let findings = vec![refusal.finding()];
        let status = status_of(&findings);
        let mut signature = SignatureReport::with_status(status);
        signature.findings = findings;
        XadesReport {
            status,
            signature,
            signed_at: None,
            timestamp: None,
            time_basis: TimeBasis::None,
            judged_at: None,
            path: Vec::new(),
        }
    }
}

/// The most references an evidence signature may carry (it needs two).
const MAX_REFERENCES: usize = 4;

/// Verifies the XAdES signature of a parsed evidence at `now`.
pub fn verify(doc: &Document<'_>, anchors: &TrustAnchors, now: DateTime<Utc>) -> XadesReport {
    match check(doc, anchors, now) {
        Ok(report) => report,
        Err(refusal) => XadesReport::refused(&refusal),
    }
}

fn check(
    doc: &Document<'_>,
    anchors: &TrustAnchors,
    now: DateTime<Utc>,
) -> Result<XadesReport, Refusal> {
    let root = doc.root_element();
    let signatures: Vec<Node<'_, '_>> = doc
        .descendants()
        .filter(|n| xml::is(*n, DS, "Signature"))
        .collect();
    let sig = match signatures.as_slice() {
        [] => return Err(Refusal::Shape("the evidence is not signed".into())),
        [one] => *one,
        many => {
            return Err(Refusal::Shape(format!(
                "the evidence holds {} signatures",
                many.len()
            )));
        }
    };
    if sig.parent_element().map(|p| p.id()) != Some(root.id()) {
        return Err(Refusal::Shape(
            "the signature is not a child of the evidence".into(),
        ));
    }
    unique_ids(doc)?;

    let signed_info =
        child(sig, DS, "SignedInfo").ok_or_else(|| Refusal::Shape("no SignedInfo".into()))?;
    let c14n = c14n_algorithm(
        child(signed_info, DS, "CanonicalizationMethod")
            .ok_or_else(|| Refusal::Shape("no CanonicalizationMethod".into()))?,
        true,
    )?;
    let method = child(signed_info, DS, "SignatureMethod")
        .and_then(|m| m.attribute("Algorithm"))
        .ok_or_else(|| Refusal::Shape("no SignatureMethod".into()))?;
    let (algorithm, digest) = algorithms::signature(method)
        .ok_or_else(|| Refusal::Unsupported(format!("signature {method}")))?;

    let refs: Vec<Node<'_, '_>> = reference::references(signed_info).collect();
    if refs.len() > MAX_REFERENCES {
        return Err(Refusal::Shape(format!("{} references", refs.len())));
    }
    let mut covered = Vec::new();
    for r in refs {
        covered.push(reference::check(doc, sig, r)?);
    }
    for needed in [Covers::Evidence, Covers::SignedProperties] {
        match covered.iter().filter(|c| **c == needed).count() {
            1 => {}
            0 => {
                return Err(Refusal::Shape(match needed {
                    Covers::Evidence => "the signature does not cover the evidence".into(),
                    Covers::SignedProperties => {
                        "the signature does not cover its signed properties (not XAdES)".into()
                    }
                }));
            }
            n => return Err(Refusal::Shape(format!("{n} references to the same thing"))),
        }
    }
    let signed_info_set = xml::Subtree::of(signed_info);
    let signed_info_bytes = canonical(doc, &c14n, |n| signed_info_set.contains(n))?;
    let value_node = child(sig, DS, "SignatureValue")
        .ok_or_else(|| Refusal::Shape("no SignatureValue".into()))?;
    let value = crate::base64(&text(value_node))
        .ok_or_else(|| Refusal::Shape("the SignatureValue is not base64".into()))?;

    let properties = doc
        .descendants()
        .find(|n| xml::is(*n, XADES, "SignedProperties") && within(*n, sig.id()))
        .ok_or_else(|| Refusal::Shape("no SignedProperties".into()))?;
    let signing_time = signed_signature_property(properties, "SigningTime")
        .map(text)
        .map(|t| {
            DateTime::parse_from_rfc3339(&t)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| Refusal::Shape(format!("SigningTime {t:?} is not a time")))
        })
        .transpose()?;

    let certificates = key_info_certificates(sig)?;
    let binding = SigningCertificate::read(properties);
    let signer = match &binding {
        Some(b) => certificates.iter().find(|c| b.names(c)),
        None => certificates.first(),
    };
    let Some(signer) = signer else {
        let mut report = XadesReport::refused(&Refusal::Shape(String::new()));
        report.signature.findings = vec![SignatureFinding::new(
            FindingCode::SignerCertificateNotFound,
            if binding.is_some() {
                "The certificate the evidence's signed properties name is not included, so the signature cannot be checked."
            } else {
                "The evidence's signature does not include its signer's certificate, so it cannot be checked."
            },
        )];
        report.status = status_of(&report.signature.findings);
        report.signature.status = report.status;
        return Ok(report);
    };

    let timestamp = signature_timestamp(doc, sig, value_node, anchors);
    let others: Vec<&[u8]> = certificates
        .iter()
        .filter(|c| *c != signer)
        .map(Vec::as_slice)
        .collect();
    let verdict = verify_signature_value(
        &SignatureValue {
            signer,
            certificates: &others,
            algorithm,
            digest,
            signed: &signed_info_bytes,
            value: &value,
            claimed_time: signing_time,
            timestamp: timestamp.as_ref(),
            now,
        },
        anchors,
    );
    let mut signature = verdict.report;
    if binding.is_none() {
        signature.findings.push(SignatureFinding::new(
            FindingCode::NoSigningCertificateBinding,
            "The evidence's signature does not say, under the signature, which certificate signed it.",
        ));
    }
    signature.status = status_of(&signature.findings);
    Ok(XadesReport {
        status: signature.status,
        signature,
        signed_at: signing_time,
        timestamp,
        time_basis: verdict.time_basis,
        judged_at: verdict.judged_at,
        path: verdict.path,
    })
}

/// `QualifyingProperties/SignedProperties/SignedSignatureProperties/{local}`.
fn signed_signature_property<'a, 'i>(
    properties: Node<'a, 'i>,
    local: &str,
) -> Option<Node<'a, 'i>> {
    child(properties, XADES, "SignedSignatureProperties").and_then(|p| child(p, XADES, local))
}

/// The signed statement of who signed (`SigningCertificateV2`, or v1's `SigningCertificate`).
struct SigningCertificate {
    /// (digest URI, base64 digest) of each `Cert`.
    digests: Vec<(String, String)>,
}

impl SigningCertificate {
    fn read(properties: Node<'_, '_>) -> Option<SigningCertificate> {
        let holder = signed_signature_property(properties, "SigningCertificateV2")
            .or_else(|| signed_signature_property(properties, "SigningCertificate"))?;
        let digests = children(holder, XADES, "Cert")
            .filter_map(|cert| child(cert, XADES, "CertDigest"))
            .filter_map(|d| {
                let uri = child(d, DS, "DigestMethod")?.attribute("Algorithm")?;
                let value = child(d, DS, "DigestValue").map(text)?;
                Some((uri.to_owned(), value))
            })
            .collect();
        Some(SigningCertificate { digests })
    }

    /// Whether `cert` is the one named.
    fn names(&self, cert: &[u8]) -> bool {
        self.digests
            .iter()
            .any(|(uri, value)| cert_digest_matches(uri, value, cert))
    }
}

/// The certificates of `KeyInfo/X509Data`, DER.
fn key_info_certificates(sig: Node<'_, '_>) -> Result<Vec<Vec<u8>>, Refusal> {
    let mut out = Vec::new();
    if let Some(info) = child(sig, DS, "KeyInfo") {
        for data in children(info, DS, "X509Data") {
            for c in children(data, DS, "X509Certificate") {
                out.push(
                    crate::base64(&text(c))
                        .ok_or_else(|| Refusal::Shape("a certificate that is not base64".into()))?,
                );
            }
        }
    }
    Ok(out)
}

/// The `SignatureTimeStamp`s (XAdES EN 319 132-1 §5.3), each verified over the canonical
/// `SignatureValue` element; the first usable one is kept, else the first. `None` when the signature
/// carries none (XAdES-B-B). A damaged timestamp is an unusable report, never a refusal of the
/// signature: it is an unsigned property, and the signature stands without it (as xmlsec1 says).
fn signature_timestamp(
    doc: &Document<'_>,
    sig: Node<'_, '_>,
    value_node: Node<'_, '_>,
    anchors: &TrustAnchors,
) -> Option<TimestampReport> {
    let reports: Vec<TimestampReport> = sig
        .descendants()
        .filter(|n| xml::is(*n, XADES, "SignatureTimeStamp"))
        .take(MAX_TIMESTAMPS)
        .map(|stamp| {
            let token = child(stamp, XADES, "EncapsulatedTimeStamp")
                .and_then(|t| crate::base64(&text(t)))
                .unwrap_or_default();
            // NOTE: XAdES 1.3.2 §7.1.4.1: without CanonicalizationMethod, inclusive C14N 1.0.
            let c14n = match child(stamp, DS, "CanonicalizationMethod") {
                Some(m) => c14n_algorithm(m, true).ok(),
                None => c14n_algorithm_default().ok(),
            };
            let value_set = xml::Subtree::of(value_node);
            let stamped = c14n.and_then(|c| canonical(doc, &c, |n| value_set.contains(n)).ok());
            verify_timestamp(&token, stamped.as_deref(), anchors)
        })
        .collect();
    let usable = reports.iter().position(TimestampReport::is_usable);
    reports.into_iter().nth(usable.unwrap_or(0))
}

/// The most signature timestamps looked at (real evidence carries one).
const MAX_TIMESTAMPS: usize = 4;

fn c14n_algorithm_default() -> Result<xml_sec::c14n::C14nAlgorithm, Refusal> {
    xml_sec::c14n::C14nAlgorithm::from_uri("http://www.w3.org/TR/2001/REC-xml-c14n-20010315")
        .ok_or_else(|| Refusal::Shape("inclusive C14N unavailable".into()))
}

/// Refuses an evidence where two elements share an Id: a reference must resolve to one element.
fn unique_ids(doc: &Document<'_>) -> Result<(), Refusal> {
    match xml::duplicate_id(doc) {
        Some(id) => Err(Refusal::Shape(format!("two elements share the Id {id:?}"))),
        None => Ok(()),
    }
}
