//! Deciding what a message is: the signed daticert decides, the outer headers are checked against it
//! (PEC rules §2, §3). Every disagreement becomes a [`Finding`]; classification itself never fails.

use crate::daticert::{Daticert, Errore};
use crate::finding::{Finding, FindingCode};
use crate::headers::HeaderHints;
use crate::ids::{same_address, same_message_id};
use crate::kind::{PecKind, Tipo};
use crate::structure::PecStructure;

/// What the outer headers claim the message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderClaim {
    Tipo(Tipo),
    Anomaly,
}

/// The kind, whether a virus is involved, and the findings.
pub struct Classification {
    pub kind: PecKind,
    pub virus: bool,
    pub findings: Vec<Finding>,
}

/// Classify a message from its structure, its daticert (if one could be read) and its outer headers.
/// `daticert_unreadable` is set when a daticert part exists but could not be read at all.
pub fn classify(
    headers: &HeaderHints,
    structure: &PecStructure,
    daticert: Option<&Daticert>,
    daticert_unreadable: bool,
) -> Classification {
    let mut findings = Vec::new();
    let claim = header_claim(headers);
    let (kind, virus) = match daticert {
        Some(d) => {
            if structure.daticert.as_ref().is_some_and(|p| !p.signed) {
                findings.push(Finding::new(
                    FindingCode::DaticertNotSigned,
                    "the certification data (daticert.xml) is not covered by a provider signature",
                ));
            }
            match d.tipo {
                Some(tipo) => {
                    let kind = kind_of(tipo, d);
                    check_headers(headers, claim, tipo, kind, d, &mut findings);
                    (kind, is_virus(kind, d, headers))
                }
                None => {
                    findings.push(Finding::new(
                        FindingCode::DaticertUnknownTipo,
                        format!(
                            "daticert.xml names the kind {:?}, which the PEC rules do not define",
                            d.tipo_raw.as_deref().unwrap_or("")
                        ),
                    ));
                    (PecKind::NotPec, false)
                }
            }
        }
        None if claim == Some(HeaderClaim::Anomaly) => (PecKind::AnomalyEnvelope, false),
        None => {
            if daticert_unreadable {
                findings.push(Finding::new(
                    FindingCode::DaticertUnreadable,
                    "daticert.xml is present but could not be read at all",
                ));
            }
            match claim {
                // NOTE: a signed PEC structure whose daticert is gone (damaged or edited) is still that
                // provider's message; the signature verdict says whether it can be relied on.
                Some(HeaderClaim::Tipo(tipo)) if structure.signed.is_some() => {
                    findings.push(Finding::new(
                        FindingCode::DaticertMissing,
                        format!(
                            "the headers and the signed structure present this as \"{}\", but the \
                             certification data (daticert.xml) is missing",
                            tipo.as_str()
                        ),
                    ));
                    let kind = kind_of(tipo, &Daticert::default());
                    (kind, false)
                }
                Some(HeaderClaim::Tipo(tipo)) => {
                    findings.push(Finding::new(
                        FindingCode::HeaderClaimWithoutCertification,
                        format!(
                            "the headers present this as \"{}\", but it carries no signed certification data",
                            tipo.as_str()
                        ),
                    ));
                    (PecKind::NotPec, false)
                }
                _ => (PecKind::NotPec, false),
            }
        }
    };
    check_structure(kind, structure, &mut findings);
    Classification {
        kind,
        virus,
        findings,
    }
}

/// The kind a daticert `tipo` means; the two notices are told apart by `errore-esteso` (PEC rules §1).
fn kind_of(tipo: Tipo, d: &Daticert) -> PecKind {
    match tipo {
        Tipo::PostaCertificata => PecKind::TransportEnvelope,
        Tipo::Accettazione => PecKind::Acceptance,
        Tipo::NonAccettazione => PecKind::NonAcceptance,
        Tipo::PresaInCarico => PecKind::TakenInCharge,
        Tipo::AvvenutaConsegna => PecKind::Delivery,
        Tipo::ErroreConsegna => PecKind::DeliveryFailure,
        Tipo::PreavvisoErroreConsegna if is_final_notice(d) => PecKind::DeliveryTimeout24h,
        Tipo::PreavvisoErroreConsegna => PecKind::DeliveryWarning12h,
        Tipo::RilevazioneVirus => PecKind::VirusDetected,
    }
}

/// NOTE: providers mark the final (24 h) notice in `errore-esteso`: seen "5.4.1 … non è stato consegnato
/// nelle prime ventiquattro ore". The 12 h warning and the final notice share `tipo` and `X-Ricevuta`.
fn is_final_notice(d: &Daticert) -> bool {
    let Some(text) = d.errore_esteso.as_deref() else {
        return false;
    };
    let t = text.trim().to_lowercase();
    t.starts_with("5.4.1") || t.contains("ventiquattro") || t.contains("24 ore")
}

