//! Issue 15 §6: a pack lists each signed attachment of each message with its verdict (manifest and
//! report), and `verify_pack_with` finds each again in the message's own bytes and verifies it again:
//! an attachment altered, or a manifest that lies about a verdict — every hash recomputed by the
//! forger — is refused, naming the attachment. Real signed documents from the shared set
//! (`../shared/corpus/signed`, read in place) attached to a send signed by the test CA.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use mail_parser::MimeHeaders;
use pec_archive::{DocumentCheck, DocumentChecker, SignedAttachment, TrustUsed};
use pec_core::signature::SignatureStatus;
use pec_core::structure::Parsed;
use pec_document::{Checking, Qualified};
use pec_pack::manifest::{NoteCode, REPORT};
use pec_pack::sums::sha256_hex;
use pec_pack::{PackProblem, verify_pack_bytes_with};
use pec_testkit::Attachment;
use pec_trusted_list::TrustedLists;

use super::forged::{manifest_of, rehash};
use super::*;

const TO: &str = "mario.rossi@pec.avvocati.example";
const SENT: &str = "01-invio/2026-03-02T0915Z_messaggio-inviato.eml";
const DELIVERY: &str = "02-consegne/2026-03-02T0915Z_consegna_mario.rossi@pec.avvocati.example.eml";
/// An invoice signed with a qualified InfoCert certificate.
const QUALIFIED: &str = "p7m-invoice/oca_IT01234567890_FPR03.xml.p7m";
/// Its name in the message: anything but a signed file's (the bytes decide).
const NAME: &str = "fattura-dicembre.bin";

fn signed_dir() -> Option<PathBuf> {
    let dir = pec_testkit::corpus::dir_or_skip("pack documents")?.join("signed");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

fn lists(dir: &Path) -> &'static TrustedLists {
    static LISTS: OnceLock<TrustedLists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let read = |n: &str| std::fs::read(dir.join("trusted-list").join(n)).unwrap();
        let mut lists = TrustedLists::new();
        lists
            .add_list_of_lists(&read("EU-LOTL_seq332_2023-09-27.xml"))
            .unwrap();
        lists
            .add_national(&read("TSL-IT_seq194_2023-09-26.xml"))
            .unwrap();
        lists
    })
}

/// A document checker as the engine's (the reader's letter, signed files recognised from their bytes),
/// with or without the Trusted Lists.
struct Checker {
    anchors: TrustAnchors,
    lists: Option<&'static TrustedLists>,
}

