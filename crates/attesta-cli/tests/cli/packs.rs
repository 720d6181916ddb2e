//! `attesta export` and `attesta verify-pack` as a user runs them: packs from an imported archive
//! (synthetic sends signed by the test CA, and the real corpus), exit codes 0 / 1 / 2, a changed member
//! named, nothing written to the archive but one journal entry per pack.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Send, corpus};

use crate::support::{attesta_in as attesta, text};

fn zips(dir: &Path) -> Vec<PathBuf> {
    let mut z: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect();
    z.sort();
    z
}

/// Two sends signed by the test CA, as .eml files: delivered, and failed.
fn write_signed(pki: &TestPki, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (n, failed) in [(0, false), (1, true)] {
        let mut send = Send::new(
            "studio@pec.provider.example",
            &["cliente@pec.altro.example"],
            &format!("Diffida n. {n}"),
            Utc.with_ymd_and_hms(2026, 5, 4, 10, n, 0).unwrap(),
        );
        send.msgid = format!("diffida-{n}@studio.example");
        let outcome = if failed {
            PecKindSpec::Failure {
                recipient: "cliente@pec.altro.example".into(),
                virus: false,
                reason: "5.1.1 - indirizzo non valido".into(),
            }
        } else {
            PecKindSpec::Delivery {
                recipient: "cliente@pec.altro.example".into(),
            }
        };
        let files = [
            send.original(),
            Pec::new(&send, PecKindSpec::Acceptance).build(pki),
            Pec::new(&send, outcome).build(pki),
        ];
        for (i, raw) in files.iter().enumerate() {
            std::fs::write(dir.join(format!("{n}-{i}.eml")), raw).unwrap();
        }
    }
}

