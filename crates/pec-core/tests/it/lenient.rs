//! The lenient oracle of issue 13 §6: what a reader that trusts mail-parser's tree of the **whole**
//! message would take as the daticert, the original and the `.p7s` — the reading a forger aims at when
//! re-wrapping a genuine receipt. Attesta reads its facts from the strictly cut signed bytes; wherever the
//! two readings give a different fact, Attesta must have said the message is ambiguous (a finding that
//! keeps the verdict from `valid`). A disagreement it did not report is an *accepted* disagreement: a bug.
//!
//! Shared, by path, between the stable mutation test (`it::mutation`) and the `agreement` fuzz target
//! (`fuzz/fuzz_targets/agreement.rs`), so the short CI run and the long run by hand ask the same question.
//! It depends on `pec_core` and `mail_parser` only.

use mail_parser::{MessageParser, MimeHeaders, PartType};

/// The facts a lenient reader takes from the whole message's tree: the first part of each name, anywhere
/// in the tree (attached messages are not entered: their bytes are content).
#[derive(Debug, Default)]
pub struct LenientFacts {
    pub daticert: Option<Vec<u8>>,
    pub original: Option<Vec<u8>>,
    pub signature: Option<Vec<u8>>,
}

/// Read `raw` the lenient way; `None` when mail-parser finds no message at all.
pub fn lenient_facts(raw: &[u8]) -> Option<LenientFacts> {
    let message = MessageParser::new().parse(raw)?;
    let mut facts = LenientFacts::default();
    for part in &message.parts {
        let name = part
            .attachment_name()
            .map(|n| n.trim().to_ascii_lowercase());
        let signature_type = part.content_type().is_some_and(|c| {
            c.ctype().eq_ignore_ascii_case("application")
                && c.subtype().is_some_and(|s| {
                    s.eq_ignore_ascii_case("pkcs7-signature")
                        || s.eq_ignore_ascii_case("x-pkcs7-signature")
                })
        });
        match (name.as_deref(), &part.body) {
            (Some("daticert.xml"), PartType::Text(_) | PartType::Binary(_)) => {
                facts
                    .daticert
                    .get_or_insert_with(|| part.contents().to_vec());
            }
            (Some("postacert.eml"), PartType::Message(original)) => {
                facts
                    .original
                    .get_or_insert_with(|| original.raw_message().to_vec());
            }
            (_, PartType::Binary(_) | PartType::InlineBinary(_)) if signature_type => {
                facts
                    .signature
                    .get_or_insert_with(|| part.contents().to_vec());
            }
            _ => {}
        }
    }
    Some(facts)
}

/// What the two readings of `raw` say, compared: `differs` names the facts a lenient reader would take
/// differently from Attesta's; `reported` says whether Attesta told the user the message is ambiguous;
/// `intact` whether the signature matches the bytes Attesta read (so that, with the right anchors, the
/// verdict could be `valid`).
#[derive(Debug)]
pub struct Comparison {
    pub differs: Vec<&'static str>,
    pub reported: bool,
    pub intact: bool,
}

impl Comparison {
    /// A disagreement Attesta accepted: a lenient reader takes other facts, Attesta said nothing about it,
    /// and the signature over what Attesta read holds — the failure the oracle exists to find.
    pub fn accepted(&self) -> bool {
        !self.differs.is_empty() && !self.reported && self.intact
    }
}

/// Compare Attesta's reading of a signed message with the lenient one; `None` when Attesta finds no signed
/// entity or no signature in it (then no verdict can be `valid`, whatever a lenient reader sees).
pub fn compare(raw: &[u8]) -> Option<Comparison> {
    use pec_core::signature::{SignatureStatus, TrustAnchors};
    let inspection = pec_core::inspect(raw);
    inspection.structure.signed.as_ref()?;
    inspection.signature.as_ref()?;
    let lenient = lenient_facts(raw)?;
    let mut differs = Vec::new();
    if let Some(signature) = &lenient.signature
        && inspection.signature.as_ref() != Some(signature)
    {
        differs.push("the signature");
    }
    if let Some(bytes) = &lenient.daticert
        && let Ok(daticert) = pec_core::daticert::read(bytes)
        && inspection.daticert.as_ref() != Some(&daticert)
    {
        differs.push("the certification data");
    }
    if let Some(bytes) = &lenient.original
        && let Some(message) = MessageParser::new().parse(bytes)
        && inspection.original.as_ref()
            != Some(&pec_core::original::OriginalMessage::from_message(&message))
    {
        differs.push("the original message");
    }
    let reported = inspection
        .findings
        .iter()
        .any(|f| f.code.makes_reading_ambiguous());
    // The signature judged on its own, over exactly the bytes Attesta read (not the verdict, which already
    // refuses what Attesta reported). Without anchors an intact signature is `untrusted`: whether some CA
    // would make it `valid` does not matter here.
    let status = match (
        inspection.signed_content(raw),
        inspection.signature.as_deref(),
    ) {
        (Some(content), Some(p7s)) => {
            pec_core::signature::verify_detached(content, p7s, &TrustAnchors::empty(), None).status
        }
        _ => SignatureStatus::Unsigned,
    };
    let intact = matches!(status, SignatureStatus::Valid | SignatureStatus::Untrusted);
    Some(Comparison {
        differs,
        reported,
        intact,
    })
}