impl Checker {
    fn without_lists() -> Checker {
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
                    Some(_) => vec!["EU 332".into(), "IT 194".into()],
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

/// The sent copy (with the signed invoice and a plain note attached), its acceptance and a `completa`
/// delivery carrying it, archived with `checker`; and the pack made from that archive.
fn pack_with(
    pki: &pec_testkit::pki::TestPki,
    dir: &Path,
    checker: Checker,
) -> (TrustAnchors, Pack) {
    let anchors = trusting(pki);
    let mut send = Send::new(
        SENDER,
        &[TO],
        "Fattura di dicembre",
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).unwrap(),
    );
    send.attachments.push(Attachment {
        name: NAME.into(),
        content_type: "application/octet-stream".into(),
        bytes: std::fs::read(dir.join(QUALIFIED)).unwrap(),
    });
    send.attachments.push(Attachment {
        name: "nota.txt".into(),
        content_type: "text/plain".into(),
        bytes: b"Si trasmette la fattura firmata.".to_vec(),
    });
    let mut delivery = Pec::new(
        &send,
        PecKindSpec::Delivery {
            recipient: TO.into(),
        },
    );
    delivery.at = send.sent_at + chrono::Duration::seconds(40);
    let files = vec![
        (sent_folder(1), send.original()),
        (
            inbox(1),
            Pec::new(&send, PecKindSpec::Acceptance).build(pki),
        ),
        (inbox(2), delivery.build(pki)),
    ];
    let (_dir, archive) = fresh();
    let mut archive = archive.checking_documents(Arc::new(checker));
    store(&mut archive, &anchors, files);
    let pack = pack_of(&archive, &only_send(&archive), &anchors, Language::It);
    (anchors, pack)
}

fn document_problems(v: &pec_pack::PackVerdict) -> Vec<&PackProblem> {
    v.problems
        .iter()
        .filter(|p| {
            matches!(
                p,
                PackProblem::DocumentChanged { .. }
                    | PackProblem::DocumentNotHeld { .. }
                    | PackProblem::DocumentUnstated { .. }
            )
        })
        .collect()
}

#[test]
fn issue_15_a_pack_lists_each_signed_attachment_with_its_verdict_and_verifies_it_again() {
    let (Some(dir), Some(pki)) = (signed_dir(), pki()) else {
        return;
    };
    let (anchors, pack) = pack_with(pki, &dir, Checker::without_lists());
    let manifest = &pack.manifest;
    let docs = |path: &str| {
        manifest
            .messages()
            .find(|(m, _)| m.path == path)
            .unwrap_or_else(|| panic!("no member {path}"))
            .1
            .documents
            .clone()
    };
    let file_sha = sha256_hex(&std::fs::read(dir.join(QUALIFIED)).unwrap());
    for path in [SENT, DELIVERY] {
        let documents = docs(path);
        assert_eq!(documents.len(), 1, "{path}: only the signed file");
        let d = &documents[0];
        assert_eq!((d.part, d.name.as_str()), (0, NAME));
        assert_eq!(d.sha256, file_sha);
        assert_eq!(d.status, SignatureStatus::Untrusted);
        assert_eq!(d.qualified, Qualified::Unknown);
        assert_eq!(d.signer.as_deref(), Some("CORATO SERGIO"));
        assert!(d.signed_at.is_some() && d.judged_at.is_some());
        assert!(d.trusted_lists.is_empty());
        assert_eq!(
            d.archived.as_ref().map(|a| a.status),
            Some(SignatureStatus::Untrusted)
        );
    }
    assert!(docs("01-invio/2026-03-02T0915Z_accettazione.eml").is_empty());

    let checker = Checker::without_lists();
    let verdict = verify_pack_bytes_with(&pack.bytes, &anchors, Some(&checker), now());
    assert!(verdict.holds, "{:#?}", verdict.problems);
    assert!(verdict.documents_checked);
    assert_eq!(verdict.documents, 2);

    // Checked where the Trusted Lists are imported, the same file is valid and qualified: not what
    // this pack states, and said so.
    let with_lists = Checker::with_lists(&dir);
    let verdict = verify_pack_bytes_with(&pack.bytes, &anchors, Some(&with_lists), now());
    assert!(!verdict.holds);
    let found = document_problems(&verdict);
    assert!(
        found.iter().any(|p| matches!(p,
            PackProblem::DocumentChanged { member, attachment, stated, found, found_qualified, .. }
                if member == SENT && attachment == NAME && *stated == SignatureStatus::Untrusted
                    && *found == SignatureStatus::Valid && *found_qualified == Qualified::Yes)),
        "{found:#?}"
    );
}

#[test]
fn issue_15_the_report_states_each_signed_attachment_and_an_archived_verdict_that_differs() {
    let (Some(dir), Some(pki)) = (signed_dir(), pki()) else {
        return;
    };
    if !poppler() {
        return;
    }
    // Archived before the lists were imported, packed after: valid and qualified now, and the pack
    // notes what the archive recorded.
    let anchors = trusting(pki);
    let (_a, pack) = {
        let mut send = Send::new(
            SENDER,
            &[TO],
            "Fattura di dicembre",
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).unwrap(),
        );
        send.attachments.push(Attachment {
            name: NAME.into(),
            content_type: "application/octet-stream".into(),
            bytes: std::fs::read(dir.join(QUALIFIED)).unwrap(),
        });
        let files = vec![
            (sent_folder(1), send.original()),
            (
                inbox(1),
                Pec::new(&send, PecKindSpec::Acceptance).build(pki),
            ),
        ];
        let (_dir, archive) = fresh();
        let mut archive = archive.checking_documents(Arc::new(Checker::without_lists()));
        store(&mut archive, &anchors, files);
        let archive = archive.checking_documents(Arc::new(Checker::with_lists(&dir)));
        (
            (),
            pack_of(&archive, &only_send(&archive), &anchors, Language::It),
        )
    };
    let d = &pack.manifest.messages().next().unwrap().1.documents[0];
    assert_eq!(
        (d.status, d.qualified),
        (SignatureStatus::Valid, Qualified::Yes)
    );
    assert_eq!(d.trusted_lists, ["EU 332", "IT 194"]);
    assert!(
        pack.manifest
            .send
            .notes
            .iter()
            .any(|n| n.code == NoteCode::ArchivedDocumentDiffers.as_str()
                && n.member.as_deref() == Some(SENT)),
        "{:#?}",
        pack.manifest.send.notes
    );
    let text = pdf_text(&member(&pack.bytes, REPORT));
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for said in [
        "Allegatofirmato",
        NAME,
        "Firmaqualificata",
        "sì(certificatoqualificato",
        "CORATOSERGIO",
        "Giudicataall'ora",
        "EU332,IT194",
        "All'archiviazionelafirmadiundocumentoallegato",
    ] {
        assert!(flat.contains(said), "{said:?} not in the report:\n{text}");
    }
    assert!(
        text.contains(&d.sha256),
        "the attachment's hash on one line"
    );
    render_page(&member(&pack.bytes, REPORT), 2, "pack-signed-attachment");
}

