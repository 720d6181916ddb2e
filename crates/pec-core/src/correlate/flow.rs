//! The order of a send's items: the one order in which the evidence pack lists them and the window's
//! timeline shows them (issue 16 §3).
//!
//! PEC rules §1: the sender submits the message; its provider accepts it (or refuses it); the message
//! travels to each recipient's provider (taken in charge between providers); each certified recipient's
//! provider certifies a delivery or a failure; without one, the 12 h warning and then the 24 h notice
//! follow. The sender's own copies come first whatever their `Date` says (it is the client's clock, and
//! nothing can be certified about a message before it is submitted); the rest follows the certified
//! time, and items certified in the same second follow the flow. The archive id decides last, so the
//! order is total and does not depend on the order the items were found in.

use chrono::{DateTime, Utc};

use crate::PecKind;

/// A step of the PEC flow, in flow order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FlowStep {
    /// The message as the sender submitted it (or the provider's copy of it in the Sent folder).
    SenderCopy,
    /// Acceptance or non-acceptance by the sender's provider.
    Acceptance,
    /// Taken in charge by a recipient's provider.
    TakenInCharge,
    /// A recipient's outcome: delivery, delivery failure, virus found.
    Outcome,
    /// The 12 h warning.
    Warning12h,
    /// The 24 h notice.
    Timeout24h,
    /// Anything else linked to the send (an envelope, an anomaly).
    Other,
}

impl FlowStep {
    /// The step of an item of kind `kind`; `sender_copy` when it is the sender's own message.
    pub fn of(kind: PecKind, sender_copy: bool) -> FlowStep {
        if sender_copy {
            return FlowStep::SenderCopy;
        }
        match kind {
            PecKind::Acceptance | PecKind::NonAcceptance => FlowStep::Acceptance,
            PecKind::TakenInCharge => FlowStep::TakenInCharge,
            PecKind::Delivery | PecKind::DeliveryFailure | PecKind::VirusDetected => {
                FlowStep::Outcome
            }
            PecKind::DeliveryWarning12h => FlowStep::Warning12h,
            PecKind::DeliveryTimeout24h => FlowStep::Timeout24h,
            PecKind::TransportEnvelope | PecKind::AnomalyEnvelope | PecKind::NotPec => {
                FlowStep::Other
            }
        }
    }
}

/// Where an item comes among a send's items; sorting by it gives the PEC order (see the module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlowPlace {
    after_sender_copies: bool,
    at: Option<DateTime<Utc>>,
    step: FlowStep,
    id: i64,
}

/// The place of item `id`, at step `step`, dated `at` (certified time for a receipt, `Date` for the
/// sender's copy).
pub fn flow_place(step: FlowStep, at: Option<DateTime<Utc>>, id: i64) -> FlowPlace {
    FlowPlace {
        after_sender_copies: step != FlowStep::SenderCopy,
        at,
        step,
        id,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn second(s: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(2026, 12, 3, 6, 45, s).unwrap())
    }

    fn sorted(mut items: Vec<(FlowStep, Option<DateTime<Utc>>, i64)>) -> Vec<i64> {
        items.sort_by_key(|&(step, at, id)| flow_place(step, at, id));
        items.into_iter().map(|(_, _, id)| id).collect()
    }

    #[test]
    fn items_of_one_second_follow_the_pec_flow_whatever_their_ids() {
        let s = second(30);
        let items = vec![
            (FlowStep::Timeout24h, s, 1),
            (FlowStep::Outcome, s, 2),
            (FlowStep::Warning12h, s, 3),
            (FlowStep::TakenInCharge, s, 4),
            (FlowStep::Acceptance, s, 5),
            (FlowStep::SenderCopy, s, 6),
            (FlowStep::Other, s, 7),
        ];
        assert_eq!(sorted(items), [6, 5, 4, 2, 3, 1, 7]);
    }

    #[test]
    fn the_sender_copy_comes_first_even_when_its_date_is_later_than_the_receipts() {
        // The client's clock was ahead: its Date is after the certified acceptance.
        let items = vec![
            (FlowStep::Outcome, second(20), 3),
            (FlowStep::Acceptance, second(10), 2),
            (FlowStep::SenderCopy, second(50), 1),
        ];
        assert_eq!(sorted(items), [1, 2, 3]);
    }

    #[test]
    fn time_comes_before_the_flow_and_the_id_decides_last() {
        let items = vec![
            (FlowStep::Acceptance, second(31), 4),
            (FlowStep::Outcome, second(30), 3),
            (FlowStep::Outcome, second(30), 1),
        ];
        assert_eq!(sorted(items), [1, 3, 4]);
    }

    #[test]
    fn every_kind_has_its_step() {
        assert_eq!(FlowStep::of(PecKind::NotPec, true), FlowStep::SenderCopy);
        assert_eq!(
            FlowStep::of(PecKind::NonAcceptance, false),
            FlowStep::Acceptance
        );
        assert_eq!(
            FlowStep::of(PecKind::VirusDetected, false),
            FlowStep::Outcome
        );
        assert_eq!(
            FlowStep::of(PecKind::AnomalyEnvelope, false),
            FlowStep::Other
        );
    }
}
