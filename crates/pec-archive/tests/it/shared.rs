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

/// Sends of one message each (sent copy, acceptance, a delivery), to archive one by one.
fn sends(n: usize) -> Vec<(String, Vec<u8>)> {
    use chrono::TimeZone;
    use pec_testkit::{Pec, PecKindSpec, PlaceholderSigner, Send};
    let mut files = Vec::new();
    for i in 0..n {
        let mut send = Send::new(
            "studio@pec.example",
            &["cliente@pec.example"],
            &format!("Pratica {i}"),
            chrono::Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap()
                + chrono::Duration::minutes(i as i64),
        );
        send.msgid = format!("pratica-{i}@studio.example");
        let delivery = PecKindSpec::Delivery {
            recipient: "cliente@pec.example".into(),
        };
        files.push((
            format!("/in/{i}-acceptance.eml"),
            Pec::new(&send, PecKindSpec::Acceptance).build(&PlaceholderSigner),
        ));
        files.push((
            format!("/in/{i}-delivery.eml"),
            Pec::new(&send, delivery).build(&PlaceholderSigner),
        ));
        files.push((format!("/in/{i}-sent.eml"), send.original()));
    }
    files
}

#[test]
fn issue_18_a_check_while_another_desktop_writes_finds_nothing_wrong() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let files = sends(60);
    let anchors = pec_core::signature::TrustAnchors::builtin();
    let writer_dir = tempfile::tempdir().unwrap();
    let reader_dir = tempfile::tempdir().unwrap();
    // The writing desktop, and where the checking ones find the archive: on SQLite the same file (the
    // app and the command of one desktop); on a server, this desktop and another one that never wrote.
    let (mut writer, readers): (Archive, Vec<Box<dyn Fn() -> Archive + Sync>>) = if on_postgres() {
        let address = fresh_database();
        let writer = Archive::open_postgres(&address, writer_dir.path()).unwrap();
        let (a, b) = (address.clone(), address);
        let (here, there) = (
            writer_dir.path().to_path_buf(),
            reader_dir.path().to_path_buf(),
        );
        (
            writer,
            vec![
                Box::new(move || Archive::open_postgres(&a, &here).unwrap()),
                Box::new(move || Archive::open_postgres(&b, &there).unwrap()),
            ],
        )
    } else {
        let path = Archive::file_in(writer_dir.path());
        let writer = Archive::open(&path).unwrap();
        (
            writer,
            vec![Box::new(move || Archive::open(&path).unwrap())],
        )
    };
    let done = AtomicBool::new(false);
    let problems = std::thread::scope(|scope| {
        let checking = scope.spawn(|| {
            let mut problems = Vec::new();
            let mut checks = 0;
            while !done.load(Ordering::Relaxed) || checks == 0 {
                for open in &readers {
                    let report = open().check().unwrap();
                    problems.extend(report.problems);
                    checks += 1;
                }
            }
            println!("{checks} checks while the other desktop wrote");
            problems
        });
        // One commit per message, and now and then a message arriving again from elsewhere (an origin
        // added to a message the check may already have read).
        for (n, (path, raw)) in files.iter().enumerate() {
            super::store_files(&mut writer, &anchors, &[(path.clone(), raw.clone())]);
            if n % 5 == 0 {
                super::store_files(
                    &mut writer,
                    &anchors,
                    &[(format!("{path}.copy"), raw.clone())],
                );
            }
        }
        done.store(true, Ordering::Relaxed);
        checking.join().unwrap()
    });
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(writer.check().unwrap().is_clean());
}

#[test]
fn issue_18_a_desktop_moved_to_another_server_archive_and_back_holds_each_to_its_own_chain() {
    if !on_postgres() {
        println!("SKIPPED on SQLite: a server archive's test");
        return;
    }
    let files = sends(2);
    let anchors = pec_core::signature::TrustAnchors::builtin();
    let (one, two) = (fresh_database(), fresh_database());
    let desktop = tempfile::tempdir().unwrap();
    let mut archive = Archive::open_postgres(&one, desktop.path()).unwrap();
    super::store_files(&mut archive, &anchors, &files);
    drop(archive);
    // A new, empty archive: this desktop never wrote to it, so it has nothing to hold it to.
    let mut archive = Archive::open_postgres(&two, desktop.path()).unwrap();
    let report = archive.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    super::store_files(&mut archive, &anchors, &files[..1]);
    drop(archive);
    // Back on the first, whose chain is longer than the second's: held to its own end.
    let archive = Archive::open_postgres(&one, desktop.path()).unwrap();
    let report = archive.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    // And that witness still catches the first archive's end cut off.
    super::forge_on_server(archive.path(), "DELETE FROM journal WHERE seq > 3");
    let report = archive.check().unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.code == pec_archive::check::ProblemCode::JournalTruncated),
        "{:?}",
        report.problems
    );
}