#[test]
fn issue_15_a_manifest_that_lies_about_an_attachment_verdict_is_refused_rehashed_or_not() {
    let (Some(dir), Some(pki)) = (signed_dir(), pki()) else {
        return;
    };
    let (anchors, pack) = pack_with(pki, &dir, Checker::without_lists());
    let mut manifest = manifest_of(&pack);
    for m in &mut manifest.members {
        if m.path == SENT {
            let facts = m.message.as_mut().unwrap();
            facts.documents[0].status = SignatureStatus::Valid;
            facts.documents[0].qualified = Qualified::Yes;
        }
    }
    let forged = rehash(members(&pack.bytes), &mut manifest, false);
    let checker = Checker::without_lists();
    let verdict = verify_pack_bytes_with(&forged, &anchors, Some(&checker), now());
    assert!(!verdict.holds);
    let found = document_problems(&verdict);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        matches!(found[0],
            PackProblem::DocumentChanged { member, attachment, stated, found, stated_qualified, found_qualified }
                if member == SENT && attachment == NAME && *stated == SignatureStatus::Valid
                    && *found == SignatureStatus::Untrusted && *stated_qualified == Qualified::Yes
                    && *found_qualified == Qualified::Unknown),
        "{found:#?}"
    );
    assert!(
        found[0].describe().contains(NAME),
        "{}",
        found[0].describe()
    );

    // A signed attachment the manifest leaves out is named too.
    let mut manifest = manifest_of(&pack);
    for m in &mut manifest.members {
        if m.path == DELIVERY {
            m.message.as_mut().unwrap().documents.clear();
        }
    }
    let forged = rehash(members(&pack.bytes), &mut manifest, false);
    let verdict = verify_pack_bytes_with(&forged, &anchors, Some(&checker), now());
    assert!(
        document_problems(&verdict).iter().any(|p| matches!(p,
            PackProblem::DocumentUnstated { member, attachment, .. }
                if member == DELIVERY && attachment == NAME)),
        "{:#?}",
        verdict.problems
    );
}

#[test]
fn issue_15_an_attachment_altered_in_its_message_and_rehashed_is_refused_and_named() {
    let (Some(dir), Some(pki)) = (signed_dir(), pki()) else {
        return;
    };
    let (anchors, pack) = pack_with(pki, &dir, Checker::without_lists());
    let mut entries = members(&pack.bytes);
    let sent = &mut entries.iter_mut().find(|(n, _)| n == SENT).unwrap().1;
    // One base64 character well inside the attachment's body changed.
    let text = String::from_utf8(sent.clone()).unwrap();
    let header = text.find(NAME).unwrap();
    let body = header + text[header..].find("\r\n\r\n").unwrap() + 4 + 400;
    let c = sent[body];
    sent[body] = if c == b'A' { b'B' } else { b'A' };
    let mut manifest = manifest_of(&pack);
    let forged = rehash(entries, &mut manifest, false);
    let checker = Checker::without_lists();
    let verdict = verify_pack_bytes_with(&forged, &anchors, Some(&checker), now());
    assert!(!verdict.holds);
    assert!(
        document_problems(&verdict).iter().any(|p| matches!(p,
            PackProblem::DocumentNotHeld { member, attachment, found_sha256: Some(found), stated_sha256 }
                if member == SENT && attachment == NAME && found != stated_sha256)),
        "{:#?}",
        verdict.problems
    );
}
