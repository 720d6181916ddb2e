//! REM (Registered Electronic Mail, ETSI EN 319 532; evidence EN 319 522), pure: read a REM message
//! as AgID's REM-Policy-IT profiles it, read its ERDS evidence, verify the evidence's own XAdES-B-T
//! signature, and check the unsigned `REM-*` headers against the signed evidence.
//!
//! No sockets, no files, no clock: bytes, anchors and the time come in as arguments; bad input gives
//! findings or typed errors, never a panic. The S/MIME signature around a REM message is PEC's
//! (`pec-core`); the rules are in the repository's `docs/rem.md`.

pub mod event;
pub mod evidence;
pub mod message;
pub mod pec_terms;
pub mod xades;
pub mod xml;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use pec_core::signature::TrustAnchors;
use serde::Serialize;

pub use event::RemEvent;
pub use evidence::{EventReason, Evidence, EvidenceError, PartDigest, Party};
pub use message::{RemMessage, SectionType, mentions_sections, read, read_parsed};
pub use pec_terms::PecTerms;
pub use xades::XadesReport;
pub use xml::XmlError;

/// Why an evidence's facts could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceProblem {
    #[error(transparent)]
    Xml(#[from] XmlError),
    #[error(transparent)]
    Evidence(#[from] EvidenceError),
}

/// An evidence read and verified from one parse.
#[derive(Debug, Clone)]
pub struct CheckedEvidence {
    /// Its facts, or why they could not be read.
    pub facts: Result<Evidence, EvidenceProblem>,
    /// Its XAdES signature's verdict (`None` when the XML could not be parsed at all).
    pub signature: Option<XadesReport>,
}

/// Reads and verifies an evidence's bytes (standalone `.xml`, or the `xml_evidence` part of a message).
pub fn check_evidence(xml: &[u8], anchors: &TrustAnchors, now: DateTime<Utc>) -> CheckedEvidence {
    match xml::parse(xml) {
        Ok(doc) => CheckedEvidence {
            facts: Evidence::read(&doc).map_err(EvidenceProblem::from),
            signature: Some(xades::verify(&doc, anchors, now)),
        },
        Err(e) => CheckedEvidence {
            facts: Err(e.into()),
            signature: None,
        },
    }
}

/// Reads an evidence's facts without verifying it (inspection).
pub fn read_evidence(xml: &[u8]) -> Result<Evidence, EvidenceProblem> {
    let doc = xml::parse(xml)?;
    Ok(Evidence::read(&doc)?)
}

/// A REM message verified: PEC's inspection of it, the provider's S/MIME verdict, the REM reading and
/// the evidence's own verdict — from one parse of the message and one of the evidence.
#[derive(Debug, Clone)]
pub struct RemVerdict {
    pub inspection: pec_core::Inspection,
    pub signature: pec_core::signature::SignatureReport,
    pub message: RemMessage,
    /// `None` when the message carries no readable evidence XML.
    pub evidence_signature: Option<XadesReport>,
}

impl RemVerdict {
    /// The message's one verdict, as the archive records it: the provider's S/MIME signature, lowered
    /// by the evidence's own signature and by what the REM reading found wrong (a swapped original, no
    /// evidence, two evidences). `valid` only when both signatures are.
    pub fn report(&self) -> pec_core::signature::SignatureReport {
        use pec_core::signature::{FindingCode as C, SignatureFinding, SignatureStatus, status_of};
        let mut report = self.signature.clone();
        if report.status == SignatureStatus::Unsigned {
            return report;
        }
        match &self.evidence_signature {
            Some(x) => {
                report
                    .findings
                    .extend(x.signature.findings.iter().map(|f| SignatureFinding {
                        message: format!("The evidence's own signature: {}", f.message),
                        ..f.clone()
                    }))
            }
            None if self.message.evidence_xml.is_some() => {
                report.findings.push(SignatureFinding::new(
                    C::MalformedCms,
                    "The evidence could not be read, so its own signature could not be checked.",
                ))
            }
            None => {}
        }
        for f in &self.message.findings {
            let code = match f.code {
                pec_core::FindingCode::RemOriginalDigestMismatch => C::ContentDigestMismatch,
                pec_core::FindingCode::RemEvidenceDuplicated => C::AmbiguousMessage,
                pec_core::FindingCode::RemEvidenceMissing
                | pec_core::FindingCode::RemEvidenceUnreadable => C::MalformedCms,
                _ => continue,
            };
            report
                .findings
                .push(SignatureFinding::new(code, f.message.clone()));
        }
        report.status = status_of(&report.findings);
        report
    }
}

/// pec-core's inspection of `raw` and, when it is REM, its REM reading — from one parse.
pub fn inspect(raw: &[u8]) -> (pec_core::Inspection, Option<RemMessage>) {
    match pec_core::structure::parse(raw) {
        Some(parsed) => inspect_parsed(raw, &parsed),
        None => (pec_core::inspect(raw), None),
    }
}

/// [`inspect`] over the caller's parse of `raw` (`pec_core::structure::parse(raw)`), which the caller
/// goes on reading (the archive checks the letter's attachments on it).
pub fn inspect_parsed(
    raw: &[u8],
    parsed: &pec_core::structure::Parsed<'_>,
) -> (pec_core::Inspection, Option<RemMessage>) {
    let inspection = pec_core::inspect_parsed(raw, parsed);
    if !mentions_sections(raw) {
        return (inspection, None);
    }
    let rem = read_parsed(raw, parsed, inspection.structure.signed.as_ref(), None)
        .map(|(message, _)| message);
    (inspection, rem)
}

/// Verifies `raw` as a REM message at `witnesses.now`; `None` when it is not one.
pub fn verify_message(
    raw: &[u8],
    anchors: &TrustAnchors,
    witnesses: &pec_core::signature::TimeWitnesses,
) -> Option<RemVerdict> {
    if !mentions_sections(raw) {
        return None;
    }
    let parsed = pec_core::structure::parse(raw)?;
    verify_parsed(raw, &parsed, anchors, witnesses)
}

/// [`verify_message`] over the caller's parse of `raw` (`pec_core::structure::parse(raw)`).
pub fn verify_parsed(
    raw: &[u8],
    parsed: &pec_core::structure::Parsed<'_>,
    anchors: &TrustAnchors,
    witnesses: &pec_core::signature::TimeWitnesses,
) -> Option<RemVerdict> {
    if !mentions_sections(raw) {
        return None;
    }
    let inspection = pec_core::inspect_parsed(raw, parsed);
    let (message, evidence_signature) = read_parsed(
        raw,
        parsed,
        inspection.structure.signed.as_ref(),
        Some((anchors, witnesses.now)),
    )?;
    let signature = pec_core::verify_signature(raw, &inspection, anchors, witnesses);
    Some(RemVerdict {
        inspection,
        signature,
        message,
        evidence_signature,
    })
}

/// Decodes base64 written with line breaks or spaces.
pub(crate) fn base64(t: &str) -> Option<Vec<u8>> {
    let compact: Vec<u8> = t.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
}

pub(crate) fn serialize_base64<S: serde::Serializer>(
    bytes: &[u8],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// The REM family's summary of a message for scripts (`inspect --json`): the kind and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemSummary {
    /// `dispatch`, or the evidence event in kebab case.
    pub kind: &'static str,
    pub reason: Option<String>,
}
