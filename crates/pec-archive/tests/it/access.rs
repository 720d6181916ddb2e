//! Who may do what in the firm's shared archive (issue 18 §4), enforced by the PostgreSQL server: a
//! role granted reading browses, searches, checks — and cannot archive or queue a send, nothing
//! changed; a writer archives but cannot edit evidence even with the triggers out of the way; a writer
//! demoted to reading writes no more. By mailbox (row-level security): a role granted one mailbox
//! reads that mailbox's evidence and nothing of another's, whatever it asks the server; a role granted
//! none reads nothing; its check proves the whole chain and its own mailbox's messages. PostgreSQL
//! only (a file archive is its owner's).

use pec_archive::db::Db;
use pec_archive::db::postgres::{Address, PgConn};
use pec_archive::listing::{ListQuery, ListScope, ListSort};
use pec_archive::query::StatusFilter;
use pec_archive::{
    Access, Archive, ArchiveError, FolderRole, Incoming, Mailboxes, Origin, Reading,
};
use pec_core::signature::TrustAnchors;

use super::{fresh, now, on_postgres, signed, signed_send, store_files};

/// The owner's own session on the test server, to look at the tables as they are.
fn admin(owner: &Archive) -> Db {
    let password = Address::test_password();
    let admin_url = owner.path().to_str().unwrap();
    Db::Postgres(PgConn::connect(&Address::parse(admin_url, password.as_deref()).unwrap()).unwrap())
}

/// A new login role on the test server (granted nothing yet), as an address of `owner`'s archive.
fn new_role(owner: &Archive, name: &str) -> Address {
    let admin_url = owner.path().to_str().unwrap().to_owned();
    let admin = admin(owner);
    let role = format!("{name}_{}", std::process::id());
    admin
        .execute_batch(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD 'parola-{role}'"
        ))
        .unwrap();
    let url = admin_url.replacen("attesta_admin@", &format!("{role}@"), 1);
    Address::parse(&url, Some(&format!("parola-{role}"))).unwrap()
}

/// `address` granted `access` by `owner`, opened from a desktop of its own.
fn granted(owner: &Archive, address: &Address, access: Access) -> (tempfile::TempDir, Archive) {
    owner
        .grant(&role_of(address), access, &Mailboxes::All)
        .unwrap();
    let desk = tempfile::tempdir().unwrap();
    let archive = Archive::open_postgres(address, desk.path()).unwrap();
    (desk, archive)
}

