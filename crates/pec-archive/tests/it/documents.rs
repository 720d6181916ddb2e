//! Issue 15 §6: the verdicts of signed attachments are recorded like PEC verdicts — typed, appended,
//! journaled — when a message is archived and when it is verified again; and an edited, removed or
//! inserted attachment verdict is caught by `check`. Real signed documents from the shared set
//! (`../shared/corpus/signed`, read in place), attached to PEC messages signed by the project's test CA.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, TimeZone, Utc};
use mail_parser::MimeHeaders;
use pec_archive::check::ProblemCode;
use pec_archive::journal::Event;
use pec_archive::{
    Archive, DocumentCheck, DocumentChecker, Incoming, Origin, Reading, SignedAttachment, TrustUsed,
};
use pec_core::signature::{SignatureStatus, TimeBasis, TrustAnchors};
use pec_core::structure::Parsed;
use pec_document::{Checking, DocumentFormat, Qualified};
use pec_testkit::{Attachment, Pec, PecKindSpec, Send};
use pec_trusted_list::TrustedLists;

use super::{forge_on_server, fresh, now, on_postgres, pki, reopen, trusting};

/// The invoice signed with a qualified InfoCert certificate (valid and qualified with the Italian list).
pub(super) const QUALIFIED: &str = "p7m-invoice/oca_IT01234567890_FPR03.xml.p7m";
/// A p7m whose signature value does not match: altered.
const ALTERED: &str = "p7m-pdf/parer_cades_bes_errore_critto.p7m";

pub(super) fn signed_dir() -> Option<PathBuf> {
    let dir = pec_testkit::corpus::dir_or_skip("archive documents")?.join("signed");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// The EU list of lists and the two Italian lists of the shared set, verified.
fn lists(dir: &Path) -> &'static TrustedLists {
    static LISTS: OnceLock<TrustedLists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let read = |n: &str| std::fs::read(dir.join("trusted-list").join(n)).unwrap();
        let mut lists = TrustedLists::new();
        lists
            .add_list_of_lists(&read("EU-LOTL_seq332_2023-09-27.xml"))
            .unwrap();
        lists
            .add_national(&read("TSL-IT_seq141_2019-09-04.xml"))
            .unwrap();
        lists
            .add_national(&read("TSL-IT_seq194_2023-09-26.xml"))
            .unwrap();
        lists
    })
}

/// A document checker as the engine's: the letter's attachments (the original inside the envelope),
/// signed files recognised from their bytes, judged against the lists when imported, else nothing.
pub(super) struct Checker {
    anchors: TrustAnchors,
    lists: Option<&'static TrustedLists>,
}

impl Checker {
    pub(super) fn without_lists() -> Checker {
        Checker {
            anchors: TrustAnchors::empty(),
            lists: None,
        }
    }

    fn with_lists(dir: &Path) -> Checker {
        let lists = lists(dir);
        let mut anchors = TrustAnchors::empty();
        pec_document::trusted::add_list_anchors(&mut anchors, lists);
        Checker {
            anchors,
            lists: Some(lists),
        }
    }
}

impl DocumentChecker for Checker {
    fn check_parsed(&self, parsed: &Parsed<'_>, now: DateTime<Utc>) -> DocumentCheck {
        let mut attachments = Vec::new();
        let located = parsed.locate();
        // As the reader's letter: the original a PEC message carries, a plain message itself,
        // nothing of a receipt without its original (its parts are the provider's).
        let plain = located.structure.signed.is_none() && located.structure.daticert.is_none();
        let letter = located.original.or(plain.then_some(located.pec_message));
        for (i, part) in letter.iter().flat_map(|l| l.attachments()).enumerate() {
            let name = part.attachment_name().unwrap_or("allegato");
            let bytes = part.contents();
            let checking = Checking {
                anchors: &self.anchors,
                now,
                services: self
                    .lists
                    .map(|l| l as &dyn pec_document::QualifiedServices),
                companion: None,
            };
            attachments.extend(SignedAttachment::recognise(i as u32, name, bytes, || {
                pec_document::open(name, bytes, &checking)
            }));
        }
        DocumentCheck {
            checked_at: now,
            trust: TrustUsed {
                lists: match self.lists {
                    Some(_) => vec!["EU 332".into(), "IT 141".into(), "IT 194".into()],
                    None => Vec::new(),
                },
                from_lists: usize::from(self.lists.is_some()),
                from_dirs: 0,
                dirs: Vec::new(),
            },
            attachments,
        }
    }
}

