//! Issue 13 §3 end to end: `attesta import` then `attesta status` on receipts really signed by a test
//! CA and bent by a forger; `status` must never report a forged fact as certified.

use chrono::{TimeZone, Utc};
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Send};

use crate::support::{attesta_in as attesta, text};

const A: &str = "cliente@pec.altro.example";

fn ours() -> Send {
    let mut send = Send::new(
        "studio.rossi@pec.provider.example",
        &[A],
        "Diffida ad adempiere n. 42/2026",
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).unwrap(),
    );
    send.msgid = "ours@client.example".into();
    send
}

/// Imports `files` (name, bytes) trusting the test CA; returns the `status --json` line of our send
/// and the human `status` text.
fn import_and_status(files: &[(&str, Vec<u8>)]) -> Option<(serde_json::Value, String)> {
    if !openssl_available() {
        println!("SKIPPED: the openssl binary is needed to make test signatures");
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mail = tmp.path().join("mail");
    std::fs::create_dir_all(&mail).unwrap();
    for (name, raw) in files {
        std::fs::write(mail.join(name), raw).unwrap();
    }
    let data = tmp.path().join("data");
    let ca = pki().ca_dir(tmp.path());
    let out = attesta(
        &data,
        &[
            "import",
            "--trust-dir",
            ca.to_str().unwrap(),
            mail.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let json = attesta(&data, &["status", "--json"]);
    let send = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|s| s["msgid"] == "<ours@client.example>")
        .expect("our send is listed");
    let human = text(&attesta(&data, &["status"]));
    Some((send, human))
}

fn pki() -> &'static TestPki {
    static PKI: std::sync::OnceLock<TestPki> = std::sync::OnceLock::new();
    PKI.get_or_init(|| TestPki::new(&PkiSpec::provider("posta-certificata@pec.provider.example")))
}

fn codes(send: &serde_json::Value) -> Vec<String> {
    send["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn issue_13_status_never_calls_a_receipt_linked_only_by_x_riferimento_delivered() {
    if !openssl_available() {
        println!("SKIPPED: the openssl binary is needed to make test signatures");
        return;
    }
    let send = ours();
    let mut retargeted = Pec::new(
        &send,
        PecKindSpec::Delivery {
            recipient: A.into(),
        },
    );
    // The signed daticert names no msgid; only the unsigned outer header points at our send.
    retargeted.daticert_edit = Some(|d| d.msgid = None);
    let Some((status, human)) = import_and_status(&[
        (
            "accettazione.eml",
            Pec::new(&send, PecKindSpec::Acceptance).build(pki()),
        ),
        ("consegna.eml", retargeted.build(pki())),
    ]) else {
        return;
    };
    assert_eq!(status["recipients"][0]["state"], "pending", "{status}");
    assert_eq!(status["summary"], "pending");
    assert!(codes(&status).contains(&"linked-by-unsigned-header".into()));
    assert!(!human.contains("delivered "), "{human}");
    assert!(human.contains("X-Riferimento-Message-ID"), "{human}");
}

#[test]
fn issue_13_status_shows_a_delivery_and_a_failure_for_one_recipient_as_disputed() {
    if !openssl_available() {
        println!("SKIPPED: the openssl binary is needed to make test signatures");
        return;
    }
    let send = ours();
    let failure = Pec::new(
        &send,
        PecKindSpec::Failure {
            recipient: A.into(),
            virus: false,
            reason: "5.1.1 - indirizzo non valido".into(),
        },
    );
    let mut delivery = Pec::new(
        &send,
        PecKindSpec::Delivery {
            recipient: A.into(),
        },
    );
    delivery.identificativo = "opec.other@pec.provider.example".into();
    let Some((status, human)) = import_and_status(&[
        (
            "1-accettazione.eml",
            Pec::new(&send, PecKindSpec::Acceptance).build(pki()),
        ),
        ("2-errore.eml", failure.build(pki())),
        ("3-consegna.eml", delivery.build(pki())),
    ]) else {
        return;
    };
    assert_eq!(status["summary"], "disputed", "{status}");
    let a = &status["recipients"][0];
    assert_eq!(a["state"], "disputed", "{status}");
    assert!(a["evidence"].is_i64() && a["disputed_by"].is_i64(), "{a}");
    assert_ne!(a["evidence"], a["disputed_by"]);
    assert!(codes(&status).contains(&"conflicting-receipts".into()));
    assert!(human.contains("disputed"), "{human}");
    assert!(human.contains("contradict each other"), "{human}");
}
