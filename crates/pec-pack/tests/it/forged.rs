//! Issue 13 §2, "a pack proves only what its signatures cover": the forger edits a genuine pack and
//! recomputes everything the pack itself hashes — each member's SHA-256 in `manifest.json`, the
//! manifest's own hash, `SHA256SUMS.txt`, even `report.pdf` printed from the edited manifest — so that
//! every hash matches. Only what a provider signed can give the edit away, and the verdict must name it.

use pec_core::correlate::RecipientState;
use pec_core::signature::SignatureStatus;
use pec_pack::manifest::{MANIFEST, REPORT, SUMS};
use pec_pack::sums::sha256_hex;
use pec_pack::words::verdict;
use pec_pack::{
    Assurance, Language, Manifest, PackProblem, PackVerdict, SentCopyField, verify_pack_bytes,
};
use pec_testkit::pki::TestPki;

use super::*;

const TO: &str = "mario.rossi@pec.avvocati.example";
const SENT: &str = "01-invio/2026-03-02T0915Z_messaggio-inviato.eml";
const ACCEPTANCE: &str = "01-invio/2026-03-02T0915Z_accettazione.eml";
const DELIVERY: &str = "02-consegne/2026-03-02T0915Z_consegna_mario.rossi@pec.avvocati.example.eml";

/// A genuine pack: the sent copy, its acceptance and a `completa` delivery, signed by the test CA.
pub(super) fn genuine(pki: &TestPki) -> (TrustAnchors, Pack) {
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    store(
        &mut archive,
        &anchors,
        signed_send(pki, "Diffida n. 7", &[TO]),
    );
    let send = only_send(&archive);
    let pack = pack_of(&archive, &send, &anchors, Language::It);
    (anchors, pack)
}

/// What the forger does after editing: every member's hash and size in the manifest, the manifest's
/// own hash, the sums, and the report printed from the edited manifest (unless `keep_report`).
pub(super) fn rehash(
    mut entries: Vec<(String, Vec<u8>)>,
    manifest: &mut Manifest,
    keep_report: bool,
) -> Vec<u8> {
    manifest
        .members
        .retain(|m| entries.iter().any(|(n, _)| *n == m.path));
    let hash = |manifest: &mut Manifest, entries: &[(String, Vec<u8>)]| {
        for m in &mut manifest.members {
            let bytes = &entries.iter().find(|(n, _)| *n == m.path).unwrap().1;
            m.sha256 = sha256_hex(bytes);
            m.size = bytes.len() as u64;
        }
    };
    hash(manifest, &entries);
    if !keep_report {
        let report = pec_pack::report::rebuild(manifest);
        replace(&mut entries, REPORT, report);
        hash(manifest, &entries);
    }
    let json = manifest.seal();
    let sums = pec_pack::sums::text(manifest, &sha256_hex(&json));
    for (name, bytes) in [(MANIFEST, json), (SUMS, sums.into_bytes())] {
        match entries.iter_mut().find(|(n, _)| n == name) {
            Some(e) => e.1 = bytes,
            None => entries.push((name.to_owned(), bytes)),
        }
    }
    zip_of(&entries)
}

pub(super) fn manifest_of(pack: &Pack) -> Manifest {
    Manifest::from_json(&member(&pack.bytes, MANIFEST)).unwrap()
}

fn replace(entries: &mut [(String, Vec<u8>)], name: &str, bytes: Vec<u8>) {
    entries.iter_mut().find(|(n, _)| n == name).unwrap().1 = bytes;
}

fn edited(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(text.contains(from), "{from:?} not in the member");
    text.replacen(from, to, 1).into_bytes()
}

fn assurance(verdict: &PackVerdict, path: &str) -> Assurance {
    verdict
        .members
        .iter()
        .find(|m| m.path == path)
        .unwrap_or_else(|| panic!("no member {path}"))
        .assurance
}

#[test]
fn a_genuine_pack_holds_and_says_what_the_signatures_prove_issue_13() {
    let Some(pki) = pki() else { return };
    let (anchors, pack) = genuine(pki);
    let v = verify_pack_bytes(&pack.bytes, &anchors, now());
    assert!(v.holds, "{:#?}", v.problems);
    assert_eq!(assurance(&v, ACCEPTANCE), Assurance::ProviderSignature);
    assert_eq!(assurance(&v, DELIVERY), Assurance::ProviderSignature);
    assert_eq!(
        assurance(&v, SENT),
        Assurance::AgreesWithSignedData { original: true }
    );
    assert_eq!(assurance(&v, REPORT), Assurance::RebuiltFromManifest);

    let en = verdict::words(Language::En, &v);
    assert!(en.headline.starts_with("HOLDS"), "{}", en.headline);
    assert_eq!(
        en.hashes_heading,
        "only by the pack's own hashes (anyone can recompute them)"
    );
    assert!(en.by_signatures.iter().any(|l| l.starts_with(DELIVERY)));
    assert!(en.by_signatures.iter().any(|l| l.starts_with(SENT)));
    assert!(en.by_hashes_only.iter().any(|l| l.starts_with(REPORT)));
    assert!(en.by_hashes_only.iter().any(|l| l.starts_with(MANIFEST)));
    assert!(!en.by_signatures.iter().any(|l| l.starts_with(REPORT)));
    let it = verdict::words(Language::It, &v);
    assert!(it.headline.starts_with("REGGE"), "{}", it.headline);
    assert_eq!(it.by_signatures.len(), en.by_signatures.len());
}

