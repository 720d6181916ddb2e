//! Issue 17 §4 as a user meets it: a command run on an archive an older Attesta wrote upgrades it,
//! says so on stderr (the copy kept, each step, the verification, the copy removed), and `archive
//! check` holds on the result.

use std::path::Path;
use std::process::Command;

use chrono::{TimeZone, Utc};
use pec_testkit::{Pec, PecKindSpec, PlaceholderSigner, Send};

use crate::support::{attesta_in as attesta, text};

/// What versions 7 to 12 added to the schema, taken off again: the archive as Attesta 6 left it.
const TO_VERSION_6: &str = "DROP INDEX origins_file; \
     CREATE UNIQUE INDEX origins_file ON origins(path, part, raw_id) WHERE source = 'file'; \
     DROP TABLE document_verdicts; DROP INDEX origins_mailbox; DROP INDEX verdicts_text; \
     DROP TABLE mailbox_grants; \
     DROP INDEX messages_link_local; \
     ALTER TABLE messages DROP COLUMN link_local; ALTER TABLE origins DROP COLUMN sent_by; \
     ALTER TABLE origins DROP COLUMN sent_by_email; ALTER TABLE messages DROP COLUMN family; \
     ALTER TABLE messages DROP COLUMN rem_kind; ALTER TABLE messages DROP COLUMN rem_reason; \
     ALTER TABLE sent DROP COLUMN family; PRAGMA user_version = 6;";

/// Whether the `sqlite3` tool is there to edit an archive as an older Attesta (or anyone) could.
fn sqlite3_or_skip() -> bool {
    let there = Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !there {
        println!("SKIPPED: the sqlite3 tool is not installed");
    }
    there
}

fn sqlite3(db: &Path, sql: &str) {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().unwrap();
    assert!(out.status.success(), "sqlite3: {out:?}");
}

#[test]
fn a_command_on_an_older_archive_upgrades_it_verifies_it_and_says_the_copy_was_removed() {
    if !sqlite3_or_skip() {
        return;
    }
    let mail = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let send = Send::new(
        "studio@pec.example",
        &["cliente@pec.example"],
        "Atto di citazione",
        Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap(),
    );
    std::fs::write(mail.path().join("inviato.eml"), send.original()).unwrap();
    std::fs::write(
        mail.path().join("accettazione.eml"),
        Pec::new(&send, PecKindSpec::Acceptance).build(&PlaceholderSigner),
    )
    .unwrap();
    let out = attesta(data.path(), &["import", mail.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    sqlite3(&data.path().join("archive.sqlite3"), TO_VERSION_6);

    let out = attesta(data.path(), &["status"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let copy = data.path().join("archive.v6.before-upgrade.sqlite3");
    for line in [
        format!("keeping a copy of it as it is, at {}", copy.display()),
        "step 1 of 6 (to archive version 7)".to_owned(),
        "step 2 of 6 (to archive version 8)".to_owned(),
        "step 3 of 6 (to archive version 9)".to_owned(),
        "step 4 of 6 (to archive version 10)".to_owned(),
        "step 5 of 6 (to archive version 11)".to_owned(),
        "step 6 of 6 (to archive version 12)".to_owned(),
        "verifying that it kept everything".to_owned(),
        format!(
            "archive upgraded from version 6 to 12 and verified; the copy {} was removed",
            copy.display()
        ),
    ] {
        assert!(stderr.contains(&line), "{line:?} in {stderr}");
    }
    assert!(!copy.exists());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Atto di citazione"));

    let check = attesta(data.path(), &["archive", "check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let again = attesta(data.path(), &["status"]);
    assert!(
        !String::from_utf8_lossy(&again.stderr).contains("upgrad"),
        "{}",
        text(&again)
    );
}

#[test]
fn an_archive_whose_upgrade_was_not_verified_is_refused_and_the_copy_named() {
    if !sqlite3_or_skip() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let out = attesta(data.path(), &["status"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // A copy left beside an archive that no longer holds what the copy holds.
    let copy = data.path().join("archive.v6.before-upgrade.sqlite3");
    std::fs::copy(data.path().join("archive.sqlite3"), &copy).unwrap();
    sqlite3(
        &copy,
        "PRAGMA journal_mode = DELETE; INSERT INTO journal (seq, entry, hash) VALUES (1, '{}', x'00');",
    );
    let db = data.path().join("archive.sqlite3");
    let out = attesta(data.path(), &["status"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("could not be verified")
            && stderr.contains(&format!("kept at {}", copy.display())),
        "{stderr}"
    );
    assert!(copy.exists() && db.exists());

    // `archive check` still checks it, read-only, and says why it is not clean.
    let before = std::fs::read(&db).unwrap();
    let check = attesta(data.path(), &["archive", "check"]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("UPGRADE NOT VERIFIED")
            && stdout.contains(&format!("kept at {}", copy.display()))
            && stdout.contains("intact: 0 messages"),
        "{stdout}"
    );
    let json = attesta(data.path(), &["archive", "check", "--json"]);
    assert_eq!(json.status.code(), Some(1), "{}", text(&json));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        value["upgrade_unverified"]["copy"].as_str(),
        copy.to_str(),
        "{value}"
    );
    assert!(value["upgrade_unverified"]["findings"][0].is_string());
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "checking wrote nothing"
    );
    assert!(copy.exists());
}
