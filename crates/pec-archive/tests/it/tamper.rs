//! Editing the database behind Attesta's back, with the `sqlite3` tool as anyone could, is caught by
//! `check`, which says what the edited thing was.

use std::path::Path;
use std::process::Command;

use pec_archive::Archive;
use pec_archive::check::{CheckReport, ProblemCode};

use super::{forge_on_server, fresh, on_postgres, reopen, signed, store_files};

fn sqlite3_available() -> bool {
    Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `sql` on the archive file with the sqlite3 command-line tool.
fn sqlite3(db: &Path, sql: &str) {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().unwrap();
    assert!(
        out.status.success(),
        "sqlite3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Archives a signed send (acceptance, two deliveries, one pending recipient), lets `sql` edit it, and
/// returns what check says.
fn tampered(sql: &str) -> Option<CheckReport> {
    if !on_postgres() && !sqlite3_available() {
        println!("SKIPPED: the sqlite3 tool is not installed");
        return None;
    }
    let signed = signed()?;
    let (dir, mut archive) = fresh();
    store_files(&mut archive, &signed.anchors, &signed.files[..2]);
    store_files(&mut archive, &signed.anchors, &signed.files[2..]);
    let clean = archive.check().unwrap();
    assert!(clean.is_clean(), "{:?}", clean.problems);
    let db = archive.path().to_path_buf();
    drop(archive);
    if on_postgres() {
        forge_on_server(&db, sql);
    } else {
        sqlite3(&db, sql);
    }
    let report = reopen(&db, dir.path()).check().unwrap();
    drop(dir);
    Some(report)
}

/// A signed send archived, closed, and its database opened directly (as a forger would).
fn signed_send_opened_raw() -> Option<(tempfile::TempDir, std::path::PathBuf, rusqlite::Connection)>
{
    if on_postgres() {
        println!("SKIPPED on PostgreSQL: this forger edits the SQLite file directly");
        return None;
    }
    let signed = signed()?;
    let (dir, mut archive) = fresh();
    store_files(&mut archive, &signed.anchors, &signed.files);
    let db = archive.path().to_path_buf();
    drop(archive);
    let conn = rusqlite::Connection::open(&db).unwrap();
    Some((dir, db, conn))
}

fn codes(report: &CheckReport) -> Vec<ProblemCode> {
    report.problems.iter().map(|p| p.code).collect()
}

#[test]
fn a_changed_byte_in_a_stored_message_is_caught_and_says_what_it_was() {
    let Some(report) = tampered(
        "DROP TRIGGER raw_is_immutable; \
         UPDATE raw SET bytes = CAST(substr(bytes, 1, 200) || X'5A' || substr(bytes, 202) AS BLOB) WHERE id = 2;",
    ) else {
        return;
    };
    assert!(
        codes(&report).contains(&ProblemCode::BytesAltered),
        "{:?}",
        report.problems
    );
    let p = report
        .problems
        .iter()
        .find(|p| p.code == ProblemCode::BytesAltered)
        .unwrap();
    assert_eq!(p.id, Some(2));
    assert!(
        p.message.contains("SHA-256") && p.message.contains("bytes"),
        "{}",
        p.message
    );
    assert!(!report.is_clean());
}

#[test]
fn an_edit_recompressed_into_place_is_caught_as_well() {
    // A careful forger decompresses the stored acceptance, edits it and stores it compressed again.
    let Some((_dir, db, conn)) = signed_send_opened_raw() else {
        return;
    };
    let (stored, size): (Vec<u8>, i64) = conn
        .query_row("SELECT bytes, size FROM raw WHERE id = 2", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let original = zstd::bulk::decompress(&stored, size as usize).unwrap();
    let forged = String::from_utf8_lossy(&original)
        .replacen("Diffida", "Diffidx", 1)
        .into_bytes();
    assert_eq!(forged.len(), original.len());
    conn.execute_batch("DROP TRIGGER raw_is_immutable;")
        .unwrap();
    conn.execute(
        "UPDATE raw SET bytes = ?1 WHERE id = 2",
        [zstd::bulk::compress(&forged, 3).unwrap()],
    )
    .unwrap();
    drop(conn);
    let report = Archive::open(&db).unwrap().check().unwrap();
    let p = report
        .problems
        .iter()
        .find(|p| p.code == ProblemCode::BytesAltered)
        .expect("caught");
    assert_eq!(p.id, Some(2));
    assert!(p.message.contains("SHA-256"), "{}", p.message);
}

#[test]
fn a_recipient_state_changed_to_delivered_is_caught() {
    let Some(report) = tampered(
        "UPDATE sent_recipients SET state = 'delivered', at = '2026-03-02T09:16:00Z' WHERE state = 'pending';",
    ) else {
        return;
    };
    let p = report
        .problems
        .iter()
        .find(|p| p.code == ProblemCode::SendAltered)
        .unwrap();
    assert!(
        p.message.contains("`delivered`") && p.message.contains("`pending`"),
        "{}",
        p.message
    );
}

#[test]
fn a_deleted_message_is_caught_with_what_it_was_and_where_it_came_from() {
    let Some(report) = tampered(
        "DROP TRIGGER raw_is_permanent; DELETE FROM messages WHERE id = 3; DELETE FROM raw WHERE id = 3;",
    ) else {
        return;
    };
    let p = report
        .problems
        .iter()
        .find(|p| p.code == ProblemCode::MessageRemoved)
        .unwrap();
    assert!(p.message.contains("delivery-a.eml"), "{}", p.message);
    assert!(
        codes(&report).contains(&ProblemCode::SendAltered),
        "the send lost evidence"
    );
}

#[test]
fn an_inserted_message_is_caught() {
    let Some(report) = tampered(
        "INSERT INTO raw (sha256, size, codec, bytes, archived_at) VALUES (x'00112233', 5, 'identity', CAST('hello' AS BLOB), '2026-01-01T00:00:00Z');",
    ) else {
        return;
    };
    assert!(
        codes(&report).contains(&ProblemCode::MessageInserted),
        "{:?}",
        report.problems
    );
}

#[test]
fn an_edited_or_removed_journal_entry_is_caught() {
    let Some(report) = tampered(
        "DROP TRIGGER journal_is_append_only_u; \
         UPDATE journal SET entry = replace(entry, 'delivery-a.eml', 'elsewhere.eml') WHERE seq = 3;",
    ) else {
        return;
    };
    assert!(
        codes(&report).contains(&ProblemCode::JournalEdited),
        "{:?}",
        report.problems
    );

    let Some(report) =
        tampered("DROP TRIGGER journal_is_append_only_d; DELETE FROM journal WHERE seq = 2;")
    else {
        return;
    };
    assert!(
        codes(&report).contains(&ProblemCode::JournalGap),
        "{:?}",
        report.problems
    );
}

#[test]
fn cutting_the_last_message_and_its_journal_entry_off_the_end_is_caught() {
    let Some(report) = tampered(
        "DROP TRIGGER journal_is_append_only_d; DROP TRIGGER raw_is_permanent; DROP TRIGGER origins_are_permanent; \
         DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal); \
         DELETE FROM origins WHERE raw_id = (SELECT max(id) FROM raw); \
         DELETE FROM messages WHERE id = (SELECT max(id) FROM raw); \
         DELETE FROM raw WHERE id = (SELECT max(id) FROM raw);",
    ) else {
        return;
    };
    assert!(
        codes(&report).contains(&ProblemCode::JournalTruncated),
        "{:?}",
        report.problems
    );
}

#[test]
fn a_rewritten_verdict_or_origin_is_caught() {
    let Some(report) = tampered(
        "UPDATE verdicts SET status = 'invalid' WHERE raw_id = 2; UPDATE messages SET sig_status = 'invalid' WHERE id = 2;",
    ) else {
        return;
    };
    let p = report
        .problems
        .iter()
        .find(|p| p.code == ProblemCode::VerdictAltered)
        .unwrap();
    assert!(
        p.message.contains("`valid`") && p.message.contains("`invalid`"),
        "{}",
        p.message
    );

    let Some(report) =
        tampered("UPDATE origins SET path = '/somewhere/else.eml' WHERE raw_id = 2;")
    else {
        return;
    };
    let c = codes(&report);
    assert!(
        c.contains(&ProblemCode::OriginRemoved) && c.contains(&ProblemCode::OriginInserted),
        "{c:?}"
    );
}

#[test]
fn an_untouched_archive_is_intact() {
    let Some(report) = tampered("SELECT 1;") else {
        return;
    };
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(report.messages, 4);
}

#[test]
fn a_stored_value_out_of_its_set_is_an_error_naming_its_row_never_a_default() {
    // Issue 16 §1: an unknown recipient state used to read as `pending`, an unknown kind as `not-pec`.
    let Some((_dir, db, conn)) = signed_send_opened_raw() else {
        return;
    };
    let send: i64 = conn
        .query_row("SELECT id FROM sent", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch(
        "UPDATE sent_recipients SET state = 'delivered-maybe' WHERE position = 0; \
         UPDATE messages SET kind = 'receipt' WHERE id = 2;",
    )
    .unwrap();
    drop(conn);
    let archive = Archive::open(&db).unwrap();
    let now = super::now();
    let status = archive.status(&pec_archive::query::StatusFilter::default(), now);
    let Err(pec_archive::ArchiveError::BadStoredValue(bad)) = status else {
        panic!("read as a default: {status:?}");
    };
    assert_eq!(
        (bad.table, bad.column, bad.row, bad.value.as_str()),
        ("sent_recipients", "state", send, "delivered-maybe")
    );
    let item = archive.rows_by_id(&[2]).unwrap_err();
    assert!(
        item.to_string()
            .starts_with("messages.kind of row 2 holds `receipt`, which is not a PecKind"),
        "{item}"
    );
}