/// The same ZIP with one byte of member `name` changed.
fn with_changed_member(zip: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let member = f.name().unwrap().into_owned();
        if member == name {
            let at = bytes.len() / 2;
            bytes[at] ^= 0x20;
        }
        out.start_file(member, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The pack with `receipt` added as `02-consegne/straniera.eml`, listed in the manifest like the
/// pack's own acceptance, and every hash the pack carries recomputed — the report printed again too.
fn with_foreign_receipt(zip: &[u8], receipt: Vec<u8>) -> Vec<u8> {
    use pec_pack::manifest::{MANIFEST, MemberRole, REPORT, SUMS};
    use pec_pack::sums::{sha256_hex, text};
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().into_owned(), bytes)
        })
        .collect();
    let at = |entries: &[(String, Vec<u8>)], name: &str| {
        entries.iter().position(|(n, _)| n == name).unwrap()
    };
    let mut manifest = pec_pack::Manifest::from_json(&entries[at(&entries, MANIFEST)].1).unwrap();
    let mut listed = manifest
        .members
        .iter()
        .find(|m| m.path.contains("accettazione"))
        .unwrap()
        .clone();
    listed.path = "02-consegne/straniera.eml".to_owned();
    listed.sha256 = sha256_hex(&receipt);
    listed.size = receipt.len() as u64;
    manifest.members.push(listed);
    entries.push(("02-consegne/straniera.eml".to_owned(), receipt));
    let report = pec_pack::report::rebuild(&manifest);
    for m in manifest
        .members
        .iter_mut()
        .filter(|m| m.role == MemberRole::Report)
    {
        m.sha256 = sha256_hex(&report);
        m.size = report.len() as u64;
    }
    let i = at(&entries, REPORT);
    entries[i].1 = report;
    let json = manifest.seal();
    let i = at(&entries, SUMS);
    entries[i].1 = text(&manifest, &sha256_hex(&json)).into_bytes();
    let i = at(&entries, MANIFEST);
    entries[i].1 = json;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn export_then_verify_pack_with_exit_codes() {
    if !openssl_available() {
        println!("SKIPPED: the openssl binary is needed to make test signatures");
        return;
    }
    let pki = TestPki::new(&PkiSpec::provider("posta-certificata@pec.provider.example"));
    let tmp = tempfile::tempdir().unwrap();
    let ca = pki.ca_dir(tmp.path());
    let ca = ca.to_str().unwrap();
    let data = tmp.path().join("data");
    write_signed(&pki, &tmp.path().join("mail"));
    let mail = tmp.path().join("mail");
    let out = attesta(
        &data,
        &["import", "--trust-dir", ca, mail.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));

    // Nothing named, no filter: a usage error, nothing written.
    let packs = tmp.path().join("packs");
    let p = packs.to_str().unwrap();
    let out = attesta(&data, &["export", "--out", p]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(!packs.exists());
    // An unknown Message-ID: an error, nothing written.
    let out = attesta(&data, &["export", "--out", p, "<nobody@nowhere>"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(!packs.exists());

    let journal = |data: &Path| {
        let out = attesta(data, &["archive", "check", "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["journal_entries"].as_u64().unwrap()
    };
    let before = journal(&data);
    let out = attesta(
        &data,
        &[
            "export",
            "--out",
            p,
            "--since",
            "2026-05-01",
            "--trust-dir",
            ca,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        journal(&data),
        before + 2,
        "an export writes one journal entry per pack (issue 18 §3), and the archive checks clean"
    );
    let written = zips(&packs);
    assert_eq!(written.len(), 2, "{}", text(&out));
    assert!(packs.join("index.json").is_file() && packs.join("index.txt").is_file());

    let args = |extra: &[&str]| {
        let mut a = vec!["verify-pack"];
        a.extend_from_slice(extra);
        a.extend(written.iter().map(|w| w.to_str().unwrap()));
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        attesta(&data, &a)
    };
    let out = run(args(&["--trust-dir", ca]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(text(&out).matches("HOLDS").count(), 2);
    // Issue 13 §2: the verdict says apart what signatures prove and what only the pack's hashes carry.
    let said = text(&out);
    assert_eq!(
        said.matches("  proven by provider signatures:").count(),
        2,
        "{said}"
    );
    assert_eq!(
        said.matches("  only by the pack's own hashes (anyone can recompute them):")
            .count(),
        2,
        "{said}"
    );
    assert!(
        said.contains("accettazione.eml: signed by a recognised PEC provider"),
        "{said}"
    );
    assert!(
        said.contains("report.pdf: identical to manifest.json printed again"),
        "{said}"
    );

    // A genuine receipt of the other send slipped into the first pack, every hash recomputed: refused,
    // and the receipt named (issue 13 §2).
    let forged = tmp.path().join("forged.zip");
    let foreign = std::fs::read(mail.join("1-1.eml")).unwrap();
    let first = written
        .iter()
        .find(|w| w.to_string_lossy().contains("Diffida n. 0"))
        .unwrap();
    std::fs::write(
        &forged,
        with_foreign_receipt(&std::fs::read(first).unwrap(), foreign),
    )
    .unwrap();
    let out = attesta(
        &data,
        &["verify-pack", "--trust-dir", ca, forged.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains(
            "02-consegne/straniera.eml: its provider-signed data is about message \
             <diffida-1@studio.example>, not this pack's <diffida-0@studio.example>"
        ),
        "{}",
        text(&out)
    );

    // Another machine, without the test CA: the receipts are no longer trusted, and it says which.
    let other = tmp.path().join("other");
    let out = attesta(
        &other,
        &args(&[]).iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("signature is now untrusted"),
        "{}",
        text(&out)
    );

    // One changed byte in a receipt: exit 1, the member named.
    let bytes = std::fs::read(&written[0]).unwrap();
    let receipt = {
        let mut a = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        (0..a.len())
            .map(|i| a.by_index(i).unwrap().name().unwrap().into_owned())
            .find(|n| n.contains("accettazione"))
            .unwrap()
    };
    let tampered = tmp.path().join("tampered.zip");
    std::fs::write(&tampered, with_changed_member(&bytes, &receipt)).unwrap();
    let out = attesta(
        &data,
        &[
            "verify-pack",
            "--trust-dir",
            ca,
            "--json",
            tampered.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["holds"], false);
    assert!(
        line["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["problem"] == "changed" && p["member"] == receipt.as_str()),
        "{line:#}"
    );

    // A file that is not there: exit 2.
    let out = attesta(&data, &["verify-pack", "/nonexistent/pack.zip"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    // A file that is not a ZIP: a verdict, exit 1.
    let junk = tmp.path().join("junk.zip");
    std::fs::write(&junk, b"not a zip at all").unwrap();
    let out = attesta(&data, &["verify-pack", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));

    // By Message-ID, in English, only the failed one by state.
    let english = tmp.path().join("english");
    let out = attesta(
        &data,
        &[
            "export",
            "--out",
            english.to_str().unwrap(),
            "--lang",
            "en",
            "--trust-dir",
            ca,
            "<diffida-0@studio.example>",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(zips(&english).len(), 1);
    assert!(
        std::fs::read_to_string(english.join("index.txt"))
            .unwrap()
            .contains("1 packs")
    );
    let failed = tmp.path().join("failed");
    let out = attesta(
        &data,
        &[
            "export",
            "--out",
            failed.to_str().unwrap(),
            "--state",
            "failed",
            "--trust-dir",
            ca,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let written = zips(&failed);
    assert_eq!(written.len(), 1);
    assert!(written[0].to_string_lossy().contains("Diffida n. 1"));
}

#[test]
fn packs_of_the_real_corpus_verify_through_the_command() {
    let Some(dir) = corpus::dir_or_skip("attesta export of the corpus") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let real = dir.join("real");
    let out = attesta(&data, &["import", real.to_str().unwrap()]);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        text(&out)
    );
    let packs = tmp.path().join("packs");
    let out = attesta(
        &data,
        &[
            "export",
            "--out",
            packs.to_str().unwrap(),
            "--since",
            "2000-01-01",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let written = zips(&packs);
    assert!(written.len() >= 4, "{}", text(&out));
    let mut args = vec!["verify-pack".to_owned()];
    args.extend(written.iter().map(|w| w.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = attesta(&data, &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}
