//! Step 4 of `archive check`: every send (and every key some message links to) recomputed from its
//! evidence and compared with the stored one.

use std::collections::BTreeMap;

use crate::db::Db;

use super::{Add, ProblemCode};
use crate::links;

/// Checks every send; returns how many are stored.
pub(super) fn check(conn: &Db, add: &mut Add<'_>) -> crate::db::Result<u64> {
    let mut keys: BTreeMap<String, bool> = BTreeMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT DISTINCT link_key FROM messages WHERE link_key IS NOT NULL")?;
        for key in stmt.query_map([], |r| r.get::<_, String>("link_key"))? {
            keys.insert(key?, false);
        }
        let mut stmt = conn.prepare("SELECT link_key FROM sent")?;
        for key in stmt.query_map([], |r| r.get::<_, String>("link_key"))? {
            keys.insert(key?, true);
        }
    }
    let mut sends = 0;
    let keys: Vec<String> = keys.into_keys().collect();
    for chunk in keys.chunks(links::RELINK_CHUNK) {
        for (key, expected) in links::compute_many(conn, chunk)? {
            let stored = links::read(conn, &key)?;
            sends += compare(&key, expected, stored, add);
        }
    }
    Ok(sends)
}

/// Compares the send `key` as its evidence makes it with the stored one; 1 if one is stored.
fn compare(
    key: &str,
    expected: Option<links::SentRecord>,
    stored: Option<links::SentRecord>,
    add: &mut Add<'_>,
) -> u64 {
    let sends = u64::from(stored.is_some());
    match (expected, stored) {
        (None, None) => {}
        (Some(_), None) => add(
            ProblemCode::SendAltered,
            None,
            format!(
                "the send <{key}> was removed (its evidence is still archived); run `attesta archive rebuild`"
            ),
        ),
        (None, Some(_)) => add(
            ProblemCode::SendAltered,
            None,
            format!("the send <{key}> is listed, but no archived evidence makes it a send"),
        ),
        (Some(e), Some(s)) if e != s => {
            add(ProblemCode::SendAltered, None, send_difference(key, &e, &s));
        }
        _ => {}
    }
    sends
}

fn send_difference(key: &str, expected: &links::SentRecord, stored: &links::SentRecord) -> String {
    for (i, e) in expected.recipients.iter().enumerate() {
        match stored.recipients.get(i) {
            Some(s) if s == e => {}
            Some(s) if s.address == e.address => {
                return format!(
                    "the send <{key}>: recipient {} is listed as `{}`, but its evidence says `{}`; run `attesta archive rebuild`",
                    e.address, s.state, e.state
                );
            }
            _ => {
                return format!(
                    "the send <{key}>: recipient {} is missing from its list; run `attesta archive rebuild`",
                    e.address
                );
            }
        }
    }
    if stored.recipients.len() > expected.recipients.len() {
        return format!("the send <{key}> lists recipients its evidence does not name");
    }
    if stored.summary != expected.summary {
        return format!(
            "the send <{key}> is summarised as `{}`, but its evidence says `{}`",
            stored.summary, expected.summary
        );
    }
    format!("the send <{key}> differs from what its evidence says; run `attesta archive rebuild`")
}
