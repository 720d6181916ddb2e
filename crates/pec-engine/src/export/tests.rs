//! The export job over a small archive of signed synthetic sends: selection by id, Message-ID, dates,
//! account and outcome; one verifiable ZIP per send and both indexes; cancellation; nothing written
//! when a name matches nothing; the archive left as it was.

use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use chrono::{Duration, TimeZone, Utc};
use pec_archive::query::StatusFilter;
use pec_archive::{FolderRole, Incoming, Origin, Reading};
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Send};

use super::*;

const SERVICE: &str = "posta-certificata@pec.provider.example";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 2, 12, 0, 0).unwrap()
}

fn pki() -> Option<&'static TestPki> {
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

fn anchors(pki: &TestPki) -> TrustAnchors {
    let mut a = TrustAnchors::builtin();
    a.add_pem(pki.ca_pem.as_bytes()).unwrap();
    a
}

/// The test CA trusted for mail in general (`--trust-dir`).
fn book(pki: &TestPki, dir: &std::path::Path) -> TrustBook {
    TrustBook::load(&crate::EngineConfig::default(), &[pki.ca_dir(dir)]).unwrap()
}

/// Three sends: from two mailboxes, on three days; delivered, failed, delivered.
fn archive(pki: &TestPki) -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(&Archive::file_in(dir.path())).unwrap();
    let anchors = anchors(pki);
    let mut batch = Vec::new();
    for (i, (account, failed)) in [
        ("studio@pec.provider.example", false),
        ("studio@pec.provider.example", true),
        ("notaio@pec.provider.example", false),
    ]
    .into_iter()
    .enumerate()
    {
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::days(i as i64);
        let send = Send::new(
            account,
            &["dest@pec.altro.example"],
            &format!("Atto {i}"),
            at,
        );
        let origin = |role, uid| Origin::Imap {
            account: account.to_owned(),
            folder: "x".into(),
            role,
            uidvalidity: 1,
            uid,
        };
        let outcome = if failed {
            PecKindSpec::Failure {
                recipient: "dest@pec.altro.example".into(),
                virus: false,
                reason: "5.1.1 - indirizzo non valido".into(),
            }
        } else {
            PecKindSpec::Delivery {
                recipient: "dest@pec.altro.example".into(),
            }
        };
        let uid = 10 * i as u32;
        for (raw, origin) in [
            (send.original(), origin(FolderRole::Sent, uid)),
            (
                Pec::new(&send, PecKindSpec::Acceptance).build(pki),
                origin(FolderRole::Inbox, uid + 1),
            ),
            (
                Pec::new(&send, outcome).build(pki),
                origin(FolderRole::Inbox, uid + 2),
            ),
        ] {
            batch.push(Incoming {
                reading: Some(Reading::of(
                    &raw,
                    &anchors,
                    std::time::SystemTime::now().into(),
                )),
                raw,
                origin,
                received: None,
            });
        }
    }
    archive.store(batch, now()).unwrap();
    (dir, archive)
}

fn request(out: &Path, selection: Selection) -> ExportRequest {
    ExportRequest {
        selection,
        out_dir: out.to_owned(),
        language: Language::It,
        produced_at: now(),
        producer: pec_pack::producer(),
    }
}

fn subjects(sends: &[SentStatus]) -> Vec<String> {
    sends.iter().filter_map(|s| s.subject.clone()).collect()
}

#[test]
fn references_are_item_ids_or_message_ids() {
    assert_eq!(SendRef::parse("12"), SendRef::Item(12));
    assert_eq!(SendRef::parse(" #7 "), SendRef::Item(7));
    assert_eq!(SendRef::parse("<a@b>"), SendRef::MsgId("<a@b>".into()));
}

