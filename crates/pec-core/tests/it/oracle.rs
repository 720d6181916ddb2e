//! Differential test: Attesta's verifier against `openssl cms -verify`, an independent
//! implementation, over the real corpus and synthetic variants.
//!
//! Two questions are asked of both, for every case:
//! - integrity: do the signed bytes match the signature? (`openssl cms -verify -noverify`)
//! - trust: does the signer chain to the trusted CAs with every certificate valid at the CMS
//!   signingTime? (`openssl cms -verify -CAfile <anchors> -attime <signingTime>`)
//!
//! They must agree on every case; a disagreement fails the test naming the case. OpenSSL is a test
//! oracle only (installed by the test command); the product never runs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{TimeZone, Utc};
use pec_core::signature::{SignatureStatus, TrustAnchors, to_crlf};
use pec_core::{inspect, verify_signature};
use pec_testkit::pki::{CaName, PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Send, corpus, to_lf, wrap_in_list};

/// What openssl says about one message.
struct OpensslVerdict {
    intact: bool,
    trusted: bool,
}

fn openssl_verify(dir: &Path, raw: &[u8], ca_file: &Path, attime: Option<i64>) -> OpensslVerdict {
    let inspection = inspect(raw);
    let content = dir.join("content");
    let p7s = dir.join("p7s");
    std::fs::write(&content, to_crlf(inspection.signed_content(raw).unwrap())).unwrap();
    std::fs::write(&p7s, inspection.signature.as_ref().unwrap()).unwrap();
    let run = |extra: &[String]| {
        Command::new("openssl")
            .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
            .arg(&p7s)
            .arg("-content")
            .arg(&content)
            .args(["-out", "/dev/null"])
            .args(extra)
            .output()
            .unwrap()
            .status
            .success()
    };
    let intact = run(&["-noverify".to_owned()]);
    let mut trust_args = vec![
        "-CAfile".to_owned(),
        ca_file.display().to_string(),
        // PEC evidence from 2013 is SHA-1 and RSA-1024: judged by the rules of its time.
        "-auth_level".to_owned(),
        "0".to_owned(),
        "-purpose".to_owned(),
        "smimesign".to_owned(),
    ];
    if let Some(t) = attime {
        trust_args.extend(["-attime".to_owned(), t.to_string()]);
    }
    let trusted = intact && run(&trust_args);
    OpensslVerdict { intact, trusted }
}

/// A PEM bundle of the built-in PEC CAs, plus `extra`.
fn ca_bundle(dir: &Path, extra: &[&str]) -> PathBuf {
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("trust/pec-ca");
    let mut pem = String::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(builtin)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        pem.push_str(&std::fs::read_to_string(f).unwrap());
    }
    for e in extra {
        pem.push_str(e);
    }
    let path = dir.join(format!("bundle-{}.pem", extra.len()));
    std::fs::write(&path, pem).unwrap();
    path
}

/// Compare the two on one case; returns a description of the disagreement, if any.
fn compare(
    name: &str,
    raw: &[u8],
    anchors: &TrustAnchors,
    ca_file: &Path,
    dir: &Path,
) -> Option<String> {
    let inspection = inspect(raw);
    let ours = verify_signature(
        raw,
        &inspection,
        anchors,
        &pec_core::signature::TimeWitnesses::at(chrono::DateTime::<chrono::Utc>::from(
            std::time::SystemTime::now(),
        )),
    );
    let attime = ours.signed_at.map(|t| t.timestamp());
    let theirs = openssl_verify(dir, raw, ca_file, attime);
    let ours_intact = !matches!(
        ours.status,
        SignatureStatus::Invalid | SignatureStatus::Indeterminate
    );
    let ours_trusted = ours.status == SignatureStatus::Valid;
    (ours_intact != theirs.intact || ours_trusted != theirs.trusted).then(|| {
        format!(
            "{name}: attesta says {:?} ({:?}); openssl says intact={} trusted={}",
            ours.status,
            ours.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            theirs.intact,
            theirs.trusted
        )
    })
}

