//! Full-text search over subjects, parties, body text and attachment names (SQLite FTS5).
//!
//! The user's words are never passed to FTS5 as query syntax: each word becomes a quoted phrase (so an
//! address like `mario.rossi@pec.it` must match as written), all of which must match, and the last one
//! may be the beginning of a word (search as you type): `diffida ross` finds "Diffida ad adempiere"
//! sent to mario.rossi@….
//!
//! Best first among the [`RANKED`] most recently archived matches: ranking every match of a common word (3 of 4
//! messages hold "diffida" in a lawyer's archive) cost 150–340 ms at 100,000 messages and grows with the
//! archive; the most recent ones come straight from the index, read backwards (issue 16 §4). PostgreSQL's
//! text index cannot be read newest first: its planner chooses between reading backwards and taking
//! every match from the text index by how many matches it expects, and a word's beginning it cannot
//! count (docs/benchmarks.md, issue 18).

use chrono::{DateTime, Utc};
use pec_core::PecKind;
use serde::Serialize;

use crate::db::{Engine, dialect};
use crate::error::ArchiveError;
use crate::journal::parse_time;
use crate::open::Archive;
use crate::stored::Cell;

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

/// The FTS5 query for a user's text: every word a quoted phrase, the last one also a prefix. `None` if
/// there are no words.
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
            if i == last {
                format!("\"{w}\"*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect();
    Some(terms.join(" "))
}

impl Archive {
    /// Messages matching every word of `text`, best first among the most recently archived [`RANKED`], at most `limit`.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>, ArchiveError> {
        let engine = self.conn.engine();
        let Some(query) = dialect::text_query(engine, text) else {
            return Ok(Vec::new());
        };
        let ranked = match engine {
            Engine::Sqlite => {
                "SELECT rowid AS id, rank FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?3"
                    .to_owned()
            }
            // ts_rank grows with relevance; FTS5's rank shrinks.
            Engine::Postgres => format!(
                "SELECT id, -ts_rank(document, to_tsquery('simple', ?1)) AS rank FROM search \
                 WHERE id IN ({}) ORDER BY id DESC LIMIT ?3",
                dialect::matching(engine, "?1")
            ),
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT m.id, m.kind, m.subject, m.sender, coalesce(m.certified_at, m.date), \
             (SELECT s.link_key FROM sent s WHERE s.link_key = m.link_key) \
             FROM ({ranked}) f JOIN messages m ON m.id = f.id ORDER BY f.rank, m.id DESC LIMIT ?2"
        ))?;
        let hits = stmt
            .query_map(
                crate::db::params![query, limit as i64, RANKED as i64],
                |r| {
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
                },
            )?
            .collect::<crate::db::Result<Vec<_>>>()?;
        Ok(hits)
    }
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
            Some("\"mario.rossi@pec.it\"*")
        );
        assert_eq!(
            fts_query("a OR NEAR(\"c\")").as_deref(),
            Some("\"a\" \"OR\" \"NEAR(c)\"*")
        );
        assert_eq!(fts_query("  ;; "), None);
    }
}
