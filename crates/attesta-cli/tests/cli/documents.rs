//! Signed documents on the command line (issue 15 §3, §5): `trust import-tl`, `verify-doc`,
//! `extract`, on the real shared set and the real Italian Trusted Lists.

use std::path::{Path, PathBuf};

use pec_testkit::corpus;
use serde_json::Value;

use crate::support::{attesta_in, text};

/// `shared/corpus/signed`, or a loud skip.
fn signed() -> Option<PathBuf> {
    let dir = corpus::dir_or_skip("cli documents")?.join("signed");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Imports the EU list of lists and both Italian lists, national first (the order must not matter).
fn import_lists(data: &Path, signed: &Path) {
    let tl = signed.join("trusted-list");
    let out = attesta_in(
        data,
        &[
            "trust",
            "import-tl",
            &s(&tl.join("TSL-IT_seq194_2023-09-26.xml")),
            &s(&tl.join("TSL-IT_seq141_2019-09-04.xml")),
            &s(&tl.join("EU-LOTL_seq332_2023-09-27.xml")),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("EU list of lists EU sequence 332"), "{said}");
    assert!(said.contains("Trusted List IT sequence 194"), "{said}");
}

fn json_lines(out: &std::process::Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn a_qualified_invoice_is_untrusted_until_the_lists_are_imported_then_valid_and_qualified() {
    let Some(signed) = signed() else { return };
    let data = tempfile::tempdir().unwrap();
    let invoice = s(&signed.join("p7m-invoice/oca_IT01234567890_FPR03.xml.p7m"));

    let before = attesta_in(data.path(), &["verify-doc", &invoice]);
    assert_eq!(before.status.code(), Some(1), "{}", text(&before));
    assert!(text(&before).contains("UNTRUSTED"), "{}", text(&before));
    assert!(
        text(&before).contains("no Trusted List imported"),
        "{}",
        text(&before)
    );

    import_lists(data.path(), &signed);
    let after = attesta_in(data.path(), &["verify-doc", "--json", &invoice]);
    assert_eq!(after.status.code(), Some(0), "{}", text(&after));
    let report = &json_lines(&after)[0];
    assert_eq!(report["file"], invoice.as_str());
    assert_eq!(report["format"], "cades");
    assert_eq!(report["status"], "valid");
    assert_eq!(
        report["content_sha256"],
        "34e9b579544df83a927e83b1c2593aafe4e0b8d2da934854f8b7f849a00cc315"
    );
    let signature = &report["signatures"][0];
    assert_eq!(signature["status"], "valid");
    assert_eq!(signature["qualified"], true);
    assert_eq!(signature["signer"]["common_name"], "CORATO SERGIO");
    assert_eq!(signature["signed_at"], "2018-12-21T15:58:13Z");
    assert!(signature["chain"].as_array().is_some_and(|c| !c.is_empty()));
    let codes: Vec<&str> = signature["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"revocation-not-checked"), "{codes:?}");
}

#[test]
fn an_altered_list_is_refused_and_nothing_is_stored() {
    let Some(signed) = signed() else { return };
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let tl = signed.join("trusted-list");
    let mut bytes = std::fs::read(tl.join("TSL-IT_seq194_2023-09-26.xml")).unwrap();
    let at = memchr_find(&bytes, b"InfoCert").expect("the list names InfoCert");
    bytes[at] = b'X'; // "XnfoCert": a service renamed after AgID signed
    let altered = work.path().join("TSL-IT.xml");
    std::fs::write(&altered, &bytes).unwrap();
    let out = attesta_in(
        data.path(),
        &[
            "trust",
            "import-tl",
            &s(&tl.join("EU-LOTL_seq332_2023-09-27.xml")),
            &s(&altered),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("list refused"), "{}", text(&out));
    let stored: Vec<_> = std::fs::read_dir(data.path().join("trusted-lists"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        stored.iter().all(|n| n.starts_with("EU-LOTL")),
        "{stored:?}"
    );
}

#[test]
fn a_stored_list_edited_on_disk_is_not_used() {
    let Some(signed) = signed() else { return };
    let data = tempfile::tempdir().unwrap();
    import_lists(data.path(), &signed);
    let stored = data.path().join("trusted-lists/TL-IT-00000194.xml");
    let mut bytes = std::fs::read(&stored).unwrap();
    let at = memchr_find(&bytes, b"InfoCert").unwrap();
    bytes[at] = b'X';
    std::fs::write(&stored, &bytes).unwrap();
    let out = attesta_in(data.path(), &["trust", "list"]);
    assert!(text(&out).contains("NOT USED"), "{}", text(&out));
    assert!(!text(&out).contains("IT sequence 194"), "{}", text(&out));
}

#[test]
fn altered_and_garbage_files_are_named_for_what_they_are() {
    let Some(signed) = signed() else { return };
    let data = tempfile::tempdir().unwrap();
    import_lists(data.path(), &signed);
    let out = attesta_in(
        data.path(),
        &[
            "verify-doc",
            "--json",
            &s(&signed.join("p7m-pdf/parer_cades_bes_errore_critto.p7m")),
            &s(&signed.join("p7m-invoice/oca_IT05979361218_fake.xml.p7m")),
            &s(&signed.join("pades/parer_pdfNullPointerEx.pdf")),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let reports = json_lines(&out);
    let statuses: Vec<&str> = reports
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["invalid", "indeterminate", "invalid"]);
    assert_eq!(reports[1]["format"], Value::Null);
    assert_eq!(reports[2]["format"], "pades");
    assert_eq!(reports[2]["content_sha256"], Value::Null);
}

#[test]
fn a_timestamp_beside_its_file_proves_that_file_and_refuses_it_once_changed() {
    let Some(signed) = signed() else { return };
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let token = work.path().join("nota.xml.tsr");
    let stamped = work.path().join("nota.xml");
    std::fs::copy(signed.join("tsr/parer_test_non_firma.xml.tsr"), &token).unwrap();
    std::fs::copy(signed.join("tsr/parer_test_non_firma.xml"), &stamped).unwrap();
    let out = attesta_in(data.path(), &["verify-doc", "--json", &s(&token)]);
    let report = &json_lines(&out)[0];
    assert_eq!(report["format"], "tsr");
    assert_eq!(report["signatures"][0]["signed_at"], "2008-12-31T08:33:14Z");
    assert_ne!(report["status"], "invalid", "{report}");

    let mut bytes = std::fs::read(&stamped).unwrap();
    bytes.push(b' ');
    std::fs::write(&stamped, bytes).unwrap();
    let out = attesta_in(data.path(), &["verify-doc", &s(&token)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("timestamp-imprint-mismatch"),
        "{}",
        text(&out)
    );
}

#[test]
fn extract_writes_the_innermost_document_exactly_and_never_overwrites() {
    let Some(signed) = signed() else { return };
    let data = tempfile::tempdir().unwrap();
    import_lists(data.path(), &signed);
    let out_dir = tempfile::tempdir().unwrap();
    let nested = s(&signed.join("p7m-nested/parer_cades+cades_crl_non_conforme.pdf.p7m"));
    let out = attesta_in(
        data.path(),
        &["extract", &nested, "--out", &s(out_dir.path())],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let written = out_dir
        .path()
        .join("parer_cades+cades_crl_non_conforme.pdf");
    let pdf = std::fs::read(&written).unwrap();
    assert!(
        pdf.starts_with(b"%PDF-"),
        "the innermost content is the PDF, not the inner p7m"
    );
    let verify = attesta_in(data.path(), &["verify-doc", "--json", &nested]);
    let expected = json_lines(&verify)[0]["content_sha256"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(sha256_hex(&pdf), expected);

    let again = attesta_in(
        data.path(),
        &["extract", &nested, "--out", &s(out_dir.path())],
    );
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(
        text(&again).contains("never overwritten"),
        "{}",
        text(&again)
    );
    assert_eq!(std::fs::read(&written).unwrap(), pdf);

    let pdf_signed = s(&signed.join("pades/parer_pades.pdf"));
    let none = attesta_in(
        data.path(),
        &["extract", &pdf_signed, "--out", &s(out_dir.path())],
    );
    assert_eq!(none.status.code(), Some(2), "{}", text(&none));
    assert!(
        text(&none).contains("nothing to extract"),
        "{}",
        text(&none)
    );
}

fn memchr_find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Issue 15 §6: a message archived with a signed attachment records its verdict; importing the
/// Trusted Lists and re-verifying records the new one beside it, and `archive check` holds.
#[test]
fn an_archived_attachment_verdict_is_recorded_then_recorded_again_after_the_lists_are_imported() {
    let Some(signed) = signed() else { return };
    let data = tempfile::tempdir().unwrap();
    let mail = tempfile::tempdir().unwrap();
    let mut send = pec_testkit::Send::new(
        "fornitore@pec.example",
        &["studio@pec.example"],
        "Fattura 2018/12",
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2018, 12, 21, 17, 0, 0).unwrap(),
    );
    send.attachments.push(pec_testkit::Attachment {
        name: "IT01234567890_FPR03.xml.p7m".into(),
        content_type: "application/pkcs7-mime".into(),
        bytes: std::fs::read(signed.join("p7m-invoice/oca_IT01234567890_FPR03.xml.p7m")).unwrap(),
    });
    std::fs::write(mail.path().join("fattura.eml"), send.original()).unwrap();
    let out = attesta_in(data.path(), &["import", &s(mail.path())]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    let shown = attesta_in(data.path(), &["show", "1"]);
    assert!(
        text(&shown).contains(
            "attachment:     0 IT01234567890_FPR03.xml.p7m: untrusted, qualified unknown, CORATO SERGIO"
        ),
        "{}",
        text(&shown)
    );

    import_lists(data.path(), &signed);
    let out = attesta_in(data.path(), &["archive", "rebuild"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("1 signed attachment verdicts recorded"),
        "{}",
        text(&out)
    );
    let shown = attesta_in(data.path(), &["show", "--json", "1"]);
    let item = &json_lines(&shown)[0];
    let document = &item["documents"][0];
    assert_eq!(document["status"], "valid");
    assert_eq!(document["qualified"], true);
    assert_eq!(document["format"], "cades");
    assert_eq!(document["time_basis"], "signing-time");
    assert_eq!(document["signed_at"], "2018-12-21T15:58:13Z");
    assert!(
        document["trust"]["lists"]
            .as_array()
            .unwrap()
            .contains(&Value::from("IT 194")),
        "{document}"
    );
    let check = attesta_in(data.path(), &["archive", "check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
}

/// Issue 15 §6 through the command: a pack states its message's signed attachment, `verify-pack`
/// verifies it again with this data directory's lists — and once the lists are imported here, the
/// verdict the pack states (untrusted, qualified unknown) is no longer what the file shows, and said.
#[test]
fn verify_pack_verifies_a_packs_signed_attachment_again_with_the_lists_here() {
    use pec_testkit::{Pec, PecKindSpec, PlaceholderSigner};
    let Some(signed) = signed() else { return };
    let data = tempfile::tempdir().unwrap();
    let mail = tempfile::tempdir().unwrap();
    let mut send = pec_testkit::Send::new(
        "studio@pec.example",
        &["cliente@pec.example"],
        "Fattura firmata",
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 5, 4, 10, 0, 0).unwrap(),
    );
    send.attachments.push(pec_testkit::Attachment {
        name: "fattura.xml.p7m".into(),
        content_type: "application/pkcs7-mime".into(),
        bytes: std::fs::read(signed.join("p7m-invoice/oca_IT01234567890_FPR03.xml.p7m")).unwrap(),
    });
    std::fs::write(mail.path().join("inviato.eml"), send.original()).unwrap();
    std::fs::write(
        mail.path().join("accettazione.eml"),
        Pec::new(&send, PecKindSpec::Acceptance).build(&PlaceholderSigner),
    )
    .unwrap();
    let out = attesta_in(data.path(), &["import", &s(mail.path())]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let packs = data.path().join("packs");
    let msgid = format!("<{}>", send.msgid);
    let out = attesta_in(data.path(), &["export", "--out", &s(&packs), &msgid]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let pack = std::fs::read_dir(&packs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "zip"))
        .unwrap();

    let out = attesta_in(data.path(), &["verify-pack", &s(&pack)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains(
            "1 signed attachment(s): found again in the pack's messages and verified again"
        ),
        "{}",
        text(&out)
    );

    import_lists(data.path(), &signed);
    let out = attesta_in(data.path(), &["verify-pack", &s(&pack)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains(
            "the signed attachment fattura.xml.p7m is now valid (qualified: yes), the pack states untrusted (qualified: unknown)"
        ),
        "{}",
        text(&out)
    );
}
