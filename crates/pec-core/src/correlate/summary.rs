//! The state of a whole send, derived from its recipients' states.

use super::outcome::{RecipientOutcome, SentSummary};
use super::state::RecipientState;

pub(super) fn summarise(recipients: &[RecipientOutcome], not_accepted: bool) -> SentSummary {
    if not_accepted {
        return SentSummary::NotAccepted;
    }
    let certified: Vec<&RecipientOutcome> = recipients
        .iter()
        .filter(|r| r.state != RecipientState::External)
        .collect();
    if certified.is_empty() {
        return if recipients.is_empty() {
            SentSummary::Pending
        } else {
            SentSummary::NotCertifiable
        };
    }
    // NOTE: a disputed recipient is neither delivered nor failed (issue 13 §3): the whole send says so
    // rather than take either receipt's side, whatever the other recipients' states.
    if certified
        .iter()
        .any(|r| r.state == RecipientState::Disputed)
    {
        return SentSummary::Disputed;
    }
    if certified.iter().any(|r| !r.state.is_settled()) {
        return SentSummary::Pending;
    }
    let delivered = certified
        .iter()
        .filter(|r| r.state == RecipientState::Delivered)
        .count();
    match delivered {
        0 => SentSummary::Failed,
        n if n == certified.len() => SentSummary::Delivered,
        _ => SentSummary::PartiallyDelivered,
    }
}
