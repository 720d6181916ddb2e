//! Where one recipient of a send stands: the closed set of states correlation folds receipts into
//! (PEC rules §1, §7). Used by the archive (the `state` column), the CLI's `status`, the pack and the UI.

crate::closed_set! {
    /// Where one recipient stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum RecipientState {
        /// No delivery or failure certified yet.
        Pending = "pending",
        /// The recipient's provider certified delivery into the mailbox.
        Delivered = "delivered",
        /// The recipient's provider certified that delivery failed.
        Failed = "failed",
        /// The 12-hour warning arrived: not delivered yet.
        Warned12h = "warned-12h",
        /// The final 24-hour notice arrived: not delivered, and no longer expected.
        TimedOut24h = "timed-out-24h",
        /// Not a certified mailbox: no delivery receipt will ever come.
        External = "external",
        /// The sender's provider refused the message.
        NotAccepted = "not-accepted",
        /// Valid, bound receipts certify both delivery and failure for this recipient (issue 13 §3): shown
        /// as a conflict with both receipts (`decided_by` the delivery, `disputed_by` the failure), never
        /// resolved in either's favour.
        Disputed = "disputed",
    }
}

impl RecipientState {
    /// The states still waiting for a delivery or a failure (what "pending" lists and overdue judges).
    pub const WAITING: [RecipientState; 2] = [RecipientState::Pending, RecipientState::Warned12h];

    /// The states a person must look at as failures (what "failed" lists). A disputed recipient is
    /// listed with them (issue 13 §3): it needs a person's look.
    pub const FAILING: [RecipientState; 4] = [
        RecipientState::Failed,
        RecipientState::TimedOut24h,
        RecipientState::NotAccepted,
        RecipientState::Disputed,
    ];

    /// Whether nothing more is expected for this recipient.
    pub fn is_settled(self) -> bool {
        !RecipientState::WAITING.contains(&self)
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
    fn states_have_one_sound_spelling() {
        crate::closed_set::assert_spellings_are_sound::<RecipientState>();
    }

    #[test]
    fn a_state_is_waiting_or_settled_and_only_settled_ones_can_fail() {
        for s in RecipientState::ALL {
            assert_eq!(RecipientState::WAITING.contains(&s), !s.is_settled());
            assert!(
                !(RecipientState::WAITING.contains(&s) && RecipientState::FAILING.contains(&s))
            );
        }
    }
}
