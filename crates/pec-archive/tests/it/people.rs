//! Issue 18 §3, people: each desktop acts as a named person of the firm. What the archive records of
//! them — who archived, sent, re-verified or exported what — is inside the hash chain, and a database
//! edited to say someone else did it is caught by `check`.

use pec_archive::check::{CheckReport, ProblemCode};
use pec_archive::exported::PackWritten;
use pec_archive::journal::{self, Event};
use pec_archive::listing::SentQuery;
use pec_archive::{Archive, Origin, Person, Reading};
use pec_core::signature::TrustAnchors;

use super::{forge_on_server, fresh, now, on_postgres, reopen, signed, store_files};

fn maria() -> Person {
    Person::new("Avv. Maria Rossi", Some("maria.rossi@studio.example")).unwrap()
}

fn luca() -> Person {
    Person::new("Luca Bianchi", None).unwrap()
}

/// The journal's entries, read back.
fn entries(archive: &Archive) -> Vec<journal::Entry> {
    let report = archive.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    let entries = archive.journal_entries().unwrap();
    assert_eq!(entries.len() as i64, report.head_seq);
    entries
}

/// A signed send submitted by Attesta as Maria (the sent copy through the outbox), then its
/// acceptance and deliveries archived as they arrive.
fn sent_by_maria() -> Option<(tempfile::TempDir, Archive)> {
    let signed = signed()?;
    let (dir, archive) = fresh();
    let mut archive = archive.acting_as(Some(maria()));
    let (_, sent) = &signed.files[0];
    let reading = Reading::of(sent, &signed.anchors, now());
    let msgid = reading.facts.message_id.clone().unwrap();
    archive
        .enqueue(
            sent.clone(),
            reading,
            "studio.rossi@pec.provider.example",
            &msgid,
            &["a@pec.altro.example".to_owned()],
            now(),
        )
        .unwrap();
    store_files(&mut archive, &signed.anchors, &signed.files[1..]);
    Some((dir, archive))
}

#[test]
fn issue_18_a_submission_names_its_sender_in_its_origin_the_journal_and_the_sent_list() {
    let Some((_dir, archive)) = sent_by_maria() else {
        return;
    };
    let page = archive
        .sent_page(
            &SentQuery {
                limit: 10,
                ..SentQuery::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].sent_by, Some(maria()));
    let status = archive.status(&Default::default(), now()).unwrap();
    assert_eq!(status[0].sent_by, Some(maria()));

    let item = archive.item(1, now()).unwrap();
    assert_eq!(
        item.origins,
        [Origin::Submitted {
            account: "studio.rossi@pec.provider.example".into(),
            by: Some(maria()),
        }]
    );
    assert_eq!(item.send.unwrap().sent_by, Some(maria()));

    let journal = entries(&archive);
    assert!(journal.iter().all(|e| e.by == Some(maria())), "{journal:?}");
    assert!(matches!(
        &journal[0].event,
        Event::Archived {
            origin: Origin::Submitted { by: Some(p), .. },
            ..
        } if *p == maria()
    ));
}

#[test]
fn issue_18_a_send_attesta_did_not_submit_names_no_sender() {
    let Some(signed) = signed() else { return };
    let (_dir, archive) = fresh();
    let mut archive = archive.acting_as(Some(maria()));
    store_files(&mut archive, &signed.anchors, &signed.files);
    let status = archive.status(&Default::default(), now()).unwrap();
    assert_eq!(status[0].sent_by, None, "imported, not sent by anyone here");
    // Archiving it is still recorded as Maria's doing.
    assert!(entries(&archive).iter().all(|e| e.by == Some(maria())));
}

/// Lets `sql` edit the archive [`sent_by_maria`] made, as a forger with the database would, and returns
/// what check says.
fn forged(sql: &str) -> Option<CheckReport> {
    let (dir, archive) = sent_by_maria()?;
    let db = archive.path().to_path_buf();
    drop(archive);
    if on_postgres() {
        forge_on_server(&db, sql);
    } else {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(sql).unwrap();
    }
    let report = reopen(&db, dir.path()).check().unwrap();
    Some(report)
}

