//! Synthetic sends signed by the test CA: the pack holds the archive's exact bytes under readable
//! names, states `valid` verdicts and the right outcomes, and verifies — until the CA is not trusted.

use pec_core::PecKind;
use pec_core::correlate::{RecipientState, SentSummary};
use pec_core::signature::{SignatureStatus, TrustAnchors};
use pec_pack::manifest::{MANIFEST, MemberRole, REPORT, SUMS};
use pec_pack::{Language, Manifest, PackProblem, verify_pack_bytes};

use super::*;

const TO: [&str; 3] = [
    "mario.rossi@pec.avvocati.example",
    "ufficio.protocollo@pec.comune.example",
    "anna.bianchi@pec.notai.example",
];

#[test]
fn a_signed_send_makes_a_pack_of_its_exact_files_with_valid_verdicts() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    let files = signed_send(pki, "Diffida ad adempiere n. 42/2026", &TO);
    store(&mut archive, &anchors, files.clone());
    let send = only_send(&archive);
    let pack = pack_of(&archive, &send, &anchors, Language::It);
    let zip = members(&pack.bytes);

    // Report, manifest and sums first, then the files in reading order.
    let names: Vec<&str> = zip.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(&names[..3], [REPORT, MANIFEST, SUMS]);
    assert_eq!(
        &names[3..],
        [
            "01-invio/2026-03-02T0915Z_messaggio-inviato.eml",
            "01-invio/2026-03-02T0915Z_accettazione.eml",
            "02-consegne/2026-03-02T0915Z_consegna_mario.rossi@pec.avvocati.example.eml",
            "02-consegne/2026-03-02T0916Z_mancata-consegna_ufficio.protocollo@pec.comune.example.eml",
            "02-consegne/2026-03-02T0917Z_preavviso-mancata-consegna-12h_anna.bianchi@pec.notai.example.eml",
        ]
    );
    // Byte for byte what was archived (which is what arrived).
    for (_, raw) in &files {
        assert!(
            zip.iter().any(|(_, b)| b == raw),
            "a file is not in the pack as archived"
        );
    }

    let manifest = Manifest::from_json(&member(&pack.bytes, MANIFEST)).unwrap();
    assert_eq!(manifest, pack.manifest);
    for m in &manifest.members {
        let bytes = member(&pack.bytes, &m.path);
        assert_eq!(m.sha256, pec_pack::sums::sha256_hex(&bytes), "{}", m.path);
        assert_eq!(m.size, bytes.len() as u64);
    }
    assert_eq!(manifest.members[0].role, MemberRole::Report);
    for (m, facts) in manifest.messages() {
        let expected = if facts.kind == PecKind::NotPec {
            SignatureStatus::Unsigned
        } else {
            SignatureStatus::Valid
        };
        assert_eq!(facts.signature.status, expected, "{}", m.path);
        assert_eq!(facts.archived_status, Some(expected));
    }
    let s = &manifest.send;
    assert_eq!(s.summary, SentSummary::Pending);
    let states: Vec<RecipientState> = s.recipients.iter().map(|r| r.state).collect();
    assert_eq!(
        states,
        [
            RecipientState::Delivered,
            RecipientState::Failed,
            RecipientState::Warned12h
        ]
    );
    assert_eq!(
        s.recipients[1].reason.as_deref(),
        Some("5.1.1 - indirizzo non valido")
    );
    assert_eq!(
        s.recipients[0].evidence.as_deref(),
        Some("02-consegne/2026-03-02T0915Z_consegna_mario.rossi@pec.avvocati.example.eml")
    );
    assert!(s.notes.is_empty(), "{:?}", s.notes);

    let sums = String::from_utf8(member(&pack.bytes, SUMS)).unwrap();
    assert_eq!(sums.lines().count(), manifest.members.len() + 1);

    let verdict = verify_pack_bytes(&pack.bytes, &anchors, now());
    assert!(verdict.holds, "{:#?}", verdict.problems);
    assert_eq!(verdict.members.len(), manifest.members.len());
    assert!(verdict.members.iter().all(|m| m.holds));
}

#[test]
fn the_same_pack_made_twice_is_the_same_bytes() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    store(
        &mut archive,
        &anchors,
        signed_send(pki, "Ricorso", &TO[..2]),
    );
    let send = only_send(&archive);
    let a = pack_of(&archive, &send, &anchors, Language::It);
    let b = pack_of(&archive, &send, &anchors, Language::It);
    assert_eq!(a.bytes, b.bytes);
    assert_eq!(a.sha256, b.sha256);
    assert_eq!(a.file_name, format!("2026-03-02_{}_Ricorso.zip", send.id));
}

