//! The folders pane and the message lists: which view, one page of rows, the counts.

use pec_archive::listing::{self, FolderEntry, ListPage, ListRow, ListScope, ListSort, ViewCounts};
use pec_archive::search::SearchHit;
use serde::{Deserialize, Serialize};

use super::words::{Family, FolderRole, PecKind, RemEvent, SignatureStatus};
use super::{id, when};

/// Which messages a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "view", rename_all = "kebab-case")]
pub enum View {
    Inbox,
    Receipts,
    Anomalies,
    Folder { account: String, folder: String },
}

/// The column a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum SortKey {
    Date,
    Sender,
    Subject,
}

/// One page request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ListRequest {
    pub view: View,
    pub sort: SortKey,
    pub descending: bool,
    pub text: String,
    pub problems_only: bool,
    pub offset: u32,
    pub limit: u32,
}

impl ListRequest {
    pub fn query(&self) -> listing::ListQuery {
        listing::ListQuery {
            scope: match &self.view {
                View::Inbox => ListScope::Inbox,
                View::Receipts => ListScope::Receipts,
                View::Anomalies => ListScope::Anomalies,
                View::Folder { account, folder } => ListScope::Folder {
                    account: account.clone(),
                    folder: folder.clone(),
                },
            },
            sort: match self.sort {
                SortKey::Date => ListSort::Date,
                SortKey::Sender => ListSort::Sender,
                SortKey::Subject => ListSort::Subject,
            },
            descending: self.descending,
            text: self.text.clone(),
            problems_only: self.problems_only,
            offset: u64::from(self.offset),
            limit: u64::from(self.limit),
        }
    }
}

/// One message in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MessageRow {
    pub id: u32,
    /// `pec`, `rem` or `none`: a REM message shows its own event beside the PEC kind it counts as.
    pub family: Family,
    pub kind: PecKind,
    /// REM: the signed evidence's event (`None` for a REM dispatch, whose kind says it).
    pub rem_event: Option<RemEvent>,
    pub subject: Option<String>,
    pub sender: Option<String>,
    pub at: Option<String>,
    pub verdict: SignatureStatus,
    pub provider: Option<String>,
    pub consegna: Option<String>,
    pub msgid: Option<String>,
    pub errore_esteso: Option<String>,
}

impl From<&ListRow> for MessageRow {
    fn from(r: &ListRow) -> MessageRow {
        MessageRow {
            id: id(r.id),
            family: r.family,
            kind: r.kind,
            rem_event: r.rem_kind.as_deref().and_then(|k| k.parse().ok()),
            subject: r.subject.clone(),
            sender: r.sender.clone(),
            at: when(r.at),
            verdict: r.signature,
            provider: r.provider.clone(),
            consegna: r.consegna.clone(),
            msgid: r.link_key.as_ref().map(|k| format!("<{k}>")),
            errore_esteso: r.errore_esteso.clone(),
        }
    }
}

/// A page of a list and the list's length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MessagePage {
    /// The list's length, counted for its first page only (`null` for a later page: the first
    /// page's count stands until the list starts over).
    pub total: Option<u32>,
    pub offset: u32,
    pub rows: Vec<MessageRow>,
    /// The copy kept on this desktop, shown while the firm's server does not answer (issue 18 §6).
    pub cached: bool,
}

impl From<&ListPage> for MessagePage {
    fn from(p: &ListPage) -> MessagePage {
        MessagePage {
            total: Some(u32::try_from(p.total).unwrap_or(u32::MAX)),
            offset: u32::try_from(p.offset).unwrap_or(u32::MAX),
            rows: p.rows.iter().map(MessageRow::from).collect(),
            cached: false,
        }
    }
}

/// An IMAP folder in the folders pane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Folder {
    pub account: String,
    pub name: String,
    pub role: FolderRole,
    pub count: u32,
}

impl From<&FolderEntry> for Folder {
    fn from(f: &FolderEntry) -> Folder {
        Folder {
            account: f.account.clone(),
            name: f.folder.clone(),
            role: f.role,
            count: u32::try_from(f.count).unwrap_or(u32::MAX),
        }
    }
}

/// How many messages each fixed view has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Counts {
    pub inbox: u32,
    pub receipts: u32,
    pub anomalies: u32,
    pub sent: u32,
    pub overdue: u32,
}

impl From<ViewCounts> for Counts {
    fn from(c: ViewCounts) -> Counts {
        let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        Counts {
            inbox: n(c.inbox),
            receipts: n(c.receipts),
            anomalies: n(c.anomalies),
            sent: n(c.sent),
            overdue: n(c.overdue),
        }
    }
}

/// A message found by search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SearchResult {
    pub id: u32,
    pub kind: PecKind,
    pub subject: Option<String>,
    pub sender: Option<String>,
    pub at: Option<String>,
    pub msgid: Option<String>,
}

impl From<&MessageRow> for SearchResult {
    fn from(r: &MessageRow) -> SearchResult {
        SearchResult {
            id: r.id,
            kind: r.kind,
            subject: r.subject.clone(),
            sender: r.sender.clone(),
            at: r.at.clone(),
            msgid: r.msgid.clone(),
        }
    }
}

/// A search's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SearchAnswer {
    pub hits: Vec<SearchResult>,
    /// Found among the list pages kept on this desktop, while the firm's server does not answer
    /// (issue 18 §6): their subjects and senders only.
    pub cached: bool,
}

impl From<&SearchHit> for SearchResult {
    fn from(h: &SearchHit) -> SearchResult {
        SearchResult {
            id: id(h.id),
            kind: h.kind,
            subject: h.subject.clone(),
            sender: h.sender.clone(),
            at: when(h.at),
            msgid: h.msgid.clone(),
        }
    }
}