#[test]
fn issue_18_a_sender_changed_in_the_database_is_caught_with_both_names() {
    let Some(report) = forged(
        "UPDATE origins SET sent_by = 'Luca Bianchi', sent_by_email = NULL WHERE source = 'submitted';",
    ) else {
        return;
    };
    let p = report
        .problems
        .iter()
        .find(|p| p.code == ProblemCode::SenderAltered)
        .unwrap_or_else(|| panic!("{:?}", report.problems));
    assert_eq!(p.id, Some(1));
    assert!(
        p.message
            .contains("Avv. Maria Rossi <maria.rossi@studio.example>")
            && p.message.contains("Luca Bianchi"),
        "{}",
        p.message
    );
}

#[test]
fn issue_18_a_sender_removed_from_the_database_is_caught() {
    let Some(report) = forged(
        "UPDATE origins SET sent_by = NULL, sent_by_email = NULL WHERE source = 'submitted';",
    ) else {
        return;
    };
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.code == ProblemCode::SenderAltered && p.message.contains("no one recorded")),
        "{:?}",
        report.problems
    );
}

#[test]
fn issue_18_who_did_it_edited_in_the_journal_is_caught() {
    let Some(report) = forged(
        "DROP TRIGGER journal_is_append_only_u; \
         UPDATE journal SET entry = replace(entry, 'Avv. Maria Rossi', 'Luca Bianchi') WHERE seq = 2;",
    ) else {
        return;
    };
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.code == ProblemCode::JournalEdited),
        "{:?}",
        report.problems
    );
}

#[test]
fn issue_18_a_reverification_is_recorded_as_done_by_the_person_who_ran_it() {
    let Some(signed) = signed() else { return };
    let (_dir, archive) = fresh();
    // Archived by Maria before the test CA was trusted: the receipts are untrusted.
    let mut archive = archive.acting_as(Some(maria()));
    store_files(&mut archive, &TrustAnchors::builtin(), &signed.files);
    // Luca re-verifies with it trusted.
    let mut archive = archive.acting_as(Some(luca()));
    let pick = |_: &[Origin]| &signed.anchors;
    let report = archive.rebuild(Some(&pick), now(), &mut |_, _| {}).unwrap();
    assert_eq!(report.verdicts_changed, 3);
    let journal = entries(&archive);
    let verdicts: Vec<_> = journal
        .iter()
        .filter(|e| matches!(e.event, Event::Verdict { .. }))
        .collect();
    assert_eq!(verdicts.len(), 3);
    assert!(verdicts.iter().all(|e| e.by == Some(luca())));
    assert!(
        journal
            .iter()
            .filter(|e| matches!(e.event, Event::Archived { .. }))
            .all(|e| e.by == Some(maria()))
    );
}

#[test]
fn issue_18_an_export_is_recorded_with_who_made_it_and_found_by_the_packs_hash() {
    let Some((_dir, archive)) = sent_by_maria() else {
        return;
    };
    let mut archive = archive.acting_as(Some(luca()));
    let pack = "ab".repeat(32);
    archive
        .record_export(
            PackWritten {
                msgid: "<x@studio.example>".into(),
                messages: vec!["cd".repeat(32)],
                file: "2026-03-02_1_Diffida.zip".into(),
                pack_sha256: pack.clone(),
            },
            now(),
        )
        .unwrap();
    let found = archive.exports_of_pack(&pack.to_uppercase()).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].by, Some(luca()));
    assert_eq!(found[0].file, "2026-03-02_1_Diffida.zip");
    assert!(
        archive
            .exports_of_pack(&"ef".repeat(32))
            .unwrap()
            .is_empty()
    );
    // The export is in the chain and changes no row: the archive still checks clean.
    let journal = entries(&archive);
    assert!(matches!(
        journal.last().unwrap().event,
        Event::Exported { .. }
    ));
}

#[test]
fn issue_18_a_moved_submission_keeps_its_sender_and_the_move_names_who_made_it() {
    let Some((_dir, source)) = sent_by_maria() else {
        return;
    };
    let target_dir = tempfile::tempdir().unwrap();
    let target = Archive::open(&Archive::file_in(target_dir.path())).unwrap();
    let mut target = target.acting_as(Some(luca()));
    let report = source
        .migrate_into(&mut target, now(), &mut |_, _| {})
        .unwrap();
    assert!(report.missing.is_empty(), "{:?}", report.missing);
    let status = target.status(&Default::default(), now()).unwrap();
    assert_eq!(
        status[0].sent_by,
        Some(maria()),
        "the sender stays the sender"
    );
    assert!(
        entries(&target).iter().all(|e| e.by == Some(luca())),
        "the move is Luca's"
    );
}
