//! Listings for the desktop app's folders and lists: one page of messages of a view (received
//! certified mail, receipts, anomalies, an IMAP folder), sorted and filtered, with the total — and one
//! page of sends with their per-recipient states. Read-only.
//!
//! Built to stay fast with 100,000 messages (issue 6): every default order is served by an index of
//! migration 3 (`messages(kind, at)`, a partial index over the receipt kinds, the IMAP origins by
//! UID), and the orders by sender or subject of the fixed views by migration 6's (issue 16 §4), so a
//! page costs an index walk, never a sort of the whole archive. An IMAP folder sorted by sender or
//! subject sorts the folder once per page request; the app asks for pages of ~100 rows.

use crate::db::{Engine, Value, dialect, params_from_iter};
use chrono::{DateTime, Utc};
use pec_core::closed_set::sql_list;
use pec_core::signature::SignatureStatus;
use pec_core::{Family, PecKind};
use serde::{Deserialize, Serialize};

use crate::error::ArchiveError;
use crate::journal::parse_time;
use crate::open::Archive;
use crate::origin::FolderRole;
use crate::query::SentStatus;
use crate::sends::{Attention, SendsQuery};
use crate::stored::Cell;

/// The kinds the Receipts view lists: everything a provider certifies about a sent message. Must be the
/// list of migration 3's partial index `messages_receipts_at` (checked by a test).
pub const RECEIPT_KINDS: [PecKind; 8] = [
    PecKind::Acceptance,
    PecKind::NonAcceptance,
    PecKind::TakenInCharge,
    PecKind::Delivery,
    PecKind::DeliveryFailure,
    PecKind::DeliveryWarning12h,
    PecKind::DeliveryTimeout24h,
    PecKind::VirusDetected,
];

/// Which messages a list shows. A closed set: the app's fixed views, or one IMAP folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "view", rename_all = "kebab-case")]
pub enum ListScope {
    /// Certified mail received: transport envelopes, listed as the original they carry.
    Inbox,
    /// Receipts and notices (acceptance, delivery, failure, 12 h / 24 h, …).
    Receipts,
    /// Anomaly envelopes: ordinary mail wrapped by a provider, without legal value.
    Anomalies,
    /// One IMAP folder of one account, as last synced (the current UIDVALIDITY only).
    Folder { account: String, folder: String },
}

/// The column a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListSort {
    /// The certified time (or the message's own date for mail that is not PEC); for a folder, the
    /// order the server received them.
    #[default]
    Date,
    Sender,
    Subject,
}

/// One page request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    pub scope: ListScope,
    pub sort: ListSort,
    /// Newest (or Z) first.
    pub descending: bool,
    /// Only messages matching every word (the search index); empty for all.
    pub text: String,
    /// Only messages whose signature is not `valid`.
    pub problems_only: bool,
    pub offset: u64,
    pub limit: u64,
}

/// One message in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListRow {
    pub id: i64,
    pub kind: PecKind,
    /// The original subject (daticert `oggetto`), else the Subject.
    pub subject: Option<String>,
    /// The original sender (daticert `mittente`), else the From.
    pub sender: Option<String>,
    /// The certified time, else the message's own date.
    pub at: Option<DateTime<Utc>>,
    pub signature: SignatureStatus,
    pub provider: Option<String>,
    /// The recipient a delivery, failure or notice is about.
    pub consegna: Option<String>,
    /// The key of the send it is linked to (the sender client's Message-ID, without brackets).
    pub link_key: Option<String>,
    pub errore_esteso: Option<String>,
    /// PEC, REM or neither.
    pub family: Family,
    /// REM: `dispatch` or the evidence's event.
    pub rem_kind: Option<String>,
}

/// A page of a list and how long the whole list is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListPage {
    pub total: u64,
    pub offset: u64,
    pub rows: Vec<ListRow>,
}