fn is_virus(kind: PecKind, d: &Daticert, headers: &HeaderHints) -> bool {
    kind == PecKind::VirusDetected
        || d.errore == Errore::Virus
        || (kind == PecKind::NonAcceptance
            && headers
                .x_verifica_sicurezza
                .as_deref()
                .is_some_and(|v| v.eq_ignore_ascii_case("errore")))
}

fn header_claim(headers: &HeaderHints) -> Option<HeaderClaim> {
    if let Some(tipo) = headers.x_ricevuta.as_deref().and_then(Tipo::parse) {
        return Some(HeaderClaim::Tipo(tipo));
    }
    match headers.x_trasporto.as_deref().map(str::trim) {
        Some(t) if t.eq_ignore_ascii_case("errore") => Some(HeaderClaim::Anomaly),
        Some(t) if t.eq_ignore_ascii_case("posta-certificata") => {
            Some(HeaderClaim::Tipo(Tipo::PostaCertificata))
        }
        _ => None,
    }
}

/// The subject prefixes providers write for each kind (PEC rules §2), most specific first.
fn subject_prefixes(kind: PecKind) -> &'static [&'static str] {
    match kind {
        PecKind::TransportEnvelope => &["POSTA CERTIFICATA: "],
        PecKind::AnomalyEnvelope => &["ANOMALIA MESSAGGIO: "],
        PecKind::Acceptance => &["ACCETTAZIONE: "],
        PecKind::NonAcceptance => &[
            "AVVISO DI NON ACCETTAZIONE PER VIRUS: ",
            "AVVISO DI NON ACCETTAZIONE: ",
        ],
        PecKind::TakenInCharge => &["PRESA IN CARICO: "],
        PecKind::Delivery => &["CONSEGNA: "],
        PecKind::DeliveryFailure => &[
            "AVVISO DI MANCATA CONSEGNA PER VIRUS: ",
            "AVVISO DI MANCATA CONSEGNA: ",
        ],
        PecKind::DeliveryWarning12h | PecKind::DeliveryTimeout24h => {
            &["AVVISO DI MANCATA CONSEGNA PER SUP. TEMPO MASSIMO: "]
        }
        PecKind::VirusDetected => &["PROBLEMA DI SICUREZZA: "],
        PecKind::NotPec => &[],
    }
}

fn check_headers(
    headers: &HeaderHints,
    claim: Option<HeaderClaim>,
    tipo: Tipo,
    kind: PecKind,
    d: &Daticert,
    findings: &mut Vec<Finding>,
) {
    match claim {
        Some(HeaderClaim::Tipo(claimed)) if claimed != tipo => findings.push(Finding::new(
            FindingCode::HeaderKindMismatch,
            format!(
                "the unsigned headers say \"{}\" but the signed data says \"{}\"",
                claimed.as_str(),
                tipo.as_str()
            ),
        )),
        Some(HeaderClaim::Anomaly) => findings.push(Finding::new(
            FindingCode::HeaderKindMismatch,
            format!(
                "the unsigned headers say \"anomaly\" but the signed data says \"{}\"",
                tipo.as_str()
            ),
        )),
        _ => {}
    }
    if let (Some(outer), Some(signed)) = (&headers.x_riferimento_message_id, &d.msgid)
        && !same_message_id(outer, signed)
    {
        findings.push(Finding::new(
            FindingCode::HeaderMsgidMismatch,
            format!(
                "the unsigned X-Riferimento-Message-ID {outer} differs from the signed msgid {signed}"
            ),
        ));
    }
    if let Some(subject) = &headers.subject {
        check_subject(subject, kind, d.oggetto.as_deref(), findings);
    }
    check_sender(headers, kind, d, findings);
}

fn check_subject(subject: &str, kind: PecKind, oggetto: Option<&str>, findings: &mut Vec<Finding>) {
    let prefixes = subject_prefixes(kind);
    let upper = subject.to_uppercase();
    let Some(prefix) = prefixes
        .iter()
        .find(|p| upper.starts_with(p.trim_end()))
        .map(|p| p.trim_end())
    else {
        findings.push(Finding::new(
            FindingCode::HeaderSubjectMismatch,
            format!(
                "the unsigned subject \"{subject}\" does not start with \"{}\" as a {} should",
                prefixes.first().map(|p| p.trim_end()).unwrap_or(""),
                kind.label()
            ),
        ));
        return;
    };
    let Some(oggetto) = oggetto else { return };
    let rest = subject.get(prefix.len()..).unwrap_or("");
    if squash(rest) != squash(oggetto) {
        findings.push(Finding::new(
            FindingCode::HeaderSubjectMismatch,
            format!(
                "the unsigned subject \"{subject}\" differs from the signed subject \"{oggetto}\""
            ),
        ));
    }
}

