//! The full reading of one message: structure, certification data, kind, original, findings.
//!
//! [`inspect`] is total: any bytes give an [`Inspection`]; problems are findings, never panics.

use serde::Serialize;

use crate::classify::classify;
use crate::daticert::{self, Daticert};
use crate::finding::{Finding, FindingCode};
use crate::headers::HeaderHints;
use crate::kind::PecKind;
use crate::original::OriginalMessage;
use crate::structure::{Parsed, PecStructure, parse};

/// Everything Attesta reads from one message. The raw bytes remain the truth; this is derived data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    pub kind: PecKind,
    /// A virus is involved (non-acceptance or failure for virus, virus detection).
    pub virus: bool,
    /// The unsigned outer headers.
    pub headers: HeaderHints,
    /// The certification data, when there is a readable `daticert.xml`.
    pub daticert: Option<Daticert>,
    /// Where the PEC parts are in the raw bytes.
    pub structure: PecStructure,
    /// The original message (`postacert.eml`), when carried.
    pub original: Option<OriginalMessage>,
    pub findings: Vec<Finding>,
    /// The decoded detached signature (`smime.p7s`), for the verifier.
    #[serde(skip)]
    pub signature: Option<Vec<u8>>,
    /// The text a person reads (the original's body for an envelope, the body of mail that is not PEC),
    /// at most [`BODY_TEXT_LIMIT`] bytes, for search. Receipts' provider boilerplate is left out.
    #[serde(skip)]
    pub body_text: Option<String>,
    /// The attachments of mail that is not PEC (a sent copy), with their SHA-1 as a `breve` receipt
    /// would state it (PEC rules §5).
    #[serde(skip)]
    pub attachment_digests: Vec<crate::breve::AttachmentDigest>,
    /// The `.hash` stand-ins of a `breve` original carried by a receipt.
    #[serde(skip)]
    pub hash_stand_ins: Vec<crate::breve::HashStandIn>,
}

/// How much body text [`Inspection::body_text`] keeps: enough to find a message by its words.
pub const BODY_TEXT_LIMIT: usize = 64 * 1024;

fn body_text_of(message: &mail_parser::Message<'_>) -> Option<String> {
    let mut text = message.body_text(0)?.into_owned();
    if text.len() > BODY_TEXT_LIMIT {
        let mut end = BODY_TEXT_LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    Some(text)
}

impl Inspection {
    /// The provider that issued the certification data (`gestore-emittente`).
    pub fn provider(&self) -> Option<&str> {
        self.daticert.as_ref()?.gestore_emittente.as_deref()
    }

    /// The exact signed bytes as transmitted (not yet canonicalised), if the message is signed.
    pub fn signed_content<'r>(&self, raw: &'r [u8]) -> Option<&'r [u8]> {
        let signed = self.structure.signed.as_ref()?;
        if signed.content.is_empty() {
            return None;
        }
        signed.content.slice(raw)
    }
}

/// Read a message. `raw` is the message exactly as stored.
pub fn inspect(raw: &[u8]) -> Inspection {
    match parse(raw) {
        Some(parsed) => inspect_parsed(raw, &parsed),
        None => not_pec_without_headers(),
    }
}

/// [`inspect`] over a parse the caller already has (a reader of REM, which reads the same parse, saves
/// parsing the message twice). `parsed` must be `structure::parse(raw)`.
pub fn inspect_parsed(raw: &[u8], parsed: &Parsed<'_>) -> Inspection {
    let located = parsed.locate();
    let headers = HeaderHints::from_message(located.pec_message);
    let (daticert, unreadable) = match located.daticert {
        Some(part) => match read_daticert_part(part) {
            Ok(d) => (Some(d), false),
            Err(_) => (None, true),
        },
        None => (None, false),
    };
    let mut classification = classify(&headers, &located.structure, daticert.as_ref(), unreadable);
    if let Some(d) = &daticert
        && !d.repairs.is_empty()
    {
        let what: Vec<&str> = d.repairs.iter().map(|r| r.detail.as_str()).collect();
        classification.findings.push(Finding::new(
            FindingCode::DaticertRepaired,
            format!("daticert.xml was read leniently: {}", what.join("; ")),
        ));
    }
    if let Some(d) = &daticert
        && classification.kind != PecKind::NotPec
    {
        missing_fields(d, classification.kind, &mut classification.findings);
    }
    let body_text = match classification.kind {
        PecKind::TransportEnvelope | PecKind::AnomalyEnvelope => {
            located.original.and_then(body_text_of)
        }
        PecKind::NotPec => body_text_of(located.pec_message),
        _ => None,
    };
    // NOTE: the digests serve to match a `breve` receipt with the message the user submitted; a REM
    // message (its signed content in REM sections) is a provider's, never one the user submitted.
    let attachment_digests =
        if classification.kind == PecKind::NotPec && !crate::structure::has_rem_sections(parsed) {
            crate::breve::attachment_digests(raw, located.pec_message)
        } else {
            Vec::new()
        };
    let hash_stand_ins = match (classification.kind.is_receipt(), located.original) {
        (true, Some(original)) => crate::breve::hash_stand_ins(original),
        _ => Vec::new(),
    };
    Inspection {
        body_text,
        attachment_digests,
        hash_stand_ins,
        kind: classification.kind,
        virus: classification.virus,
        headers,
        original: located.original.map(OriginalMessage::from_message),
        structure: located.structure,
        daticert,
        findings: classification.findings,
        signature: located.signature,
    }
}

fn read_daticert_part(
    part: &mail_parser::MessagePart<'_>,
) -> Result<Daticert, daticert::DaticertError> {
    match &part.body {
        // NOTE: a daticert declared text/xml has already been decoded to UTF-8 by mail-parser.
        mail_parser::PartType::Text(text) => daticert::read_text(text),
        _ => daticert::read(part.contents()),
    }
}

/// Fields the PEC rules require of every daticert (§4); their absence is worth telling.
fn missing_fields(d: &Daticert, kind: PecKind, findings: &mut Vec<Finding>) {
    let mut missing = Vec::new();
    if d.mittente.is_none() {
        missing.push("mittente");
    }
    if d.destinatari.is_empty() && kind != PecKind::TakenInCharge {
        missing.push("destinatari");
    }
    if d.gestore_emittente.is_none() {
        missing.push("gestore-emittente");
    }
    if d.data.is_none() {
        missing.push("data (a valid giorno, ora and zona)");
    }
    if d.identificativo.is_none() {
        missing.push("identificativo");
    }
    let needs_consegna = matches!(
        kind,
        PecKind::Delivery
            | PecKind::DeliveryFailure
            | PecKind::DeliveryWarning12h
            | PecKind::DeliveryTimeout24h
    );
    if needs_consegna && d.consegna.is_none() {
        missing.push("consegna");
    }
    if !missing.is_empty() {
        findings.push(Finding::new(
            FindingCode::DaticertMissingField,
            format!("daticert.xml lacks {}", missing.join(", ")),
        ));
    }
}

fn not_pec_without_headers() -> Inspection {
    Inspection {
        kind: PecKind::NotPec,
        virus: false,
        headers: HeaderHints::default(),
        daticert: None,
        structure: PecStructure::default(),
        original: None,
        findings: Vec::new(),
        signature: None,
        body_text: None,
        attachment_digests: Vec::new(),
        hash_stand_ins: Vec::new(),
    }
}