/// An IMAP folder the archive has messages from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderEntry {
    pub account: String,
    pub folder: String,
    pub role: FolderRole,
    /// Messages in it as last synced.
    pub count: u64,
}

/// How many messages each fixed view has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ViewCounts {
    pub inbox: u64,
    pub receipts: u64,
    pub anomalies: u64,
    pub sent: u64,
    /// Sends with a recipient past the 12 h deadline and still waiting.
    pub overdue: u64,
}

/// The order of the Sent list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SentSort {
    #[default]
    Date,
    Subject,
    /// The send's summary (delivered, pending, failed, …).
    State,
}

/// One page request of the Sent list. `pending`, `failed`, `overdue` combine with "or", as in
/// [`StatusFilter`]; none set lists every send.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SentQuery {
    pub pending: bool,
    pub failed: bool,
    pub overdue: bool,
    pub text: String,
    pub sort: SentSort,
    pub descending: bool,
    pub offset: u64,
    pub limit: u64,
}

/// A page of sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentPage {
    pub total: u64,
    pub offset: u64,
    pub rows: Vec<SentStatus>,
}

/// The largest page a caller gets, whatever it asks.
const MAX_PAGE: u64 = 1_000;
const AT: &str = "coalesce(m.certified_at, m.date)";

/// The SQL list `('acceptance', …)` of [`RECEIPT_KINDS`].
fn receipt_kinds_sql() -> String {
    sql_list(&RECEIPT_KINDS)
}

/// A query under construction: `FROM`/`WHERE` text and its bound values.
struct Sql {
    from: String,
    conditions: Vec<String>,
    values: Vec<Value>,
}

impl Sql {
    fn bind(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("?{}", self.values.len())
    }

    fn text(&mut self, value: &str) -> String {
        self.bind(Value::Text(value.to_owned()))
    }

    fn where_clause(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.conditions.join(" AND "))
        }
    }
}

impl Archive {
    /// One page of the list `query` asks for, and the list's length.
    pub fn list(&self, query: &ListQuery) -> Result<ListPage, ArchiveError> {
        let (count_sql, page_sql, values) = list_sql(query, self.conn.engine());
        let total: i64 = self
            .conn
            .prepare_cached(&count_sql)?
            .query_row(params_from_iter(values[..values.len() - 2].iter()), |r| {
                r.get(0)
            })?;
        Ok(ListPage {
            total: total as u64,
            offset: query.offset,
            rows: self.page_rows(&page_sql, &values)?,
        })
    }

    /// The rows of the page `query` asks for, without counting the list: a later page of a list whose
    /// length its first page gave (counting a filtered view of 250,000 rows at a million messages
    /// costs about 300 ms, with every page; docs/benchmarks.md).
    pub fn list_rows(&self, query: &ListQuery) -> Result<Vec<ListRow>, ArchiveError> {
        let (_, page_sql, values) = list_sql(query, self.conn.engine());
        self.page_rows(&page_sql, &values)
    }

