//! The real corpus in the archive: every acceptance/delivery pair of `shared/corpus/README.md` lands
//! under one send with the right recipient states, and importing again changes nothing.

use pec_archive::query::StatusFilter;
use pec_core::correlate::{RecipientState, SentSummary};
use pec_core::signature::TrustAnchors;
use pec_core::{PecKind, check_mail, inspect};
use pec_testkit::corpus;

use super::{fresh, now, store_files};

/// The pairs the corpus README names: (acceptance, delivery or failure).
const PAIRS: &[(&str, &str)] = &[
    (
        "aruba_accettazione_2014_oca-pec-messages.eml",
        "aruba_avvenuta-consegna_2014_oca-pec-messages.eml",
    ),
    (
        "aruba_accettazione_2018_oca-fatturapa.eml",
        "aruba_avvenuta-consegna_2018_oca-fatturapa.eml",
    ),
    (
        "aruba_accettazione_2021_seedoo_2rcpt.eml",
        "aruba_avvenuta-consegna_2021_seedoo_2rcpt.eml",
    ),
];
const FAILURE: &str = "aruba_errore-consegna_2021_seedoo.eml";

fn corpus_files() -> Option<Vec<(String, Vec<u8>)>> {
    let dir = corpus::dir_or_skip("archive corpus import")?;
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("real"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .filter(|(_, raw)| check_mail(raw).is_ok())
        .collect();
    files.sort();
    Some(files)
}

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &files.iter().find(|(p, _)| p.ends_with(name)).unwrap().1
}

#[test]
fn every_corpus_pair_is_linked_with_the_right_recipient_states() {
    let Some(files) = corpus_files() else { return };
    let (_dir, mut archive) = fresh();
    store_files(&mut archive, &TrustAnchors::builtin(), &files);
    let sends = archive.status(&StatusFilter::default(), now()).unwrap();

    for (acceptance, delivery) in PAIRS {
        let acc = inspect(file(&files, acceptance));
        let del = inspect(file(&files, delivery));
        assert_eq!(acc.kind, PecKind::Acceptance);
        assert_eq!(del.kind, PecKind::Delivery);
        let msgid = acc.daticert.as_ref().unwrap().msgid.clone().unwrap();
        let delivered_to = del.daticert.as_ref().unwrap().consegna.clone().unwrap();
        let send = sends
            .iter()
            .find(|s| s.msgid == msgid)
            .unwrap_or_else(|| panic!("no send for {acceptance}"));
        assert_eq!(
            send.evidence.len(),
            2,
            "{acceptance}: acceptance + delivery"
        );
        assert!(send.accepted_at.is_some(), "{acceptance}: accepted");
        let listed = acc.daticert.as_ref().unwrap().destinatari.len();
        assert_eq!(send.recipients.len(), listed, "{acceptance}: recipients");
        for r in &send.recipients {
            let expected = if r.address.eq_ignore_ascii_case(&delivered_to) {
                RecipientState::Delivered
            } else {
                RecipientState::Pending
            };
            assert_eq!(r.state, expected, "{acceptance}: {}", r.address);
        }
        let delivered = send
            .recipients
            .iter()
            .find(|r| r.state == RecipientState::Delivered)
            .unwrap();
        assert_eq!(delivered.at, del.daticert.as_ref().unwrap().data);
        let summary = if listed == 1 {
            SentSummary::Delivered
        } else {
            SentSummary::Pending
        };
        assert_eq!(send.summary, summary, "{acceptance}");
    }

    // The failure's send is known from the failure alone.
    let failure = inspect(file(&files, FAILURE));
    let d = failure.daticert.as_ref().unwrap();
    let send = sends
        .iter()
        .find(|s| Some(&s.msgid) == d.msgid.as_ref())
        .unwrap();
    assert_eq!(send.summary, SentSummary::Failed);
    assert_eq!(send.recipients[0].state, RecipientState::Failed);
    assert_eq!(send.recipients[0].reason, d.errore_esteso);

    // Envelopes are received messages, not sends; every send has at least one receipt.
    assert_eq!(
        sends.len(),
        6,
        "three pairs, the failure, two lone acceptances/deliveries"
    );
    assert!(archive.check().unwrap().is_clean());
}

#[test]
fn importing_the_corpus_twice_changes_nothing() {
    let Some(files) = corpus_files() else { return };
    let (_dir, mut archive) = fresh();
    let anchors = TrustAnchors::builtin();
    store_files(&mut archive, &anchors, &files);
    let before = archive.status(&StatusFilter::default(), now()).unwrap();
    let check_before = archive.check().unwrap();
    store_files(&mut archive, &anchors, &files);
    assert_eq!(
        archive.status(&StatusFilter::default(), now()).unwrap(),
        before
    );
    let check_after = archive.check().unwrap();
    assert!(check_after.is_clean(), "{:?}", check_after.problems);
    assert_eq!(check_after.messages, check_before.messages);
    assert_eq!(
        check_after.journal_entries, check_before.journal_entries,
        "nothing new to record"
    );
    assert_eq!(archive.message_count().unwrap(), files.len() as u64);
}

#[test]
fn every_corpus_message_keeps_its_exact_bytes_and_verdict() {
    let Some(files) = corpus_files() else { return };
    let (_dir, mut archive) = fresh();
    store_files(&mut archive, &TrustAnchors::builtin(), &files);
    let manifest = corpus::manifest(&corpus::dir().unwrap());
    for (path, raw) in &files {
        let hits = archive
            .lookup(
                &pec_archive::store::address(raw),
                &pec_archive::Origin::File {
                    path: path.clone(),
                    part: 0,
                    mailbox: None,
                },
            )
            .unwrap()
            .unwrap();
        assert!(hits.1, "origin recorded");
        assert_eq!(&archive.raw(hits.0).unwrap(), raw, "{path}: byte for byte");
        let item = archive.item(hits.0, now()).unwrap();
        let row = manifest.iter().find(|r| path.ends_with(&r.file)).unwrap();
        assert_eq!(
            item.verdicts[0].status.as_str(),
            row.expected_signature,
            "{path}"
        );
    }
}
