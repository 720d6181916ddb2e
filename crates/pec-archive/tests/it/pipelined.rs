//! Statements sent without waiting for their answers (`Statement::execute_later`, issue 18: the import's
//! speed on PostgreSQL): they must run in the order written, be seen by the next query of the same
//! transaction, and an error among them must undo the whole transaction, never reach COMMIT.

use pec_archive::db::Db;
use pec_archive::db::postgres::PgConn;

use super::{fresh_database, on_postgres};

fn server() -> Option<Db> {
    if !on_postgres() {
        println!("SKIPPED on SQLite: SQLite runs every statement at once");
        return None;
    }
    let db = Db::Postgres(PgConn::connect(&fresh_database()).unwrap());
    db.execute_batch("CREATE TABLE t (n bigint PRIMARY KEY, after bigint REFERENCES t(n))")
        .unwrap();
    Some(db)
}

#[test]
fn issue_18_later_statements_run_in_order_and_are_seen_by_the_next_query() {
    let Some(db) = server() else { return };
    let tx = db.transaction().unwrap();
    // Each row names the one before it: out of order, the foreign key would refuse one. More rows
    // than are held at once, so some go out before the query asks.
    let mut insert = tx
        .prepare_cached("INSERT INTO t (n, after) VALUES (?1, ?2)")
        .unwrap();
    for n in 0..1500i64 {
        let after = (n > 0).then_some(n - 1);
        insert
            .execute_later(pec_archive::db::params![n, after])
            .unwrap();
    }
    drop(insert);
    let seen: i64 = tx
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        seen, 1500,
        "the transaction's own query sees every later insert"
    );
    tx.commit().unwrap();
    let kept: i64 = db
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 1500);
}

#[test]
fn issue_18_an_error_among_later_statements_undoes_the_transaction() {
    let Some(db) = server() else { return };
    db.execute("INSERT INTO t (n) VALUES (1)", []).unwrap();
    for fails_at_commit in [false, true] {
        let tx = db.transaction().unwrap();
        let mut insert = tx.prepare_cached("INSERT INTO t (n) VALUES (?1)").unwrap();
        insert.execute_later([100i64]).unwrap();
        insert.execute_later([1i64]).unwrap(); // already there: refused
        insert.execute_later([101i64]).unwrap();
        drop(insert);
        let failed = if fails_at_commit {
            tx.commit().is_err()
        } else {
            let answer = tx.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0));
            drop(tx);
            answer.is_err()
        };
        assert!(
            failed,
            "the duplicate is reported (at commit: {fails_at_commit})"
        );
        let rows: Vec<i64> = db
            .prepare("SELECT n FROM t ORDER BY n")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows, vec![1], "nothing of the failed transaction is kept");
    }
    // The connection is usable afterwards (not left inside an aborted transaction).
    let tx = db.transaction().unwrap();
    tx.execute("INSERT INTO t (n) VALUES (2)", []).unwrap();
    tx.commit().unwrap();
}
