//! What can be wrong with a pack: a closed set, each named with the member it is about and said in one
//! English sentence (the CLI prints it; `words::verdict` says the verdict itself in Italian and English).
//!
//! Used by [`verify_pack`](crate::verify_pack). Issue 13 §2 added the problems only a signature can
//! reveal: a receipt of another send or sender, a sent copy that is not the one the provider accepted,
//! and a report that is not the printing of the manifest.

use chrono::{DateTime, Utc};
use pec_core::correlate::{RecipientState, SentSummary};
use pec_core::signature::SignatureStatus;
use pec_document::Qualified;
use serde::Serialize;

use crate::manifest::{MANIFEST, REPORT, SUMS};

/// One thing about a pack that does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum PackProblem {
    /// The file is not a readable ZIP.
    NotAZip {
        detail: String,
    },
    /// More entries than the limit; the rest were not read.
    TooManyEntries {
        skipped: usize,
    },
    /// Two entries share one name.
    DuplicateNames,
    ManifestMissing,
    /// `manifest.json` is not a manifest this version reads.
    ManifestUnreadable {
        detail: String,
    },
    /// `manifest.json` was changed after the pack was made (its own hash no longer matches).
    ManifestChanged {
        found_sha256: String,
    },
    SumsMissing,
    /// `SHA256SUMS.txt` no longer lists exactly the pack's hashes.
    SumsChanged,
    /// A member the manifest lists is not in the ZIP.
    Missing {
        member: String,
    },
    /// A member's bytes are not the ones the pack was made with.
    Changed {
        member: String,
        expected_sha256: String,
        found_sha256: String,
    },
    /// An entry the manifest does not list.
    Unexpected {
        member: String,
    },
    /// A member that could not be read (encrypted, damaged, bad checksum, unsupported compression).
    Unreadable {
        member: String,
        detail: String,
    },
    /// A member larger than the reading limit.
    TooLarge {
        member: String,
        limit: u64,
    },
    /// The manifest lists a name that is not safe on every platform (a hand-made manifest).
    UnsafeName {
        member: String,
    },
    /// The member's signature verdict is not the one the pack states.
    SignatureChanged {
        member: String,
        stated: SignatureStatus,
        found: SignatureStatus,
    },
    /// A signed attachment's verdict (or whether it is qualified) is not the one the pack states
    /// (issue 15 §6).
    DocumentChanged {
        member: String,
        attachment: String,
        stated: SignatureStatus,
        found: SignatureStatus,
        stated_qualified: Qualified,
        found_qualified: Qualified,
    },
    /// The pack states a signed attachment its message does not hold with those bytes (found: the
    /// SHA-256 of the attachment in that place now, if it is a signed file).
    DocumentNotHeld {
        member: String,
        attachment: String,
        stated_sha256: String,
        found_sha256: Option<String>,
    },
    /// A message of the pack holds a signed attachment the pack does not state.
    DocumentUnstated {
        member: String,
        attachment: String,
        status: SignatureStatus,
    },
    /// The pack states an outcome for a recipient that its receipts no longer certify.
    OutcomeChanged {
        recipient: String,
        stated: RecipientState,
        found: Option<RecipientState>,
        stated_at: Option<DateTime<Utc>>,
        found_at: Option<DateTime<Utc>>,
    },
    /// The receipts certify a recipient the pack does not list.
    RecipientUnstated {
        recipient: String,
    },
    /// The pack states an overall outcome its receipts no longer certify.
    SummaryChanged {
        stated: SentSummary,
        found: SentSummary,
    },
    /// A receipt whose signed daticert `msgid` is not the pack's send (or that has none): it certifies
    /// another message, and is left out of the outcomes.
    ReceiptOfAnotherSend {
        member: String,
        expected_msgid: String,
        found_msgid: Option<String>,
    },
    /// A receipt whose signed daticert `mittente` is not the pack's sender.
    ReceiptOfAnotherSender {
        member: String,
        expected_sender: Option<String>,
        found_sender: Option<String>,
    },
    /// The sent copy says something the provider's signed data says otherwise.
    SentCopyDiffers {
        member: String,
        field: SentCopyField,
        /// What the signed data certifies (for `original`: the enclosing receipt's path).
        signed: Option<String>,
        /// What the sent copy says (for `original`: its SHA-256).
        found: Option<String>,
    },
    /// A REM evidence member is not the evidence its message carries (swapped or forged beside a genuine
    /// message).
    EvidenceNotCarried {
        member: String,
        of: String,
    },
    /// `report.pdf` is not the report the manifest prints to (rebuilt now, byte for byte).
    ReportDiffers {
        rebuilt_sha256: String,
        found_sha256: String,
    },
}

