//! The closed sets the window words in Italian and English. Each is the engine's own type (issue 16
//! §1): its TypeScript type is derived from it (the `specta` feature of the engine crates), so the UI's
//! wording tables are checked complete against the engine's values, with no copy to keep in step.
//! What stays here is only what is the window's own: the two engine severities merged into one scale.

pub use pec_archive::outbox::OutboxState;
pub use pec_archive::{FolderRole, SentCopy};
pub use pec_core::correlate::{Overdue, RecipientState, SentFindingCode, SentSummary};
pub use pec_core::signature::SignatureStatus;
pub use pec_core::{Family, PecKind, ReceiptType};
pub use pec_engine::letter::Risk as AttachmentRisk;
pub use pec_rem::RemEvent;
use serde::{Deserialize, Serialize};

/// The receipt asked of the provider (`X-TipoRicevuta`): the engine's [`ReceiptType`].
// NOTE: the old name, kept for the command wrappers (commands/compose.rs, drafts.rs).
pub type ReceiptKind = ReceiptType;

/// How much a finding weighs, on one scale for the window: a message finding's severity
/// (`pec_core::Severity`) or a signature finding's (`pec_core::signature::Severity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
    Untrusted,
    Invalid,
    Indeterminate,
}

impl From<pec_core::Severity> for Severity {
    fn from(s: pec_core::Severity) -> Severity {
        match s {
            pec_core::Severity::Info => Severity::Info,
            pec_core::Severity::Warning => Severity::Warning,
            pec_core::Severity::Error => Severity::Error,
        }
    }
}

impl From<pec_core::signature::Severity> for Severity {
    fn from(s: pec_core::signature::Severity) -> Severity {
        use pec_core::signature::Severity as S;
        match s {
            S::Info => Severity::Info,
            S::Warning => Severity::Warning,
            S::Untrusted => Severity::Untrusted,
            S::Invalid => Severity::Invalid,
            S::Indeterminate => Severity::Indeterminate,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pec_core::ClosedSet;

    #[test]
    fn both_engine_severities_keep_their_spelling_on_the_window_scale() {
        let spelled = |s: Severity| serde_json::to_value(s).unwrap();
        for &s in pec_core::Severity::values() {
            assert_eq!(spelled(s.into()), s.as_str());
        }
        for &s in pec_core::signature::Severity::values() {
            assert_eq!(spelled(s.into()), s.as_str());
        }
    }
}
