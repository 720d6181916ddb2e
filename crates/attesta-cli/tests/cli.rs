//! The `attesta` command as a user runs it: real binary, real files, exit codes and output.

#[path = "cli/archive.rs"]
mod archive;
#[path = "cli/documents.rs"]
mod documents;
#[path = "cli/forged.rs"]
mod forged;
#[path = "cli/lab_send.rs"]
mod lab_send;
#[path = "cli/mailbox_grants.rs"]
mod mailbox_grants;
#[path = "cli/packs.rs"]
mod packs;
#[path = "cli/people.rs"]
mod people;
#[path = "cli/previous_release.rs"]
mod previous_release;
#[path = "cli/rem.rs"]
mod rem;
#[path = "cli/shared_archive.rs"]
mod shared_archive;
#[path = "cli/support.rs"]
mod support;
#[path = "cli/trust_dir_documents.rs"]
mod trust_dir_documents;
#[path = "cli/upgrade.rs"]
mod upgrade;

use std::path::Path;
use std::process::{Command, Output};

use chrono::{TimeZone, Utc};
use pec_testkit::{Pec, PecKindSpec, PlaceholderSigner, Send, corpus};

fn attesta(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attesta"))
        .args(args)
        .output()
        .expect("run attesta")
}

fn write_receipts(dir: &Path) -> (String, String) {
    let send = Send::new(
        "studio@pec.example",
        &["cliente@pec.example"],
        "Atto di citazione",
        Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap(),
    );
    let acceptance = dir.join("accettazione.eml");
    let delivery = dir.join("consegna.eml");
    std::fs::write(
        &acceptance,
        Pec::new(&send, PecKindSpec::Acceptance).build(&PlaceholderSigner),
    )
    .unwrap();
    let failure = PecKindSpec::Failure {
        recipient: "cliente@pec.example".into(),
        virus: false,
        reason: "5.1.1 - indirizzo non valido".into(),
    };
    std::fs::write(
        &delivery,
        Pec::new(&send, failure).build(&PlaceholderSigner),
    )
    .unwrap();
    (
        acceptance.display().to_string(),
        delivery.display().to_string(),
    )
}

#[test]
fn inspect_json_prints_one_object_per_file_with_the_facts() {
    let dir = tempfile::tempdir().unwrap();
    let (acceptance, failure) = write_receipts(dir.path());
    let out = attesta(&["inspect", "--json", &acceptance, &failure]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["kind"], "accettazione");
    assert_eq!(lines[0]["provider"], "Provider PEC di Prova S.p.A.");
    assert_eq!(lines[0]["certified_at"], "2026-05-04T10:00:01Z");
    assert_eq!(lines[0]["recipients"][0]["type"], "certificato");
    assert_eq!(lines[1]["kind"], "errore-consegna");
    assert_eq!(lines[1]["consegna"], "cliente@pec.example");
    assert_eq!(lines[1]["errore"], "no-dest");
    assert_eq!(lines[1]["errore_esteso"], "5.1.1 - indirizzo non valido");
}

#[test]
fn a_file_that_is_not_mail_gets_a_one_line_error_and_the_others_still_print() {
    let dir = tempfile::tempdir().unwrap();
    let (acceptance, failure) = write_receipts(dir.path());
    let junk = dir.path().join("foto.jpg");
    std::fs::write(
        &junk,
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'],
    )
    .unwrap();
    let junk = junk.display().to_string();
    let out = attesta(&["inspect", &acceptance, &junk, &failure]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&junk) && stderr.contains("not mail"),
        "{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("acceptance receipt (accettazione)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("delivery failure notice (errore-consegna)"),
        "{stdout}"
    );
}

#[test]
fn a_missing_file_is_an_io_error_with_status_two() {
    let out = attesta(&["inspect", "/nonexistent/attesta.eml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/attesta.eml"));
}

#[test]
fn usage_errors_exit_with_status_two() {
    assert_eq!(attesta(&["inspect"]).status.code(), Some(2));
    assert_eq!(attesta(&["no-such-command"]).status.code(), Some(2));
}

