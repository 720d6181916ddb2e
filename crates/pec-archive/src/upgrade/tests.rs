//! Issue 17 §4: upgrading an archive written by an older Attesta keeps everything. Each test builds an
//! archive at an older schema version holding the real corpus, then opens it with this build.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use pec_core::signature::TrustAnchors;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::{Plan, UpgradeStep, copy};
use crate::error::ArchiveError;
use crate::journal::hex;
use crate::migrations::{self, MIGRATIONS, Migration};
use crate::{Archive, Incoming, Origin, Reading};

/// What each migration added, taken off again: the schema an older Attesta wrote, going down from the
/// latest version. `UNDO[i]` turns version `latest - i` into `latest - i - 1`.
const UNDO: &[&str] = &[
    // 12 → 11
    "DROP INDEX origins_file;
     CREATE UNIQUE INDEX origins_file ON origins(path, part, raw_id) WHERE source = 'file';",
    // 11 → 10
    "DROP TABLE document_verdicts;",
    // 10 → 9
    "DROP INDEX origins_mailbox; DROP INDEX verdicts_text; DROP TABLE mailbox_grants;",
    // 9 → 8
    "DROP INDEX messages_link_local; ALTER TABLE messages DROP COLUMN link_local;",
    // 8 → 7
    "ALTER TABLE origins DROP COLUMN sent_by; ALTER TABLE origins DROP COLUMN sent_by_email;",
    // 7 → 6
    "ALTER TABLE messages DROP COLUMN family; ALTER TABLE messages DROP COLUMN rem_kind;
     ALTER TABLE messages DROP COLUMN rem_reason; ALTER TABLE sent DROP COLUMN family;",
    // 6 → 5
    "DROP INDEX messages_kind_sender; DROP INDEX messages_kind_subject;
     DROP INDEX messages_receipts_sender; DROP INDEX messages_receipts_subject;",
    // 5 → 4
    "ALTER TABLE origins DROP COLUMN received_at;",
    // 4 → 3
    "ALTER TABLE sent_recipients DROP COLUMN disputed_by;",
];

