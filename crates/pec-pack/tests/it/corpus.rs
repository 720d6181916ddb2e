//! Packs made from the real corpus (`../shared/corpus`, read in place, never copied): each linked pair
//! of the corpus README gives a pack holding byte-identical copies of the corpus files, whose manifest
//! hashes match, which `verify_pack` accepts, and in which every changed or removed member is named.

use pec_archive::query::StatusFilter;
use pec_core::correlate::RecipientState;
use pec_core::signature::{SignatureStatus, TrustAnchors};
use pec_core::{check_mail, inspect};
use pec_pack::manifest::{MANIFEST, REPORT};
use pec_pack::sums::sha256_hex;
use pec_pack::{Language, Manifest, verify_pack_bytes};
use pec_testkit::corpus;

use super::tamper::every_change_is_named;
use super::*;

/// The sends the corpus README names: their files.
const SENDS: &[&[&str]] = &[
    &[
        "aruba_accettazione_2014_oca-pec-messages.eml",
        "aruba_avvenuta-consegna_2014_oca-pec-messages.eml",
    ],
    &[
        "aruba_accettazione_2018_oca-fatturapa.eml",
        "aruba_avvenuta-consegna_2018_oca-fatturapa.eml",
    ],
    &[
        "aruba_accettazione_2021_seedoo_2rcpt.eml",
        "aruba_avvenuta-consegna_2021_seedoo_2rcpt.eml",
    ],
    &["aruba_errore-consegna_2021_seedoo.eml"],
];

/// Files as (path, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// Every mail file of the corpus, archived the way `attesta import` would.
fn corpus_archive() -> Option<(tempfile::TempDir, Archive, Files)> {
    let dir = corpus::dir_or_skip("evidence packs from the corpus")?;
    let mut files: Files = std::fs::read_dir(dir.join("real"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .filter(|(_, raw)| check_mail(raw).is_ok())
        .collect();
    files.sort();
    let (tmp, mut archive) = fresh();
    let batch = files
        .iter()
        .map(|(p, raw)| (file(p), raw.clone()))
        .collect();
    store(&mut archive, &TrustAnchors::builtin(), batch);
    Some((tmp, archive, files))
}

fn bytes_of<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &files.iter().find(|(p, _)| p.ends_with(name)).unwrap().1
}

#[test]
fn each_corpus_send_gives_a_pack_of_byte_identical_files_that_verifies() {
    let Some((_tmp, archive, files)) = corpus_archive() else {
        return;
    };
    let anchors = TrustAnchors::builtin();
    let sends = archive.status(&StatusFilter::default(), now()).unwrap();
    for names in SENDS {
        let first = inspect(bytes_of(&files, names[0]));
        let msgid = first.daticert.as_ref().unwrap().msgid.clone().unwrap();
        let send = sends.iter().find(|s| s.msgid == msgid).unwrap();
        let pack = pack_of(&archive, send, &anchors, Language::It);
        let zip = members(&pack.bytes);

        // Every corpus file of the send is in the pack, byte for byte, and nothing else is.
        let messages: Vec<&(String, Vec<u8>)> =
            zip.iter().filter(|(n, _)| n.ends_with(".eml")).collect();
        assert_eq!(messages.len(), names.len(), "{names:?}");
        for name in *names {
            let original = bytes_of(&files, name);
            assert!(
                messages.iter().any(|(_, b)| b.as_slice() == original),
                "{name} is not in its pack byte for byte"
            );
        }

        // The manifest's hashes are the members' hashes; the verdicts are the corpus's.
        let manifest = Manifest::from_json(&member(&pack.bytes, MANIFEST)).unwrap();
        for m in &manifest.members {
            assert_eq!(
                m.sha256,
                sha256_hex(&member(&pack.bytes, &m.path)),
                "{}",
                m.path
            );
        }
        for (m, facts) in manifest.messages() {
            assert_eq!(facts.signature.status, SignatureStatus::Valid, "{}", m.path);
            assert!(facts.provider.is_some());
        }
        assert!(
            manifest
                .send
                .notes
                .iter()
                .any(|n| n.code == "sent-copy-missing"),
            "the corpus has no sent copies"
        );

        let verdict = verify_pack_bytes(&pack.bytes, &anchors, now());
        assert!(verdict.holds, "{names:?}: {:#?}", verdict.problems);
        // Issue 13 §2: every real receipt is bound to its send by its signed daticert.
        for m in verdict.members.iter().filter(|m| m.path.ends_with(".eml")) {
            assert_eq!(
                m.assurance,
                pec_pack::Assurance::ProviderSignature,
                "{}",
                m.path
            );
        }
        assert_eq!(
            verdict
                .members
                .iter()
                .find(|m| m.path == REPORT)
                .unwrap()
                .assurance,
            pec_pack::Assurance::RebuiltFromManifest
        );
        every_change_is_named(&pack, &anchors);
    }
}

#[test]
fn the_report_of_a_corpus_send_states_its_recipients_outcomes_and_hashes() {
    let Some((_tmp, archive, files)) = corpus_archive() else {
        return;
    };
    if !poppler() {
        return;
    }
    let anchors = TrustAnchors::builtin();
    let sends = archive.status(&StatusFilter::default(), now()).unwrap();
    for (i, names) in SENDS.iter().enumerate() {
        let first = inspect(bytes_of(&files, names[0]));
        let msgid = first.daticert.as_ref().unwrap().msgid.clone().unwrap();
        let send = sends.iter().find(|s| s.msgid == msgid).unwrap();
        let pack = pack_of(&archive, send, &anchors, Language::It);
        let pdf = member(&pack.bytes, REPORT);
        let text = pdf_text(&pdf);
        let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for r in &pack.manifest.send.recipients {
            assert!(flat.contains(&r.address), "{}", r.address);
            let state = pec_pack::words::kinds::state(Language::It, r.state);
            let state: String = state.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(flat.contains(&state), "{state}");
        }
        for (m, _) in pack.manifest.messages() {
            assert!(text.contains(&m.sha256), "{}", m.path);
        }
        if i == 2 {
            // Two recipients: one delivered, one still pending (its receipt is not in the corpus).
            let states: Vec<RecipientState> = pack
                .manifest
                .send
                .recipients
                .iter()
                .map(|r| r.state)
                .collect();
            assert!(states.contains(&RecipientState::Delivered));
            assert!(states.contains(&RecipientState::Pending));
            render_page(&pdf, 1, "corpus-report-page1");
        }
    }
}
