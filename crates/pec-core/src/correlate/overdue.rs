//! Overdue: a certified recipient without delivery 12 h / 24 h after acceptance (PEC rules §1).
//!
//! Providers send the 12 h warning and the 24 h notice themselves, but they may be late or lost; the
//! user must see the deadline pass even before the notice arrives. The clock is an argument.

use chrono::{DateTime, Duration, Utc};

use super::state::RecipientState;

crate::closed_set! {
    /// How late a recipient is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Overdue {
        /// More than 12 hours since acceptance without a delivery receipt.
        After12h = "12h",
        /// More than 24 hours since acceptance without a delivery receipt.
        After24h = "24h",
    }
}

impl Overdue {
    /// How long after the acceptance this deadline falls.
    pub fn after(self) -> Duration {
        match self {
            Overdue::After12h => Duration::hours(12),
            Overdue::After24h => Duration::hours(24),
        }
    }

    /// The same, in whole hours (what a notification says).
    pub fn hours(self) -> i64 {
        self.after().num_hours()
    }
}

/// The latest acceptance time a recipient still waiting at `now` can have and be overdue: a send
/// accepted at or before it is late (the query form of [`overdue`], for SQL filters over sends).
pub fn overdue_if_accepted_by(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Overdue::After12h.after()
}

/// Whether a recipient in `state`, accepted at `accepted_at`, is overdue at `now`.
/// Only recipients still waiting (pending, or warned without the final notice) can be.
pub fn overdue(
    accepted_at: Option<DateTime<Utc>>,
    state: RecipientState,
    now: DateTime<Utc>,
) -> Option<Overdue> {
    if state.is_settled() {
        return None;
    }
    let waited = now - accepted_at?;
    [Overdue::After24h, Overdue::After12h]
        .into_iter()
        .find(|late| waited >= late.after())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_700_000_000 + h * 3600, 0).unwrap()
    }

    #[test]
    fn a_pending_recipient_becomes_overdue_at_12_and_24_hours() {
        let p = RecipientState::Pending;
        assert_eq!(overdue(Some(at(0)), p, at(11)), None);
        assert_eq!(overdue(Some(at(0)), p, at(12)), Some(Overdue::After12h));
        assert_eq!(overdue(Some(at(0)), p, at(30)), Some(Overdue::After24h));
        assert_eq!(
            overdue(Some(at(0)), RecipientState::Warned12h, at(25)),
            Some(Overdue::After24h)
        );
    }

    #[test]
    fn the_query_bound_agrees_with_the_rule_on_either_side_of_it() {
        let now = at(40);
        let bound = overdue_if_accepted_by(now);
        let p = RecipientState::Pending;
        assert!(overdue(Some(bound), p, now).is_some());
        let a_second_later = bound + Duration::seconds(1);
        assert_eq!(overdue(Some(a_second_later), p, now), None);
    }

    #[test]
    fn a_notification_says_the_hours_of_its_deadline() {
        assert_eq!(Overdue::After12h.hours(), 12);
        assert_eq!(Overdue::After24h.hours(), 24);
    }

    #[test]
    fn overdue_is_spelled_as_its_deadline() {
        assert_eq!(
            serde_json::to_string(&Overdue::After12h).unwrap(),
            "\"12h\""
        );
        assert_eq!(
            serde_json::to_string(&Overdue::After24h).unwrap(),
            "\"24h\""
        );
    }

    #[test]
    fn settled_or_unaccepted_recipients_are_never_overdue() {
        assert_eq!(
            overdue(Some(at(0)), RecipientState::Delivered, at(99)),
            None
        );
        assert_eq!(overdue(Some(at(0)), RecipientState::External, at(99)), None);
        assert_eq!(overdue(None, RecipientState::Pending, at(99)), None);
    }
}
