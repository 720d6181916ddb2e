//! Folding a send's evidence, in any order, into one state per recipient (PEC rules §1, §7; issue 13 §3).
//!
//! Only a receipt that is trustworthy (valid signature, kind and `msgid` from its signed daticert) **and**
//! bound to the send (`bind`: same signed sender, certified times in PEC order) moves a state. A delivery
//! and a failure for one recipient make it `disputed`, with both receipts; a delivery after the 24-hour
//! notice is kept, with a finding. Everything else is listed and flagged. Used by the archive and packs.

use crate::daticert::{Errore, RecipientType};
use crate::ids::normal_address;
use crate::kind::PecKind;

use super::bind::SendFrame;
use super::breve_check::breve_findings;
use super::evidence::{Evidence, EvidenceRole};
use super::flow::{FlowStep, flow_place};
use super::link::LinkKey;
use super::outcome::{RecipientOutcome, SentFinding, SentFindingCode, SentOutcome};
use super::recipients::{pending, recipient_list};
use super::said::unsigned_hints;
use super::state::RecipientState;
use super::summary::summarise;

/// The state a receipt about one recipient certifies, if it certifies one.
fn certified_state(kind: PecKind) -> Option<RecipientState> {
    match kind {
        PecKind::Delivery => Some(RecipientState::Delivered),
        PecKind::DeliveryFailure => Some(RecipientState::Failed),
        PecKind::DeliveryWarning12h => Some(RecipientState::Warned12h),
        PecKind::DeliveryTimeout24h => Some(RecipientState::TimedOut24h),
        _ => None,
    }
}

fn reason(e: &Evidence) -> Option<String> {
    if let Some(text) = e.errore_esteso.as_deref().map(str::trim)
        && !text.is_empty()
    {
        return Some(text.to_owned());
    }
    match e.errore {
        Errore::Nessuno => None,
        Errore::NoDest => Some("no-dest: unknown recipient".into()),
        Errore::NoDominio => Some("no-dominio: unknown domain".into()),
        Errore::Virus => Some("virus".into()),
        Errore::Altro => Some("altro: other error".into()),
    }
}

/// Correlates everything known under one key. `evidence` may be in any order.
pub fn correlate(key: &LinkKey, evidence: &[Evidence]) -> SentOutcome {
    let mut items: Vec<&Evidence> = evidence.iter().collect();
    // The PEC order (`flow`): a stable order whatever the input order.
    items.sort_by_key(|e| {
        let step = FlowStep::of(e.kind, e.role == EvidenceRole::SentCopy);
        flow_place(step, e.at, e.id)
    });
    let mut findings = unsigned_hints(&items);

    let trusted: Vec<&Evidence> = items
        .iter()
        .copied()
        .filter(|e| e.is_trustworthy())
        .collect();
    let acceptances: Vec<&Evidence> = trusted
        .iter()
        .copied()
        .filter(|e| matches!(e.kind, PecKind::Acceptance | PecKind::NonAcceptance))
        .collect();
    if acceptances.len() > 1 {
        findings.push(SentFinding {
            code: SentFindingCode::DuplicateAcceptance,
            evidence: acceptances.get(1).map(|e| e.id),
            message: format!(
                "{} acceptance or non-acceptance receipts name this message; the first is used.",
                acceptances.len()
            ),
        });
    }
    let acceptance = acceptances.first().copied();
    let frame = SendFrame::of(&items, &trusted, acceptance);

    // A plain message from someone else that shares the Message-ID is not the sent copy.
    let mut bound: Vec<&Evidence> = Vec::with_capacity(items.len());
    for e in &items {
        let unbound = match e.role {
            EvidenceRole::SentCopy => frame.unbound_copy(e),
            EvidenceRole::Received => Some(frame.received_copy(e)),
            EvidenceRole::Receipt => None,
        };
        match unbound {
            Some(finding) => findings.push(finding),
            None => bound.push(e),
        }
    }
    // A receipt for someone else's message, or out of the PEC order, moves nothing.
    let mut moving: Vec<&Evidence> = Vec::with_capacity(trusted.len());
    for e in &trusted {
        if acceptance.is_some_and(|a| a.id == e.id) {
            moving.push(e);
            continue;
        }
        let checked = if certified_state(e.kind).is_some() {
            frame.unbound_receipt(e)
        } else {
            (!frame.same_sender(e))
                .then(|| frame.unbound_receipt(e))
                .flatten()
        };
        match checked {
            Some(finding) => findings.push(finding),
            None => moving.push(e),
        }
    }

    let not_accepted = acceptance.filter(|e| e.kind == PecKind::NonAcceptance);
    let has_receipts = items.iter().any(|e| e.role == EvidenceRole::Receipt);
    if acceptance.is_none() && has_receipts {
        findings.push(SentFinding {
            code: SentFindingCode::AcceptanceMissing,
            evidence: None,
            message: "The acceptance receipt is not in the archive; the message is known from its other receipts.".into(),
        });
    }

    let mut recipients = recipient_list(&bound, &moving, acceptance);
    for e in &moving {
        apply(e, acceptance.is_some(), &mut recipients, &mut findings);
    }

    if let Some(na) = not_accepted {
        for r in &mut recipients {
            r.state = RecipientState::NotAccepted;
            r.at = na.at;
            r.reason = reason(na).or_else(|| Some("non-accettazione".into()));
            r.decided_by = Some(na.id);
            r.disputed_by = None;
        }
    }

    breve_findings(&bound, &moving, &mut findings);
    let summary = summarise(&recipients, not_accepted.is_some());
    let first = |f: &dyn Fn(&Evidence) -> Option<String>| {
        acceptance
            .and_then(f)
            .or_else(|| moving.iter().find_map(|e| f(e)))
            .or_else(|| bound.iter().find_map(|e| f(e)))
    };
    SentOutcome {
        key: key.clone(),
        subject: first(&|e| e.subject.clone()),
        sender: first(&|e| e.sender.clone()),
        sent_at: bound
            .iter()
            .find(|e| e.role == EvidenceRole::SentCopy)
            .and_then(|e| e.at),
        accepted_at: frame.accepted_at,
        recipients,
        summary,
        evidence: items.iter().map(|e| e.id).collect(),
        findings,
    }
}

