//! One archived item as correlation sees it: only the facts the PEC rules make evidence of a send.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::breve::{AttachmentDigest, HashStandIn};
use crate::daticert::{Errore, Recipient};
use crate::kind::PecKind;
use crate::signature::SignatureStatus;

use super::link::LinkBasis;
use super::state::RecipientState;

crate::closed_set! {
    /// What an item is to the send it belongs to.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum EvidenceRole {
        /// The message as the sender's client submitted it (a copy in Sent, or what Attesta submitted).
        SentCopy = "sent-copy",
        /// A receipt or notice issued by a provider about the send.
        Receipt = "receipt",
        /// A plain message that *arrived* in a mailbox (known only from an Inbox, never from Sent, a
        /// file or Attesta's own submission): something the user received, so never the sender's copy,
        /// whatever its unsigned From says (issue 13 §3). Shown with a finding; it moves and frames
        /// nothing.
        Received = "received",
    }
}

/// One item known for a send. `id` is the caller's handle (the archive's row id), returned untouched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: i64,
    pub role: EvidenceRole,
    /// The PEC kind (a sent copy is [`PecKind::NotPec`]).
    pub kind: PecKind,
    /// The verdict on the provider signature (a sent copy is `unsigned`).
    pub signature: SignatureStatus,
    /// How the item was tied to the send.
    pub basis: LinkBasis,
    /// The certified time (daticert `data`), or a sent copy's `Date`.
    pub at: Option<DateTime<Utc>>,
    /// daticert `destinatari` (for a sent copy: its To and Cc, with no certified/external type).
    pub recipients: Vec<Recipient>,
    /// Addresses whose type is unknown (a sent copy's To/Cc).
    pub untyped_recipients: Vec<String>,
    /// daticert `consegna`: the recipient a delivery, failure or notice is about.
    pub consegna: Option<String>,
    pub errore: Errore,
    pub errore_esteso: Option<String>,
    /// daticert `oggetto` or the sent copy's Subject.
    pub subject: Option<String>,
    /// daticert `mittente` or the sent copy's From.
    pub sender: Option<String>,
    /// A sent copy's attachments with their SHA-1 (to check `breve` receipts against).
    #[serde(default)]
    pub attachments: Vec<AttachmentDigest>,
    /// A `breve` receipt's `.hash` stand-ins.
    #[serde(default)]
    pub stand_ins: Vec<HashStandIn>,
    /// The state a receipt of another family certifies about `consegna` when its PEC kind cannot say
    /// it (a REM RelayToNonERDS evidence: the recipient is outside certified mail, `external`).
    #[serde(default)]
    pub certifies: Option<RecipientState>,
}

impl Evidence {
    /// Whether this item may change a recipient's state: a receipt whose provider signature is valid
    /// and whose kind and `msgid` come from its signed daticert. Invalid or untrusted evidence (issue 4)
    /// and a receipt linked only by the unsigned `X-Riferimento-Message-ID` (issue 13 §3) are shown and
    /// kept, never believed. Whether it is bound to *this* send is `bind`'s question.
    pub fn is_trustworthy(&self) -> bool {
        self.role == EvidenceRole::Receipt
            && self.signature == SignatureStatus::Valid
            && self.basis == LinkBasis::SignedMsgid
    }
}
