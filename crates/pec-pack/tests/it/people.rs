//! Issue 18 §3: a pack names the person who exported it — in its manifest, its report and the verdict
//! on it — and says "not recorded" when no one was set; a submission's sender is named with its origin.
//! What the pack says of its exporter is its own statement: a forger who rewrites it and recomputes
//! every hash makes a pack that still holds, so the verdict never puts it among what signatures prove.

use pec_archive::Person;
use pec_pack::manifest::{MANIFEST, REPORT};
use pec_pack::words::verdict;
use pec_pack::{Language, verify_pack_bytes};

use super::forged::{genuine, manifest_of, rehash};
use super::*;

fn maria() -> Person {
    Person::new("Avv. Maria Rossi", Some("maria.rossi@studio.example")).unwrap()
}

/// A signed send packed with `exported_by` stated.
fn packed(pki: &TestPki, exported_by: Option<Person>, language: Language) -> (TrustAnchors, Pack) {
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    store(
        &mut archive,
        &anchors,
        signed_send(pki, "Diffida n. 7", &["mario.rossi@pec.avvocati.example"]),
    );
    let options = PackOptions {
        exported_by,
        ..options(language)
    };
    let pack = build_pack(&archive, &only_send(&archive), &anchors, &options).unwrap();
    (anchors, pack)
}

fn report_text(pack: &Pack) -> Option<String> {
    poppler().then(|| {
        pdf_text(&member(&pack.bytes, REPORT))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[test]
fn issue_18_a_pack_names_its_exporter_in_its_manifest_report_and_verdict() {
    let Some(pki) = pki() else { return };
    let (anchors, pack) = packed(pki, Some(maria()), Language::It);
    assert_eq!(pack.manifest.exported_by, Some(Some(maria())));
    let json = String::from_utf8(member(&pack.bytes, MANIFEST)).unwrap();
    assert!(
        json.contains(
            "\"exported_by\": {\n    \"name\": \"Avv. Maria Rossi\",\n    \"email\": \"maria.rossi@studio.example\"\n  }"
        ),
        "{json}"
    );
    assert_eq!(manifest_of(&pack).exported_by, Some(Some(maria())));

    let v = verify_pack_bytes(&pack.bytes, &anchors, now());
    assert!(v.holds, "{:#?}", v.problems);
    assert_eq!(v.exported_by, Some(Some(maria())));
    let en = verdict::words(Language::En, &v);
    assert!(
        en.by_hashes_only.iter().any(|l| l
            == "who exported it (Avv. Maria Rossi <maria.rossi@studio.example>): the pack's own \
                statement, confirmed only by the archive's journal record of the export"),
        "{:?}",
        en.by_hashes_only
    );
    assert!(!en.by_signatures.iter().any(|l| l.contains("Maria")));

    if let Some(text) = report_text(&pack) {
        assert!(
            text.contains("Esportato da: Avv. Maria Rossi <maria.rossi@studio.example>"),
            "{text}"
        );
        assert!(
            text.contains("È una dichiarazione del fascicolo stesso e da sola non lo prova"),
            "{text}"
        );
        let png = render_page(&member(&pack.bytes, REPORT), 1, "report-exporter-page1");
        println!("page 1 of a report naming its exporter: {}", png.display());
    }
}

#[test]
fn issue_18_a_pack_exported_with_no_person_set_says_not_recorded() {
    let Some(pki) = pki() else { return };
    let (anchors, pack) = packed(pki, None, Language::En);
    let json = String::from_utf8(member(&pack.bytes, MANIFEST)).unwrap();
    assert!(json.contains("\"exported_by\": null"), "{json}");
    let v = verify_pack_bytes(&pack.bytes, &anchors, now());
    assert!(v.holds, "{:#?}", v.problems);
    assert_eq!(v.exported_by, Some(None));
    assert!(
        verdict::words(Language::En, &v)
            .by_hashes_only
            .contains(&"who exported it: not recorded".to_owned())
    );
    if let Some(text) = report_text(&pack) {
        assert!(text.contains("Exported by: not recorded"), "{text}");
    }
}

#[test]
fn issue_18_a_pack_made_before_exporters_were_stated_still_verifies_and_says_nothing_of_one() {
    // A pack of an earlier Attesta: no `exported_by` field at all, and a report printed without it.
    let Some(pki) = pki() else { return };
    let (anchors, pack) = genuine(pki);
    let mut manifest = manifest_of(&pack);
    manifest.exported_by = None;
    let older = rehash(members(&pack.bytes), &mut manifest, false);
    let json = String::from_utf8(member(&older, MANIFEST)).unwrap();
    assert!(!json.contains("exported_by"), "{json}");
    let v = verify_pack_bytes(&older, &anchors, now());
    assert!(v.holds, "{:#?}", v.problems);
    assert_eq!(v.exported_by, None);
    assert!(
        !verdict::words(Language::It, &v)
            .by_hashes_only
            .iter()
            .any(|l| l.contains("esportato"))
    );
}

#[test]
fn issue_18_a_forged_exporter_still_holds_because_it_is_only_the_packs_own_statement() {
    // The forger names someone else and recomputes every hash the pack has (report included): the pack
    // holds — which is why the verdict lists who exported it among what only the pack's hashes carry.
    let Some(pki) = pki() else { return };
    let (anchors, pack) = packed(pki, Some(maria()), Language::En);
    let mut manifest = manifest_of(&pack);
    manifest.exported_by = Some(Some(Person::new("Luca Bianchi", None).unwrap()));
    let forged = rehash(members(&pack.bytes), &mut manifest, false);
    let v = verify_pack_bytes(&forged, &anchors, now());
    assert!(v.holds, "{:#?}", v.problems);
    let en = verdict::words(Language::En, &v);
    assert!(
        en.by_hashes_only
            .iter()
            .any(|l| l.starts_with("who exported it (Luca Bianchi)")),
        "{:?}",
        en.by_hashes_only
    );
    assert_ne!(
        pec_pack::sums::sha256_hex(&forged),
        pack.sha256,
        "the archive's journal names the genuine pack's SHA-256, not this one"
    );
}

#[test]
fn issue_18_a_submission_names_its_sender_among_its_origins() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    let mut files = signed_send(pki, "Diffida n. 8", &["mario.rossi@pec.avvocati.example"]);
    files[0].0 = Origin::Submitted {
        account: SENDER.to_owned(),
        by: Some(maria()),
    };
    store(&mut archive, &anchors, files);
    let pack = pack_of(&archive, &only_send(&archive), &anchors, Language::It);
    let (_, sent) = pack.manifest.messages().next().unwrap();
    assert_eq!(sent.origins[0].sent_by(), Some(&maria()));
    assert!(verify_pack_bytes(&pack.bytes, &anchors, now()).holds);
    if let Some(text) = report_text(&pack) {
        assert!(
            text.contains("inviato con Attesta da Avv. Maria Rossi <maria.rossi@studio.example>"),
            "{text}"
        );
    }
}