#[test]
fn the_whole_real_corpus_inspects_with_one_line_per_file() {
    let Some(dir) = corpus::dir_or_skip("cli corpus") else {
        return;
    };
    let files: Vec<String> = corpus::manifest(&dir)
        .iter()
        .map(|r| dir.join("real").join(&r.file).display().to_string())
        .collect();
    let mut args = vec!["inspect", "--json"];
    args.extend(files.iter().map(String::as_str));
    let out = attesta(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), files.len());
    for (line, row) in stdout.lines().zip(corpus::manifest(&dir)) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if row.kind != "p7s" && row.kind != "daticert" {
            assert_eq!(v["kind"], row.kind, "{}", row.file);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// attesta verify / attesta trust

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn verify_gives_every_real_corpus_file_its_expected_verdict_and_signing_time() {
    let Some(dir) = corpus::dir_or_skip("cli verify corpus") else {
        return;
    };
    let rows = corpus::manifest(&dir);
    let files: Vec<String> = rows
        .iter()
        .map(|r| dir.join("real").join(&r.file).display().to_string())
        .collect();
    let data = tempfile::tempdir().unwrap();
    let mut args = vec![
        "--data-dir",
        data.path().to_str().unwrap(),
        "verify",
        "--json",
    ];
    args.extend(files.iter().map(String::as_str));
    let out = attesta(&args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the MODIFIED files are not valid"
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), rows.len());
    for (v, row) in lines.iter().zip(&rows) {
        let status = v["signature"]["status"].as_str().unwrap();
        match row.expected_signature.as_str() {
            "n/a" => assert_ne!(status, "valid", "{}: a fragment is not evidence", row.file),
            expected => assert_eq!(status, expected, "{}", row.file),
        }
        if row.expected_signature == "valid" {
            assert_eq!(
                v["signature"]["signed_at"], row.signing_time,
                "{}",
                row.file
            );
            assert_eq!(v["signature"]["digest"], row.digest, "{}", row.file);
            assert!(v["provider"].is_string(), "{}", row.file);
            assert!(v["msgid"].is_string(), "{}", row.file);
            assert!(v["identificativo"].is_string(), "{}", row.file);
        }
        for f in v["findings"].as_array().unwrap() {
            assert!(f["code"].is_string() && f["message"].is_string(), "{f}");
        }
    }
    let valid: Vec<&str> = rows
        .iter()
        .zip(&files)
        .filter(|(r, _)| r.expected_signature == "valid")
        .map(|(_, f)| f.as_str())
        .collect();
    let mut args = vec!["--data-dir", data.path().to_str().unwrap(), "verify"];
    args.extend(valid);
    let out = attesta(&args);
    assert_eq!(out.status.code(), Some(0), "only valid files: exit 0");
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("VALID"), "{human}");
}

#[test]
fn a_lab_ca_is_trusted_only_through_trust_dir_or_trust_add() {
    if !pec_testkit::pki::openssl_available() {
        eprintln!("SKIPPED: openssl is needed to sign test receipts");
        return;
    }
    let pki = pec_testkit::pki::TestPki::new(&pec_testkit::pki::PkiSpec::provider(
        "posta-certificata@pec.provider.example",
    ));
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let data = data.to_str().unwrap();
    let receipt = tmp.path().join("accettazione.eml");
    let send = Send::new(
        "studio@pec.provider.example",
        &["cliente@pec.example"],
        "Atto di citazione",
        Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap(),
    );
    std::fs::write(
        &receipt,
        Pec::new(&send, PecKindSpec::Acceptance).build(&pki),
    )
    .unwrap();
    let receipt = receipt.to_str().unwrap();
    let anchors = pki.ca_dir(tmp.path());
    let anchors = anchors.to_str().unwrap();
    let status_of = |out: &Output| json_lines(out)[0]["signature"]["status"].clone();

    let out = attesta(&["--data-dir", data, "verify", "--json", receipt]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(status_of(&out), "untrusted", "never trusted by default");

    let out = attesta(&[
        "--data-dir",
        data,
        "verify",
        "--json",
        "--trust-dir",
        anchors,
        receipt,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(status_of(&out), "valid");

    let out = attesta(&["--data-dir", data, "trust", "add", anchors]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = attesta(&["--data-dir", data, "verify", "--json", receipt]);
    assert_eq!(status_of(&out), "valid", "kept in the configuration");
    let list = attesta(&["--data-dir", data, "trust", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains(anchors));

    let out = attesta(&["--data-dir", data, "trust", "remove", anchors]);
    assert_eq!(out.status.code(), Some(0));
    let out = attesta(&["--data-dir", data, "verify", "--json", receipt]);
    assert_eq!(status_of(&out), "untrusted");
}

#[test]
fn verify_usage_and_io_errors_exit_with_status_two() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().to_str().unwrap();
    let missing = tmp.path().join("missing.eml");
    let out = attesta(&["--data-dir", data, "verify", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.eml"));
    let out = attesta(&["--data-dir", data, "verify", "--trust-dir", data, "x.eml"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a trust directory without certificates"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no certificate"));
    let out = attesta(&["verify"]);
    assert_eq!(out.status.code(), Some(2));
}
