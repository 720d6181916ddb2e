//! A REM message as a mailbox receives it (ETSI EN 319 532-4, REM-Policy-IT): S/MIME
//! `multipart/signed` around a `multipart/mixed` whose parts say what they are in `REM-Section-Type`
//! (`rem_message/introduction`, `original`, `xml_evidence`). Found wherever `pec-core` finds PEC's signed
//! entity (a list server may wrap it), and read from the same strict parse of the signed content.
//!
//! A message is a REM **dispatch** when its signed content carries the sender's original, otherwise a
//! REM **receipt** (its kind is its evidence's event). The top-level `REM-*` headers lie outside the
//! signature: each is compared with the signed evidence, and any disagreement is a finding — the
//! evidence decides.

use chrono::{DateTime, Utc};
use mail_parser::{Message, MessagePart, PartType};
use pec_core::signature::TrustAnchors;
use pec_core::span::Span;
use pec_core::{Finding, FindingCode};

use crate::evidence::Evidence;
use crate::xades::XadesReport;
use crate::{EvidenceProblem, RemSummary, check_evidence, read_evidence};

pec_core::closed_set! {
    /// What a part of a REM message is (`REM-Section-Type: rem_message/…`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum SectionType {
        /// The provider's words to the reader.
        Introduction = "introduction",
        /// The sender's message, as submitted (`message/rfc822`).
        Original = "original",
        /// The ERDS evidence, XML signed XAdES.
        XmlEvidence = "xml_evidence",
        /// An evidence rendered as PDF.
        PdfEvidence = "pdf_evidence",
    }
}

/// A REM message read.
#[derive(Debug, Clone)]
pub struct RemMessage {
    /// Whether the sections were found inside a signed entity's content.
    pub signed: bool,
    /// The sections, in order.
    pub sections: Vec<SectionType>,
    /// The evidence's bytes (transfer-decoded), when there is exactly one.
    pub evidence_xml: Option<Vec<u8>>,
    /// The evidence's facts, when readable.
    pub evidence: Option<Evidence>,
    /// Where the original's body lies in the raw message (what the evidence's digest is over).
    pub original: Option<Span>,
    /// Whether the original's digest is the one the evidence names (`None`: no original, or no digest).
    pub digest_matches: Option<bool>,
    pub findings: Vec<Finding>,
}

impl RemMessage {
    /// Whether the message is a dispatch (it carries the original) rather than a receipt.
    pub fn is_dispatch(&self) -> bool {
        self.sections.contains(&SectionType::Original)
    }

    /// `kind` and `reason` for scripts: `dispatch` or the event in kebab case.
    pub fn summary(&self) -> RemSummary {
        let kind = if self.is_dispatch() {
            "dispatch"
        } else {
            match &self.evidence {
                Some(e) => match e.event {
                    Some(event) => event.as_str(),
                    None => "unknown-event",
                },
                None => "unreadable",
            }
        };
        RemSummary {
            kind,
            reason: self.evidence.as_ref().and_then(Evidence::reason_code),
        }
    }
}

/// Reads `raw` as a REM message; `None` when no part of it says it is a REM section.
pub fn read(raw: &[u8]) -> Option<RemMessage> {
    if !mentions_sections(raw) {
        return None;
    }
    let parsed = pec_core::structure::parse(raw)?;
    let located = parsed.locate();
    read_parsed(raw, &parsed, located.structure.signed.as_ref(), None).map(|(message, _)| message)
}

/// Whether `raw` could hold a REM section at all (a scan for the header's name, any case): a message
/// that cannot is not parsed a second time. Every archived message passes here, so the scan jumps from
/// one `-` to the next (base64 bodies, most of a big message's bytes, have none).
pub fn mentions_sections(raw: &[u8]) -> bool {
    const NAME: &[u8] = b"rem-section-type";
    memchr::memchr_iter(b'-', raw).any(|dash| {
        dash.checked_sub(3)
            .and_then(|start| raw.get(start..start + NAME.len()))
            .is_some_and(|w| w.eq_ignore_ascii_case(NAME))
    })
}