#[test]
fn sends_are_selected_by_id_message_id_dates_account_and_outcome() {
    let Some(pki) = pki() else { return };
    let (_dir, archive) = archive(pki);
    let all = archive.status(&StatusFilter::default(), now()).unwrap();
    assert_eq!(subjects(&all), ["Atto 2", "Atto 1", "Atto 0"]);

    let by_ref = select(
        &archive,
        &Selection::Sends(vec![
            SendRef::MsgId(all[2].msgid.clone()),
            SendRef::Item(all[0].evidence[1]),
            SendRef::MsgId(all[2].msgid.trim_matches(['<', '>']).to_owned()),
        ]),
        now(),
    )
    .unwrap();
    assert_eq!(
        subjects(&by_ref),
        ["Atto 0", "Atto 2"],
        "in order given, each once"
    );

    let filter =
        |f: ExportFilter| subjects(&select(&archive, &Selection::Filter(f), now()).unwrap());
    assert_eq!(
        filter(ExportFilter {
            since: Some(Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap()),
            until: Some(Utc.with_ymd_and_hms(2026, 3, 4, 0, 0, 0).unwrap()),
            ..ExportFilter::default()
        }),
        ["Atto 1"]
    );
    assert_eq!(
        filter(ExportFilter {
            account: Some("STUDIO@pec.provider.example".into()),
            ..ExportFilter::default()
        }),
        ["Atto 1", "Atto 0"]
    );
    assert_eq!(
        filter(ExportFilter {
            states: vec![SentSummary::Failed],
            ..ExportFilter::default()
        }),
        ["Atto 1"]
    );
    assert_eq!(
        filter(ExportFilter {
            states: vec![SentSummary::Delivered],
            account: Some("notaio@pec.provider.example".into()),
            ..ExportFilter::default()
        }),
        ["Atto 2"]
    );
}