#[test]
fn a_genuine_receipt_of_another_send_added_and_rehashed_is_refused_and_named_issue_13() {
    let Some(pki) = pki() else { return };
    let (anchors, pack) = genuine(pki);
    // A real, validly signed delivery receipt for another message of the same sender.
    let mut other = Send::new(
        SENDER,
        &[TO],
        "Altro messaggio",
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 5, 10, 0, 0).unwrap(),
    );
    other.msgid = "another-send@client.example".to_owned();
    let foreign = Pec::new(
        &other,
        PecKindSpec::Delivery {
            recipient: TO.to_owned(),
        },
    )
    .build(pki);
    let path = "02-consegne/2026-03-05T1000Z_consegna_mario.rossi@pec.avvocati.example.eml";

    let mut manifest = manifest_of(&pack);
    let mut listed = manifest
        .members
        .iter()
        .find(|m| m.path == DELIVERY)
        .unwrap()
        .clone();
    listed.path = path.to_owned();
    manifest.members.push(listed);
    let mut entries = members(&pack.bytes);
    entries.push((path.to_owned(), foreign));
    let forged = rehash(entries, &mut manifest, false);

    let v = verify_pack_bytes(&forged, &anchors, now());
    assert!(!v.holds);
    assert_eq!(
        v.problems,
        [PackProblem::ReceiptOfAnotherSend {
            member: path.to_owned(),
            expected_msgid: manifest.send.msgid.clone(),
            found_msgid: Some("<another-send@client.example>".to_owned()),
        }]
    );
    assert_eq!(assurance(&v, path), Assurance::PackHashOnly);
}

#[test]
fn a_receipt_of_another_sender_for_the_same_message_id_is_refused_and_named_issue_13() {
    let Some(pki) = pki() else { return };
    let (anchors, pack) = genuine(pki);
    let mut manifest = manifest_of(&pack);
    let mut other = Send::new(
        "someone.else@pec.provider.example",
        &[TO],
        "Diffida n. 7",
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 2, 9, 15, 0).unwrap(),
    );
    other.msgid = pec_core::ids::unbracketed(&manifest.send.msgid).to_owned();
    let mut pec = Pec::new(
        &other,
        PecKindSpec::Delivery {
            recipient: TO.to_owned(),
        },
    );
    pec.at = other.sent_at + chrono::Duration::seconds(40);
    let mut entries = members(&pack.bytes);
    replace(&mut entries, DELIVERY, pec.build(pki));
    let forged = rehash(entries, &mut manifest, false);

    let v = verify_pack_bytes(&forged, &anchors, now());
    assert!(!v.holds);
    let names: Vec<&PackProblem> = v.problems.iter().collect();
    assert!(
        matches!(
            names.as_slice(),
            [PackProblem::ReceiptOfAnotherSender { member, found_sender: Some(found), .. }, ..]
                if member == DELIVERY && found == "someone.else@pec.provider.example"
        ),
        "{:#?}",
        v.problems
    );
    // Left out of the outcomes, the recipient is no longer certified delivered.
    assert!(v.problems.iter().any(|p| matches!(
        p,
        PackProblem::OutcomeChanged {
            stated: RecipientState::Delivered,
            ..
        }
    )));
}

/// The problems about the sent copy, by field.
fn sent_copy_fields(v: &PackVerdict) -> Vec<SentCopyField> {
    v.problems
        .iter()
        .filter_map(|p| match p {
            PackProblem::SentCopyDiffers { member, field, .. } if member == SENT => Some(*field),
            _ => None,
        })
        .collect()
}

#[test]
fn a_sent_copy_with_another_subject_rehashed_is_named_issue_13() {
    let Some(pki) = pki() else { return };
    let (anchors, pack) = genuine(pki);
    let mut entries = members(&pack.bytes);
    let sent = edited(
        &member(&pack.bytes, SENT),
        "Subject: Diffida n. 7",
        "Subject: Diffida n. 8",
    );
    replace(&mut entries, SENT, sent);
    let forged = rehash(entries, &mut manifest_of(&pack), false);

    let v = verify_pack_bytes(&forged, &anchors, now());
    assert!(!v.holds);
    assert_eq!(
        v.problems.len(),
        2,
        "only the sent copy is named: {:#?}",
        v.problems
    );
    assert_eq!(
        sent_copy_fields(&v),
        [SentCopyField::Subject, SentCopyField::Original]
    );
    assert!(v.problems.contains(&PackProblem::SentCopyDiffers {
        member: SENT.to_owned(),
        field: SentCopyField::Subject,
        signed: Some("Diffida n. 7".to_owned()),
        found: Some("Diffida n. 8".to_owned()),
    }));
    assert_eq!(assurance(&v, SENT), Assurance::PackHashOnly);
}

