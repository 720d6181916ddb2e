//! The newest messages matching a search on PostgreSQL, found the way the matches themselves say is
//! cheapest, not the way the planner guesses (issue 18: search under 50 ms at a million messages).
//!
//! PostgreSQL's text index cannot be read newest first. Its planner chooses between walking the
//! archive backwards until enough matches turn up (cheap when they are dense among recent messages,
//! as a common word is) and taking every match from the text index and sorting them (cheap when they
//! are few). It chooses by how many matches it expects, and a word's beginning (`4242:*`, search as
//! you type) it cannot count: it guessed 55,777 messages where 37 matched, and read all 948,303
//! backwards (630 ms).
//!
//! Here the newest messages are walked first ([`Windows`]). How many of them match is a measured
//! density, not a guess: where the missing matches should turn up within a longer walk that costs
//! less than taking every older match from the text index, the walk goes on; otherwise the text
//! index gives them all (bitmap scans only, so the planner cannot walk the whole archive on a wrong
//! guess).

use crate::db::{Db, Result, params};

use crate::db::postgres::search::tsquery;

/// How far the archive is walked before the text index is asked.
#[derive(Debug, Clone, Copy)]
pub struct Windows {
    /// Messages walked first, newest first.
    pub first: i64,
    /// How many more messages the walk may read when the first window's density says the missing
    /// matches are there.
    pub walk: i64,
}

impl Windows {
    /// At a million messages (docs/benchmarks.md): the first window takes about 5 ms, the longest
    /// walk about 30 ms more.
    pub const ARCHIVE: Windows = Windows {
        first: 20_000,
        walk: 120_000,
    };
}

/// What one match taken from the text index costs, in messages walked: 23,710 matches took 22–73 ms
/// (the matching rows read, then sorted), 20,000 messages walked 4.3–5.8 ms.
const INDEX_MATCH_COST: f64 = 12.0;

/// The ids of the newest `wanted` messages matching the query text `query` (from
/// `postgres::search::query`), newest first. Runs inside `tx`, a read transaction of its own (its
/// planner settings end with it).
pub fn newest_matches(tx: &Db, query: &str, wanted: usize, windows: Windows) -> Result<Vec<i64>> {
    let wanted = wanted as i64;
    let mut found = walk(tx, query, None, windows.first, wanted)?;
    let missing = wanted - found.len() as i64;
    if missing == 0 {
        return Ok(found);
    }
    // The oldest message the window looked at: none when the window held the whole archive.
    let Some(oldest) = nth_newest(tx, None, windows.first)? else {
        return Ok(found);
    };
    let density = found.len() as f64 / windows.first as f64;
    // Where the missing matches should be, at that density (a quarter more for chance).
    let expected = if density > 0.0 {
        (missing as f64 / density * 1.25).ceil() as i64
    } else {
        i64::MAX
    };
    // What the text index would cost for every match below the window, at that density (ids
    // count the messages below, near enough).
    let by_index = density * oldest as f64 * INDEX_MATCH_COST;
    let rest = if expected <= windows.walk && expected as f64 <= by_index {
        let mut rest = walk(tx, query, Some(oldest), expected, missing)?;
        let still = missing - rest.len() as i64;
        if still > 0
            && let Some(last) = nth_newest(tx, Some(oldest), expected)?
        {
            rest.extend(from_index(tx, query, last, still)?);
        }
        rest
    } else {
        from_index(tx, query, oldest, missing)?
    };
    found.extend(rest);
    Ok(found)
}

/// The matches among the `rows` newest messages older than `below` (all when `None`), newest
/// first, at most `wanted`. The walk is written so the planner cannot do anything else: the window
/// is taken from the primary key first, then matched.
fn walk(tx: &Db, query: &str, below: Option<i64>, rows: i64, wanted: i64) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT id FROM (SELECT id, document FROM search WHERE id < ?2 ORDER BY id DESC LIMIT ?3) w \
         WHERE document @@ {} ORDER BY id DESC LIMIT ?4",
        tsquery("?1")
    ))?;
    let rows = stmt.query_map(
        params![query, below.unwrap_or(i64::MAX), rows, wanted],
        |r| r.get::<_, i64>(0),
    )?;
    rows.collect()
}

/// The id of the `n`th newest message older than `below` (all when `None`), if there are that many.
fn nth_newest(tx: &Db, below: Option<i64>, n: i64) -> Result<Option<i64>> {
    use crate::db::OptionalExtension;
    tx.prepare_cached("SELECT id FROM search WHERE id < ?1 ORDER BY id DESC OFFSET ?2 LIMIT 1")?
        .query_row(params![below.unwrap_or(i64::MAX), n - 1], |r| r.get(0))
        .optional()
}