    /// The rows of a page query built by [`list_sql`], with its values.
    fn page_rows(&self, page_sql: &str, values: &[Value]) -> Result<Vec<ListRow>, ArchiveError> {
        let mut stmt = self.conn.prepare_cached(page_sql)?;
        let rows = stmt
            .query_map(params_from_iter(values.iter()), read_row)?
            .collect::<crate::db::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The list rows of `ids`, in that order (missing ids left out): e.g. a send's evidence as a timeline.
    pub fn rows_by_id(&self, ids: &[i64]) -> Result<Vec<ListRow>, ArchiveError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT m.id, m.kind, m.subject, m.sender, {AT}, m.sig_status, m.provider, m.consegna, \
             m.link_key, m.errore_esteso, m.family, m.rem_kind FROM messages m WHERE m.id = ?1"
        ))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let mut rows = stmt.query_map([id], read_row)?;
            if let Some(row) = rows.next() {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// The highest message id archived so far (0 for an empty archive).
    pub fn last_message_id(&self) -> Result<i64, ArchiveError> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM messages")?
            .query_row([], |r| r.get(0))?)
    }

    /// Messages archived after message `id`, oldest first, at most `limit`: what a notification tells.
    pub fn archived_after(&self, id: i64, limit: u64) -> Result<Vec<ListRow>, ArchiveError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT m.id, m.kind, m.subject, m.sender, {AT}, m.sig_status, m.provider, m.consegna, \
             m.link_key, m.errore_esteso, m.family, m.rem_kind FROM messages m WHERE m.id > ?1 ORDER BY m.id LIMIT ?2"
        ))?;
        let rows = stmt
            .query_map(crate::db::params![id, limit.min(MAX_PAGE) as i64], read_row)?
            .collect::<crate::db::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every IMAP folder the archive has messages from, by account then name (INBOX first).
    pub fn folders(&self) -> Result<Vec<FolderEntry>, ArchiveError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.account, o.folder, max(o.folder_role), count(*), max(o.id) FROM origins o \
             WHERE o.source = 'imap' AND o.uidvalidity = coalesce((SELECT s.uidvalidity FROM sync_state s \
             WHERE s.account = o.account AND s.folder = o.folder), o.uidvalidity) \
             GROUP BY o.account, o.folder ORDER BY o.account, o.folder != 'INBOX', o.folder",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(FolderEntry {
                    account: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    folder: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    role: Cell::new("origins", "folder_role", r.get(4)?)
                        .read(&r.get::<_, Option<String>>(2)?.unwrap_or_default())?,
                    count: r.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<crate::db::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every mailbox the archive holds evidence from (synced over IMAP or submitted by Attesta), sorted.
    pub fn mailboxes(&self) -> Result<Vec<String>, ArchiveError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT account FROM origins WHERE account IS NOT NULL ORDER BY account",
        )?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<crate::db::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// How many messages each fixed view has, judged at `now` for the overdue count.
    pub fn view_counts(&self, now: DateTime<Utc>) -> Result<ViewCounts, ArchiveError> {
        let count = |sql: &str, values: &[Value]| -> Result<u64, ArchiveError> {
            Ok(self
                .conn
                .prepare_cached(sql)?
                .query_row(params_from_iter(values.iter()), |r| r.get::<_, i64>(0))?
                as u64)
        };
        Ok(ViewCounts {
            inbox: count(
                &format!(
                    "SELECT count(*) FROM messages m WHERE m.kind = '{}'",
                    PecKind::TransportEnvelope
                ),
                &[],
            )?,
            receipts: count(
                &format!(
                    "SELECT count(*) FROM messages m WHERE m.kind IN {}",
                    receipt_kinds_sql()
                ),
                &[],
            )?,
            anomalies: count(
                &format!(
                    "SELECT count(*) FROM messages m WHERE m.kind = '{}'",
                    PecKind::AnomalyEnvelope
                ),
                &[],
            )?,
            sent: self.sent_count()?,
            overdue: SendsQuery::default()
                .attention(
                    Attention {
                        overdue: true,
                        ..Attention::default()
                    },
                    now,
                )
                .count(self)?,
        })
    }

    /// One page of the Sent list, each send with its recipients, judged at `now` (one query for the
    /// page, one for its recipients).
    pub fn sent_page(
        &self,
        query: &SentQuery,
        now: DateTime<Utc>,
    ) -> Result<SentPage, ArchiveError> {
        let attention = Attention {
            pending: query.pending,
            failed: query.failed,
            overdue: query.overdue,
        };
        let sends = SendsQuery::default()
            .attention(attention, now)
            .text(self.conn.engine(), &query.text);
        let total = sends.count(self)?;
        let dir = if query.descending { "DESC" } else { "ASC" };
        let order = match query.sort {
            SentSort::Date => format!("s.sort_at {dir}, s.id {dir}"),
            SentSort::Subject => {
                format!(
                    "{} {dir}, s.sort_at DESC, s.id DESC",
                    dialect::nocase(self.conn.engine(), "s.subject")
                )
            }
            SentSort::State => format!("s.summary {dir}, s.sort_at DESC, s.id DESC"),
        };
        let rows = sends.fetch(
            self,
            &order,
            Some(query.limit.min(MAX_PAGE)),
            query.offset,
            now,
        )?;
        Ok(SentPage {
            total,
            offset: query.offset,
            rows,
        })
    }
}