/// [`read`] over `structure::parse(raw)`, whose signed entity (`PecStructure::signed`, from the
/// inspection of the same parse) the caller already located; with `verifying`, the evidence's XAdES
/// signature is verified on the same XML parse its facts are read from.
pub fn read_parsed(
    raw: &[u8],
    parsed: &pec_core::structure::Parsed<'_>,
    entity: Option<&pec_core::structure::SignedEntity>,
    verifying: Option<(&TrustAnchors, DateTime<Utc>)>,
) -> Option<(RemMessage, Option<XadesReport>)> {
    let (content, base, signed) = match (parsed.signed_content(), entity) {
        (Some(content), Some(entity)) => (content, entity.content.start, true),
        _ => (parsed.message(), 0, false),
    };
    let sections = typed(pec_core::structure::rem_sections_of(content));
    if sections.is_empty() {
        return None;
    }
    let mut findings = Vec::new();
    let evidences: Vec<&MessagePart<'_>> = sections
        .iter()
        .filter(|(t, _)| *t == SectionType::XmlEvidence)
        .map(|(_, p)| *p)
        .collect();
    let evidence_xml = match evidences.as_slice() {
        [] => {
            findings.push(Finding::new(
                FindingCode::RemEvidenceMissing,
                "The REM message carries no XML evidence: nothing signed says what happened.",
            ));
            None
        }
        [one] => Some(one.contents().to_vec()),
        many => {
            findings.push(Finding::new(
                FindingCode::RemEvidenceDuplicated,
                format!(
                    "The REM message carries {} XML evidences: which one speaks for it cannot be decided.",
                    many.len()
                ),
            ));
            None
        }
    };
    let mut evidence_signature = None;
    let evidence = evidence_xml.as_deref().and_then(|xml| {
        let read = match verifying {
            Some((anchors, now)) => {
                let checked = check_evidence(xml, anchors, now);
                evidence_signature = checked.signature;
                checked.facts
            }
            None => read_evidence(xml),
        };
        match read {
            Ok(e) => Some(e),
            Err(problem) => {
                findings.push(unreadable(&problem));
                None
            }
        }
    });
    let originals: Vec<&MessagePart<'_>> = sections
        .iter()
        .filter(|(t, _)| *t == SectionType::Original)
        .map(|(_, p)| *p)
        .collect();
    let original = match originals.as_slice() {
        [one] => body_span(one, base),
        _ => None,
    };
    let digest_matches = match (&evidence, original.and_then(|s| s.slice(raw))) {
        (Some(e), Some(bytes)) => e.parts.first().map(|p| {
            crate::xades::algorithms::digest(&p.algorithm)
                .is_some_and(|alg| alg.digest_parts(&[bytes]) == p.value)
        }),
        _ => None,
    };
    if digest_matches == Some(false) {
        findings.push(Finding::new(
            FindingCode::RemOriginalDigestMismatch,
            "The attached original is not the message whose digest the signed evidence names: it was replaced or altered.",
        ));
    }
    let mut message = RemMessage {
        signed,
        sections: sections.iter().map(|(t, _)| *t).collect(),
        evidence_xml,
        evidence,
        original,
        digest_matches,
        findings,
    };
    if let Some(e) = &message.evidence {
        let hints = hints(parsed.message(), e, message.is_dispatch());
        message.findings.extend(hints);
    }
    Some((message, evidence_signature))
}

fn unreadable(problem: &EvidenceProblem) -> Finding {
    Finding::new(
        FindingCode::RemEvidenceUnreadable,
        format!("The REM message's XML evidence cannot be read: {problem}."),
    )
}

