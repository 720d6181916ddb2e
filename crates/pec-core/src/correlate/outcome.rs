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

crate::closed_set! {
    /// The state of the whole send, derived from its recipients.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum SentSummary {
        /// Waiting for acceptance or for at least one certified recipient.
        Pending = "pending",
        /// Every certified recipient received it.
        Delivered = "delivered",
        /// Every certified recipient is settled; some received it, some did not.
        PartiallyDelivered = "partially-delivered",
        /// No certified recipient received it.
        Failed = "failed",
        /// The sender's provider refused it.
        NotAccepted = "not-accepted",
        /// Accepted, but every recipient is external: no delivery can be certified.
        NotCertifiable = "not-certifiable",
        /// Signed receipts contradict each other for at least one recipient (a delivery and a
        /// failure): Attesta takes neither side; the recipient rows show both (issue 13 §3).
        Disputed = "disputed",
    }
}

crate::closed_set! {
    /// What correlation noticed that a user should be told. Codes are stable (kebab-case).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum SentFindingCode {
        /// A receipt is linked by the unsigned `X-Riferimento-Message-ID`: it carries no signed `msgid`.
        LinkedByUnsignedHeader = "linked-by-unsigned-header",
        /// A receipt's signature is not valid: it is kept and shown, never relied on.
        UntrustedEvidence = "untrusted-evidence",
        /// Receipts about one recipient contradict each other (delivered and failed): the recipient is
        /// `disputed`.
        ConflictingReceipts = "conflicting-receipts",
        /// A receipt names a recipient the acceptance does not list.
        RecipientNotInAcceptance = "recipient-not-in-acceptance",
        /// The send is known from its receipts only; the acceptance is not in the archive.
        AcceptanceMissing = "acceptance-missing",
        /// More than one acceptance (or non-acceptance) for the same message.
        DuplicateAcceptance = "duplicate-acceptance",
        /// A `breve` delivery receipt's hashes match the attachments of the archived original.
        BreveHashesMatch = "breve-hashes-match",
        /// A `breve` delivery receipt's hash does not match the attachment sent under that name.
        BreveHashMismatch = "breve-hash-mismatch",
        /// A `breve` delivery receipt's hash matches only an attachment whose bytes carry a SHA-1 collision
        /// attack (collision-detecting SHA-1): the receipt may certify another file with the same hash
        /// (issue 13 §5).
        BreveHashCollision = "breve-hash-collision",
        /// A `breve` delivery receipt without the original in the archive: which attachments were delivered
        /// cannot be shown.
        BreveOriginalMissing = "breve-original-missing",
        /// A receipt's signed `mittente` is not the send's sender: it certifies someone else's message that
        /// shares this Message-ID, and moves nothing (issue 13 §3).
        SenderMismatch = "sender-mismatch",
        /// A message that is not PEC shares the send's Message-ID but not its sender: it is not the sent
        /// copy (issue 13 §3).
        MessageIdReused = "message-id-reused",
        /// A receipt about a recipient is certified before the send's acceptance: impossible in the PEC
        /// flow, so it moves nothing (issue 13 §3).
        CertifiedBeforeAcceptance = "certified-before-acceptance",
        /// A 24-hour notice certified less than 22 hours after the acceptance: it moves nothing.
        TimeoutNoticeTooEarly = "timeout-notice-too-early",
        /// A recipient has a delivery receipt and a 24-hour notice: the delivery came late and is kept.
        DeliveredDespiteTimeout = "delivered-despite-timeout",
    }
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