/// A list row from columns id, kind, subject, sender, at, sig_status, provider, consegna, link_key,
/// errore_esteso, family, rem_kind.
fn read_row(r: &crate::db::Row<'_>) -> crate::db::Result<ListRow> {
    let id: i64 = r.get(0)?;
    let cell = |column| Cell::new("messages", column, id);
    Ok(ListRow {
        id,
        kind: cell("kind").read(&r.get::<_, String>(1)?)?,
        subject: r.get(2)?,
        sender: r.get(3)?,
        at: r
            .get::<_, Option<String>>(4)?
            .as_deref()
            .and_then(parse_time),
        signature: cell("sig_status").read(&r.get::<_, String>(5)?)?,
        provider: r.get(6)?,
        consegna: r.get(7)?,
        link_key: r.get(8)?,
        errore_esteso: r.get(9)?,
        family: cell("family").read(&r.get::<_, String>(10)?)?,
        rem_kind: r.get(11)?,
    })
}

/// The count query, the page query and their values (the page's limit and offset last, which the
/// count query does not use).
fn list_sql(query: &ListQuery, engine: Engine) -> (String, String, Vec<Value>) {
    let mut sql = Sql {
        from: "messages m".into(),
        conditions: Vec::new(),
        values: Vec::new(),
    };
    let mut by_arrival = false;
    // NOTE: an archive without statistics lets SQLite pick `messages_kind_at` and sort the whole view
    // by sender; the index of the list's order is named.
    let by_kind = dialect::indexed_by(
        engine,
        "messages m",
        match query.sort {
            ListSort::Date => "messages_kind_at",
            ListSort::Sender => "messages_kind_sender",
            ListSort::Subject => "messages_kind_subject",
        },
    );
    match &query.scope {
        ListScope::Inbox => {
            sql.from = by_kind.clone();
            sql.conditions
                .push(format!("m.kind = '{}'", PecKind::TransportEnvelope));
        }
        ListScope::Anomalies => {
            sql.from = by_kind.clone();
            sql.conditions
                .push(format!("m.kind = '{}'", PecKind::AnomalyEnvelope));
        }
        ListScope::Receipts => {
            // NOTE: with an IN list SQLite prefers `messages_kind_at` and then sorts every receipt; the
            // partial indexes over exactly these kinds are already in the list's order.
            let index = match query.sort {
                ListSort::Date => "messages_receipts_at",
                ListSort::Sender => "messages_receipts_sender",
                ListSort::Subject => "messages_receipts_subject",
            };
            sql.from = dialect::indexed_by(engine, "messages m", index);
            sql.conditions
                .push(format!("m.kind IN {}", receipt_kinds_sql()));
        }
        ListScope::Folder { account, folder } => {
            let a = sql.text(account);
            let f = sql.text(folder);
            sql.from = "origins o JOIN messages m ON m.id = o.raw_id".into();
            sql.conditions.push(format!(
                "o.source = 'imap' AND o.account = {a} AND o.folder = {f} AND o.uidvalidity = \
                 coalesce((SELECT uidvalidity FROM sync_state WHERE account = {a} AND folder = {f}), \
                 (SELECT max(uidvalidity) FROM origins WHERE source = 'imap' AND account = {a} \
                 AND folder = {f}))"
            ));
            by_arrival = true;
        }
    }
    if let Some(words) = dialect::text_query(engine, &query.text) {
        let q = sql.text(&words);
        sql.conditions
            .push(format!("m.id IN ({})", dialect::matching(engine, &q)));
    }
    if query.problems_only {
        sql.conditions
            .push(format!("m.sig_status != '{}'", SignatureStatus::Valid));
    }
    let filter = sql.where_clause();
    let count = format!("SELECT count(*) FROM {}{filter}", sql.from);
    let dir = if query.descending { "DESC" } else { "ASC" };
    let order = match (query.sort, by_arrival) {
        (ListSort::Date, true) => format!("o.uid {dir}"),
        (ListSort::Date, false) => format!("{AT} {dir}, m.id {dir}"),
        // The date breaks ties in the same direction, so one index serves both (issue 16 §4: with the
        // newest first under A → Z, a page deep in the list re-sorted every tie before it).
        (ListSort::Sender, _) => format!(
            "{} {dir}, {AT} {dir}, m.id {dir}",
            dialect::nocase(engine, "m.sender")
        ),
        (ListSort::Subject, _) => format!(
            "{} {dir}, {AT} {dir}, m.id {dir}",
            dialect::nocase(engine, "m.subject")
        ),
    };
    let limit = sql.bind(Value::Integer(query.limit.min(MAX_PAGE) as i64));
    let offset = sql.bind(Value::Integer(query.offset.min(i64::MAX as u64) as i64));
    let page = format!(
        "SELECT m.id, m.kind, m.subject, m.sender, {AT}, m.sig_status, m.provider, m.consegna, \
         m.link_key, m.errore_esteso, m.family, m.rem_kind FROM {}{filter} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
        sql.from
    );
    (count, page, sql.values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receipt_kinds_are_those_of_the_partial_indexes() {
        for (version, indexes) in [(3, 1), (6, 2)] {
            let sql = crate::migrations::MIGRATIONS
                .iter()
                .find(|m| m.version == version)
                .map(|m| m.sql)
                .unwrap_or_default();
            assert_eq!(
                sql.matches(&format!("WHERE kind IN {}", receipt_kinds_sql()))
                    .count(),
                indexes,
                "migration {version} must index exactly {}",
                receipt_kinds_sql()
            );
        }
    }

    #[test]
    fn every_order_of_a_fixed_view_walks_an_index_instead_of_sorting_the_archive_issue_16() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(&Archive::file_in(dir.path())).unwrap();
        let scopes = [
            ListScope::Inbox,
            ListScope::Receipts,
            ListScope::Anomalies,
            ListScope::Folder {
                account: "a@pec.it".into(),
                folder: "INBOX".into(),
            },
        ];
        let orders = [ListSort::Date, ListSort::Sender, ListSort::Subject];
        for (scope, sort) in scopes
            .iter()
            .flat_map(|s| orders.iter().map(move |o| (s, *o)))
            // An IMAP folder is walked by UID; sorted otherwise, it sorts the folder only.
            .filter(|(s, o)| !matches!(s, ListScope::Folder { .. }) || *o == ListSort::Date)
        {
            for descending in [true, false] {
                let query = ListQuery {
                    scope: scope.clone(),
                    sort,
                    descending,
                    text: String::new(),
                    problems_only: false,
                    offset: 0,
                    limit: 100,
                };
                let (_, page, values) = list_sql(&query, Engine::Sqlite);
                let mut stmt = archive
                    .conn
                    .prepare(&format!("EXPLAIN QUERY PLAN {page}"))
                    .unwrap();
                let plan: Vec<String> = stmt
                    .query_map(params_from_iter(values.iter()), |r| r.get::<_, String>(3))
                    .unwrap()
                    .collect::<crate::db::Result<_>>()
                    .unwrap();
                assert!(
                    plan.iter().all(|step| !step.contains("TEMP B-TREE")),
                    "{scope:?} by {sort:?}: {plan:?}"
                );
            }
        }
    }

    #[test]
    fn every_receipt_kind_is_a_receipt() {
        assert!(RECEIPT_KINDS.iter().all(|k| k.is_receipt()));
    }
}
