//! The firm's server going away and coming back (issue 18 §6): an archive whose server does not
//! answer says so in seconds, as `ArchiveError::Unreachable`, and opens again once it is back.
//!
//! The server is cut off by a TCP relay between the archive and the test server (stopping the test
//! server itself would cut off every other test running beside this one); a relay that takes the
//! connection and never answers stands for a server behind a firewall that drops packets.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use pec_archive::db::postgres::Address;
use pec_archive::{Archive, ArchiveError};
use pec_testkit::relay::{self, Answer, Relay};

use super::{fresh_database, on_postgres};

/// `address` reached through local port `port` instead (the same name, so the certificate holds).
fn through(address: &Address, port: u16) -> Address {
    Address::parse(
        &relay::through(&address.shown, port),
        Address::test_password().as_deref(),
    )
    .unwrap()
}

/// Where the test server listens.
fn server_port(address: &Address) -> SocketAddr {
    relay::server_of(&address.shown)
}

#[test]
fn issue_18_a_server_that_goes_away_is_unreachable_in_seconds_and_opens_again_once_back() {
    if !on_postgres() {
        println!("SKIPPED on SQLite: a server archive's test");
        return;
    }
    let database = fresh_database();
    let relay = Relay::start(0, server_port(&database), Answer::Relayed);
    let address = through(&database, relay.port);
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open_postgres(&address, dir.path()).unwrap();
    assert_eq!(archive.message_count().unwrap(), 0);

    relay.cut();
    let started = Instant::now();
    let err = archive.message_count().unwrap_err();
    assert!(err.is_unreachable(), "{err:?}");
    let err = Archive::open_postgres(&address, dir.path()).err().unwrap();
    assert!(err.is_unreachable(), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?} to say so",
        started.elapsed()
    );
    // The connection stays lost; the archive is opened again once the server is back.
    let back = Relay::start(relay.port, server_port(&database), Answer::Relayed);
    assert!(archive.message_count().unwrap_err().is_unreachable());
    let again = Archive::open_postgres(&address, dir.path()).unwrap();
    assert_eq!(again.message_count().unwrap(), 0);
    drop(back);
}

#[test]
fn issue_18_a_server_that_takes_the_connection_and_never_answers_is_unreachable_within_the_bound() {
    if !on_postgres() {
        println!("SKIPPED on SQLite: a server archive's test");
        return;
    }
    let database = fresh_database();
    let silent = Relay::start(0, server_port(&database), Answer::Never);
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let err = Archive::open_postgres(&through(&database, silent.port), dir.path())
        .err()
        .unwrap();
    assert!(matches!(err, ArchiveError::Unreachable { .. }), "{err:?}");
    assert!(
        started.elapsed() < pec_archive::db::postgres::CONNECT_TIMEOUT * 3,
        "took {:?}",
        started.elapsed()
    );
}

/// Runs the test server's `pg_ctl` with `args`, as the user that owns its data (the server refuses
/// to run as root).
fn pg_ctl(cluster: &std::path::Path, args: &[&str]) {
    let bin = std::env::var("ATTESTA_TEST_POSTGRES_BIN").unwrap();
    let pg_ctl = format!("{bin}/pg_ctl");
    let owner = |path: &std::path::Path| {
        let out = std::process::Command::new("stat")
            .args(["-c", "%U"])
            .arg(path)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let me = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let server_user = owner(&cluster.join("data"));
    let mut command = if String::from_utf8_lossy(&me.stdout).trim() == server_user {
        std::process::Command::new(&pg_ctl)
    } else {
        let mut c = std::process::Command::new("runuser");
        c.args(["-u", &server_user, "--", &pg_ctl]);
        c
    };
    let status = command
        .args(args)
        .current_dir(cluster)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "pg_ctl {args:?}");
}

/// The test server itself stopped (`pg_ctl stop`, fast mode: connections are told the server shuts
/// down) and started again on its port. It cuts off every other test using the server, so it runs
/// alone: `scripts/lib/postgres-cluster env ATTESTA_TEST_ENGINE=postgres cargo test -p pec-archive
/// --test tests -- --ignored --exact it::reconnect::issue_18_the_server_itself_stopped_and_started_again_is_opened_again`.
#[test]
#[ignore = "stops the shared test server: run alone (see the comment)"]
fn issue_18_the_server_itself_stopped_and_started_again_is_opened_again() {
    if !on_postgres() {
        println!("SKIPPED on SQLite: a server archive's test");
        return;
    }
    let database = fresh_database();
    let ca = std::env::var("ATTESTA_TEST_POSTGRES_CA").unwrap();
    let cluster = std::path::Path::new(&ca)
        .parent()
        .and_then(|tls| tls.parent())
        .unwrap()
        .to_path_buf();
    let data = cluster.join("data");
    let data = data.to_str().unwrap();
    let port = server_port(&database).port();
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open_postgres(&database, dir.path()).unwrap();
    assert_eq!(archive.message_count().unwrap(), 0);

    pg_ctl(
        &cluster,
        &["--pgdata", data, "--mode=fast", "--wait", "stop"],
    );
    let started = Instant::now();
    let err = archive.message_count().unwrap_err();
    assert!(err.is_unreachable(), "{err:?}");
    let err = Archive::open_postgres(&database, dir.path()).err().unwrap();
    assert!(err.is_unreachable(), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    let log = cluster.join("server.log");
    pg_ctl(
        &cluster,
        &[
            "--pgdata",
            data,
            "--log",
            log.to_str().unwrap(),
            "--wait",
            &format!("--options=-p {port}"),
            "start",
        ],
    );
    assert!(archive.message_count().unwrap_err().is_unreachable());
    let again = Archive::open_postgres(&database, dir.path()).unwrap();
    assert_eq!(again.message_count().unwrap(), 0);
}