/// A transport envelope signed by the test CA whose original carries `files` of the shared set, and
/// a plain text file beside them.
pub(super) fn envelope_with(dir: &Path, files: &[&str]) -> Vec<u8> {
    let mut send = Send::new(
        "tribunale@pec.provider.example",
        &["studio.rossi@pec.provider.example"],
        "Fattura e atto firmati",
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).unwrap(),
    );
    for file in files {
        send.attachments.push(Attachment {
            // NOTE: named as anything but a signed file: the bytes decide, never the name.
            name: format!("documento-{}.bin", send.attachments.len() + 1),
            content_type: "application/octet-stream".into(),
            bytes: std::fs::read(dir.join(file)).unwrap(),
        });
    }
    send.attachments.push(Attachment {
        name: "leggimi.p7m".into(),
        content_type: "text/plain".into(),
        bytes: b"non sono firmato".to_vec(),
    });
    Pec::new(&send, PecKindSpec::Envelope).build(pki().unwrap())
}

fn store(archive: &mut Archive, raw: &[u8], anchors: &TrustAnchors) -> i64 {
    let incoming = Incoming {
        received: None,
        reading: Some(Reading::of(raw, anchors, now())),
        raw: raw.to_vec(),
        origin: Origin::File {
            path: "/in/envelope.eml".into(),
            part: 0,
            mailbox: None,
        },
    };
    archive.store(vec![incoming], now()).unwrap().items[0].id()
}

fn document_entries(archive: &Archive) -> Vec<Event> {
    archive
        .journal_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .filter(|e| matches!(e, Event::Document { .. }))
        .collect()
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

fn later() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap()
}

#[test]
fn issue_15_a_signed_attachment_is_recorded_and_journaled_when_its_message_is_archived() {
    let (Some(dir), Some(pki)) = (signed_dir(), pki()) else {
        return;
    };
    let anchors = trusting(pki);
    let (_tmp, archive) = fresh();
    let mut archive = archive.checking_documents(Arc::new(Checker::without_lists()));
    let raw = envelope_with(&dir, &[QUALIFIED, ALTERED]);
    let id = store(&mut archive, &raw, &anchors);

    let verdicts = archive.document_verdicts(id).unwrap();
    assert_eq!(
        verdicts.len(),
        2,
        "the plain `leggimi.p7m` is not a signed file"
    );
    let (invoice, altered) = (&verdicts[0], &verdicts[1]);
    assert_eq!((invoice.part, altered.part), (0, 1));
    assert_eq!(invoice.format, Some(DocumentFormat::Cades));
    // No Trusted List: no path to a qualified CA, and `qualified` is not guessed.
    assert_eq!(invoice.status, SignatureStatus::Untrusted);
    assert_eq!(invoice.qualified, Qualified::Unknown);
    assert!(invoice.signer.is_some() && invoice.signed_at.is_some());
    assert_ne!(invoice.time_basis, TimeBasis::None);
    assert!(invoice.content_sha256.is_some());
    assert_eq!(invoice.checked_at, now());
    assert!(invoice.trust.lists.is_empty());
    let bytes = std::fs::read(dir.join(QUALIFIED)).unwrap();
    assert_eq!(invoice.file_sha256, super::sha256_hex(&bytes));
    assert_eq!(altered.status, SignatureStatus::Invalid);

    let entries = document_entries(&archive);
    assert_eq!(entries.len(), 2, "{entries:?}");
    let Event::Document {
        part,
        file_sha256,
        verdict,
        ..
    } = &entries[0]
    else {
        unreachable!()
    };
    assert_eq!(*part, 0);
    assert_eq!(file_sha256, &invoice.file_sha256);
    assert_eq!(verdict.status, SignatureStatus::Untrusted);
    let check = archive.check().unwrap();
    assert!(check.is_clean(), "{:?}", check.problems);
}

