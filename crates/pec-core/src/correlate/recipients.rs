//! Who a send's recipients are (PEC rules §1): the acceptance is the authority on who they are and which
//! are certified; without it the trustworthy receipts (which repeat the `destinatari`) and the sent copy
//! say who they are. Used by `fold`.

use crate::daticert::RecipientType;
use crate::ids::normal_address;

use super::evidence::{Evidence, EvidenceRole};
use super::outcome::RecipientOutcome;
use super::state::RecipientState;

pub(super) fn pending(address: &str, kind: Option<RecipientType>) -> RecipientOutcome {
    let state = match kind {
        Some(RecipientType::Esterno) => RecipientState::External,
        _ => RecipientState::Pending,
    };
    RecipientOutcome {
        address: address.trim().to_owned(),
        kind,
        state,
        at: None,
        reason: None,
        decided_by: None,
        disputed_by: None,
    }
}

/// Who the recipients are: the acceptance's list when there is one; otherwise the union of what the
/// trustworthy receipts, the sent copy and (last) the untrusted receipts say, typed where anyone types them.
pub(super) fn recipient_list(
    items: &[&Evidence],
    trusted: &[&Evidence],
    acceptance: Option<&Evidence>,
) -> Vec<RecipientOutcome> {
    let mut out: Vec<RecipientOutcome> = Vec::new();
    let add = |address: &str, kind: Option<RecipientType>, out: &mut Vec<RecipientOutcome>| {
        let wanted = normal_address(address);
        if wanted.is_empty() {
            return;
        }
        match out
            .iter_mut()
            .find(|r| normal_address(&r.address) == wanted)
        {
            Some(r) => {
                if r.kind.is_none() && kind.is_some() {
                    *r = pending(&r.address, kind);
                }
            }
            None => out.push(pending(address, kind)),
        }
    };
    if let Some(a) = acceptance {
        for r in &a.recipients {
            add(&r.address, Some(r.kind), &mut out);
        }
        return out;
    }
    for e in trusted {
        for r in &e.recipients {
            add(&r.address, Some(r.kind), &mut out);
        }
    }
    for e in items.iter().filter(|e| e.role == EvidenceRole::SentCopy) {
        for address in &e.untyped_recipients {
            add(address, None, &mut out);
        }
    }
    if out.is_empty() {
        for e in items {
            for r in &e.recipients {
                add(&r.address, Some(r.kind), &mut out);
            }
        }
    }
    out
}