/// What one trustworthy, bound receipt certifies about its recipient.
fn apply(
    e: &Evidence,
    accepted: bool,
    recipients: &mut Vec<RecipientOutcome>,
    findings: &mut Vec<SentFinding>,
) {
    let (Some(state), Some(consegna)) = (
        e.certifies.or_else(|| certified_state(e.kind)),
        e.consegna.as_deref(),
    ) else {
        return;
    };
    let wanted = normal_address(consegna);
    let index = match recipients
        .iter()
        .position(|r| normal_address(&r.address) == wanted)
    {
        Some(i) => i,
        None => {
            if accepted {
                findings.push(SentFinding {
                    code: SentFindingCode::RecipientNotInAcceptance,
                    evidence: Some(e.id),
                    message: format!(
                        "A {} is about {consegna}, whom the acceptance does not list.",
                        e.kind.label()
                    ),
                });
            }
            recipients.push(pending(consegna, Some(RecipientType::Certificato)));
            recipients.len() - 1
        }
    };
    let r = &mut recipients[index];
    match (r.state, state) {
        (RecipientState::External | RecipientState::Disputed, _) => {}
        (RecipientState::Delivered, RecipientState::Failed)
        | (RecipientState::Failed, RecipientState::Delivered) => {
            let (delivery, failure) = if state == RecipientState::Delivered {
                (e.id, r.decided_by)
            } else {
                (r.decided_by.unwrap_or(e.id), Some(e.id))
            };
            findings.push(SentFinding {
                code: SentFindingCode::ConflictingReceipts,
                evidence: Some(e.id),
                message: format!(
                    "Receipts about {} contradict each other: one certifies delivery, another a delivery failure. Neither is taken; both are shown.",
                    r.address
                ),
            });
            if state == RecipientState::Failed {
                r.reason = reason(e);
            }
            r.state = RecipientState::Disputed;
            r.decided_by = Some(delivery);
            r.disputed_by = failure;
        }
        (RecipientState::Delivered, RecipientState::TimedOut24h)
        | (RecipientState::TimedOut24h, RecipientState::Delivered) => {
            findings.push(SentFinding {
                code: SentFindingCode::DeliveredDespiteTimeout,
                evidence: Some(e.id),
                message: format!(
                    "{} has both a delivery receipt and the 24-hour non-delivery notice: the delivery came after the notice, and is kept.",
                    r.address
                ),
            });
            take(r, state, e);
        }
        (current, _) => {
            if state.rank() > current.rank()
                || (state == current && r.at.is_some_and(|at| e.at.is_some_and(|t| t < at)))
            {
                take(r, state, e);
            }
        }
    }
}

/// The receipt `e` decides the recipient's state (the stronger of two, or the earlier of two alike).
fn take(r: &mut RecipientOutcome, state: RecipientState, e: &Evidence) {
    if state.rank() < r.state.rank() {
        return;
    }
    r.state = state;
    r.at = e.at;
    r.reason = match state {
        RecipientState::Delivered => None,
        _ => reason(e),
    };
    r.decided_by = Some(e.id);
}
