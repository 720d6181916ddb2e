//! The `attesta` command as a user runs it: real binary, real files, exit codes and output.

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