#[test]
fn an_unknown_reference_is_an_error_and_nothing_is_written() {
    let Some(pki) = pki() else { return };
    let (dir, mut archive) = archive(pki);
    let out = dir.path().join("out");
    let mut refused = |selection: Selection| {
        let req = request(&out, selection);
        export(
            &mut archive,
            &req,
            &book(pki, dir.path()),
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap_err()
    };
    for bad in [
        SendRef::Item(9999),
        SendRef::MsgId("<nobody@nowhere>".into()),
    ] {
        let err = refused(Selection::Sends(vec![bad]));
        assert!(
            matches!(err, EngineError::Archive(ArchiveError::NoSuchItem(_))),
            "{err}"
        );
    }
    // A mailbox no evidence came from is a typo, told with the mailboxes there are.
    let err = refused(Selection::Filter(ExportFilter {
        account: Some("studoi@pec.provider.example".into()),
        ..ExportFilter::default()
    }));
    assert!(
        matches!(&err, EngineError::NoEvidenceFromMailbox { address, known }
            if address == "studoi@pec.provider.example" && known.contains("studio@pec.provider.example")),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn an_export_writes_one_verifiable_pack_per_send_and_both_indexes() {
    let Some(pki) = pki() else { return };
    let (dir, archive) = archive(pki);
    let maria = Person::new("Avv. Maria Rossi", Some("maria.rossi@studio.example")).unwrap();
    let mut archive = archive.acting_as(Some(maria.clone()));
    let anchors = anchors(pki);
    let check_before = archive.check().unwrap();
    let out = dir.path().join("fascicoli");
    let req = request(&out, Selection::Filter(ExportFilter::default()));
    let mut seen = Vec::new();
    let summary = export(
        &mut archive,
        &req,
        &book(pki, dir.path()),
        &AtomicBool::new(false),
        &mut |p| seen.push(p.clone()),
    )
    .unwrap();
    assert!(!summary.interrupted);
    assert_eq!(summary.packs.len(), 3);
    assert_eq!(seen.len(), 4, "before each pack, and at the end");
    assert_eq!(seen.last().unwrap().done, 3);
    assert_eq!(seen[0].current.as_deref(), Some("Atto 2"));

    for p in &summary.packs {
        let bytes = std::fs::read(&p.path).unwrap();
        assert_eq!(pec_pack::sums::sha256_hex(&bytes), p.sha256);
        let verdict = pec_pack::verify_pack_bytes(&bytes, &anchors, now());
        assert!(verdict.holds, "{}: {:#?}", p.file, verdict.problems);
        assert_eq!(p.members, 3 + 3, "3 messages, report, manifest, sums");
        // Issue 18 §3: the pack names Maria, and the archive's journal confirms it by the pack's hash.
        assert_eq!(verdict.exported_by, Some(Some(maria.clone())));
        assert_eq!(p.exported_by.as_ref(), Some(&maria));
        let recorded = archive.exports_of_pack(&p.sha256).unwrap();
        assert_eq!(recorded.len(), 1, "{}", p.file);
        assert_eq!(recorded[0].by.as_ref(), Some(&maria));
        assert_eq!(recorded[0].file, p.file);
        assert_eq!(recorded[0].msgid, p.msgid);
    }
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "{files:?}");
    assert!(files.contains(&INDEX_JSON.to_owned()) && files.contains(&INDEX_TEXT.to_owned()));
    assert!(!files.iter().any(|f| f.ends_with(".part")));

    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&summary.index_json).unwrap()).unwrap();
    assert_eq!(index["packs"].as_array().unwrap().len(), 3);
    assert_eq!(index["packs"][1]["summary"], "failed");
    assert_eq!(index["packs"][1]["recipients"][0]["state"], "failed");
    let text = std::fs::read_to_string(&summary.index_text).unwrap();
    assert!(text.contains("3 fascicoli"), "{text}");
    for p in &summary.packs {
        assert!(text.contains(&p.sha256) && text.contains(&p.file));
    }
    assert!(text.contains("Mancata consegna"));
    assert!(
        text.contains("Avv. Maria Rossi <maria.rossi@studio.example>"),
        "{text}"
    );
    assert_eq!(index["packs"][0]["exported_by"]["name"], "Avv. Maria Rossi");

    // Nothing but the journal was written: one `exported` entry per pack, each naming the messages
    // the pack holds; the archive proves itself as before.
    let check_after = archive.check().unwrap();
    assert!(check_after.is_clean(), "{:?}", check_after.problems);
    assert_eq!(
        check_after.journal_entries,
        check_before.journal_entries + 3
    );
    let journal = archive.journal_entries().unwrap();
    for entry in &journal[journal.len() - 3..] {
        assert_eq!(entry.by.as_ref(), Some(&maria));
        match &entry.event {
            pec_archive::journal::Event::Exported { messages, .. } => {
                assert_eq!(messages.len(), 3)
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn issue_18_a_pack_exported_with_no_person_set_says_so_in_its_index() {
    let Some(pki) = pki() else { return };
    let (dir, mut archive) = archive(pki);
    let out = dir.path().join("anonimi");
    let req = request(&out, Selection::Sends(vec![SendRef::Item(1)]));
    let summary = export(
        &mut archive,
        &req,
        &book(pki, dir.path()),
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(summary.packs[0].exported_by, None);
    let text = std::fs::read_to_string(&summary.index_text).unwrap();
    assert!(text.contains("Esportato da   non registrato"), "{text}");
    let recorded = archive.exports_of_pack(&summary.packs[0].sha256).unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].by, None);
}

#[test]
fn a_cancelled_export_stops_between_packs_and_says_so() {
    let Some(pki) = pki() else { return };
    let (dir, mut archive) = archive(pki);
    let out = dir.path().join("out");
    let cancel = AtomicBool::new(false);
    let req = request(&out, Selection::Filter(ExportFilter::default()));
    let summary = export(
        &mut archive,
        &req,
        &book(pki, dir.path()),
        &cancel,
        &mut |p| {
            if p.done == 1 {
                cancel.store(true, Ordering::Relaxed);
            }
        },
    )
    .unwrap();
    assert!(summary.interrupted);
    assert_eq!(summary.packs.len(), 2, "the pack in hand is finished");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&summary.index_json).unwrap()).unwrap();
    assert_eq!(index["interrupted"], true);
    assert_eq!(index["packs"].as_array().unwrap().len(), 2);
}

#[test]
fn each_pack_trusts_what_its_account_trusts_and_nothing_more() {
    let Some(pki) = pki() else { return };
    let (dir, mut archive) = archive(pki);
    // Only the studio's mailbox trusts the test CA (as a lab account trusts its lab).
    let mut studio =
        crate::accounts::setup::from_preset("aruba", "studio@pec.provider.example", None).unwrap();
    studio.trust_dirs = vec![pki.ca_dir(dir.path())];
    let config = crate::EngineConfig {
        accounts: vec![studio],
        ..crate::EngineConfig::default()
    };
    let trust = TrustBook::load(&config, &[]).unwrap();
    let out = dir.path().join("per-account");
    let req = request(&out, Selection::Filter(ExportFilter::default()));
    let summary = export(
        &mut archive,
        &req,
        &trust,
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap();
    let by_subject = |s: &str| {
        summary
            .packs
            .iter()
            .find(|p| p.subject.as_deref() == Some(s))
            .unwrap()
    };
    // Atto 0: the studio's, delivered under the studio's anchors.
    assert_eq!(by_subject("Atto 0").summary, SentSummary::Delivered);
    // Atto 2: the notary's mailbox trusts only the PEC CAs: the test provider's receipts are
    // untrusted there and prove nothing.
    let notary = by_subject("Atto 2");
    assert_ne!(notary.summary, SentSummary::Delivered, "{notary:?}");
    assert_ne!(
        notary.recipients[0].state,
        by_subject("Atto 0").recipients[0].state,
        "untrusted evidence never makes a recipient delivered: {notary:?}"
    );
}
