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
    /// The evidence that decided the state (its caller id), if any.
    pub decided_by: Option<i64>,
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
    /// Receipts about one recipient contradict each other (e.g. delivered and failed).
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
    /// Ids of every item linked to this send, sent copy first, then by time.
    pub evidence: Vec<i64>,
    pub findings: Vec<SentFinding>,
}
