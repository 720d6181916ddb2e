//! One spelling per closed set (issue 16 §1): the declaring macro and its checks are crate
//! `pec-closed-set`'s (shared with pec-invoice, which does not depend on pec-core), re-exported here
//! with the macro as `pec_core::closed_set!`; what is here checks pec-core's own sets.
//!
//! Spellings are stable: archives and packs store them, so a shipped spelling is never renamed.

pub use pec_closed_set::{ClosedSet, UnknownSpelling, assert_spellings_are_sound, sql_list};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_closed_set_of_pec_core_has_one_sound_spelling() {
        use crate::correlate::{
            EvidenceRole, LinkBasis, Overdue, RecipientState, SentFindingCode, SentSummary,
        };
        use crate::daticert::{Errore, ReceiptType, RecipientType, RepairKind};
        use crate::signature;
        assert_spellings_are_sound::<crate::PecKind>();
        assert_spellings_are_sound::<crate::Tipo>();
        assert_spellings_are_sound::<crate::FindingCode>();
        assert_spellings_are_sound::<crate::Severity>();
        assert_spellings_are_sound::<signature::FindingCode>();
        assert_spellings_are_sound::<signature::Severity>();
        assert_spellings_are_sound::<signature::SignatureStatus>();
        assert_spellings_are_sound::<RecipientState>();
        assert_spellings_are_sound::<SentSummary>();
        assert_spellings_are_sound::<SentFindingCode>();
        assert_spellings_are_sound::<Overdue>();
        assert_spellings_are_sound::<EvidenceRole>();
        assert_spellings_are_sound::<LinkBasis>();
        assert_spellings_are_sound::<RecipientType>();
        assert_spellings_are_sound::<ReceiptType>();
        assert_spellings_are_sound::<Errore>();
        assert_spellings_are_sound::<RepairKind>();
    }

    #[test]
    fn stored_spellings_are_those_archives_and_packs_already_hold() {
        // Spellings are never renamed: a sample of each set as archives of issue 15 store them.
        use crate::correlate::{Overdue, RecipientState};
        assert_eq!(
            crate::PecKind::DeliveryWarning12h.as_str(),
            "delivery-warning12h"
        );
        assert_eq!(RecipientState::TimedOut24h.as_str(), "timed-out-24h");
        assert_eq!(Overdue::After12h.as_str(), "12h");
        assert_eq!(
            crate::signature::FindingCode::LegacyKeyRsa1024.as_str(),
            "legacy-key-rsa-1024"
        );
        assert_eq!(
            crate::signature::FindingCode::IssuerNotACa.as_str(),
            "issuer-not-a-ca"
        );
    }
}