/// An archive at schema `version` in its own directory, holding the real corpus (`None`, with a
/// SKIPPED line, without it); and each message's SHA-256, recomputed from its stored bytes.
fn older_archive(version: i64) -> Option<(tempfile::TempDir, PathBuf, Vec<String>)> {
    let corpus = pec_testkit::corpus::dir_or_skip("archive upgrade")?;
    let dir = tempfile::tempdir().unwrap();
    let path = Archive::file_in(dir.path());
    let mut archive = Archive::open(&path).unwrap();
    let anchors = TrustAnchors::builtin();
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join("real"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let batch = files
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .filter(|raw| pec_core::check_mail(raw).is_ok())
        .map(|raw| Incoming {
            received: None,
            reading: Some(Reading::of(&raw, &anchors, now())),
            raw,
            origin: Origin::File {
                path: "/in/corpus.eml".into(),
                part: 0,
                mailbox: None,
            },
        })
        .collect();
    archive.store(batch, now()).unwrap();
    assert!(archive.check().unwrap().is_clean());
    drop(archive);
    let conn = Connection::open(&path).unwrap();
    let down = usize::try_from(migrations::latest() - version).unwrap();
    for undo in &UNDO[..down] {
        conn.execute_batch(undo).unwrap();
    }
    conn.pragma_update(None, "user_version", version).unwrap();
    drop(conn);
    let hashes = raw_hashes(&path);
    assert!(hashes.len() > 10, "the corpus fills the archive");
    Some((dir, path, hashes))
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap()
}

/// Every stored message's SHA-256, recomputed from its bytes, in archive order.
fn raw_hashes(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT codec, bytes, size FROM raw ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| {
        let (codec, bytes, size): (String, Vec<u8>, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let raw = crate::blob::unpack(&codec, &bytes, size as u64).unwrap();
        Ok(hex(&Sha256::digest(raw)))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn version_of(db: &Path) -> i64 {
    migrations::current(&crate::db::Db::Sqlite(Connection::open(db).unwrap())).unwrap()
}

fn open(path: &Path, steps: &[Migration]) -> (Result<Archive, ArchiveError>, Vec<UpgradeStep>) {
    let plan = Plan {
        steps,
        free_space: copy::free_space,
    };
    let mut seen = Vec::new();
    let opened = Archive::open_with(path, &plan, &mut |s| seen.push(s.clone()));
    (opened, seen)
}

/// The real migrations up to `version`, then `last` as the next one.
fn with_last(version: i64, sql: &'static str) -> Vec<Migration> {
    let mut steps: Vec<Migration> = MIGRATIONS
        .iter()
        .filter(|m| m.version < version)
        .map(|m| Migration {
            version: m.version,
            sql: m.sql,
        })
        .collect();
    steps.push(Migration { version, sql });
    steps
}

#[test]
fn an_older_archive_is_copied_migrated_verified_and_the_copy_removed() {
    let Some((_dir, path, before)) = older_archive(3) else {
        return;
    };
    let copy = copy::path_for(&path, 3);
    let mut copy_seen = None;
    let plan = Plan::CURRENT;
    let mut steps = Vec::new();
    assert!(Archive::upgrade_pending(&path));
    let archive = Archive::open_with(&path, &plan, &mut |s| {
        if *s == UpgradeStep::Verifying {
            // While the upgrade runs, the copy is there: private, at the old version, the old content.
            let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
            copy_seen = Some((mode, version_of(&copy), raw_hashes(&copy)));
        }
        steps.push(s.clone());
    })
    .unwrap();

    assert_eq!(copy_seen, Some((0o600, 3, before.clone())));
    assert!(!copy.exists(), "the copy is removed once verified");
    assert_eq!(copy::find(&path).unwrap(), None);
    assert!(matches!(
        steps.first(),
        Some(UpgradeStep::Copying { total, .. }) if *total > 0
    ));
    let copied = steps
        .iter()
        .filter_map(|s| match s {
            UpgradeStep::Copying { done, total, .. } => Some((*done, *total)),
            _ => None,
        })
        .next_back()
        .unwrap();
    assert_eq!(copied.0, copied.1, "the copy was finished");
    let rest: Vec<_> = steps
        .into_iter()
        .filter(|s| !matches!(s, UpgradeStep::Copying { .. }))
        .collect();
    let latest = migrations::latest();
    let mut expected: Vec<UpgradeStep> = (4..=latest)
        .map(|version| UpgradeStep::Migrating {
            step: (version - 3) as u32,
            of: (latest - 3) as u32,
            version,
        })
        .collect();
    expected.push(UpgradeStep::Verifying);
    expected.push(UpgradeStep::Verified {
        from: 3,
        to: latest,
        removed: copy,
        derived: 0,
    });
    assert_eq!(rest, expected);
    assert_eq!(
        migrations::current(&archive.conn).unwrap(),
        migrations::latest()
    );
    assert!(!Archive::upgrade_pending(&path));
    let report = archive.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(report.messages, before.len() as u64);
    drop(archive);
    assert_eq!(raw_hashes(&path), before, "every message, byte for byte");
}

#[test]
fn an_up_to_date_archive_opens_without_an_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = Archive::file_in(dir.path());
    assert!(!Archive::upgrade_pending(&path), "no file yet");
    let (first, seen) = open(&path, MIGRATIONS);
    drop(first.unwrap());
    assert!(!Archive::upgrade_pending(&path));
    let (again, seen_again) = open(&path, MIGRATIONS);
    again.unwrap();
    assert_eq!((seen, seen_again), (vec![], vec![]));
    assert_eq!(copy::find(&path).unwrap(), None);
}

#[test]
fn a_failing_migration_keeps_the_copy_and_the_archive_at_its_version() {
    let Some((_dir, path, before)) = older_archive(6) else {
        return;
    };
    let broken = with_last(
        7,
        "ALTER TABLE messages ADD COLUMN family TEXT; NOT SQL AT ALL;",
    );
    let (opened, _) = open(&path, &broken);
    let copy = copy::path_for(&path, 6);
    match opened {
        Err(ArchiveError::UpgradeFailed {
            version: 7,
            copy: kept,
            ..
        }) => assert_eq!(kept, copy),
        other => panic!("expected a failed upgrade, got {:?}", other.err()),
    }
    assert_eq!(version_of(&path), 6, "the failed step was rolled back");
    assert_eq!(raw_hashes(&path), before);
    assert_eq!(version_of(&copy), 6);
    assert_eq!(
        raw_hashes(&copy),
        before,
        "the copy holds the archive as it was"
    );

    // This build's own migration then finishes the upgrade the copy was kept for.
    let (opened, seen) = open(&path, MIGRATIONS);
    opened.unwrap();
    assert!(seen.contains(&UpgradeStep::Verified {
        from: 6,
        to: migrations::latest(),
        removed: copy.clone(),
        derived: 0
    }));
    assert!(!copy.exists());
}

#[test]
fn an_upgrade_that_loses_or_alters_evidence_is_refused_and_the_copy_kept() {
    // A migration that does what no migration may, and what the verification must then say.
    let evil = [
        (
            "DROP TRIGGER journal_is_append_only_d; DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal);",
            "journal entries: ",
        ),
        (
            "DROP TRIGGER raw_is_immutable; UPDATE raw SET bytes = zeroblob(length(bytes)) WHERE id = 2;",
            "archive check: message 2 was altered",
        ),
    ];
    for (sql, said) in evil {
        let Some((_dir, path, before)) = older_archive(6) else {
            return;
        };
        let steps = with_last(migrations::latest() + 1, sql);
        let copy = copy::path_for(&path, 6);
        let (opened, seen) = open(&path, &steps);
        match opened {
            Err(ArchiveError::UpgradeUnverified {
                copy: kept,
                findings,
                ..
            }) => {
                assert_eq!(kept, copy, "{sql}");
                assert!(
                    findings.iter().any(|f| f.starts_with(said)),
                    "{sql}: {findings:?}"
                );
            }
            other => panic!("{sql}: expected a refusal, got {:?}", other.err()),
        }
        assert!(
            !seen
                .iter()
                .any(|s| matches!(s, UpgradeStep::Verified { .. }))
        );
        assert_eq!(raw_hashes(&copy), before, "{sql}: the copy is intact");
        // Opening again does not open it for writing while the copy is there.
        let (again, _) = open(&path, &steps);
        assert!(
            matches!(again, Err(ArchiveError::UpgradeUnverified { .. })),
            "{sql}"
        );
        assert!(copy.exists(), "{sql}");
    }
}

#[test]
fn a_process_killed_after_the_copy_recovers_on_the_next_open() {
    let Some((_dir, path, before)) = older_archive(6) else {
        return;
    };
    let copy = copy::path_for(&path, 6);
    {
        let conn = Connection::open(&path).unwrap();
        copy::make(&conn, &copy, &mut |_, _| {}).unwrap();
    }
    assert!(Archive::upgrade_pending(&path), "the copy beside it tells");
    let (opened, seen) = open(&path, MIGRATIONS);
    opened.unwrap();
    assert!(
        !seen
            .iter()
            .any(|s| matches!(s, UpgradeStep::Copying { .. })),
        "the copy already made is the one kept"
    );
    assert!(seen.contains(&UpgradeStep::Verified {
        from: 6,
        to: migrations::latest(),
        removed: copy.clone(),
        derived: 0
    }));
    assert!(!copy.exists());
    assert_eq!(version_of(&path), migrations::latest());
    assert_eq!(raw_hashes(&path), before);
}

#[test]
fn a_process_killed_after_migrating_verifies_on_the_next_open() {
    let Some((_dir, path, before)) = older_archive(5) else {
        return;
    };
    let copy = copy::path_for(&path, 5);
    {
        let conn = Connection::open(&path).unwrap();
        copy::make(&conn, &copy, &mut |_, _| {}).unwrap();
        migrations::run(&crate::db::Db::Sqlite(conn)).unwrap();
    }
    let (opened, seen) = open(&path, MIGRATIONS);
    opened.unwrap();
    assert_eq!(
        seen,
        vec![
            UpgradeStep::Verifying,
            UpgradeStep::Verified {
                from: 5,
                to: migrations::latest(),
                removed: copy.clone(),
                derived: 0
            }
        ]
    );
    assert!(!copy.exists());
    assert_eq!(raw_hashes(&path), before);
}

#[test]
fn a_copy_cut_short_is_made_again() {
    let Some((_dir, path, before)) = older_archive(6) else {
        return;
    };
    let copy = copy::path_for(&path, 6);
    let mut partial = copy.as_os_str().to_owned();
    partial.push(".partial");
    std::fs::write(&partial, b"SQLite format 3\0 and then the power went").unwrap();
    let (opened, seen) = open(&path, MIGRATIONS);
    opened.unwrap();
    assert!(
        seen.iter()
            .any(|s| matches!(s, UpgradeStep::Copying { .. }))
    );
    assert!(!Path::new(&partial).exists() && !copy.exists());
    assert_eq!(raw_hashes(&path), before);
}

#[test]
fn without_room_for_the_copy_nothing_is_touched() {
    let Some((_dir, path, before)) = older_archive(6) else {
        return;
    };
    let plan = Plan {
        steps: MIGRATIONS,
        free_space: |_| Ok(4096),
    };
    let err = Archive::open_with(&path, &plan, &mut |_| {}).err().unwrap();
    assert!(
        matches!(err, ArchiveError::NoRoomForCopy { free: 4096, needed, .. } if needed > 4096),
        "{err}"
    );
    assert_eq!(version_of(&path), 6);
    assert_eq!(raw_hashes(&path), before);
    assert_eq!(copy::find(&path).unwrap(), None);
}