#[test]
fn a_sent_copy_with_another_recipient_rehashed_is_named_issue_13() {
    let Some(pki) = pki() else { return };
    let (anchors, pack) = genuine(pki);
    let mut entries = members(&pack.bytes);
    let sent = edited(
        &member(&pack.bytes, SENT),
        "To: mario.rossi@pec.avvocati.example",
        "To: luigi.bianchi@pec.avvocati.example",
    );
    replace(&mut entries, SENT, sent);
    let forged = rehash(entries, &mut manifest_of(&pack), false);

    let v = verify_pack_bytes(&forged, &anchors, now());
    assert!(!v.holds);
    assert_eq!(
        sent_copy_fields(&v),
        [SentCopyField::Recipients, SentCopyField::Original],
        "{:#?}",
        v.problems
    );
    assert_eq!(v.problems.len(), 2, "{:#?}", v.problems);
    assert!(v.problems.contains(&PackProblem::SentCopyDiffers {
        member: SENT.to_owned(),
        field: SentCopyField::Recipients,
        signed: Some(TO.to_owned()),
        found: Some("luigi.bianchi@pec.avvocati.example".to_owned()),
    }));
}

#[test]
fn a_sent_copy_with_another_body_rehashed_is_named_by_the_completa_original_issue_13() {
    let Some(pki) = pki() else { return };
    let (anchors, pack) = genuine(pki);
    let mut entries = members(&pack.bytes);
    let sent = edited(
        &member(&pack.bytes, SENT),
        "Gentile destinatario",
        "Gentile debitore",
    );
    replace(&mut entries, SENT, sent);
    let forged = rehash(entries, &mut manifest_of(&pack), false);

    let v = verify_pack_bytes(&forged, &anchors, now());
    assert!(!v.holds);
    assert_eq!(
        v.problems,
        [PackProblem::SentCopyDiffers {
            member: SENT.to_owned(),
            field: SentCopyField::Original,
            signed: Some(DELIVERY.to_owned()),
            found: Some(sha256_hex(&entries_of(&forged, SENT))),
        }]
    );
}

fn entries_of(zip: &[u8], name: &str) -> Vec<u8> {
    member(zip, name)
}

#[test]
fn a_replaced_report_rehashed_is_named_issue_13() {
    let Some(pki) = pki() else { return };
    let (anchors, pack) = genuine(pki);
    let mut manifest = manifest_of(&pack);
    // A report that says something else: the manifest with a happier outcome, printed.
    let mut lying = manifest.clone();
    lying.send.recipients[0].state = RecipientState::Delivered;
    lying.send.recipients[0].reason = None;
    lying.send.subject = Some("Pagamento ricevuto".to_owned());
    let mut entries = members(&pack.bytes);
    replace(&mut entries, REPORT, pec_pack::report::rebuild(&lying));
    let forged = rehash(entries, &mut manifest, true);

    let v = verify_pack_bytes(&forged, &anchors, now());
    assert!(!v.holds);
    assert!(
        matches!(v.problems.as_slice(), [PackProblem::ReportDiffers { found_sha256, .. }]
            if *found_sha256 == sha256_hex(&member(&forged, REPORT))),
        "{:#?}",
        v.problems
    );
    assert_eq!(assurance(&v, REPORT), Assurance::PackHashOnly);
}

#[test]
fn an_edited_receipt_rehashed_is_named_by_its_signature_issue_13() {
    let Some(pki) = pki() else { return };
    let (anchors, pack) = genuine(pki);
    let mut entries = members(&pack.bytes);
    // The summary text inside the signed content: "il messaggio" → "il messaggiO".
    let receipt = edited(
        &member(&pack.bytes, ACCEPTANCE),
        "il messaggio",
        "il messaggiO",
    );
    replace(&mut entries, ACCEPTANCE, receipt);
    let forged = rehash(entries, &mut manifest_of(&pack), false);

    let v = verify_pack_bytes(&forged, &anchors, now());
    assert!(!v.holds);
    assert_eq!(
        v.problems,
        [PackProblem::SignatureChanged {
            member: ACCEPTANCE.to_owned(),
            stated: SignatureStatus::Valid,
            found: SignatureStatus::Invalid,
        }]
    );
    assert_eq!(assurance(&v, ACCEPTANCE), Assurance::PackHashOnly);
    let en = verdict::words(Language::En, &v);
    assert!(en.headline.starts_with("DOES NOT HOLD"));
}
