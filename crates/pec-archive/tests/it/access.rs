//! Who may do what in the firm's shared archive (issue 18 §4), enforced by the PostgreSQL server: a
//! role granted reading browses, searches, checks — and cannot archive or queue a send, nothing
//! changed; a writer archives but cannot edit evidence even with the triggers out of the way; a writer
//! demoted to reading writes no more. PostgreSQL only (a file archive is its owner's).

use pec_archive::db::Db;
use pec_archive::db::postgres::{Address, PgConn};
use pec_archive::{Access, Archive, ArchiveError, Reading};

use super::{fresh, now, on_postgres, signed, store_files};

/// A new login role on the test server (granted nothing yet), as an address of `owner`'s archive.
fn new_role(owner: &Archive, name: &str) -> Address {
    let password = Address::test_password();
    let admin_url = owner.path().to_str().unwrap().to_owned();
    let admin = Db::Postgres(
        PgConn::connect(&Address::parse(&admin_url, password.as_deref()).unwrap()).unwrap(),
    );
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
    owner.grant(&role_of(address), access).unwrap();
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

    owner.grant(&role_of(&address), Access::Read).unwrap();
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
                },
                received: None,
            }],
            now(),
        )
        .unwrap_err();
    assert!(matches!(err, ArchiveError::ReadOnly { .. }), "{err}");
    assert!(owner.check().unwrap().is_clean());
}
