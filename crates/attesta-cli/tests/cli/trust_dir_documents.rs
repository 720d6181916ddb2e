//! `--trust-dir` reaches the signed-attachment check (issue 15 §6): the directory `attesta import` or
//! `attesta archive rebuild` is given for its PEC verification also judges the signed attachments it
//! archives, and the verdict recorded names it as the command line's, trusted for that run only.

use std::path::Path;

use chrono::Utc;
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Attachment, Send};
use serde_json::Value;

use crate::support::{attesta_in, text};

/// The one document verdict `attesta show --json 1` prints.
fn document(data: &Path) -> Value {
    let shown = attesta_in(data, &["show", "--json", "1"]);
    assert_eq!(shown.status.code(), Some(0), "{}", text(&shown));
    let item: Value = serde_json::from_slice(&shown.stdout).expect("one JSON object");
    let documents = item["documents"].as_array().expect("documents").clone();
    assert_eq!(documents.len(), 1, "{item}");
    documents[0].clone()
}

#[test]
fn an_attachment_signed_under_a_test_ca_is_valid_only_with_its_trust_dir_which_the_verdict_names() {
    if !openssl_available() {
        println!("SKIPPED: the openssl binary is needed to make test signatures");
        return;
    }
    let pki = TestPki::new(&PkiSpec::provider("firme@pec.provider.example"));
    let certs = tempfile::tempdir().unwrap();
    let ca = pki.ca_dir(certs.path());
    let ca = ca.display().to_string();
    let mail = tempfile::tempdir().unwrap();
    let mut send = Send::new(
        "studio@pec.provider.example",
        &["cliente@pec.altro.example"],
        "Atto firmato",
        Utc::now(),
    );
    send.attachments.push(Attachment {
        name: "atto.txt.p7m".into(),
        content_type: "application/pkcs7-mime".into(),
        bytes: pki.sign_document(b"Atto di citazione.\n"),
    });
    std::fs::write(mail.path().join("atto.eml"), send.original()).unwrap();
    let mail = mail.path().display().to_string();

    // Without the directory: a good signature with no path to a trusted anchor.
    let without = tempfile::tempdir().unwrap();
    let out = attesta_in(without.path(), &["import", &mail]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let found = document(without.path());
    assert_eq!(found["status"], "untrusted", "{found}");
    assert_eq!(found["trust"]["from_dirs"], 0, "{found}");
    assert!(found["trust"].get("dirs").is_none(), "{found}");

    // With it, on the command line: valid, and the verdict says which directory, given how.
    let with = tempfile::tempdir().unwrap();
    let out = attesta_in(with.path(), &["import", "--trust-dir", &ca, &mail]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let found = document(with.path());
    assert_eq!(found["status"], "valid", "{found}");
    assert_eq!(found["trust"]["from_dirs"], 1, "{found}");
    assert_eq!(
        found["trust"]["dirs"],
        serde_json::json!([{ "path": ca, "given": "command-line" }]),
        "{found}"
    );

    // A verifying rebuild given the directory records the new verdict beside the old one.
    let out = attesta_in(without.path(), &["archive", "rebuild", "--trust-dir", &ca]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("1 signed attachment verdicts recorded"),
        "{}",
        text(&out)
    );
    let found = document(without.path());
    assert_eq!(found["status"], "valid", "{found}");
    assert_eq!(
        found["trust"]["dirs"][0]["given"], "command-line",
        "{found}"
    );
    let check = attesta_in(without.path(), &["archive", "check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
}