fn role_of(address: &Address) -> String {
    address
        .shown
        .split("://")
        .nth(1)
        .unwrap()
        .split('@')
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn issue_18_a_reader_browses_and_checks_but_never_writes_or_sends() {
    if !on_postgres() {
        println!("SKIPPED: roles are the shared archive's (ATTESTA_TEST_ENGINE=postgres)");
        return;
    }
    let Some(signed) = signed() else { return };
    let (_dir, mut owner) = fresh();
    store_files(&mut owner, &signed.anchors, &signed.files[..3]);
    let address = new_role(&owner, "lettore");
    let nowhere = tempfile::tempdir().unwrap();
    let err = Archive::open_postgres(&address, nowhere.path())
        .err()
        .unwrap();
    assert!(
        matches!(err, ArchiveError::NotGranted { .. }),
        "no grant, no reading: {err}"
    );
    let (_desk, mut reader) = granted(&owner, &address, Access::Read);
    assert_eq!(reader.access().unwrap(), Access::Read);
    assert_eq!(reader.message_count().unwrap(), 3);
    assert!(!reader.search("Diffida", 10).unwrap().is_empty());
    assert!(reader.check().unwrap().is_clean());

    let before = owner.message_count().unwrap();
    let (name, raw) = &signed.files[3];
    let err = reader
        .store(
            vec![pec_archive::Incoming {
                reading: Some(Reading::of(raw, &signed.anchors, now())),
                raw: raw.clone(),
                origin: pec_archive::Origin::File {
                    path: name.clone(),
                    part: 0,
                    mailbox: None,
                },
                received: None,
            }],
            now(),
        )
        .unwrap_err();
    assert!(matches!(err, ArchiveError::ReadOnly { .. }), "{err}");
    let err = reader
        .enqueue(
            raw.clone(),
            Reading::of(raw, &signed.anchors, now()),
            "studio.rossi@pec.provider.example",
            "<x@y>",
            &["a@pec.altro.example".to_owned()],
            now(),
        )
        .unwrap_err();
    assert!(matches!(err, ArchiveError::ReadOnly { .. }), "{err}");
    assert_eq!(
        owner.message_count().unwrap(),
        before,
        "nothing was changed"
    );
    assert!(owner.outbox(None).unwrap().is_empty());
    assert!(owner.check().unwrap().is_clean());
}

#[test]
fn issue_18_a_writer_archives_but_cannot_edit_evidence_and_a_demoted_writer_writes_no_more() {
    if !on_postgres() {
        println!("SKIPPED: roles are the shared archive's (ATTESTA_TEST_ENGINE=postgres)");
        return;
    }
    let Some(signed) = signed() else { return };
    let (_dir, mut owner) = fresh();
    store_files(&mut owner, &signed.anchors, &signed.files[..2]);
    let address = new_role(&owner, "scrivente");
    let (_desk, mut writer) = granted(&owner, &address, Access::Write);
    assert_eq!(writer.access().unwrap(), Access::Write);
    store_files(&mut writer, &signed.anchors, &signed.files[2..]);
    assert_eq!(owner.message_count().unwrap(), 4);
    assert!(owner.check().unwrap().is_clean());

    // The writer's own session, triggers out of the way if it could: the server still refuses.
    let session = Db::Postgres(PgConn::connect(&address).unwrap());
    for edit in [
        "UPDATE raw SET archived_at = '2020-01-01T00:00:00Z'",
        "DELETE FROM journal",
        "UPDATE origins SET path = '/altrove.eml'",
        "SET session_replication_role = replica",
    ] {
        let err = session.execute_batch(edit).unwrap_err();
        assert!(
            err.is_refused_write() || err.to_string().contains("permission denied"),
            "{edit}: {err}"
        );
    }

    owner
        .grant(&role_of(&address), Access::Read, &Mailboxes::All)
        .unwrap();
    assert_eq!(writer.access().unwrap(), Access::Read);
    let again = signed.files[0].1.clone();
    let err = writer
        .store(
            vec![pec_archive::Incoming {
                reading: None,
                raw: again,
                origin: pec_archive::Origin::File {
                    path: "/altrove/copia.eml".into(),
                    part: 0,
                    mailbox: None,
                },
                received: None,
            }],
            now(),
        )
        .unwrap_err();
    assert!(matches!(err, ArchiveError::ReadOnly { .. }), "{err}");
    assert!(owner.check().unwrap().is_clean());
}

/// The mailbox of the firm's civil law team, and of its labour law team.
const CIVILE: &str = "studio.rossi@pec.provider.example";
const LAVORO: &str = "studio.lavoro@pec.provider.example";

/// Stores `files` as synced from `mailbox`: the sent copy from its Sent folder, the rest from INBOX,
/// with UIDs from `first_uid` on.
fn store_synced(
    archive: &mut Archive,
    anchors: &TrustAnchors,
    mailbox: &str,
    first_uid: u32,
    files: &[(String, Vec<u8>)],
) {
    let batch = files
        .iter()
        .enumerate()
        .map(|(i, (name, raw))| {
            let sent = name.ends_with("/sent.eml");
            Incoming {
                received: None,
                reading: Some(Reading::of(
                    raw,
                    anchors,
                    std::time::SystemTime::now().into(),
                )),
                raw: raw.clone(),
                origin: Origin::Imap {
                    account: mailbox.to_owned(),
                    folder: if sent { "Sent" } else { "INBOX" }.to_owned(),
                    role: if sent {
                        FolderRole::Sent
                    } else {
                        FolderRole::Inbox
                    },
                    uidvalidity: 1,
                    uid: first_uid + i as u32,
                },
            }
        })
        .collect();
    archive.store(batch, now()).unwrap();
}

/// An archive holding two mailboxes' sends (four messages each: the sent copy, its acceptance, two
/// deliveries), the labour team's envelope and a plain copy of its message in the civil team's INBOX,
/// and one message imported from a file only.
fn two_mailboxes() -> Option<(tempfile::TempDir, Archive)> {
    let civile = signed()?;
    let lavoro = signed_send(LAVORO, "Ricorso per licenziamento illegittimo")?;
    let loose = signed_send(
        "archivio@pec.provider.example",
        "Verbale importato dal vecchio gestionale",
    )?;
    let (dir, mut owner) = fresh();
    store_synced(&mut owner, &civile.anchors, CIVILE, 1, &civile.files);
    store_synced(&mut owner, &lavoro.anchors, LAVORO, 1, &lavoro.files);
    // The labour team's send also reached the civil team's INBOX, as its envelope and as a plain copy
    // of the message: the civil team sees those two messages, never the labour team's receipts, the
    // state of its send or the copy's origin in the labour team's Sent folder.
    let envelope = ("/in/envelope.eml".to_owned(), lavoro.envelope.clone());
    let copy = ("/in/copia.eml".to_owned(), lavoro.files[0].1.clone());
    store_synced(&mut owner, &lavoro.anchors, CIVILE, 10, &[envelope, copy]);
    store_files(&mut owner, &loose.anchors, &loose.files[..1]);
    Some((dir, owner))
}

/// `address` granted reading `mailboxes` by `owner`, opened from a desktop of its own.
fn granted_only(
    owner: &Archive,
    address: &Address,
    mailboxes: &[&str],
) -> (tempfile::TempDir, Archive) {
    let list = Mailboxes::Only(mailboxes.iter().map(|m| m.to_string()).collect());
    owner.grant(&role_of(address), Access::Read, &list).unwrap();
    let desk = tempfile::tempdir().unwrap();
    let archive = Archive::open_postgres(address, desk.path()).unwrap();
    (desk, archive)
}

fn ids_of(archive: &Archive, words: &str) -> Vec<i64> {
    archive
        .search(words, 50)
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect()
}

fn count(db: &Db, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn issue_18_a_reader_granted_one_mailbox_reads_its_evidence_and_nothing_of_another() {
    if !on_postgres() {
        println!(
            "SKIPPED: row-level security is the shared archive's (ATTESTA_TEST_ENGINE=postgres)"
        );
        return;
    }
    let Some((_dir, owner)) = two_mailboxes() else {
        return;
    };
    let address = new_role(&owner, "civilista");
    let (_desk, reader) = granted_only(&owner, &address, &["Studio.Rossi@PEC.provider.example"]);
    assert_eq!(
        reader.granted_mailboxes().unwrap(),
        Mailboxes::Only(vec![CIVILE.to_owned()])
    );
    // The window's connection test says so before the archive is used.
    match pec_archive::probe::probe(&address).unwrap() {
        pec_archive::probe::Probe::Archive {
            access, mailboxes, ..
        } => {
            assert_eq!(access, Access::Read);
            assert_eq!(mailboxes, Mailboxes::Only(vec![CIVILE.to_owned()]));
        }
        other => panic!("{other:?}"),
    }

    // Listing, search, sends: the civil team's, nothing else.
    assert_eq!(owner.message_count().unwrap(), 10);
    assert_eq!(reader.message_count().unwrap(), 6);
    assert_eq!(ids_of(&reader, "Diffida").len(), 4);
    let received = ids_of(&reader, "licenziamento");
    assert_eq!(
        received.len(),
        2,
        "the envelope and the copy the civil team received"
    );
    assert!(ids_of(&reader, "gestionale").is_empty());
    let subjects = |a: &Archive| -> Vec<String> {
        a.status(&StatusFilter::default(), now())
            .unwrap()
            .into_iter()
            .filter_map(|s| s.subject)
            .collect()
    };
    assert!(subjects(&owner).iter().any(|s| s.contains("licenziamento")));
    assert_eq!(subjects(&reader), ["Diffida ad adempiere n. 42/2026"]);
    assert_eq!(reader.mailboxes().unwrap(), [CIVILE]);
    let listed = |a: &Archive, scope: ListScope| {
        a.list(&ListQuery {
            scope,
            sort: ListSort::Date,
            descending: true,
            text: String::new(),
            problems_only: false,
            offset: 0,
            limit: 50,
        })
        .unwrap()
        .total
    };
    assert_eq!(listed(&owner, ListScope::Receipts), 6);
    assert_eq!(listed(&reader, ListScope::Receipts), 3);
    let their_inbox = || ListScope::Folder {
        account: LAVORO.into(),
        folder: "INBOX".into(),
    };
    assert_eq!(listed(&owner, their_inbox()), 3);
    assert_eq!(listed(&reader, their_inbox()), 0);
    assert!(
        reader
            .folders()
            .unwrap()
            .iter()
            .all(|f| f.account == CIVILE)
    );

    // Asked by id: the other mailbox's messages are not there at all.
    let theirs: Vec<i64> = ids_of(&owner, "licenziamento")
        .into_iter()
        .filter(|id| !received.contains(id))
        .collect();
    assert_eq!(theirs.len(), 3);
    for id in theirs.iter().copied().chain(ids_of(&owner, "gestionale")) {
        assert!(reader.raw(id).is_err(), "raw {id}");
        assert!(reader.item(id, now()).is_err(), "item {id}");
        assert!(reader.verdicts(id).unwrap().is_empty(), "verdicts {id}");
        assert!(reader.origins(id).unwrap().is_empty(), "origins {id}");
    }
    for id in ids_of(&owner, "Diffida") {
        assert!(!reader.raw(id).unwrap().is_empty());
        assert_eq!(reader.verdicts(id).unwrap().len(), 1);
    }

    // The role's own session, asking the server directly: every table holds only the civil team's.
    let session = Db::Postgres(PgConn::connect(&address).unwrap());
    let as_owner = admin(&owner);
    for (table, civile) in [
        ("raw", 6),
        ("origins", 6),
        ("messages", 6),
        ("search", 6),
        ("verdicts", 6),
        ("sent", 1),
        ("sent_recipients", 3),
    ] {
        let sql = format!("SELECT count(*) FROM {table}");
        assert_eq!(count(&session, &sql), civile, "{table}");
        assert!(
            count(&as_owner, &sql) > civile,
            "{table}: the owner sees all"
        );
    }
    assert_eq!(
        count(&session, "SELECT count(*) FROM verdict_texts"),
        count(
            &as_owner,
            &format!(
                "SELECT count(DISTINCT v.text_id) FROM verdicts v JOIN origins o ON o.raw_id = v.raw_id \
                 WHERE o.account = '{CIVILE}'"
            )
        )
    );
    assert_eq!(count(&session, "SELECT count(*) FROM mailbox_grants"), 1);

    // Its check proves the whole chain and its own mailbox's messages, and says what it left out.
    let whole = owner.check().unwrap();
    assert!(whole.is_clean(), "{:?}", whole.problems);
    assert!(whole.scope.is_whole() && whole.scope.sends_checked);
    assert_eq!(whole.messages, 10);
    let report = reader.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(report.journal_entries, whole.journal_entries);
    assert_eq!(report.head_hash, whole.head_hash);
    assert_eq!(report.messages, 6);
    assert_eq!(report.scope.messages_outside, 4);
    assert!(!report.scope.is_whole() && !report.scope.sends_checked);
}

#[test]
fn issue_18_a_reader_granted_one_mailbox_can_neither_write_nor_send_from_it() {
    if !on_postgres() {
        println!(
            "SKIPPED: row-level security is the shared archive's (ATTESTA_TEST_ENGINE=postgres)"
        );
        return;
    }
    let Some((_dir, owner)) = two_mailboxes() else {
        return;
    };
    let Some(more) = signed_send(CIVILE, "Precetto n. 7/2026") else {
        return;
    };
    let address = new_role(&owner, "civilista_ro");
    let only_civile = Mailboxes::Only(vec![CIVILE.to_owned()]);
    let err = owner
        .grant(&role_of(&address), Access::Write, &only_civile)
        .unwrap_err();
    assert!(err.to_string().contains("every mailbox only"), "{err}");
    let (_desk, mut reader) = granted_only(&owner, &address, &[CIVILE]);
    assert_eq!(reader.access().unwrap(), Access::Read);

    let (_, raw) = &more.files[0];
    let err = reader
        .store(
            vec![Incoming {
                reading: Some(Reading::of(raw, &more.anchors, now())),
                raw: raw.clone(),
                origin: Origin::Imap {
                    account: CIVILE.into(),
                    folder: "INBOX".into(),
                    role: FolderRole::Inbox,
                    uidvalidity: 1,
                    uid: 99,
                },
                received: None,
            }],
            now(),
        )
        .unwrap_err();
    assert!(matches!(err, ArchiveError::ReadOnly { .. }), "{err}");
    let err = reader
        .enqueue(
            raw.clone(),
            Reading::of(raw, &more.anchors, now()),
            CIVILE,
            "<precetto@studio>",
            &["a@pec.altro.example".to_owned()],
            now(),
        )
        .unwrap_err();
    assert!(matches!(err, ArchiveError::ReadOnly { .. }), "{err}");

    let session = Db::Postgres(PgConn::connect(&address).unwrap());
    for edit in [
        "DELETE FROM sent",
        "UPDATE messages SET subject = 'x'",
        "INSERT INTO mailbox_grants (role, mailbox) VALUES (current_user, '*')",
    ] {
        let err = session.execute_batch(edit).unwrap_err();
        assert!(
            err.is_refused_write() || err.to_string().contains("permission denied"),
            "{edit}: {err}"
        );
    }
    assert_eq!(owner.message_count().unwrap(), 10, "nothing was changed");
    assert!(owner.outbox(None).unwrap().is_empty());
    assert!(owner.check().unwrap().is_clean());
}

#[test]
fn issue_18_a_role_without_a_mailbox_reads_nothing_and_a_revoked_role_is_refused() {
    if !on_postgres() {
        println!(
            "SKIPPED: row-level security is the shared archive's (ATTESTA_TEST_ENGINE=postgres)"
        );
        return;
    }
    let Some((_dir, owner)) = two_mailboxes() else {
        return;
    };
    let address = new_role(&owner, "senza_casella");
    let role = role_of(&address);
    let (_desk, reader) = granted_only(&owner, &address, &[CIVILE, LAVORO]);
    let role = role.to_uppercase(); // as a person may type it: the server folds it
    assert_eq!(
        reader.message_count().unwrap(),
        9,
        "both mailboxes, not the file"
    );

    owner
        .revoke(&role, &Mailboxes::Only(vec![CIVILE.into(), LAVORO.into()]))
        .unwrap();
    assert_eq!(reader.granted_mailboxes().unwrap(), Mailboxes::Only(vec![]));
    assert_eq!(reader.message_count().unwrap(), 0);
    assert!(ids_of(&reader, "Diffida").is_empty());
    assert!(
        reader
            .status(&StatusFilter::default(), now())
            .unwrap()
            .is_empty()
    );
    let report = reader.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!((report.messages, report.scope.messages_outside), (0, 10));

    // Every mailbox again, then the whole archive taken back.
    owner.grant(&role, Access::Read, &Mailboxes::All).unwrap();
    assert_eq!(reader.message_count().unwrap(), 10);
    let err = owner
        .revoke(&role, &Mailboxes::Only(vec![CIVILE.into()]))
        .unwrap_err();
    assert!(err.to_string().contains("every mailbox"), "{err}");
    owner.revoke(&role, &Mailboxes::All).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let err = Archive::open_postgres(&address, elsewhere.path())
        .err()
        .unwrap();
    assert!(matches!(err, ArchiveError::NotGranted { .. }), "{err}");
}

/// `raw` stored as read from the file `path` for `mailbox` (what `attesta import --mailbox` records).
fn store_file_for(archive: &mut Archive, raw: &[u8], path: &str, mailbox: Option<&str>) {
    archive
        .store(
            vec![Incoming {
                received: None,
                // Already archived: a new arrival of it needs no reading.
                reading: None,
                raw: raw.to_vec(),
                origin: Origin::File {
                    path: path.to_owned(),
                    part: 0,
                    mailbox: mailbox.map(str::to_owned),
                },
            }],
            now(),
        )
        .unwrap();
}

#[test]
fn issue_18_a_file_imported_for_a_mailbox_is_read_by_those_granted_it_and_nobody_else() {
    if !on_postgres() {
        println!(
            "SKIPPED: row-level security is the shared archive's (ATTESTA_TEST_ENGINE=postgres)"
        );
        return;
    }
    let Some((_dir, mut owner)) = two_mailboxes() else {
        return;
    };
    let civilista = new_role(&owner, "civilista_file");
    let (_desk, reader) = granted_only(&owner, &civilista, &[CIVILE]);
    assert!(
        ids_of(&reader, "gestionale").is_empty(),
        "a file of no mailbox is for those granted every mailbox"
    );
    let verbale = ids_of(&owner, "gestionale");
    assert_eq!(verbale.len(), 1);
    let raw = owner.raw(verbale[0]).unwrap();

    // Imported again for the labour team: another arrival, still not the civil team's.
    store_file_for(&mut owner, &raw, "/import/verbale.eml", Some(LAVORO));
    assert_eq!(owner.origins(verbale[0]).unwrap().len(), 2);
    assert!(ids_of(&reader, "gestionale").is_empty());

    // For the civil team: now it reads the message, and of its arrivals only its own.
    store_file_for(&mut owner, &raw, "/import/verbale.eml", Some(CIVILE));
    assert_eq!(ids_of(&reader, "gestionale"), verbale);
    assert_eq!(
        reader.origins(verbale[0]).unwrap(),
        [Origin::File {
            path: "/import/verbale.eml".into(),
            part: 0,
            mailbox: Some(CIVILE.into()),
        }]
    );
    // The same import again records nothing new.
    store_file_for(&mut owner, &raw, "/import/verbale.eml", Some(CIVILE));
    assert_eq!(owner.origins(verbale[0]).unwrap().len(), 3);
    let report = reader.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert!(owner.check().unwrap().is_clean());
}

#[test]
fn issue_18_a_role_granted_the_archive_before_mailboxes_keeps_every_mailbox_after_the_upgrade() {
    if !on_postgres() {
        println!(
            "SKIPPED: row-level security is the shared archive's (ATTESTA_TEST_ENGINE=postgres)"
        );
        return;
    }
    let Some(signed) = signed() else { return };
    // An archive as Attesta left it at schema 9, with a reader granted the way it granted then.
    let address = super::fresh_database();
    let old = Db::Postgres(PgConn::connect(&address).unwrap());
    for step in &pec_archive::db::postgres::schema::MIGRATIONS[..9] {
        old.execute_batch(step.sql).unwrap();
    }
    old.execute_batch("UPDATE attesta_schema SET version = 9")
        .unwrap();
    let role = format!("lettrice_storica_{}", std::process::id());
    old.execute_batch(&format!(
        "CREATE ROLE {role} LOGIN PASSWORD 'parola-{role}'; GRANT USAGE ON SCHEMA public TO {role}; \
         GRANT SELECT ON raw, origins, verdict_texts, verdicts, journal, messages, sent, \
         sent_recipients, search, outbox, sync_state, attesta_schema TO {role};"
    ))
    .unwrap();
    drop(old);

    let desk = tempfile::tempdir().unwrap();
    let mut owner = Archive::open_postgres(&address, desk.path()).unwrap();
    store_files(&mut owner, &signed.anchors, &signed.files);
    let url = owner
        .path()
        .to_str()
        .unwrap()
        .replacen("attesta_admin@", &format!("{role}@"), 1);
    let theirs = Address::parse(&url, Some(&format!("parola-{role}"))).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let reader = Archive::open_postgres(&theirs, elsewhere.path()).unwrap();
    assert_eq!(reader.granted_mailboxes().unwrap(), Mailboxes::All);
    assert_eq!(
        reader.message_count().unwrap(),
        4,
        "files too: every mailbox"
    );
    assert_eq!(
        reader
            .status(&StatusFilter::default(), now())
            .unwrap()
            .len(),
        1
    );
    let report = reader.check().unwrap();
    assert!(
        report.is_clean() && report.scope.is_whole(),
        "{:?}",
        report.problems
    );
}

#[test]
fn issue_15_a_reader_granted_one_mailbox_reads_the_attachment_verdicts_of_its_messages_only() {
    if !on_postgres() {
        println!(
            "SKIPPED: row-level security is the shared archive's (ATTESTA_TEST_ENGINE=postgres)"
        );
        return;
    }
    let (Some(dir), Some(pki)) = (super::documents::signed_dir(), super::pki()) else {
        return;
    };
    let anchors = super::trusting(pki);
    let (_dir, owner) = fresh();
    let mut owner = owner.checking_documents(std::sync::Arc::new(
        super::documents::Checker::without_lists(),
    ));
    let envelope = super::documents::envelope_with(&dir, &[super::documents::QUALIFIED]);
    let file = |n: &str| vec![(format!("/in/{n}.eml"), envelope.clone())];
    store_synced(&mut owner, &anchors, CIVILE, 50, &file("civile"));
    store_synced(&mut owner, &anchors, LAVORO, 50, &file("lavoro"));
    let id = ids_of(&owner, "firmati")[0];
    assert_eq!(owner.document_verdicts(id).unwrap().len(), 1);

    // The same message reached both mailboxes: the civil team sees its verdict through its origin.
    let address = new_role(&owner, "civilista_doc");
    let (_desk, reader) = granted_only(&owner, &address, &[CIVILE]);
    assert_eq!(reader.document_verdicts(id).unwrap().len(), 1);
    assert!(reader.check().unwrap().is_clean());
    // Another message, only the labour team's: not there for the civil team.
    let other = super::documents::envelope_with(
        &dir,
        &[super::documents::QUALIFIED, super::documents::QUALIFIED],
    );
    store_synced(
        &mut owner,
        &anchors,
        LAVORO,
        60,
        &[("/in/altro.eml".to_owned(), other)],
    );
    let session = Db::Postgres(PgConn::connect(&address).unwrap());
    assert_eq!(count(&session, "SELECT count(*) FROM document_verdicts"), 1);
    assert_eq!(
        count(&admin(&owner), "SELECT count(*) FROM document_verdicts"),
        3
    );
    let report = reader.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(report.messages, 1);
}

#[test]
fn issue_15_a_writer_granted_before_schema_11_records_attachment_verdicts_after_the_upgrade() {
    if !on_postgres() {
        println!("SKIPPED: roles are the shared archive's (ATTESTA_TEST_ENGINE=postgres)");
        return;
    }
    let (Some(dir), Some(pki)) = (super::documents::signed_dir(), super::pki()) else {
        return;
    };
    // An archive as Attesta left it at schema 10, with a writer granted the way `grant --write` did.
    let address = super::fresh_database();
    let old = Db::Postgres(PgConn::connect(&address).unwrap());
    for step in &pec_archive::db::postgres::schema::MIGRATIONS[..10] {
        old.execute_batch(step.sql).unwrap();
    }
    old.execute_batch("UPDATE attesta_schema SET version = 10")
        .unwrap();
    let role = format!("scrivente_storico_{}", std::process::id());
    old.execute_batch(&format!(
        "CREATE ROLE {role} LOGIN PASSWORD 'parola-{role}'; GRANT USAGE ON SCHEMA public TO {role}; \
         GRANT SELECT ON raw, origins, verdict_texts, verdicts, journal, messages, sent, \
         sent_recipients, search, outbox, sync_state, attesta_schema, mailbox_grants TO {role}; \
         GRANT INSERT ON raw, origins, verdict_texts, verdicts, journal TO {role}; \
         GRANT INSERT, UPDATE, DELETE ON messages, sent, sent_recipients, search, outbox, sync_state TO {role}; \
         GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}; \
         INSERT INTO mailbox_grants (role, mailbox) VALUES ('{role}', '*');"
    ))
    .unwrap();
    drop(old);

    let desk = tempfile::tempdir().unwrap();
    let owner = Archive::open_postgres(&address, desk.path()).unwrap();
    let url = owner
        .path()
        .to_str()
        .unwrap()
        .replacen("attesta_admin@", &format!("{role}@"), 1);
    let theirs = Address::parse(&url, Some(&format!("parola-{role}"))).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let writer = Archive::open_postgres(&theirs, elsewhere.path()).unwrap();
    assert_eq!(writer.access().unwrap(), Access::Write);
    let mut writer = writer.checking_documents(std::sync::Arc::new(
        super::documents::Checker::without_lists(),
    ));
    let envelope = super::documents::envelope_with(&dir, &[super::documents::QUALIFIED]);
    let anchors = super::trusting(pki);
    store_synced(
        &mut writer,
        &anchors,
        CIVILE,
        1,
        &[("/in/envelope.eml".to_owned(), envelope)],
    );
    let id = ids_of(&writer, "firmati")[0];
    assert_eq!(writer.document_verdicts(id).unwrap().len(), 1);
    assert_eq!(
        count(&admin(&owner), "SELECT count(*) FROM document_verdicts"),
        1
    );
    let report = writer.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
}
