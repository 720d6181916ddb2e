//! A REM message in PEC terms (`docs/rem.md` §5): the kind, recipients and identifiers correlation and
//! the archive already understand, taken from the signed evidence only.
//!
//! A REM receipt becomes the PEC receipt it corresponds to (ContentConsignment → `delivery`,
//! ContentConsignmentFailure / RelayFailure / RelayRejection → `delivery-failure`, …), keyed by the
//! signed `AppLayerIdentifier` (the user agent's Message-ID) as a PEC receipt is by its signed `msgid`;
//! `consegna` is the recipient `EvidenceRefersToRecipient` names. A RelayToNonERDS evidence certifies
//! that its recipient is outside certified mail (`external`), which no PEC kind says. Nothing is taken
//! from a REM section outside the signed entity, nor from the `REM-*` headers.

use chrono::{DateTime, Utc};
use pec_core::PecKind;
use pec_core::correlate::RecipientState;
use pec_core::daticert::{Errore, Recipient, RecipientType};

use crate::event::RemEvent;
use crate::message::RemMessage;

/// What a REM message certifies, in PEC terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PecTerms {
    pub kind: PecKind,
    /// The state certified about `consegna` when `kind` cannot say it.
    pub certifies: Option<RecipientState>,
    /// `dispatch`, or the event in kebab case.
    pub rem_kind: &'static str,
    pub reason: Option<String>,
    /// The evidence's issuer (`LegalName`).
    pub provider: Option<String>,
    pub sender: Option<String>,
    pub subject: Option<String>,
    /// The provider's `MessageIdentifier`.
    pub identificativo: Option<String>,
    /// The signed `AppLayerIdentifier`.
    pub msgid: Option<String>,
    pub consegna: Option<String>,
    pub certified_at: Option<DateTime<Utc>>,
    pub recipients: Vec<Recipient>,
    pub errore: Errore,
    /// The reason in words (`RD03: …`) for a failure.
    pub errore_esteso: Option<String>,
}

impl RemEvent {
    /// The PEC kind this event corresponds to, for correlation (`None`: no PEC counterpart; the message
    /// is kept and shown, and moves no state).
    pub fn pec_kind(self) -> Option<PecKind> {
        use RemEvent::*;
        Some(match self {
            SubmissionAcceptance => PecKind::Acceptance,
            SubmissionRejection => PecKind::NonAcceptance,
            RelayAcceptance | RelayToNonErds => PecKind::TakenInCharge,
            ContentConsignment => PecKind::Delivery,
            ContentConsignmentFailure | RelayFailure | RelayRejection | RelayToNonErdsFailure => {
                PecKind::DeliveryFailure
            }
            ReceivedFromNonErds => PecKind::TransportEnvelope,
            ContentHandover
            | ContentHandoverFailure
            | AcceptanceByRecipient
            | RejectionByRecipient
            | NotificationForAcceptance
            | NotificationForAcceptanceFailure => return None,
        })
    }

    /// The recipient state this event certifies beyond its PEC kind.
    pub fn certifies(self) -> Option<RecipientState> {
        (self == RemEvent::RelayToNonErds).then_some(RecipientState::External)
    }
}

/// The state a stored REM kind (`rem_kind`, as the archive keeps it) certifies beyond its PEC kind.
pub fn certified_by(rem_kind: Option<&str>) -> Option<RecipientState> {
    rem_kind
        .and_then(|k| k.parse::<RemEvent>().ok())
        .and_then(RemEvent::certifies)
}

impl RemMessage {
    /// The message in PEC terms; `None` when it is not signed REM with a readable evidence.
    pub fn pec_terms(&self) -> Option<PecTerms> {
        let e = self.evidence.as_ref().filter(|_| self.signed)?;
        let summary = self.summary();
        let kind = if self.is_dispatch() {
            PecKind::TransportEnvelope
        } else {
            e.event
                .and_then(RemEvent::pec_kind)
                .unwrap_or(PecKind::NotPec)
        };
        if kind == PecKind::NotPec {
            return None;
        }
        let failure = kind == PecKind::DeliveryFailure || kind == PecKind::NonAcceptance;
        let words = e
            .reasons
            .iter()
            .flat_map(|r| r.details.iter())
            .filter(|d| Some(d.as_str()) != summary.reason.as_deref())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        Some(PecTerms {
            kind,
            certifies: e.event.and_then(RemEvent::certifies),
            rem_kind: summary.kind,
            reason: summary.reason.clone(),
            provider: e.issuer.clone(),
            sender: e.sender.as_ref().and_then(|s| s.address.clone()),
            subject: e.subject.clone(),
            identificativo: e.message_identifier.clone(),
            msgid: e.app_layer_identifier.clone(),
            consegna: if self.is_dispatch() {
                None
            } else {
                e.recipient().and_then(|r| r.address.clone())
            },
            certified_at: e.event_time,
            recipients: e
                .recipients
                .iter()
                .filter_map(|r| r.address.clone())
                .map(|address| Recipient {
                    address,
                    kind: RecipientType::Certificato,
                })
                .collect(),
            errore: if failure {
                Errore::Altro
            } else {
                Errore::Nessuno
            },
            errore_esteso: failure.then(|| match &summary.reason {
                Some(code) if !words.is_empty() => format!("{code}: {words}"),
                Some(code) => code.clone(),
                None => words,
            }),
        })
    }
}