#[test]
fn a_pack_whose_signatures_no_longer_verify_is_reported_per_member() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    store(
        &mut archive,
        &anchors,
        signed_send(pki, "Atto di citazione", &TO),
    );
    let send = only_send(&archive);
    let pack = pack_of(&archive, &send, &anchors, Language::It);

    // Someone without the test CA among their anchors: the files are intact, the trust is not.
    let verdict = verify_pack_bytes(&pack.bytes, &TrustAnchors::builtin(), now());
    assert!(!verdict.holds);
    let changed: Vec<&str> = verdict
        .problems
        .iter()
        .filter_map(|p| match p {
            PackProblem::SignatureChanged {
                member,
                stated: SignatureStatus::Valid,
                found: SignatureStatus::Untrusted,
            } => Some(member.as_str()),
            _ => None,
        })
        .collect();
    let receipts: Vec<&str> = pack
        .manifest
        .messages()
        .filter(|(_, f)| f.kind != PecKind::NotPec)
        .map(|(m, _)| m.path.as_str())
        .collect();
    assert_eq!(changed, receipts, "{:#?}", verdict.problems);
    assert!(
        !verdict
            .problems
            .iter()
            .any(|p| matches!(p, PackProblem::Changed { .. })),
        "the bytes did not change"
    );
    // Untrusted receipts certify nothing: the stated outcomes no longer hold either.
    assert!(verdict.problems.iter().any(|p| matches!(
        p,
        PackProblem::OutcomeChanged {
            stated: RecipientState::Delivered,
            found: Some(RecipientState::Pending),
            ..
        }
    )));
}

#[test]
fn an_english_pack_is_named_and_worded_in_english() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    store(&mut archive, &anchors, signed_send(pki, "Notice", &TO[..1]));
    let send = only_send(&archive);
    let pack = pack_of(&archive, &send, &anchors, Language::En);
    let names: Vec<String> = members(&pack.bytes).into_iter().map(|(n, _)| n).collect();
    assert!(
        names.contains(&"01-sending/2026-03-02T0915Z_sent-message.eml".to_owned()),
        "{names:?}"
    );
    assert!(names.contains(
        &"02-deliveries/2026-03-02T0915Z_delivery_mario.rossi@pec.avvocati.example.eml".to_owned()
    ));
    assert_eq!(pack.manifest.language, Language::En);
    assert!(verify_pack_bytes(&pack.bytes, &anchors, now()).holds);
}

#[test]
fn the_bytes_submitted_and_the_providers_sent_copy_are_both_kept_and_told_apart() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    let mut files = signed_send(pki, "Diffida n. 7", &TO[..1]);
    // What Attesta handed to the provider, and the provider's copy in Sent: the same message with a
    // header of the provider's in front (other bytes, so another archive item).
    let submitted = files[0].1.clone();
    let mut sent_copy = b"X-Provider-Stored: Posta inviata\r\n".to_vec();
    sent_copy.extend_from_slice(&submitted);
    files[0].1 = sent_copy.clone();
    let origin = pec_archive::Origin::Submitted {
        account: SENDER.to_owned(),
        by: None,
    };
    files.insert(0, (origin, submitted.clone()));
    store(&mut archive, &anchors, files);
    let send = only_send(&archive);
    let pack = pack_of(&archive, &send, &anchors, Language::It);
    assert_eq!(
        member(
            &pack.bytes,
            "01-invio/2026-03-02T0915Z_messaggio-inviato.eml"
        ),
        submitted
    );
    assert_eq!(
        member(
            &pack.bytes,
            "01-invio/2026-03-02T0915Z_copia-nella-posta-inviata.eml"
        ),
        sent_copy
    );
    assert!(verify_pack_bytes(&pack.bytes, &anchors, now()).holds);
}

#[test]
fn issue_13_a_pack_records_the_archive_head_when_it_was_made_in_its_manifest_and_report() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    store(
        &mut archive,
        &anchors,
        signed_send(pki, "Diffida", &["mario.rossi@pec.avvocati.example"]),
    );
    let head = archive.chain_head().unwrap().to_string();
    let pack = pack_of(&archive, &only_send(&archive), &anchors, Language::En);
    assert_eq!(pack.manifest.archive_head.as_deref(), Some(head.as_str()));
    let manifest: Manifest = serde_json::from_slice(&member(&pack.bytes, MANIFEST)).unwrap();
    assert_eq!(manifest.archive_head, Some(head.clone()));
    if poppler() {
        let text = pdf_text(&member(&pack.bytes, REPORT))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(&head), "the report prints the head: {text}");
        assert!(text.contains("archive check --expect"), "{text}");
    }
}
