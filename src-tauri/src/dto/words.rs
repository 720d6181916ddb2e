//! The closed sets the window words in Italian and English, mirrored from the engine with the same
//! serialised spellings (so the TypeScript bindings list every value and the UI's wording tables are
//! checked complete). Converted through serde: a test checks every engine value has its mirror.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The engine value `from` as the mirror type `T` (same serde spelling); `fallback` if it has none.
pub fn mirror<F: Serialize, T: DeserializeOwned>(from: &F, fallback: T) -> T {
    serde_json::to_value(from)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or(fallback)
}

/// What a message is (`pec_core::PecKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    TransportEnvelope,
    AnomalyEnvelope,
    Acceptance,
    NonAcceptance,
    TakenInCharge,
    Delivery,
    DeliveryFailure,
    DeliveryWarning12h,
    DeliveryTimeout24h,
    VirusDetected,
    NotPec,
}

/// A signature verdict (`pec_core::signature::SignatureStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Valid,
    Invalid,
    Untrusted,
    Unsigned,
    Indeterminate,
}

/// Where one recipient of a send stands (`pec_core::correlate::RecipientState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum RecipientState {
    Pending,
    Delivered,
    Failed,
    #[serde(rename = "warned-12h")]
    Warned12h,
    #[serde(rename = "timed-out-24h")]
    TimedOut24h,
    External,
    NotAccepted,
    /// A delivery and a failure certified for the same recipient (issue 13 §3).
    Disputed,
}

/// Where a whole send stands (`pec_core::correlate::SentSummary`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum Summary {
    Pending,
    Delivered,
    PartiallyDelivered,
    Failed,
    NotAccepted,
    NotCertifiable,
}

/// A deadline passed without delivery (`pec_core::correlate::Overdue`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type,
)]
pub enum Overdue {
    #[serde(rename = "12h")]
    After12h,
    #[serde(rename = "24h")]
    After24h,
}

/// Where a submission stands (`pec_archive::outbox::OutboxState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum OutboxState {
    Queued,
    Submitting,
    Uncertain,
    Submitted,
    Failed,
}

/// The receipt asked of the provider (`X-TipoRicevuta`, PEC rules §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum ReceiptKind {
    Completa,
    Breve,
    Sintetica,
}

/// What a folder is for (`pec_archive::FolderRole`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum FolderRole {
    Inbox,
    Sent,
    Other,
}

/// Which copy of the sender's own message an item of a send is (`pec_archive::SentCopy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum SentCopy {
    Sent,
    SentFolder,
}

/// How much a finding weighs (both engine severities, merged).
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

/// What opening an attachment could do (`pec_engine::letter::Risk`, issue 13 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum AttachmentRisk {
    Safe,
    ActiveContent,
    Macro,
    Shortcut,
    Script,
    Executable,
}

#[cfg(test)]
mod tests {
    use super::*;
    use pec_core::PecKind;
    use pec_core::correlate::{RecipientState as Rs, SentSummary};
    use pec_core::signature::SignatureStatus;

    #[test]
    fn every_engine_value_has_its_mirror() {
        let kinds = [
            PecKind::TransportEnvelope,
            PecKind::AnomalyEnvelope,
            PecKind::Acceptance,
            PecKind::NonAcceptance,
            PecKind::TakenInCharge,
            PecKind::Delivery,
            PecKind::DeliveryFailure,
            PecKind::DeliveryWarning12h,
            PecKind::DeliveryTimeout24h,
            PecKind::VirusDetected,
        ];
        for k in kinds {
            assert_ne!(mirror(&k, Kind::NotPec), Kind::NotPec, "{k:?}");
        }
        use pec_engine::letter::Risk;
        for r in [
            Risk::ActiveContent,
            Risk::Macro,
            Risk::Shortcut,
            Risk::Script,
            Risk::Executable,
        ] {
            assert_ne!(
                mirror(&r, AttachmentRisk::Safe),
                AttachmentRisk::Safe,
                "{r:?}"
            );
        }
        assert_eq!(
            mirror(&Risk::Safe, AttachmentRisk::Executable),
            AttachmentRisk::Safe
        );
        for s in SignatureStatus::ALL {
            assert_eq!(
                serde_json::to_value(mirror(&s, Verdict::Indeterminate)).unwrap(),
                s.as_str()
            );
        }
        for s in Rs::ALL {
            assert_eq!(
                serde_json::to_value(mirror(&s, RecipientState::Pending)).unwrap(),
                s.as_str()
            );
        }
        for s in [
            SentSummary::Pending,
            SentSummary::Delivered,
            SentSummary::PartiallyDelivered,
            SentSummary::Failed,
            SentSummary::NotAccepted,
            SentSummary::NotCertifiable,
        ] {
            assert_eq!(
                serde_json::to_value(mirror(&s, Summary::Pending)).unwrap(),
                s.as_str()
            );
        }
        for c in [
            pec_archive::SentCopy::Sent,
            pec_archive::SentCopy::SentFolder,
        ] {
            assert_eq!(
                serde_json::to_value(mirror(&c, SentCopy::Sent)).unwrap(),
                serde_json::to_value(c).unwrap()
            );
        }
        for s in pec_archive::outbox::OutboxState::parse("queued")
            .into_iter()
            .chain(
                ["submitting", "uncertain", "submitted", "failed"]
                    .iter()
                    .filter_map(|s| pec_archive::outbox::OutboxState::parse(s)),
            )
        {
            assert_eq!(
                serde_json::to_value(mirror(&s, OutboxState::Uncertain)).unwrap(),
                s.as_str()
            );
        }
    }
}