#[test]
fn issue_15_a_trusted_list_import_then_a_re_verification_records_a_new_verdict_and_keeps_the_old() {
    let (Some(dir), Some(pki)) = (signed_dir(), pki()) else {
        return;
    };
    let anchors = trusting(pki);
    let (_tmp, archive) = fresh();
    let mut archive = archive.checking_documents(Arc::new(Checker::without_lists()));
    let raw = envelope_with(&dir, &[QUALIFIED]);
    let id = store(&mut archive, &raw, &anchors);
    assert_eq!(document_entries(&archive).len(), 1);

    // Re-verified with the same trust: nothing new to record.
    let pick = |_: &[Origin]| &anchors;
    let report = archive
        .rebuild(Some(&pick), later(), &mut |_, _| {})
        .unwrap();
    assert_eq!(report.documents_changed, 0);
    assert_eq!(document_entries(&archive).len(), 1);

    // The Italian Trusted List imported: valid and qualified, recorded anew and journaled.
    let mut archive = archive.checking_documents(Arc::new(Checker::with_lists(&dir)));
    let report = archive
        .rebuild(Some(&pick), later(), &mut |_, _| {})
        .unwrap();
    assert_eq!(report.documents_changed, 1);
    let now_recorded = &archive.document_verdicts(id).unwrap()[0];
    assert_eq!(now_recorded.status, SignatureStatus::Valid);
    assert_eq!(now_recorded.qualified, Qualified::Yes);
    assert_eq!(now_recorded.checked_at, later());
    assert_eq!(now_recorded.trust.lists, ["EU 332", "IT 141", "IT 194"]);
    let file = sha256(&std::fs::read(dir.join(QUALIFIED)).unwrap());
    let history = archive.document_history(id, 0, &file).unwrap();
    assert_eq!(history.len(), 2, "the earlier verdict stays recorded");
    assert_eq!(history[0].qualified, Qualified::Unknown);
    assert_eq!(history[0].checked_at, now(), "oldest first");
    assert!(history[0].trust.lists.is_empty());
    assert_eq!(&history[1], now_recorded);
    // Found by the attachment's position and its bytes: another position, or other bytes at that
    // position, have no history.
    assert!(archive.document_history(id, 1, &file).unwrap().is_empty());
    assert!(
        archive
            .document_history(id, 0, &sha256(b"other bytes"))
            .unwrap()
            .is_empty()
    );
    let entries = document_entries(&archive);
    assert_eq!(entries.len(), 2);
    assert!(matches!(
        &entries[1],
        Event::Document { verdict, .. } if verdict.qualified == Qualified::Yes
            && verdict.status == SignatureStatus::Valid
    ));
    let check = archive.check().unwrap();
    assert!(check.is_clean(), "{:?}", check.problems);

    // A rebuild without re-verifying records nothing.
    let report = archive.rebuild(None, later(), &mut |_, _| {}).unwrap();
    assert_eq!(report.documents_changed, 0);
    assert_eq!(document_entries(&archive).len(), 2);
}

#[test]
fn issue_15_an_attachment_verdict_edited_removed_or_inserted_behind_attestas_back_is_caught() {
    let (Some(dir), Some(pki)) = (signed_dir(), pki()) else {
        return;
    };
    let anchors = trusting(pki);
    let forge = |sql: &str| {
        let (tmp, archive) = fresh();
        let mut archive = archive.checking_documents(Arc::new(Checker::without_lists()));
        store(
            &mut archive,
            &envelope_with(&dir, &[QUALIFIED, ALTERED]),
            &anchors,
        );
        let path = archive.path().to_path_buf();
        drop(archive);
        if on_postgres() {
            forge_on_server(&path, sql);
        } else {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(sql).unwrap();
        }
        let archive = reopen(&path, tmp.path());
        let report = archive.check().unwrap();
        (tmp, report)
    };
    let drop_triggers = "DROP TRIGGER document_verdicts_are_immutable; \
                         DROP TRIGGER document_verdicts_are_permanent; ";
    let cases = [
        // Called qualified.
        (
            format!("{drop_triggers}UPDATE document_verdicts SET qualified = 'yes' WHERE part = 0"),
            "was recorded as `untrusted` (qualified: unknown); the database now says `untrusted` (qualified: yes)",
        ),
        // The altered document called valid, report and all.
        (
            format!(
                "{drop_triggers}UPDATE document_verdicts SET status = 'valid', \
                 report = replace(report, '\"status\":\"invalid\"', '\"status\":\"valid\"') \
                 WHERE part = 1"
            ),
            "was edited",
        ),
        (
            format!("{drop_triggers}DELETE FROM document_verdicts WHERE part = 1"),
            "the recorded verdict `invalid` of attachment 1 was removed",
        ),
        (
            "INSERT INTO document_verdicts (raw_id, part, name, file_sha256, format, status, qualified, \
             time_basis, checked_at, trust, report, report_sha256) SELECT raw_id, 5, 'x.p7m', file_sha256, \
             format, 'valid', 'yes', time_basis, checked_at, trust, report, report_sha256 \
             FROM document_verdicts WHERE part = 0"
                .to_owned(),
            "has a verdict `valid` that Attesta never recorded",
        ),
    ];
    for (sql, expected) in cases {
        let (_tmp, report) = forge(&sql);
        let found: Vec<_> = report
            .problems
            .iter()
            .filter(|p| p.code == ProblemCode::DocumentVerdictAltered)
            .collect();
        assert!(
            found.iter().any(|p| p.message.contains(expected)),
            "{sql}: {expected:?} not in {:#?}",
            report.problems
        );
    }
}