/// The newest `wanted` matches older than `below`, from the text index: every such match is taken
/// and sorted, which costs what matches, not what the archive holds. `id + 0` keeps the primary key
/// out of it: a prepared statement's plan, not knowing that `below` leaves nearly every message,
/// read the whole key into a second bitmap to intersect (28 ms at a million messages, for 37 matches).
fn from_index(tx: &Db, query: &str, below: i64, wanted: i64) -> Result<Vec<i64>> {
    tx.execute_batch("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")?;
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT id FROM search WHERE document @@ {} AND id + 0 < ?2 ORDER BY id DESC LIMIT ?3",
        tsquery("?1")
    ))?;
    let rows = stmt.query_map(params![query, below, wanted], |r| r.get::<_, i64>(0))?;
    let found = rows.collect();
    tx.execute_batch("RESET enable_seqscan; RESET enable_indexscan")?;
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::postgres::Address;
    use crate::db::postgres::search::query;
    use crate::{Archive, Incoming, Origin, Reading};
    use pec_core::signature::TrustAnchors;

    /// Message `n` of 600, oldest first: "pratica" in every one, "terzo" in every third, "urgente" in
    /// every second of the newest 50 and every fiftieth before, "unico" in three.
    fn words(n: usize) -> String {
        let mut words = format!("pratica {n}");
        if n.is_multiple_of(3) {
            words.push_str(" terzo");
        }
        if (n >= 550 && n.is_multiple_of(2)) || n.is_multiple_of(50) {
            words.push_str(" urgente");
        }
        if [7, 300, 590].contains(&n) {
            words.push_str(" unico");
        }
        words
    }

    /// Each way the walk can go gives what every match, sorted, gives: the newest ones.
    #[test]
    fn every_way_the_walk_goes_finds_the_newest_matches() {
        let Some(server) = Address::test_server() else {
            println!("SKIPPED: needs the test server (scripts/lib/postgres-cluster)");
            return;
        };
        let address = server.unwrap().create_fresh_database("attesta_u").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open_postgres(&address, dir.path()).unwrap();
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 8, 9, 0, 0).unwrap();
        let anchors = TrustAnchors::builtin();
        let batch = (0..600)
            .map(|n| {
                let raw = format!(
                    "From: studio@pec.example\r\nMessage-ID: <p{n}@pec.example>\r\n\
                     Subject: {}\r\n\r\nTesto.\r\n",
                    words(n)
                )
                .into_bytes();
                Incoming {
                    reading: Some(Reading::of(&raw, &anchors, now)),
                    raw,
                    origin: Origin::File {
                        path: format!("{n}.eml"),
                        part: 0,
                        mailbox: None,
                    },
                    received: None,
                }
            })
            .collect();
        archive.store(batch, now).unwrap();
        let windows = Windows {
            first: 50,
            walk: 150,
        };
        // Dense (the first window), dense enough (walked on), dense only lately (walked, then the
        // index), rare (the index), absent, and a word's beginning.
        for (text, wanted) in [
            ("pratica", 40),
            ("terzo", 40),
            ("urgente", 40),
            ("unico", 40),
            ("assente", 40),
            ("prat", 40),
            ("terzo", 1_000),
        ] {
            let q = query(text).unwrap();
            let tx = archive.conn.snapshot().unwrap();
            let got = newest_matches(&tx, &q, wanted, windows).unwrap();
            let expected: Vec<i64> = tx
                .prepare(&format!(
                    "SELECT id FROM search WHERE document @@ {} ORDER BY id DESC LIMIT ?2",
                    tsquery("?1")
                ))
                .unwrap()
                .query_map(params![q, wanted as i64], |r| r.get(0))
                .unwrap()
                .collect::<Result<_>>()
                .unwrap();
            assert_eq!(got, expected, "{text:?}, {wanted} wanted");
        }
        // The counts the cases were chosen for.
        let count = |text: &str| {
            newest_matches(
                &archive.conn.snapshot().unwrap(),
                &query(text).unwrap(),
                1_000,
                windows,
            )
            .unwrap()
            .len()
        };
        assert_eq!(count("pratica"), 600);
        assert_eq!(count("unico"), 3);
        assert_eq!(count("assente"), 0);
    }
}
