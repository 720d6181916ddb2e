//! The Sent list: per send, per recipient, where it stands and since when (PEC rules §1, §7).

use pec_archive::listing::{SentQuery, SentSort};
use pec_archive::query::{RecipientStatus, SentStatus};
use pec_core::daticert::RecipientType;
use serde::{Deserialize, Serialize};

use super::words::{Family, Overdue, RecipientState, SentFindingCode, SentSummary};
use super::{id, when};

/// The order of the Sent list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum SentSortKey {
    Date,
    Subject,
    State,
}

/// One page request of the Sent list; the attention filters combine with "or".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SentRequest {
    pub pending: bool,
    pub failed: bool,
    pub overdue: bool,
    pub text: String,
    pub sort: SentSortKey,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl SentRequest {
    pub fn query(&self) -> SentQuery {
        SentQuery {
            pending: self.pending,
            failed: self.failed,
            overdue: self.overdue,
            text: self.text.clone(),
            sort: match self.sort {
                SentSortKey::Date => SentSort::Date,
                SentSortKey::Subject => SentSort::Subject,
                SentSortKey::State => SentSort::State,
            },
            descending: self.descending,
            offset: u64::from(self.offset),
            limit: u64::from(self.limit),
        }
    }
}

/// One recipient of a send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Recipient {
    pub address: String,
    /// `true` certified, `false` external (not PEC), `null` not known yet.
    pub certified: Option<bool>,
    pub state: RecipientState,
    /// When the state was certified.
    pub at: Option<String>,
    pub reason: Option<String>,
    pub overdue: Option<Overdue>,
    /// The receipt that decided the state (for `disputed`: the delivery).
    pub evidence: Option<u32>,
    /// For `disputed`: the receipt that contradicts `evidence` (the failure).
    pub disputed_by: Option<u32>,
}

impl From<&RecipientStatus> for Recipient {
    fn from(r: &RecipientStatus) -> Recipient {
        Recipient {
            address: r.address.clone(),
            certified: r.kind.map(|k| k == RecipientType::Certificato),
            state: r.state,
            at: when(r.at),
            reason: r.reason.clone(),
            overdue: r.overdue,
            evidence: r.evidence.map(id),
            disputed_by: r.disputed_by.map(id),
        }
    }
}

/// Something correlation noticed about a send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SendFinding {
    /// A stable code, worded by the window.
    pub code: SentFindingCode,
    pub evidence: Option<u32>,
    /// The engine's English sentence, for codes the UI has no wording for.
    pub message: String,
}

/// One send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SentRow {
    pub id: u32,
    /// `rem` when REM evidence certifies the send (never overdue), else `pec`.
    pub family: Family,
    pub msgid: String,
    pub subject: Option<String>,
    pub sender: Option<String>,
    /// Who of the firm sent it (issue 18 §3): the person recorded on Attesta's own submission.
    pub sent_by: Option<pec_archive::Person>,
    pub sent_at: Option<String>,
    pub accepted_at: Option<String>,
    pub summary: SentSummary,
    pub overdue: Option<Overdue>,
    pub recipients: Vec<Recipient>,
    /// Every linked item, sent copy first.
    pub evidence: Vec<u32>,
    pub findings: Vec<SendFinding>,
}

impl From<&SentStatus> for SentRow {
    fn from(s: &SentStatus) -> SentRow {
        SentRow {
            id: id(s.id),
            family: s.family,
            msgid: s.msgid.clone(),
            subject: s.subject.clone(),
            sender: s.sender.clone(),
            sent_by: s.sent_by.clone(),
            sent_at: when(s.sent_at),
            accepted_at: when(s.accepted_at),
            summary: s.summary,
            overdue: s.overdue,
            recipients: s.recipients.iter().map(Recipient::from).collect(),
            evidence: s.evidence.iter().copied().map(id).collect(),
            findings: s
                .findings
                .iter()
                .map(|f| SendFinding {
                    code: f.code,
                    evidence: f.evidence.map(id),
                    message: f.message.clone(),
                })
                .collect(),
        }
    }
}

/// A page of sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SentPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<SentRow>,
    /// The copy kept on this desktop, shown while the firm's server does not answer (issue 18 §6).
    pub cached: bool,
}
