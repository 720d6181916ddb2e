//! Where one recipient of a send stands: the closed set of states correlation folds receipts into
//! (PEC rules §1, §7). Used by the archive (the `state` column), the CLI's `status`, the pack and the UI.

use serde::{Deserialize, Serialize};

/// Where one recipient stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecipientState {
    /// No delivery or failure certified yet.
    Pending,
    /// The recipient's provider certified delivery into the mailbox.
    Delivered,
    /// The recipient's provider certified that delivery failed.
    Failed,
    /// The 12-hour warning arrived: not delivered yet.
    #[serde(rename = "warned-12h")]
    Warned12h,
    /// The final 24-hour notice arrived: not delivered, and no longer expected.
    #[serde(rename = "timed-out-24h")]
    TimedOut24h,
    /// Not a certified mailbox: no delivery receipt will ever come.
    External,
    /// The sender's provider refused the message.
    NotAccepted,
    /// Valid, bound receipts certify both delivery and failure for this recipient (issue 13 §3): shown
    /// as a conflict with both receipts (`decided_by` the delivery, `disputed_by` the failure), never
    /// resolved in either's favour.
    Disputed,
}

impl RecipientState {
    /// Every state, in a stable order.
    pub const ALL: [RecipientState; 8] = [
        RecipientState::Pending,
        RecipientState::Delivered,
        RecipientState::Failed,
        RecipientState::Warned12h,
        RecipientState::TimedOut24h,
        RecipientState::External,
        RecipientState::NotAccepted,
        RecipientState::Disputed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecipientState::Pending => "pending",
            RecipientState::Delivered => "delivered",
            RecipientState::Failed => "failed",
            RecipientState::Warned12h => "warned-12h",
            RecipientState::TimedOut24h => "timed-out-24h",
            RecipientState::External => "external",
            RecipientState::NotAccepted => "not-accepted",
            RecipientState::Disputed => "disputed",
        }
    }

    pub fn parse(value: &str) -> Option<RecipientState> {
        RecipientState::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
    }

    /// Whether nothing more is expected for this recipient.
    pub fn is_settled(self) -> bool {
        !matches!(self, RecipientState::Pending | RecipientState::Warned12h)
    }

    /// Which receipt wins when several speak of one recipient: proof of delivery beats a notice; a
    /// delivery against a failure is not ranked but disputed (see `fold`).
    pub(super) fn rank(self) -> u8 {
        match self {
            RecipientState::Pending => 0,
            RecipientState::Warned12h => 1,
            RecipientState::TimedOut24h => 2,
            RecipientState::Failed => 3,
            RecipientState::Delivered => 4,
            RecipientState::Disputed => 5,
            RecipientState::External | RecipientState::NotAccepted => 6,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_their_spelling() {
        for s in RecipientState::ALL {
            assert_eq!(RecipientState::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str()),
                "serde and as_str agree"
            );
        }
    }

    #[test]
    fn all_lists_every_state_once() {
        // A new variant must be added to ALL: this match fails to compile otherwise.
        let listed = |s: RecipientState| match s {
            RecipientState::Pending
            | RecipientState::Delivered
            | RecipientState::Failed
            | RecipientState::Warned12h
            | RecipientState::TimedOut24h
            | RecipientState::External
            | RecipientState::NotAccepted
            | RecipientState::Disputed => RecipientState::ALL.contains(&s),
        };
        assert!(RecipientState::ALL.into_iter().all(listed));
        let mut unique = RecipientState::ALL.to_vec();
        unique.dedup();
        assert_eq!(unique.len(), RecipientState::ALL.len());
    }
}
