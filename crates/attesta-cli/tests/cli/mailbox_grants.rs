//! Issue 18 §4 from the owner's desktop: `archive grant ROLE --read --mailbox ADDRESS` gives a person's
//! role the evidence of that mailbox only — what was imported from files is no mailbox's, so it sees
//! none of it until it is imported for that mailbox (`import --mailbox`) — `archive access` and
//! `archive check` say so, `archive revoke` takes mailboxes or the
//! whole archive back, and writing by mailbox is refused before anything is asked of the server.
//!
//! Needs PostgreSQL (`scripts/lib/postgres-cluster`) and a Secret Service (the password of `archive
//! use`); without them it says SKIPPED.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use chrono::{TimeZone, Utc};
use pec_archive::db::Db;
use pec_archive::db::postgres::{Address, PgConn};
use pec_testkit::{Pec, PecKindSpec, PlaceholderSigner, Send};

use crate::support::text;

/// `attesta --data-dir DATA ARGS…`, with `stdin` as its standard input (a password).
fn attesta(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_attesta"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("ATTESTA_NOW", "2030-01-02T12:00:00Z")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run attesta");
    let mut input = child.stdin.take().unwrap();
    if let Some(line) = stdin {
        input.write_all(format!("{line}\n").as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// `archive use URL` on `data` with `password`; `false` (SKIPPED) without an OS keyring.
fn use_archive(data: &Path, url: &str, password: Option<&str>) -> bool {
    let out = match password {
        Some(p) => attesta(data, &["archive", "use", url], Some(p)),
        None => attesta(data, &["archive", "use", "--no-password", url], None),
    };
    if text(&out).contains("no OS keyring") {
        println!("SKIPPED: no OS keyring in this session (run inside scripts/lib/keyring-session)");
        return false;
    }
    assert!(out.status.success(), "archive use {url}: {}", text(&out));
    true
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn issue_18_a_role_granted_a_mailbox_reads_only_its_evidence_and_is_told_so() {
    let Ok(admin) = std::env::var("ATTESTA_TEST_POSTGRES") else {
        println!("SKIPPED: no PostgreSQL server (run inside scripts/lib/postgres-cluster)");
        return;
    };
    let password = std::env::var("ATTESTA_TEST_POSTGRES_PASSWORD").ok();
    let url = Address::parse(&admin, password.as_deref())
        .unwrap()
        .create_fresh_database("attesta_grants_")
        .unwrap()
        .shown;

    // The owner's desktop: the firm's archive, with one send imported from files.
    let owner = tempfile::tempdir().unwrap();
    if !use_archive(owner.path(), &url, password.as_deref()) {
        return;
    }
    let mail = tempfile::tempdir().unwrap();
    let send = Send::new(
        "studio@pec.example",
        &["cliente@pec.example"],
        "Atto di precetto",
        Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap(),
    );
    std::fs::write(mail.path().join("inviato.eml"), send.original()).unwrap();
    std::fs::write(
        mail.path().join("accettazione.eml"),
        Pec::new(&send, PecKindSpec::Acceptance).build(&PlaceholderSigner),
    )
    .unwrap();
    let out = attesta(
        owner.path(),
        &["import", mail.path().to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));

    // Maria's login role, made by the firm's database administrator.
    let role = format!("maria_{}", std::process::id());
    let admin_address = Address::parse(&url, password.as_deref()).unwrap();
    Db::Postgres(PgConn::connect(&admin_address).unwrap())
        .execute_batch(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD 'parola-{role}'"
        ))
        .unwrap();
    let maria_url = url.replacen("attesta_admin@", &format!("{role}@"), 1);

    // Writing by mailbox is refused by the command line itself.
    let out = attesta(
        owner.path(),
        &[
            "archive",
            "grant",
            &role,
            "--write",
            "--mailbox",
            "studio@pec.example",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));

    let out = attesta(
        owner.path(),
        &[
            "archive",
            "grant",
            &role,
            "--read",
            "--mailbox",
            "Studio@PEC.example",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        stdout(&out).contains("the evidence of Studio@PEC.example"),
        "{}",
        text(&out)
    );

    let maria = tempfile::tempdir().unwrap();
    assert!(use_archive(
        maria.path(),
        &maria_url,
        Some(&format!("parola-{role}"))
    ));
    let out = attesta(maria.path(), &["archive", "access"], None);
    assert_eq!(
        stdout(&out),
        "read\nmailboxes: studio@pec.example\n",
        "{}",
        text(&out)
    );
    // The send came from files: no mailbox's, so not Maria's.
    let out = attesta(maria.path(), &["status"], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!stdout(&out).contains("Atto di precetto"), "{}", text(&out));
    let out = attesta(maria.path(), &["archive", "check"], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        stdout(&out).contains("checked for your role's mailboxes (studio@pec.example)")
            && stdout(&out).contains("2 messages of other mailboxes or imported from files"),
        "{}",
        text(&out)
    );

    // The same files imported again for the mailbox they belong to: now they are Maria's too; a name
    // that is no address is refused before anything is read.
    let out = attesta(
        owner.path(),
        &[
            "import",
            "--mailbox",
            "studio",
            mail.path().to_str().unwrap(),
        ],
        None,
    );
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("`studio` is not a mailbox address"),
        "{}",
        text(&out)
    );
    let out = attesta(
        owner.path(),
        &[
            "import",
            "--mailbox",
            "Studio@PEC.example",
            mail.path().to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = attesta(maria.path(), &["status"], None);
    assert!(stdout(&out).contains("Atto di precetto"), "{}", text(&out));
    let out = attesta(maria.path(), &["archive", "check"], None);
    assert!(out.status.success(), "{}", text(&out));

    // Every mailbox: the send is there; then the mailbox alone cannot be taken from "every".
    let out = attesta(owner.path(), &["archive", "grant", &role, "--read"], None);
    assert!(out.status.success(), "{}", text(&out));
    let out = attesta(maria.path(), &["status"], None);
    assert!(stdout(&out).contains("Atto di precetto"), "{}", text(&out));
    let out = attesta(maria.path(), &["archive", "access"], None);
    assert_eq!(stdout(&out), "read\n", "{}", text(&out));
    let out = attesta(
        owner.path(),
        &[
            "archive",
            "revoke",
            &role,
            "--mailbox",
            "studio@pec.example",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("is granted every mailbox"),
        "{}",
        text(&out)
    );

    // The whole archive taken back: Maria's desktop is refused by name.
    let out = attesta(owner.path(), &["archive", "revoke", &role], None);
    assert!(out.status.success(), "{}", text(&out));
    let out = attesta(maria.path(), &["status"], None);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("has not been granted the firm's archive"),
        "{}",
        text(&out)
    );
}