/// Whitespace-insensitive form for comparing subjects (providers fold and trim differently).
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_sender(headers: &HeaderHints, kind: PecKind, d: &Daticert, findings: &mut Vec<Finding>) {
    let Some(mittente) = d.mittente.as_deref() else {
        return;
    };
    let outer = match kind {
        // An envelope comes From "Per conto di: <sender>" <posta-certificata@provider>.
        PecKind::TransportEnvelope => headers
            .from_name
            .as_deref()
            .and_then(|n| {
                let lower = n.to_lowercase();
                lower
                    .find("per conto di:")
                    .map(|at| n[at + "per conto di:".len()..].trim().to_owned())
            })
            .into_iter()
            .collect::<Vec<_>>(),
        // A receipt goes To the sender.
        k if k.is_receipt() => headers.to.clone(),
        _ => Vec::new(),
    };
    if !outer.is_empty() && !outer.iter().any(|o| same_address(o, mittente)) {
        findings.push(Finding::new(
            FindingCode::HeaderSenderMismatch,
            format!(
                "the unsigned headers name {} as the sender's side, but the signed sender is {mittente}",
                outer.join(", ")
            ),
        ));
    }
}

/// Issue 13 §1: a message that can be read in two ways certifies nothing.
fn check_ambiguity(structure: &PecStructure, findings: &mut Vec<Finding>) {
    if !structure.ambiguities.is_empty() {
        findings.push(Finding::new(
            FindingCode::StructureAmbiguous,
            format!(
                "programs can read this message's parts in two ways ({}); Attesta read only the parts the \
                 provider signed, but the message has been altered around them",
                structure.ambiguities.join("; ")
            ),
        ));
    }
    if structure.nested_signed > 0 {
        findings.push(Finding::new(
            FindingCode::SignedEntityDuplicated,
            "another signed entity lies inside the signed content: a PEC provider never writes that",
        ));
    } else if structure.signed_entities > 1 {
        findings.push(Finding::new(
            FindingCode::SignedEntityDuplicated,
            format!(
                "the message holds {} signed entities side by side: which one is the provider's cannot \
                 be decided",
                structure.signed_entities
            ),
        ));
    }
    if structure.nested_signed == 0
        && structure.signed_entities <= 1
        && structure.signature_outside_signed > 0
    {
        findings.push(Finding::new(
            FindingCode::SignedEntityDuplicated,
            format!(
                "{} signature part(s) lie outside the signed entity: another program may take one of \
                 them as the provider's signature",
                structure.signature_outside_signed
            ),
        ));
    }
    if structure.daticert_outside_signed > 0 {
        findings.push(Finding::new(
            FindingCode::DaticertNotSigned,
            format!(
                "{} daticert.xml part(s) lie outside what the provider signed; Attesta ignored them, but \
                 another program may show them as the certification data",
                structure.daticert_outside_signed
            ),
        ));
    }
    if structure.original_outside_signed > 0 {
        findings.push(Finding::new(
            FindingCode::OriginalNotSigned,
            format!(
                "{} postacert.eml part(s) lie outside what the provider signed; Attesta ignored them, but \
                 another program may show one as the certified original message",
                structure.original_outside_signed
            ),
        ));
    }
    if structure.signed_parts > 2 {
        findings.push(Finding::new(
            FindingCode::SignedEntityExtraParts,
            format!(
                "the signed entity has {} parts; only two (the content and its signature) are allowed",
                structure.signed_parts
            ),
        ));
    }
}

fn check_structure(kind: PecKind, structure: &PecStructure, findings: &mut Vec<Finding>) {
    if let Some(signed) = &structure.signed {
        if signed.in_attachment {
            findings.push(Finding::new(
                FindingCode::SignedEntityInAttachment,
                "the signed PEC message was found inside a message attached to this one",
            ));
        } else if signed.depth > 0 {
            findings.push(Finding::new(
                FindingCode::SignedEntityNested,
                format!(
                    "the signed part sits {} level(s) down (wrapped by a list server or a filter)",
                    signed.depth
                ),
            ));
        }
        if signed.signature_part.is_none() {
            findings.push(Finding::new(
                FindingCode::SignaturePartMissing,
                "multipart/signed without a signature part",
            ));
        }
    }
    if matches!(kind, PecKind::TransportEnvelope | PecKind::AnomalyEnvelope)
        && structure.postacert.is_none()
    {
        findings.push(Finding::new(
            FindingCode::OriginalMissing,
            "the envelope does not carry the original message (postacert.eml)",
        ));
    }
    if structure.daticert_count > 1 {
        findings.push(Finding::new(
            FindingCode::DaticertDuplicated,
            format!(
                "{} daticert.xml parts were found: which one certifies cannot be decided",
                structure.daticert_count
            ),
        ));
    }
    check_ambiguity(structure, findings);
    if structure.decoding_problems > 0 {
        findings.push(Finding::new(
            FindingCode::MimeDecodingProblem,
            format!(
                "{} MIME part(s) could not be decoded as declared",
                structure.decoding_problems
            ),
        ));
    }
}
