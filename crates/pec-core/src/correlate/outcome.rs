//! What correlation concludes: per recipient, for the whole send, and what the user should know.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::daticert::RecipientType;

use super::link::LinkKey;
use super::state::RecipientState;

/// One recipient of a send and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientOutcome {
    /// The address, as the certifying evidence spells it.
    pub address: String,
    /// `certificato` or `esterno`; `None` when only the sent copy names the recipient.
    #[serde(rename = "type")]
    pub kind: Option<RecipientType>,
    pub state: RecipientState,
    /// When the state was certified (delivery time, failure time, notice time).
    pub at: Option<DateTime<Utc>>,
    /// Why a recipient failed or was not accepted (`errore-esteso`, else `errore`).
    pub reason: Option<String>,
    /// The evidence that decided the state (its caller id), if any. For a `disputed` recipient: the
    /// delivery receipt.
    pub decided_by: Option<i64>,
    /// For a `disputed` recipient: the receipt that contradicts `decided_by` (the failure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disputed_by: Option<i64>,
}

/// The state of the whole send, derived from its recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SentSummary {
    /// Waiting for acceptance or for at least one certified recipient.
    Pending,
    /// Every certified recipient received it.
    Delivered,
    /// Every certified recipient is settled; some received it, some did not.
    PartiallyDelivered,
    /// No certified recipient received it.
    Failed,
    /// The sender's provider refused it.
    NotAccepted,
    /// Accepted, but every recipient is external: no delivery can be certified.
    NotCertifiable,
}

impl SentSummary {
    pub fn as_str(self) -> &'static str {
        match self {
            SentSummary::Pending => "pending",
            SentSummary::Delivered => "delivered",
            SentSummary::PartiallyDelivered => "partially-delivered",
            SentSummary::Failed => "failed",
            SentSummary::NotAccepted => "not-accepted",
            SentSummary::NotCertifiable => "not-certifiable",
        }
    }

    pub fn parse(value: &str) -> Option<SentSummary> {
        [
            SentSummary::Pending,
            SentSummary::Delivered,
            SentSummary::PartiallyDelivered,
            SentSummary::Failed,
            SentSummary::NotAccepted,
            SentSummary::NotCertifiable,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// What correlation noticed that a user should be told. Codes are stable (kebab-case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SentFindingCode {
    /// A receipt is linked by the unsigned `X-Riferimento-Message-ID`: it carries no signed `msgid`.
    LinkedByUnsignedHeader,
    /// A receipt's signature is not valid: it is kept and shown, never relied on.
    UntrustedEvidence,
    /// Receipts about one recipient contradict each other (delivered and failed): the recipient is
    /// `disputed`.
    ConflictingReceipts,
    /// A receipt names a recipient the acceptance does not list.
    RecipientNotInAcceptance,
    /// The send is known from its receipts only; the acceptance is not in the archive.
    AcceptanceMissing,
    /// More than one acceptance (or non-acceptance) for the same message.
    DuplicateAcceptance,
    /// A `breve` delivery receipt's hashes match the attachments of the archived original.
    BreveHashesMatch,
    /// A `breve` delivery receipt's hash does not match the attachment sent under that name.
    BreveHashMismatch,
    /// A `breve` delivery receipt's hash matches only an attachment whose bytes carry a SHA-1 collision
    /// attack (collision-detecting SHA-1): the receipt may certify another file with the same hash
    /// (issue 13 §5).
    BreveHashCollision,
    /// A `breve` delivery receipt without the original in the archive: which attachments were delivered
    /// cannot be shown.
    BreveOriginalMissing,
    /// A receipt's signed `mittente` is not the send's sender: it certifies someone else's message that
    /// shares this Message-ID, and moves nothing (issue 13 §3).
    SenderMismatch,
    /// A message that is not PEC shares the send's Message-ID but not its sender: it is not the sent
    /// copy (issue 13 §3).
    MessageIdReused,
    /// A receipt about a recipient is certified before the send's acceptance: impossible in the PEC
    /// flow, so it moves nothing (issue 13 §3).
    CertifiedBeforeAcceptance,
    /// A 24-hour notice certified less than 22 hours after the acceptance: it moves nothing.
    TimeoutNoticeTooEarly,
    /// A recipient has a delivery receipt and a 24-hour notice: the delivery came late and is kept.
    DeliveredDespiteTimeout,
}

impl SentFindingCode {
    /// Every code, in a stable order (words and completeness tests walk it).
    pub const ALL: [SentFindingCode; 15] = [
        SentFindingCode::LinkedByUnsignedHeader,
        SentFindingCode::UntrustedEvidence,
        SentFindingCode::ConflictingReceipts,
        SentFindingCode::RecipientNotInAcceptance,
        SentFindingCode::AcceptanceMissing,
        SentFindingCode::DuplicateAcceptance,
        SentFindingCode::BreveHashesMatch,
        SentFindingCode::BreveHashMismatch,
        SentFindingCode::BreveHashCollision,
        SentFindingCode::BreveOriginalMissing,
        SentFindingCode::SenderMismatch,
        SentFindingCode::MessageIdReused,
        SentFindingCode::CertifiedBeforeAcceptance,
        SentFindingCode::TimeoutNoticeTooEarly,
        SentFindingCode::DeliveredDespiteTimeout,
    ];
}

/// One finding about a send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentFinding {
    pub code: SentFindingCode,
    /// The evidence it is about, if one item.
    pub evidence: Option<i64>,
    pub message: String,
}

/// Everything known about one send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentOutcome {
    pub key: LinkKey,
    pub subject: Option<String>,
    pub sender: Option<String>,
    /// The sent copy's `Date`, when the sent copy is known.
    pub sent_at: Option<DateTime<Utc>>,
    /// The certified acceptance time (a valid acceptance only).
    pub accepted_at: Option<DateTime<Utc>>,
    pub recipients: Vec<RecipientOutcome>,
    pub summary: SentSummary,
    /// Ids of every item linked to this send, in the PEC order ([`flow_place`](super::flow_place)).
    pub evidence: Vec<i64>,
    pub findings: Vec<SentFinding>,
}
