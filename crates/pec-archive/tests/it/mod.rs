//! Shared helpers for the archive's integration tests: a fresh archive in a temp dir, storing files
//! the way an import does, and a fixed clock.

mod access;
mod anchor;
mod corpus;
mod documents;
mod file_mailbox;
mod forged_links;
mod listing;
mod migrate;
mod people;
mod pipelined;
mod reconnect;
mod search;
mod search_vectors;
mod shared;
mod synthetic;
mod tamper;
mod witnesses;

use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use pec_archive::{Archive, Incoming, Origin, Reading};
use pec_core::signature::TrustAnchors;
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Send};

/// The provider every synthetic message comes from.
pub const SERVICE: &str = "posta-certificata@pec.provider.example";

/// The test PKI (shared), or `None` with a SKIPPED line when openssl is missing.
pub fn pki() -> Option<&'static TestPki> {
    static PKI: OnceLock<Option<TestPki>> = OnceLock::new();
    PKI.get_or_init(|| {
        if !openssl_available() {
            println!("SKIPPED: the openssl binary is needed to make test signatures");
            return None;
        }
        Some(TestPki::new(&PkiSpec::provider(SERVICE)))
    })
    .as_ref()
}

/// The built-in anchors plus the test CA.
pub fn trusting(pki: &TestPki) -> TrustAnchors {
    let mut anchors = TrustAnchors::builtin();
    anchors.add_pem(pki.ca_pem.as_bytes()).unwrap();
    anchors
}

/// One signed send: the sent copy, its acceptance and two deliveries out of three certified recipients.
pub struct Signed {
    pub files: Vec<(String, Vec<u8>)>,
    pub anchors: TrustAnchors,
    /// The transport envelope of the send, as its recipients' mailboxes receive it (not in `files`).
    pub envelope: Vec<u8>,
}

/// A signed send as files `sent.eml`, `acceptance.eml`, `delivery-a.eml`, `delivery-b.eml`.
pub fn signed() -> Option<Signed> {
    signed_send(
        "studio.rossi@pec.provider.example",
        "Diffida ad adempiere n. 42/2026",
    )
}

/// [`signed`], sent from `sender` with `subject`.
pub fn signed_send(sender: &str, subject: &str) -> Option<Signed> {
    let pki = pki()?;
    let send = Send::new(
        sender,
        &[
            "a@pec.altro.example",
            "b@pec.altro.example",
            "c@pec.altro.example",
        ],
        subject,
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).unwrap(),
    );
    let build = |kind| Pec::new(&send, kind).build(pki);
    let files = vec![
        ("/in/sent.eml".to_owned(), send.original()),
        (
            "/in/acceptance.eml".to_owned(),
            build(PecKindSpec::Acceptance),
        ),
        (
            "/in/delivery-a.eml".to_owned(),
            build(PecKindSpec::Delivery {
                recipient: "a@pec.altro.example".into(),
            }),
        ),
        (
            "/in/delivery-b.eml".to_owned(),
            build(PecKindSpec::Delivery {
                recipient: "b@pec.altro.example".into(),
            }),
        ),
    ];
    Some(Signed {
        files,
        anchors: trusting(pki),
        envelope: build(PecKindSpec::Envelope),
    })
}

/// The clock the tests judge at.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap()
}

/// Which engine the suite runs on: SQLite, or PostgreSQL when `ATTESTA_TEST_ENGINE=postgres` (the
/// test command runs the suite a second time so, against the server `scripts/lib/postgres-cluster`
/// starts).
pub fn on_postgres() -> bool {
    std::env::var("ATTESTA_TEST_ENGINE").as_deref() == Ok("postgres")
}

/// A fresh archive in its own temporary directory (SQLite), or in its own new database on the test
/// server (PostgreSQL, see [`on_postgres`]).
pub fn fresh() -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().unwrap();
    let archive = if on_postgres() {
        Archive::open_postgres(&fresh_database(), dir.path()).unwrap()
    } else {
        Archive::open(&Archive::file_in(dir.path())).unwrap()
    };
    (dir, archive)
}

/// A new, empty database on the test server, as an archive address.
pub fn fresh_database() -> pec_archive::db::postgres::Address {
    pec_archive::db::postgres::Address::test_server()
        .expect("ATTESTA_TEST_ENGINE=postgres needs ATTESTA_TEST_POSTGRES (scripts/lib/postgres-cluster)")
        .unwrap()
        .create_fresh_database("attesta_t")
        .unwrap()
}

/// Stores messages (name, bytes) as file imports, reading them as an import does.
pub fn store_files(archive: &mut Archive, anchors: &TrustAnchors, files: &[(String, Vec<u8>)]) {
    let batch = files
        .iter()
        .map(|(name, raw)| Incoming {
            received: None,
            reading: Some(Reading::of(
                raw,
                anchors,
                std::time::SystemTime::now().into(),
            )),
            raw: raw.clone(),
            origin: Origin::File {
                path: name.clone(),
                part: 0,
                mailbox: None,
            },
        })
        .collect();
    archive.store(batch, now()).unwrap();
}

/// Opens again the archive `archive.path()` named (after a forger worked on it), with `dir` as the
/// desktop's data directory.
pub fn reopen(path: &std::path::Path, dir: &std::path::Path) -> Archive {
    if on_postgres() {
        let password = pec_archive::db::postgres::Address::test_password();
        let address =
            pec_archive::db::postgres::Address::parse(path.to_str().unwrap(), password.as_deref())
                .unwrap();
        Archive::open_postgres(&address, dir).unwrap()
    } else {
        Archive::open(path).unwrap()
    }
}

/// What a forger with the database owner's power does to a shared archive: switch the append-only
/// triggers off for the session (`session_replication_role = replica`) and run `sql`, written for
/// SQLite and spelled here for PostgreSQL (test-only translation of the few SQLite spellings used).
pub fn forge_on_server(path: &std::path::Path, sql: &str) {
    use pec_archive::db::Db;
    use pec_archive::db::postgres::{Address, PgConn};
    let mut spelled = String::from("SET session_replication_role = replica; ");
    for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        if statement.starts_with("DROP TRIGGER") {
            continue;
        }
        let mut s = statement.replace("AS BLOB", "AS bytea");
        for (from, to) in [("X'", "'\\x"), ("x'", "'\\x")] {
            while let Some(at) = s.find(from) {
                let end = s[at + 2..].find('\'').unwrap() + at + 2;
                s = format!(
                    "{}{}{}'::bytea{}",
                    &s[..at],
                    to,
                    &s[at + 2..end],
                    &s[end + 1..]
                );
            }
        }
        spelled.push_str(&s);
        spelled.push_str("; ");
    }
    let address =
        Address::parse(path.to_str().unwrap(), Address::test_password().as_deref()).unwrap();
    let db = Db::Postgres(PgConn::connect(&address).unwrap());
    db.execute_batch(&spelled)
        .unwrap_or_else(|e| panic!("{spelled}: {e}"));
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    pec_archive::journal::hex(&sha2::Sha256::digest(bytes))
}