/// Which fact of the sent copy disagrees with the provider's signed data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SentCopyField {
    /// `From` vs the acceptance's signed `mittente`.
    Sender,
    /// `To` + `Cc` vs the acceptance's signed `destinatari`.
    Recipients,
    /// `Subject` vs the acceptance's signed `oggetto`.
    Subject,
    /// `Message-ID` vs the acceptance's signed `msgid`.
    MessageId,
    /// The message itself vs the original a signed `completa` delivery receipt encloses.
    Original,
}

impl SentCopyField {
    pub fn as_str(self) -> &'static str {
        match self {
            SentCopyField::Sender => "sender",
            SentCopyField::Recipients => "recipients",
            SentCopyField::Subject => "subject",
            SentCopyField::MessageId => "message-id",
            SentCopyField::Original => "original",
        }
    }
}

impl PackProblem {
    /// The member (file in the pack) this problem is about, if one.
    pub fn member(&self) -> Option<&str> {
        match self {
            PackProblem::Missing { member }
            | PackProblem::Changed { member, .. }
            | PackProblem::Unexpected { member }
            | PackProblem::Unreadable { member, .. }
            | PackProblem::TooLarge { member, .. }
            | PackProblem::UnsafeName { member }
            | PackProblem::SignatureChanged { member, .. }
            | PackProblem::DocumentChanged { member, .. }
            | PackProblem::DocumentNotHeld { member, .. }
            | PackProblem::DocumentUnstated { member, .. }
            | PackProblem::ReceiptOfAnotherSend { member, .. }
            | PackProblem::ReceiptOfAnotherSender { member, .. }
            | PackProblem::SentCopyDiffers { member, .. }
            | PackProblem::EvidenceNotCarried { member, .. } => Some(member),
            PackProblem::ReportDiffers { .. } => Some(REPORT),
            PackProblem::ManifestMissing
            | PackProblem::ManifestUnreadable { .. }
            | PackProblem::ManifestChanged { .. } => Some(MANIFEST),
            PackProblem::SumsMissing | PackProblem::SumsChanged => Some(SUMS),
            PackProblem::NotAZip { .. }
            | PackProblem::TooManyEntries { .. }
            | PackProblem::DuplicateNames
            | PackProblem::OutcomeChanged { .. }
            | PackProblem::RecipientUnstated { .. }
            | PackProblem::SummaryChanged { .. } => None,
        }
    }

