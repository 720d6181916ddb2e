//! Several desktops on one shared archive at once (issue 18): what each must survive of the others.
//! PostgreSQL only (a file archive has one writer by construction); on SQLite these say so and pass.

use pec_archive::Archive;
use pec_archive::db::Db;
use pec_archive::db::postgres::{Address, PgConn, WRITER_LOCK};

use super::{fresh_database, on_postgres};

fn admin(address: &Address) -> Db {
    Db::Postgres(PgConn::connect(address).unwrap())
}

/// Waits until `n` connections queue for the writers' lock.
fn until_waiting(watch: &Db, n: i64) {
    let started = std::time::Instant::now();
    loop {
        let waiting: i64 = watch
            .query_row(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if waiting >= n {
            return;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{waiting} of {n} desktops queued for the writers' lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn issue_18_desktops_opening_a_new_server_archive_at_once_all_open_it_and_make_its_schema_once() {
    if !on_postgres() {
        println!("SKIPPED on SQLite: a server archive's test");
        return;
    }
    let address = fresh_database();
    // Hold the writers' lock, so that three desktops all find the database empty and queue for it
    // inside their first schema step; then let them go: the first makes the schema, the others must
    // see it (and not make it again) when their turn comes.
    let holder = admin(&address);
    holder
        .execute_batch(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK})"
        ))
        .unwrap();
    let desktops: Vec<_> = (0..3)
        .map(|_| {
            let address = address.clone();
            std::thread::spawn(move || {
                let dir = tempfile::tempdir().unwrap();
                Archive::open_postgres(&address, dir.path()).map(|a| a.message_count())
            })
        })
        .collect();
    until_waiting(&admin(&address), 3);
    holder.execute_batch("ROLLBACK").unwrap();
    for d in desktops {
        let opened = d.join().unwrap();
        assert!(matches!(opened, Ok(Ok(0))), "{:?}", opened.err());
    }
    let versions: i64 = admin(&address)
        .query_row("SELECT count(*) FROM attesta_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(versions, 1, "one schema, made once");
}