/// The sections whose type is one of [`SectionType`] (`rem_message/…`), in order; others are skipped.
fn typed<'m, 'x>(
    sections: impl Iterator<Item = (&'m str, &'m MessagePart<'x>)>,
) -> Vec<(SectionType, &'m MessagePart<'x>)> {
    sections
        .filter_map(|(value, p)| {
            let name = value.strip_prefix("rem_message/")?;
            name.parse::<SectionType>().ok().map(|t| (t, p))
        })
        .collect()
}

/// The original's body (the bytes after its part headers, as sent), offset into the raw message.
fn body_span(part: &MessagePart<'_>, base: usize) -> Option<Span> {
    if !matches!(part.body, PartType::Message(_)) {
        return None;
    }
    let start = base + part.offset_body as usize;
    let end = base + part.offset_end as usize;
    (start <= end).then(|| Span::new(start, end))
}

/// The unsigned `REM-*` headers of `message`, checked against the signed evidence.
fn hints(message: &Message<'_>, evidence: &Evidence, dispatch: bool) -> Vec<Finding> {
    let header = |name: &str| -> Option<String> {
        message.headers().iter().find_map(|h| {
            h.name
                .as_str()
                .eq_ignore_ascii_case(name)
                .then(|| h.value.as_text().map(|t| t.trim().to_owned()))
                .flatten()
        })
    };
    let mut findings = Vec::new();
    let mut differs = |name: &str, claimed: &str, signed: &str| {
        findings.push(Finding::new(
            FindingCode::RemHeaderMismatch,
            format!(
                "The unsigned header {name} says {claimed:?}, the signed evidence {signed:?}; the evidence decides."
            ),
        ));
    };
    if let Some(claimed) = header("REM-EventIdentifier")
        && claimed != evidence.event_uri
    {
        differs("REM-EventIdentifier", &claimed, &evidence.event_uri);
    }
    let bare = |s: &str| {
        s.trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_owned()
    };
    if let (Some(claimed), Some(signed)) = (
        header("REM-UAMessageIdentifier"),
        evidence.app_layer_identifier.as_deref(),
    ) && bare(&claimed) != bare(signed)
    {
        differs("REM-UAMessageIdentifier", &claimed, signed);
    }
    if let (Some(claimed), Some(signed)) =
        (header("REM-Evidence-ID"), evidence.identifier.as_deref())
        && bare(&claimed) != bare(signed)
    {
        differs("REM-Evidence-ID", &claimed, signed);
    }
    if let (Some(claimed), Some(part)) = (header("REM-DigestValue"), evidence.parts.first()) {
        let signed =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &part.value);
        if crate::base64(&claimed).as_deref() != Some(part.value.as_slice()) {
            differs("REM-DigestValue", &claimed, &signed);
        }
    }
    if let Some(claimed) = header("REM-ReasonIdentifier") {
        let codes: Vec<&str> = evidence
            .reasons
            .iter()
            .filter_map(|r| r.code.as_deref())
            .collect();
        if !codes.is_empty() && !codes.contains(&claimed.as_str()) {
            differs("REM-ReasonIdentifier", &claimed, &codes.join(", "));
        }
    }
    if let Some(claimed) = header("REM-MessageType") {
        let says_receipt = claimed.ends_with("/receipt");
        if says_receipt == dispatch {
            differs(
                "REM-MessageType",
                &claimed,
                if dispatch {
                    "a dispatch carrying the original"
                } else {
                    "a receipt"
                },
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::mentions_sections;

    #[test]
    fn the_section_header_is_found_in_any_case_and_nowhere_else() {
        assert!(mentions_sections(
            b"x\r\nREM-Section-Type: rem_message/original\r\n"
        ));
        assert!(mentions_sections(b"rem-section-type: x"));
        assert!(mentions_sections(b"Rem-SECTION-Type"));
        assert!(!mentions_sections(b"REM-Section-Typ"));
        assert!(!mentions_sections(b"EM-Section-Type: x"));
        assert!(!mentions_sections(b"REM Section-Type"));
        assert!(!mentions_sections(b"-"));
        assert!(!mentions_sections(b""));
    }
}
