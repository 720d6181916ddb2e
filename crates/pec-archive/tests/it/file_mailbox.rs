//! Issue 18 §4: a file imported for a mailbox (`attesta import --mailbox`) is an arrival of its own,
//! kept with that mailbox on both engines; the same file imported for another mailbox, or for none,
//! is another arrival, and the same import again records nothing. The mailbox is in the journal: a
//! forger who moves a file's arrival to another mailbox is caught by `archive check`.

use pec_archive::check::ProblemCode;
use pec_archive::{Archive, Incoming, Origin, Reading};
use pec_core::signature::TrustAnchors;

use super::{fresh, now, on_postgres, signed};

fn store_for(archive: &mut Archive, anchors: &TrustAnchors, raw: &[u8], mailbox: Option<&str>) {
    archive
        .store(
            vec![Incoming {
                received: None,
                reading: Some(Reading::of(raw, anchors, now())),
                raw: raw.to_vec(),
                origin: Origin::File {
                    path: "/import/diffida.eml".into(),
                    part: 0,
                    mailbox: mailbox.map(str::to_owned),
                },
            }],
            now(),
        )
        .unwrap();
}

#[test]
fn issue_18_a_file_s_arrival_keeps_the_mailbox_its_import_named() {
    let Some(signed) = signed() else { return };
    let (dir, mut archive) = fresh();
    let raw = &signed.files[0].1;
    store_for(
        &mut archive,
        &signed.anchors,
        raw,
        Some("studio.rossi@pec.provider.example"),
    );
    store_for(
        &mut archive,
        &signed.anchors,
        raw,
        Some("studio.lavoro@pec.provider.example"),
    );
    store_for(&mut archive, &signed.anchors, raw, None);
    store_for(
        &mut archive,
        &signed.anchors,
        raw,
        Some("studio.rossi@pec.provider.example"),
    );
    assert_eq!(archive.message_count().unwrap(), 1);
    let id = archive.search("Diffida", 5).unwrap()[0].id;
    let mailboxes: Vec<Option<String>> = archive
        .origins(id)
        .unwrap()
        .into_iter()
        .map(|o| match o {
            Origin::File { mailbox, .. } => mailbox,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        mailboxes,
        [
            Some("studio.rossi@pec.provider.example".to_owned()),
            Some("studio.lavoro@pec.provider.example".to_owned()),
            None
        ]
    );
    assert!(archive.check().unwrap().is_clean());
    if on_postgres() {
        return;
    }

    // A forger gives the civil team's arrival to another mailbox, in the file itself.
    drop(archive);
    let db = Archive::file_in(dir.path());
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE origins SET account = 'segreteria@pec.provider.example' \
             WHERE account = 'studio.rossi@pec.provider.example'",
            [],
        )
        .unwrap();
    let report = Archive::open(&db).unwrap().check().unwrap();
    assert!(
        report.problems.iter().any(|p| matches!(
            p.code,
            ProblemCode::OriginRemoved | ProblemCode::OriginInserted
        )),
        "{:?}",
        report.problems
    );
}