    /// The problem in one English sentence.
    pub fn describe(&self) -> String {
        match self {
            PackProblem::NotAZip { detail } => format!("not a readable ZIP file ({detail})"),
            PackProblem::TooManyEntries { skipped } => {
                format!("too many entries: {skipped} were not read")
            }
            PackProblem::DuplicateNames => {
                "two entries have the same name (programs disagree which one they show)".into()
            }
            PackProblem::ManifestMissing => format!("{MANIFEST} is missing"),
            PackProblem::ManifestUnreadable { detail } => {
                format!("{MANIFEST} is not a readable manifest ({detail})")
            }
            PackProblem::ManifestChanged { found_sha256 } => format!(
                "{MANIFEST} was changed after the pack was made (its SHA-256 is now {found_sha256})"
            ),
            PackProblem::SumsMissing => format!("{SUMS} is missing"),
            PackProblem::SumsChanged => {
                format!("{SUMS} was changed: it no longer lists exactly the pack's hashes")
            }
            PackProblem::Missing { member } => format!("{member} is missing"),
            PackProblem::Changed {
                member,
                expected_sha256,
                found_sha256,
            } => format!(
                "{member} was changed: SHA-256 {found_sha256}, the pack was made with {expected_sha256}"
            ),
            PackProblem::Unexpected { member } => {
                format!("{member} is not part of the pack as it was made")
            }
            PackProblem::Unreadable { member, detail } => {
                format!("{member} cannot be read ({detail})")
            }
            PackProblem::TooLarge { member, limit } => {
                format!("{member} is larger than {limit} bytes and was not read")
            }
            PackProblem::UnsafeName { member } => {
                format!("{member:?} is not a file name safe on every platform")
            }
            PackProblem::SignatureChanged {
                member,
                stated,
                found,
            } => format!(
                "{member}: the provider signature is now {}, the pack states {}",
                found.as_str(),
                stated.as_str()
            ),
            PackProblem::DocumentChanged {
                member,
                attachment,
                stated,
                found,
                stated_qualified,
                found_qualified,
            } => format!(
                "{member}: the signed attachment {attachment} is now {} (qualified: {}), the pack states {} (qualified: {})",
                found.as_str(),
                found_qualified.as_str(),
                stated.as_str(),
                stated_qualified.as_str()
            ),
            PackProblem::DocumentNotHeld {
                member,
                attachment,
                stated_sha256,
                found_sha256,
            } => match found_sha256 {
                Some(found) => format!(
                    "{member}: the signed attachment {attachment} has SHA-256 {found}, the pack states {stated_sha256}"
                ),
                None => format!(
                    "{member}: holds no signed attachment {attachment} (SHA-256 {stated_sha256}) as the pack states"
                ),
            },
            PackProblem::DocumentUnstated {
                member,
                attachment,
                status,
            } => format!(
                "{member}: holds the signed attachment {attachment} ({}), which the pack does not state",
                status.as_str()
            ),
            PackProblem::OutcomeChanged {
                recipient,
                stated,
                found,
                ..
            } => format!(
                "{recipient}: the pack states {}, its receipts now certify {}",
                stated.as_str(),
                found.map_or("nothing", |f| f.as_str())
            ),
            PackProblem::RecipientUnstated { recipient } => {
                format!("{recipient}: certified by the receipts but not listed in the pack")
            }
            PackProblem::SummaryChanged { stated, found } => format!(
                "the pack states the send was {}, its receipts now certify {}",
                stated.as_str(),
                found.as_str()
            ),
            PackProblem::ReceiptOfAnotherSend {
                member,
                expected_msgid,
                found_msgid,
            } => match found_msgid {
                Some(found) => format!(
                    "{member}: its provider-signed data is about message {found}, not this pack's {expected_msgid}"
                ),
                None => format!(
                    "{member}: no provider-signed data ties it to this pack's message {expected_msgid}"
                ),
            },
            PackProblem::ReceiptOfAnotherSender {
                member,
                expected_sender,
                found_sender,
            } => format!(
                "{member}: its provider-signed sender is {}, not this pack's {}",
                found_sender.as_deref().unwrap_or("missing"),
                expected_sender.as_deref().unwrap_or("(unknown)")
            ),
            PackProblem::SentCopyDiffers {
                member,
                field: SentCopyField::Original,
                signed,
                ..
            } => format!(
                "{member} is not the message the provider delivered: the original enclosed in the signed receipt {} differs",
                signed.as_deref().unwrap_or("?")
            ),
            PackProblem::SentCopyDiffers {
                member,
                field,
                signed,
                found,
            } => format!(
                "{member}: its {} is {}, the provider signed {}",
                field.as_str(),
                found.as_deref().unwrap_or("missing"),
                signed.as_deref().unwrap_or("nothing")
            ),
            PackProblem::EvidenceNotCarried { member, of } => format!(
                "{member}: this is not the evidence {of} carries (the signed message decides)"
            ),
            PackProblem::ReportDiffers {
                rebuilt_sha256,
                found_sha256,
            } => format!(
                "{REPORT} is not the report its manifest prints to (SHA-256 {found_sha256}; printed again now: {rebuilt_sha256})"
            ),
        }
    }
}
