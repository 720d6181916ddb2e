//! Is this item bound to this send? (issue 13 §3, PEC rules §1 and §7)
//!
//! A Message-ID is chosen by the sender's client, so anyone can reuse it: a receipt that names the same
//! `msgid` certifies *some* message with that Message-ID, not necessarily this send. A receipt is bound to
//! the send when its signed `mittente` is the send's sender and its certified time fits the PEC flow
//! (nothing about a recipient is certified before the acceptance; the 24-hour notice comes a day after).
//! A plain message is the send's copy only when its From is the send's sender. Used by `fold`.

use chrono::{DateTime, Duration, Utc};

use crate::ids::normal_address;

/// The mailbox of an address as a sender field may spell it (`x@y`, `<x@y>`, `Name <x@y>`), lowercased.
///
/// NOTE: the acceptance comes from the sender's provider and a delivery from the recipient's; providers
/// need not spell `mittente` alike, so only the mailbox is compared.
fn mailbox(address: &str) -> String {
    let inner = match (address.rfind('<'), address.rfind('>')) {
        (Some(l), Some(r)) if l < r => &address[l + 1..r],
        _ => address,
    };
    normal_address(inner.trim())
}
use crate::kind::PecKind;

use super::evidence::{Evidence, EvidenceRole};
use super::outcome::{SentFinding, SentFindingCode};

/// How far two providers' clocks may disagree: a receipt certified this much before the acceptance is
/// still in order.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

/// The earliest a 24-hour notice may be certified after the acceptance (PEC rules: 24 hours; the margin
/// covers clocks and the provider's scheduling).
pub const TIMEOUT_NOTICE_EARLIEST: Duration = Duration::hours(22);

/// What the send is, as far as binding needs it.
#[derive(Debug, Clone, Default)]
pub(super) struct SendFrame {
    /// The send's sender, normalised; `None` when nothing says who sent it.
    pub sender: Option<String>,
    /// The certified acceptance time.
    pub accepted_at: Option<DateTime<Utc>>,
}

impl SendFrame {
    /// The frame of a send: the sender by the strongest evidence available, and the acceptance time.
    ///
    /// NOTE: the order is the acceptance's signed `mittente`; else a sent copy whose From some valid
    /// receipt confirms; else the first sent copy's From; else the first valid receipt's `mittente`. When
    /// the evidence disagrees without an acceptance, a receipt that contradicts the copy in hand moves
    /// nothing: the worst case is a delivery shown as unbound, never a stranger's delivery shown as ours.
    pub fn of(items: &[&Evidence], trusted: &[&Evidence], acceptance: Option<&Evidence>) -> Self {
        let norm = |e: &Evidence| e.sender.as_deref().map(mailbox).filter(|s| !s.is_empty());
        let copies: Vec<&Evidence> = items
            .iter()
            .copied()
            .filter(|e| e.role == EvidenceRole::SentCopy)
            .collect();
        let sender = match acceptance {
            Some(a) => norm(a),
            None => copies
                .iter()
                .filter_map(|c| norm(c))
                .find(|from| trusted.iter().any(|r| norm(r).as_ref() == Some(from)))
                .or_else(|| copies.iter().find_map(|c| norm(c)))
                .or_else(|| trusted.iter().find_map(|r| norm(r))),
        };
        SendFrame {
            sender,
            accepted_at: acceptance
                .filter(|a| a.kind == PecKind::Acceptance)
                .and_then(|a| a.at),
        }
    }

    /// Whether `e` (a sent copy or a receipt) names the send's sender (or nothing says who that is).
    pub fn same_sender(&self, e: &Evidence) -> bool {
        match (&self.sender, e.sender.as_deref()) {
            (None, _) => true,
            (Some(sender), Some(theirs)) => mailbox(theirs) == *sender,
            (Some(_), None) => false,
        }
    }

    /// Why a trustworthy receipt about a recipient may not move its state; `None` when it is bound.
    pub fn unbound_receipt(&self, e: &Evidence) -> Option<SentFinding> {
        if !self.same_sender(e) {
            return Some(SentFinding {
                code: SentFindingCode::SenderMismatch,
                evidence: Some(e.id),
                message: format!(
                    "A {} certifies a message from {}, not from this message's sender {}; it shares the Message-ID but is not about this message, and is not relied on.",
                    e.kind.label(),
                    e.sender.as_deref().unwrap_or("an unnamed sender"),
                    self.sender.as_deref().unwrap_or("?")
                ),
            });
        }
        let (Some(accepted), Some(at)) = (self.accepted_at, e.at) else {
            return None;
        };
        if at < accepted - CLOCK_SKEW {
            return Some(SentFinding {
                code: SentFindingCode::CertifiedBeforeAcceptance,
                evidence: Some(e.id),
                message: format!(
                    "A {} is certified at {}, before the message was accepted at {}: impossible in the PEC flow, so it is not relied on.",
                    e.kind.label(),
                    at.to_rfc3339(),
                    accepted.to_rfc3339()
                ),
            });
        }
        if e.kind == PecKind::DeliveryTimeout24h && at < accepted + TIMEOUT_NOTICE_EARLIEST {
            return Some(SentFinding {
                code: SentFindingCode::TimeoutNoticeTooEarly,
                evidence: Some(e.id),
                message: format!(
                    "A 24-hour non-delivery notice is certified at {}, less than 22 hours after the acceptance at {}; it is not relied on.",
                    at.to_rfc3339(),
                    accepted.to_rfc3339()
                ),
            });
        }
        None
    }

    /// Why a plain message under the send's key is not its sent copy; `None` when it is.
    /// The finding for a plain message that arrived in a mailbox under this send's Message-ID.
    pub fn received_copy(&self, e: &Evidence) -> SentFinding {
        SentFinding {
            code: SentFindingCode::MessageIdReused,
            evidence: Some(e.id),
            message: format!(
                "A message received from {} reuses this message's Message-ID; a message that arrived \
                 in the mailbox is never the sent copy.",
                e.sender.as_deref().unwrap_or("an unnamed sender")
            ),
        }
    }

    pub fn unbound_copy(&self, e: &Evidence) -> Option<SentFinding> {
        (!self.same_sender(e)).then(|| SentFinding {
            code: SentFindingCode::MessageIdReused,
            evidence: Some(e.id),
            message: format!(
                "A message from {} reuses this message's Message-ID; it is not the sent copy.",
                e.sender.as_deref().unwrap_or("an unnamed sender")
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sender_is_compared_by_its_mailbox_whatever_the_spelling() {
        assert_eq!(mailbox("Studio Rossi <Studio@PEC.it>"), "studio@pec.it");
        assert_eq!(mailbox(" <studio@pec.it> "), "studio@pec.it");
        assert_eq!(mailbox("studio@pec.it"), "studio@pec.it");
    }
}
