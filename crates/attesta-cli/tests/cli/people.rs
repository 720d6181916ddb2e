//! Issue 18 §3 as a user meets it: `attesta user set/show/clear`, and what a person does from a
//! desktop — importing, exporting — recorded as theirs, with `verify-pack` saying whether the
//! archive's journal confirms who exported a pack.

use std::path::Path;

use chrono::{TimeZone, Utc};
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Send};

use crate::support::{attesta_in as attesta, text};

#[test]
fn issue_18_user_set_show_and_clear() {
    let data = tempfile::tempdir().unwrap();
    let out = attesta(data.path(), &["user", "show", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "null");
    let out = attesta(data.path(), &["user", "show"]);
    assert!(text(&out).contains("no one"), "{}", text(&out));

    let out = attesta(
        data.path(),
        &[
            "user",
            "set",
            "Avv. Maria Rossi",
            "--email",
            "maria.rossi@studio.example",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("Avv. Maria Rossi <maria.rossi@studio.example>"),
        "{}",
        text(&out)
    );
    let out = attesta(data.path(), &["user", "show"]);
    assert!(
        text(&out).contains("name:   Avv. Maria Rossi")
            && text(&out).contains("e-mail: maria.rossi@studio.example"),
        "{}",
        text(&out)
    );
    let out = attesta(data.path(), &["user", "show", "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        shown,
        serde_json::json!({"name": "Avv. Maria Rossi", "email": "maria.rossi@studio.example"})
    );
    let config = std::fs::read_to_string(data.path().join("config.toml")).unwrap();
    assert!(config.contains("[user]"), "{config}");

    // Refused, with the reason; the person set stays.
    let out = attesta(
        data.path(),
        &["user", "set", "Luca", "--email", "luca at studio"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("not one plain address"),
        "{}",
        text(&out)
    );
    let out = attesta(data.path(), &["user", "set", " "]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("the name is empty"), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(data.path().join("config.toml")).unwrap(),
        config
    );

    let out = attesta(data.path(), &["user", "clear"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("Avv. Maria Rossi"), "{}", text(&out));
    let out = attesta(data.path(), &["user", "show", "--json"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "null");
}

/// A send signed by the test CA, as .eml files in `dir`.
fn write_signed(pki: &TestPki, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let mut send = Send::new(
        "studio@pec.provider.example",
        &["cliente@pec.altro.example"],
        "Diffida n. 9",
        Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap(),
    );
    send.msgid = "diffida-9@studio.example".into();
    let files = [
        send.original(),
        Pec::new(&send, PecKindSpec::Acceptance).build(pki),
        Pec::new(
            &send,
            PecKindSpec::Delivery {
                recipient: "cliente@pec.altro.example".into(),
            },
        )
        .build(pki),
    ];
    for (i, raw) in files.iter().enumerate() {
        std::fs::write(dir.join(format!("{i}.eml")), raw).unwrap();
    }
}

fn check_json(data: &Path) -> serde_json::Value {
    let out = attesta(data, &["archive", "check", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn issue_18_a_persons_export_names_them_and_verify_pack_asks_the_journal() {
    if !openssl_available() {
        println!("SKIPPED: the openssl binary is needed to make test signatures");
        return;
    }
    let pki = TestPki::new(&PkiSpec::provider("posta-certificata@pec.provider.example"));
    let tmp = tempfile::tempdir().unwrap();
    let ca = pki.ca_dir(tmp.path());
    let ca = ca.to_str().unwrap();
    let mail = tmp.path().join("mail");
    write_signed(&pki, &mail);
    let data = tmp.path().join("data");
    let out = attesta(&data, &["user", "set", "Avv. Maria Rossi"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = attesta(
        &data,
        &["import", "--trust-dir", ca, mail.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let before = check_json(&data)["journal_entries"].as_u64().unwrap();

    let packs = tmp.path().join("packs");
    let out = attesta(
        &data,
        &[
            "export",
            "--out",
            packs.to_str().unwrap(),
            "--trust-dir",
            ca,
            "<diffida-9@studio.example>",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let after = check_json(&data);
    assert_eq!(after["problems"], serde_json::json!([]));
    assert_eq!(
        after["journal_entries"].as_u64().unwrap(),
        before + 1,
        "one journal entry per pack, nothing else written"
    );
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(packs.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["packs"][0]["exported_by"]["name"], "Avv. Maria Rossi");
    let pack = packs.join(index["packs"][0]["file"].as_str().unwrap());
    let pack = pack.to_str().unwrap();

    // Here, the journal recorded this very pack as Maria's.
    let out = attesta(&data, &["verify-pack", "--trust-dir", ca, pack]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains(
            "exported:  by Avv. Maria Rossi, as this archive's journal recorded this very pack (entry #"
        ),
        "{}",
        text(&out)
    );
    let out = attesta(&data, &["verify-pack", "--json", "--trust-dir", ca, pack]);
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["exported_by"]["name"], "Avv. Maria Rossi");
    assert_eq!(line["journal"][0]["by"]["name"], "Avv. Maria Rossi");
    assert_eq!(line["sha256"], index["packs"][0]["sha256"]);

    // Elsewhere, with no archive: the pack's word alone.
    let elsewhere = tmp.path().join("elsewhere");
    let out = attesta(&elsewhere, &["verify-pack", "--trust-dir", ca, pack]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains(
            "exported:  by Avv. Maria Rossi, as the pack says; there is no archive here whose journal could confirm it"
        ),
        "{}",
        text(&out)
    );
    assert!(
        !elsewhere.join("archive.sqlite3").exists(),
        "nothing created"
    );

    // Another archive, which never made this pack: it says so.
    let other = tmp.path().join("other");
    let out = attesta(
        &other,
        &["import", "--trust-dir", ca, mail.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = attesta(&other, &["verify-pack", "--trust-dir", ca, pack]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("this archive's journal has no record of this pack"),
        "{}",
        text(&out)
    );
}
