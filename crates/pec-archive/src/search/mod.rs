//! Full-text search over subjects, parties, body text and attachment names (SQLite FTS5, PostgreSQL
//! `tsvector`).
//!
//! The user's words are never passed to FTS5 as query syntax: each word becomes a quoted phrase (so an
//! address like `mario.rossi@pec.it` must match as written), all of which must match, and the last one
//! may be the beginning of a word (search as you type): `diffida ross` finds "Diffida ad adempiere"
//! sent to mario.rossi@….
//!
//! Best first ([`ranking`]) among the [`RANKED`] most recently archived matches: ranking every match of
//! a common word (3 of 4 messages hold "diffida" in a lawyer's archive) cost 150–340 ms at 100,000
//! messages and grows with the archive; the most recent ones come straight from FTS5's index, read
//! backwards (issue 16 §4), and from PostgreSQL's as [`newest_first`] finds them (its text index cannot
//! be read newest first).

use chrono::{DateTime, Utc};
use pec_core::PecKind;
use serde::Serialize;

use crate::db::{Db, Engine, Value, dialect};
use crate::error::ArchiveError;
use crate::journal::parse_time;
use crate::open::Archive;
use crate::stored::Cell;

mod newest_first;
pub mod ranking;
pub mod words;

pub use words::Words;

/// How many of the most recently archived matches are ranked; older ones are found with more words.
pub const RANKED: usize = 2_000;

/// One message found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    pub id: i64,
    pub kind: PecKind,
    pub subject: Option<String>,
    pub sender: Option<String>,
    /// The certified time, or the message's own date for mail that is not PEC.
    pub at: Option<DateTime<Utc>>,
    /// The Message-ID of the send it belongs to, if linked.
    pub msgid: Option<String>,
}

/// Whether `word`, the last of the user's text when `last`, may also be the beginning of a longer word
/// (search as you type). An address never is: it is pasted or typed whole, and its last part, a
/// top-level domain such as `it`, begins words in every message (taking them all cost 40–50 ms at a
/// million messages on either engine, to find addresses no one typed).
pub fn may_continue(word: &str, last: bool) -> bool {
    last && !word.contains('@')
}

/// The FTS5 query for a user's text: every word a quoted phrase, the last one also a prefix (see
/// [`may_continue`]). `None` if there are no words.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let last = words.len().checked_sub(1)?;
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if may_continue(w, i == last) {
                format!("\"{w}\"*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect();
    Some(terms.join(" "))
}

impl Archive {
    /// Messages matching every word of `text`, best first among the most recently archived [`RANKED`]
    /// (see [`ranking`]), at most `limit`.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>, ArchiveError> {
        let engine = self.conn.engine();
        let Some(query) = dialect::text_query(engine, text) else {
            return Ok(Vec::new());
        };
        let mut hits = match engine {
            // FTS5 reads its index newest first.
            Engine::Sqlite => hits_among(
                &self.conn,
                "SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
                &[Value::Text(query), Value::Integer(RANKED as i64)],
            )?,
            Engine::Postgres => {
                let tx = self.conn.snapshot()?;
                let newest = newest_first::newest_matches(
                    &tx,
                    &query,
                    RANKED,
                    newest_first::Windows::ARCHIVE,
                )?;
                if newest.is_empty() {
                    return Ok(Vec::new());
                }
                let (marks, ids) = crate::db::in_list(&newest);
                let ids: Vec<Value> = ids.into_iter().map(Value::Integer).collect();
                hits_among(&tx, &marks, &ids)?
            }
        };
        let words = Words::of(text);
        hits.sort_by_cached_key(|h| words.place(h.subject.as_deref(), h.sender.as_deref(), h.id));
        hits.truncate(limit);
        Ok(hits)
    }
}

/// The messages whose ids `ids` lists (a subquery, or parameters), with `values` bound.
fn hits_among(conn: &Db, ids: &str, values: &[Value]) -> Result<Vec<SearchHit>, ArchiveError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT m.id, m.kind, m.subject, m.sender, coalesce(m.certified_at, m.date), \
         (SELECT s.link_key FROM sent s WHERE s.link_key = m.link_key) \
         FROM messages m WHERE m.id IN ({ids})"
    ))?;
    let hits = stmt
        .query_map(crate::db::params_from_iter(values.iter()), |r| {
            let id: i64 = r.get(0)?;
            Ok(SearchHit {
                id,
                kind: Cell::new("messages", "kind", id).read(&r.get::<_, String>(1)?)?,
                subject: r.get(2)?,
                sender: r.get(3)?,
                at: r
                    .get::<_, Option<String>>(4)?
                    .as_deref()
                    .and_then(parse_time),
                msgid: r.get::<_, Option<String>>(5)?.map(|k| format!("<{k}>")),
            })
        })?
        .collect::<crate::db::Result<Vec<_>>>()?;
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_words_become_quoted_prefix_terms_never_query_syntax() {
        assert_eq!(
            fts_query("Diffida ross").as_deref(),
            Some("\"Diffida\" \"ross\"*")
        );
        assert_eq!(
            fts_query("mario.rossi@pec.it").as_deref(),
            Some("\"mario.rossi@pec.it\"")
        );
        assert_eq!(
            fts_query("mario.rossi").as_deref(),
            Some("\"mario.rossi\"*")
        );
        assert_eq!(
            fts_query("a OR NEAR(\"c\")").as_deref(),
            Some("\"a\" \"OR\" \"NEAR(c)\"*")
        );
        assert_eq!(fts_query("  ;; "), None);
    }
}
