//! Search as a person uses it, on either engine: a message is found by the words of its subject and
//! text, by a sender's address or a part of it, accents and case aside,
//! the last word also as the start of a word (unless it is an address); on PostgreSQL also by another form of a word of its subject
//! or text (Italian and English stems).

use pec_archive::{Archive, Incoming, Origin, Reading};
use pec_core::signature::TrustAnchors;

use super::{fresh, now, on_postgres};

const MAIL: &[u8] = b"From: Avv. Mario Rossi <mario.rossi@pec.studiolegale.example>\r\n\
To: cliente@pec.example\r\nMessage-ID: <diffida-1@pec.studiolegale.example>\r\n\
Date: Tue, 1 Dec 2026 10:00:00 +0100\r\nSubject: =?utf-8?q?Diffida_ad_adempiere_=E2=80=94_Societ=C3=A0_Alfa?=\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nCon la presente si intima il pagamento delle fatture.\r\n\
--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"atto_citazione.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n";

fn archive_with_the_mail() -> (tempfile::TempDir, Archive) {
    let (dir, mut archive) = fresh();
    let reading = Reading::of(MAIL, &TrustAnchors::builtin(), now());
    archive
        .store(
            vec![Incoming {
                reading: Some(reading),
                raw: MAIL.to_vec(),
                origin: Origin::File {
                    path: "diffida.eml".into(),
                    part: 0,
                    mailbox: None,
                },
                received: None,
            }],
            now(),
        )
        .unwrap();
    (dir, archive)
}

fn found(archive: &Archive, text: &str) -> bool {
    let hits = archive.search(text, 10).unwrap();
    assert!(hits.len() <= 1, "{text}: {hits:?}");
    hits.len() == 1
}

#[test]
fn a_message_is_found_by_the_words_of_its_subject_its_text_and_its_parties() {
    let (_dir, archive) = archive_with_the_mail();
    for text in [
        "diffida",
        "DIFFIDA adempiere",
        "societa alfa",
        "Società",
        "pagamento fatture",
        "mario.rossi@pec",
        "rossi",
        "studiolegale",
        "diff",
    ] {
        assert!(found(&archive, text), "{text:?} finds the message");
    }
    // An address matches as written: its last part is no word's beginning.
    for text in [
        "diffida bianchi",
        "verdi",
        "fatture2026",
        "mario.rossi@pec.studioleg",
    ] {
        assert!(!found(&archive, text), "{text:?} finds nothing");
    }
}

#[test]
fn on_postgresql_another_form_of_a_word_of_the_subject_or_text_finds_it() {
    if !on_postgres() {
        println!("SKIPPED: stems are PostgreSQL's search (ATTESTA_TEST_ENGINE=postgres)");
        return;
    }
    let (_dir, archive) = archive_with_the_mail();
    // Italian: "diffide", "fattura" and "intimare" share the stems of "Diffida", "fatture" and "intima"
    // (not last, so not also a word's beginning).
    for text in ["diffide alfa", "fattura alfa", "intimare alfa"] {
        assert!(found(&archive, text), "{text:?} finds the message");
    }
    assert!(!found(&archive, "diffidare bianchi"));
}

/// A plain mail numbered `n`, subject "Pratica n".
fn pratica(n: usize) -> Vec<u8> {
    format!(
        "From: studio@pec.example\r\nTo: cliente{n}@pec.example\r\nMessage-ID: <pratica-{n}@pec.example>\r\n\
Date: Tue, 1 Dec 2026 10:00:00 +0100\r\nSubject: Pratica {n}\r\n\r\nDocumenti della pratica {n}.\r\n"
    )
    .into_bytes()
}

#[test]
fn a_word_in_thousands_of_messages_and_a_number_in_one_are_both_found() {
    let (_dir, mut archive) = fresh();
    let anchors = TrustAnchors::builtin();
    let count = pec_archive::search::RANKED + 300;
    for chunk in (0..count).collect::<Vec<_>>().chunks(500) {
        let batch = chunk
            .iter()
            .map(|&n| {
                let raw = pratica(n);
                Incoming {
                    reading: Some(Reading::of(&raw, &anchors, now())),
                    raw,
                    origin: Origin::File {
                        path: format!("pratica-{n}.eml"),
                        part: 0,
                        mailbox: None,
                    },
                    received: None,
                }
            })
            .collect();
        archive.store(batch, now()).unwrap();
    }
    // More matches than are ranked: the newest are read first.
    let hits = archive.search("pratica", 50).unwrap();
    assert_eq!(hits.len(), 50);
    assert!(
        hits.iter()
            .all(|h| h.subject.as_deref().unwrap().starts_with("Pratica "))
    );
    // One match among thousands of messages holding the other word.
    let hits = archive.search("pratica 17 documenti", 50).unwrap();
    let subjects: Vec<_> = hits.iter().map(|h| h.subject.clone().unwrap()).collect();
    assert_eq!(subjects, ["Pratica 17"]);
    // The oldest message is found too, though thousands are newer.
    let hits = archive.search("0 pratica", 50).unwrap();
    let subjects: Vec<_> = hits.iter().map(|h| h.subject.clone().unwrap()).collect();
    assert_eq!(subjects, ["Pratica 0"]);
}

#[test]
fn hits_with_the_words_in_the_subject_come_first_then_the_newest() {
    let (_dir, mut archive) = fresh();
    let anchors = TrustAnchors::builtin();
    let mail = |n: usize, subject: &str, from: &str, text: &str| {
        format!(
            "From: {from}\r\nTo: cliente@pec.example\r\nMessage-ID: <m{n}@pec.example>\r\n\
             Date: Tue, 1 Dec 2026 10:00:00 +0100\r\nSubject: {subject}\r\n\r\n{text}\r\n"
        )
        .into_bytes()
    };
    // Archived oldest first.
    let files = [
        mail(1, "Diffida Alfa", "studio@pec.example", "Testo."),
        mail(2, "Sollecito", "alfa@pec.example", "Si veda la diffida."),
        mail(3, "Diffida", "alfa@pec.example", "Testo."),
        mail(
            4,
            "Sollecito",
            "studio@pec.example",
            "Diffida alla società Alfa.",
        ),
        mail(
            5,
            "Diffida ad adempiere ALFA",
            "studio@pec.example",
            "Testo.",
        ),
    ];
    let named: Vec<(String, Vec<u8>)> = files
        .iter()
        .enumerate()
        .map(|(i, raw)| (format!("{i}.eml"), raw.clone()))
        .collect();
    for one in named.chunks(1) {
        super::store_files(&mut archive, &anchors, one);
    }
    let order: Vec<String> = archive
        .search("diffida alf", 10)
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{} / {}",
                h.subject.clone().unwrap(),
                h.sender.clone().unwrap()
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            // Every word in the subject, newest first; then subject and sender; then the text.
            "Diffida ad adempiere ALFA / studio@pec.example",
            "Diffida Alfa / studio@pec.example",
            "Diffida / alfa@pec.example",
            "Sollecito / studio@pec.example",
            "Sollecito / alfa@pec.example",
        ]
    );
}