#[test]
fn attesta_and_openssl_agree_on_every_corpus_signature() {
    let Some(corpus) = corpus::dir_or_skip("openssl oracle, corpus") else {
        return;
    };
    if !openssl_available() {
        println!("SKIPPED: openssl (the test oracle) is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let bundle = ca_bundle(tmp.path(), &[]);
    let anchors = TrustAnchors::builtin();
    let mut disagreements = Vec::new();
    let mut compared = 0;
    for row in corpus::manifest(&corpus) {
        if !row.file.ends_with(".eml") {
            continue;
        }
        let raw = std::fs::read(corpus.join("real").join(&row.file)).unwrap();
        disagreements.extend(compare(&row.file, &raw, &anchors, &bundle, tmp.path()));
        compared += 1;
        // The same message with its line endings converted to LF must give the same answers.
        let lf = to_lf(&raw);
        let name = format!("{} (LF)", row.file);
        disagreements.extend(compare(&name, &lf, &anchors, &bundle, tmp.path()));
    }
    assert_eq!(compared, 27, "every real .eml was compared");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn attesta_and_openssl_agree_on_synthetic_attacks() {
    if !openssl_available() {
        println!("SKIPPED: openssl (the test oracle) is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let service = "posta-certificata@pec.provider.example";
    let good = TestPki::new(&PkiSpec::provider(service));
    let lookalike = TestPki::new(&PkiSpec {
        ca_name: CaName::AgidLookalike,
        ..PkiSpec::provider(service)
    });
    let expired = TestPki::new(&PkiSpec {
        signer_valid: ((2015, 1, 1), (2016, 1, 1)),
        ..PkiSpec::provider(service)
    });
    let sha1 = TestPki::new(&PkiSpec {
        digest: "sha1",
        ..PkiSpec::provider(service)
    });
    let send = Send::new(
        "studio@pec.provider.example",
        &["cliente@pec.altro.example", "terzo@pec.altro.example"],
        "Ricorso",
        Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap(),
    );
    let delivery = PecKindSpec::Delivery {
        recipient: "cliente@pec.altro.example".into(),
    };
    let genuine = Pec::new(&send, delivery.clone()).build(&good);
    let mut tampered = genuine.clone();
    let at = tampered
        .windows(7)
        .position(|w| w == b"Ricorso")
        .expect("the subject is in the signed summary");
    tampered[at] = b'r';
    let mut relabelled = Pec::new(&send, PecKindSpec::Acceptance);
    relabelled.header_overrides = vec![("X-Ricevuta".into(), "avvenuta-consegna".into())];
    // Each case trusts the built-in PEC CAs plus the one test CA named (or none). One at a time:
    // the test CAs share a name, and OpenSSL picks a single issuer by name where Attesta tries
    // every anchor of that name by key.
    let cases: Vec<(&str, Vec<u8>, Option<&TestPki>)> = vec![
        ("genuine delivery", genuine.clone(), Some(&good)),
        ("genuine, CA not trusted", genuine.clone(), None),
        ("one byte changed", tampered, Some(&good)),
        ("LF line endings", to_lf(&genuine), Some(&good)),
        (
            "wrapped by a list",
            wrap_in_list(&genuine, "lista@liste.example"),
            Some(&good),
        ),
        (
            "relabelled acceptance",
            relabelled.build(&good),
            Some(&good),
        ),
        (
            "sha-1 signature",
            Pec::new(&send, delivery.clone()).build(&sha1),
            Some(&sha1),
        ),
        (
            "look-alike AgID CA1",
            Pec::new(&send, delivery.clone()).build(&lookalike),
            None,
        ),
        (
            "expired signer",
            Pec::new(&send, delivery.clone()).build(&expired),
            Some(&expired),
        ),
        (
            "envelope",
            Pec::new(&send, PecKindSpec::Envelope).build(&good),
            Some(&good),
        ),
    ];
    let mut disagreements = Vec::new();
    for (n, (name, raw, trusted)) in cases.iter().enumerate() {
        let mut anchors = TrustAnchors::builtin();
        let mut extra = Vec::new();
        if let Some(pki) = trusted {
            anchors.add_pem(pki.ca_pem.as_bytes()).unwrap();
            extra.push(pki.ca_pem.as_str());
        }
        let case_dir = tmp.path().join(n.to_string());
        std::fs::create_dir_all(&case_dir).unwrap();
        let bundle = ca_bundle(&case_dir, &extra);
        disagreements.extend(compare(name, raw, &anchors, &bundle, &case_dir));
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
