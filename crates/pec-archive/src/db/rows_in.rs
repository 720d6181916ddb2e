//! Many rows for one table, inserted several per statement: a batch's rows go to the server in a few
//! statements instead of one each, which is most of what an insert costs on PostgreSQL (a statement's
//! protocol messages, its planning and its own reply: issue 18, the import's speed). SQLite takes the
//! same multi-row `VALUES`.
//!
//! The statements are sent without waiting for their answers (`Statement::execute_later`), inside the
//! caller's transaction. Row counts per statement are powers of two up to [`MOST_ROWS`], so each table
//! has at most a handful of distinct statements to prepare and keep.

use super::value::{Params, ToParam, Value};
use super::{Db, Result};

/// The most rows one statement carries (well under both engines' limits on parameters: SQLite's 32,766
/// and PostgreSQL's 65,535, for the widest table's 26 columns).
const MOST_ROWS: usize = 64;

/// Rows waiting to be inserted into one table.
pub struct RowsIn {
    /// `INSERT INTO t (a, b, c) VALUES`.
    head: String,
    /// One row, numbered from `?1`: `(?1, ?2, (SELECT id FROM u WHERE k = ?3))`.
    row: String,
    /// What follows the rows: `ON CONFLICT DO NOTHING`, or nothing.
    tail: String,
    width: usize,
    values: Vec<Value>,
}

impl RowsIn {
    /// Rows for `head … row, row, … tail`; `row` names its parameters `?1` to `?width`.
    pub fn new(head: &str, row: &str, tail: &str) -> RowsIn {
        RowsIn {
            head: head.to_owned(),
            row: row.to_owned(),
            tail: tail.to_owned(),
            width: highest_parameter(row),
            values: Vec::new(),
        }
    }

    /// Adds one row (its parameters in `row`'s order).
    pub fn push<P: Params>(&mut self, params: P) {
        let bound = params.bind();
        debug_assert_eq!(bound.len(), self.width, "{}", self.head);
        self.values.extend(bound.iter().map(Value::from));
    }

    /// Whether no row is waiting.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Inserts the waiting rows, in their order, inside the caller's transaction (sent with its next
    /// statement at the latest; see `Statement::execute_later`).
    pub fn flush(&mut self, conn: &Db) -> Result<()> {
        let values = std::mem::take(&mut self.values);
        let mut rows = values.chunks(self.width.max(1)).peekable();
        while rows.peek().is_some() {
            let left = rows.len();
            let n = if left >= MOST_ROWS {
                MOST_ROWS
            } else {
                1 << left.ilog2()
            };
            let chunk: Vec<&[Value]> = rows.by_ref().take(n).collect();
            let sql = self.statement(n);
            conn.prepare_cached(&sql)?
                .execute_later(Flat(chunk.into_iter().flatten().collect()))?;
        }
        Ok(())
    }

    /// The statement for `n` rows.
    fn statement(&self, n: usize) -> String {
        let rows: Vec<String> = (0..n)
            .map(|i| renumbered(&self.row, i * self.width))
            .collect();
        format!("{} {} {}", self.head, rows.join(", "), self.tail)
    }
}

/// The parameters of several rows, in order.
struct Flat<'a>(Vec<&'a Value>);

impl Params for Flat<'_> {
    fn bind(&self) -> Vec<super::value::Param<'_>> {
        self.0.iter().map(|v| v.to_param()).collect()
    }
}

/// The highest `?N` in `sql`.
fn highest_parameter(sql: &str) -> usize {
    numbers(sql).map(|(_, _, n)| n).max().unwrap_or(0)
}

/// `sql` with every `?N` raised by `by`.
fn renumbered(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut at = 0;
    for (start, end, n) in numbers(sql) {
        out.push_str(&sql[at..start]);
        out.push_str(&format!("?{}", n + by));
        at = end;
    }
    out.push_str(&sql[at..]);
    out
}

/// Each `?N` of `sql`: where it starts and ends, and N.
fn numbers(sql: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = sql.as_bytes();
    (0..bytes.len()).filter_map(move |i| {
        if bytes[i] != b'?' {
            return None;
        }
        let digits = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let n = sql[i + 1..i + 1 + digits].parse().ok()?;
        Some((i, i + 1 + digits, n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::params;

    #[test]
    fn rows_are_numbered_one_after_another() {
        assert_eq!(
            renumbered("(?1, (SELECT id FROM t WHERE k = ?2), ?3)", 3),
            "(?4, (SELECT id FROM t WHERE k = ?5), ?6)"
        );
        assert_eq!(highest_parameter("(?1, ?12, ?3)"), 12);
    }

    #[test]
    fn every_row_is_inserted_once_in_order_whatever_the_count() {
        let db = Db::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        db.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT, w INTEGER)")
            .unwrap();
        for count in [0usize, 1, 2, 3, 63, 64, 65, 200] {
            db.execute("DELETE FROM t", []).unwrap();
            let mut rows = RowsIn::new("INSERT INTO t (v, w) VALUES", "(?1, ?2)", "");
            for i in 0..count {
                rows.push(params![format!("row {i}"), i as i64]);
            }
            rows.flush(&db).unwrap();
            assert!(rows.is_empty());
            let got: Vec<(String, i64)> = db
                .prepare("SELECT v, w FROM t ORDER BY n")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_>>()
                .unwrap();
            let want: Vec<(String, i64)> =
                (0..count).map(|i| (format!("row {i}"), i as i64)).collect();
            assert_eq!(got, want, "{count} rows");
        }
    }
}
