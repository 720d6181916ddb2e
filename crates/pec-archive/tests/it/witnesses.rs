//! Issue 13 §4: the times a signer does not choose are kept with the evidence, so a later
//! `archive rebuild` judges a signature with the same witnesses the sync had, and an edit of them is
//! caught by `check`.
//!
//! The attack: a forger holding a provider key that expires tomorrow delivers, three days from now, a
//! receipt whose signingTime says "today". Sync catches it by the IMAP INTERNALDATE; if the archive
//! forgot that date, the next rebuild (e.g. after `attesta trust add`) would call the receipt valid.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use pec_archive::Archive;
use pec_archive::check::ProblemCode;
use pec_archive::origin::{FolderRole, Origin};
use pec_archive::reading::Reading;
use pec_archive::store::{Incoming, address};
use pec_core::signature::{FindingCode, SignatureStatus, TimeWitnesses, TrustAnchors};
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Send};

use super::fresh;

const SERVICE: &str = "posta-certificata@pec.provider.example";

fn present() -> DateTime<Utc> {
    std::time::SystemTime::now().into()
}

/// A provider whose certificate ends tomorrow at midnight.
fn ending_tomorrow() -> Option<&'static TestPki> {
    static PKI: OnceLock<Option<TestPki>> = OnceLock::new();
    PKI.get_or_init(|| {
        openssl_available().then(|| TestPki::new(&PkiSpec::provider_ending_tomorrow(SERVICE)))
    })
    .as_ref()
}

fn anchors(pki: &TestPki) -> TrustAnchors {
    let mut anchors = TrustAnchors::empty();
    anchors.add_pem(pki.ca_pem.as_bytes()).unwrap();
    anchors
}

/// Syncs a receipt signed now as if the server received it `later`, judged then; returns the archive.
fn synced(pki: &TestPki, later: DateTime<Utc>) -> (tempfile::TempDir, Archive) {
    let send = Send::new(
        "studio.rossi@pec.provider.example",
        &["cliente@pec.altro.example"],
        "Diffida",
        present(),
    );
    let raw = Pec::new(&send, PecKindSpec::Acceptance).build(pki);
    let witnesses = TimeWitnesses::at(later).received(Some(later));
    let reading = Reading::witnessed(&raw, address(&raw), &anchors(pki), &witnesses, None);
    let (dir, mut archive) = fresh();
    archive
        .store(
            vec![Incoming {
                raw,
                origin: Origin::Imap {
                    account: "studio.rossi@pec.provider.example".into(),
                    folder: "INBOX".into(),
                    role: FolderRole::Inbox,
                    uidvalidity: 7,
                    uid: 1,
                },
                received: Some(later),
                reading: Some(reading),
            }],
            later,
        )
        .unwrap();
    (dir, archive)
}

fn latest(archive: &Archive, at: DateTime<Utc>) -> (SignatureStatus, Vec<FindingCode>) {
    let item = archive.item(1, at).unwrap();
    let v = &item.verdicts[0];
    (v.status, v.report.findings.iter().map(|f| f.code).collect())
}

#[test]
fn issue_13_a_rebuild_keeps_the_internaldate_that_contradicted_a_backdated_signature() {
    let Some(pki) = ending_tomorrow() else { return };
    let later = present() + Duration::days(3);
    let (_dir, mut archive) = synced(pki, later);
    let contradicted = FindingCode::SigningTimeContradicted;
    let (status, codes) = latest(&archive, later);
    assert_eq!(status, SignatureStatus::Untrusted, "{codes:?}");
    assert!(codes.contains(&contradicted), "{codes:?}");

    let anchors = anchors(pki);
    let pick = |_: &[Origin]| &anchors;
    let report = archive.rebuild(Some(&pick), later, &mut |_, _| {}).unwrap();
    assert_eq!(report.verdicts_changed, 0, "the rebuild forgot a witness");
    let (status, codes) = latest(&archive, later);
    assert_eq!(status, SignatureStatus::Untrusted, "{codes:?}");
    assert!(codes.contains(&contradicted), "{codes:?}");
    assert!(archive.check().unwrap().is_clean());
}

#[test]
fn issue_13_an_internaldate_erased_behind_attestas_back_is_caught_by_check() {
    let Some(pki) = ending_tomorrow() else { return };
    let later = present() + Duration::days(3);
    if super::on_postgres() {
        println!("SKIPPED on PostgreSQL: this forger edits the SQLite file directly");
        return;
    }
    let (_dir, archive) = synced(pki, later);
    let db = archive.path().to_path_buf();
    drop(archive);
    // What a forger would do before a rebuild: drop the witness. The journal recorded it.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE origins SET received_at = NULL", [])
        .unwrap();
    let codes: Vec<ProblemCode> = Archive::open(&db)
        .unwrap()
        .check()
        .unwrap()
        .problems
        .iter()
        .map(|p| p.code)
        .collect();
    assert_eq!(
        codes,
        [ProblemCode::OriginRemoved, ProblemCode::OriginInserted]
    );
}
