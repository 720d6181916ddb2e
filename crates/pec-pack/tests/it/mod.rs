//! Shared helpers for the pack tests: an archive in a temp dir filled the way an import fills it, a
//! signed synthetic send (test CA), reading a pack's members, changing one, and the poppler tools.

mod corpus;
mod documents;
mod forged;
mod hostile;
mod people;
mod report;
mod synthetic;
mod tamper;

use std::io::{Cursor, Read, Write};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use pec_archive::query::{SentStatus, StatusFilter};
use pec_archive::{Archive, FolderRole, Incoming, Origin, Reading};
use pec_core::signature::TrustAnchors;
use pec_pack::{Language, Pack, PackOptions, build_pack};
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Send};

/// The provider every synthetic message comes from.
pub const SERVICE: &str = "posta-certificata@pec.provider.example";
pub const SENDER: &str = "studio.rossi@pec.provider.example";

/// The clock the tests judge at.
/// A fixed clock later than the real one: test-CA receipts are signed by openssl at the real present,
/// and a signingTime later than the time of checking is refused (issue 13 §4).
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 2, 12, 0, 0).unwrap()
}

pub fn options(language: Language) -> PackOptions {
    PackOptions::new(language, now())
}

/// The test PKI (shared), or `None` with a SKIPPED line when openssl is missing.
pub fn pki() -> Option<&'static TestPki> {
    static PKI: OnceLock<Option<TestPki>> = OnceLock::new();
    PKI.get_or_init(|| {
        if !openssl_available() {
            println!("SKIPPED: the openssl binary is needed to make test signatures");
            return None;
        }
        Some(TestPki::new(&PkiSpec::provider(SERVICE)))
    })
    .as_ref()
}

/// The built-in anchors plus the test CA.
pub fn trusting(pki: &TestPki) -> TrustAnchors {
    let mut anchors = TrustAnchors::builtin();
    anchors.add_pem(pki.ca_pem.as_bytes()).unwrap();
    anchors
}

/// A fresh archive in its own temporary directory.
pub fn fresh() -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(&Archive::file_in(dir.path())).unwrap();
    (dir, archive)
}

/// Stores messages (origin, bytes), reading them as an import does.
pub fn store(archive: &mut Archive, anchors: &TrustAnchors, files: Vec<(Origin, Vec<u8>)>) {
    let batch = files
        .into_iter()
        .map(|(origin, raw)| Incoming {
            reading: Some(Reading::of(
                &raw,
                anchors,
                std::time::SystemTime::now().into(),
            )),
            raw,
            origin,
            received: None,
        })
        .collect();
    archive.store(batch, now()).unwrap();
}

pub fn file(path: &str) -> Origin {
    Origin::File {
        path: path.to_owned(),
        part: 0,
        mailbox: None,
    }
}

pub fn sent_folder(uid: u32) -> Origin {
    Origin::Imap {
        account: SENDER.to_owned(),
        folder: "Posta inviata".to_owned(),
        role: FolderRole::Sent,
        uidvalidity: 7,
        uid,
    }
}

pub fn inbox(uid: u32) -> Origin {
    Origin::Imap {
        account: SENDER.to_owned(),
        folder: "INBOX".to_owned(),
        role: FolderRole::Inbox,
        uidvalidity: 7,
        uid,
    }
}

/// A send to three certified recipients: delivered to the first, failed for the second, the 12-hour
/// warning for the third; with its sent copy and acceptance. All signed by the test CA.
pub fn signed_send(pki: &TestPki, subject: &str, to: &[&str]) -> Vec<(Origin, Vec<u8>)> {
    let send = Send::new(
        SENDER,
        to,
        subject,
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).unwrap(),
    );
    let mut out = vec![
        (sent_folder(1), send.original()),
        (
            inbox(1),
            Pec::new(&send, PecKindSpec::Acceptance).build(pki),
        ),
    ];
    for (i, r) in to.iter().enumerate() {
        let kind = match i % 3 {
            0 => PecKindSpec::Delivery {
                recipient: (*r).to_owned(),
            },
            1 => PecKindSpec::Failure {
                recipient: (*r).to_owned(),
                virus: false,
                reason: "5.1.1 - indirizzo non valido".to_owned(),
            },
            _ => PecKindSpec::Warning12h {
                recipient: (*r).to_owned(),
            },
        };
        let mut pec = Pec::new(&send, kind);
        pec.at = send.sent_at + chrono::Duration::seconds(40 + 60 * i as i64);
        out.push((inbox(2 + i as u32), pec.build(pki)));
    }
    out
}

/// The one send in `archive`.
pub fn only_send(archive: &Archive) -> SentStatus {
    let sends = archive.status(&StatusFilter::default(), now()).unwrap();
    assert_eq!(sends.len(), 1, "{sends:#?}");
    sends.into_iter().next().unwrap()
}

pub fn pack_of(archive: &Archive, send: &SentStatus, anchors: &TrustAnchors, l: Language) -> Pack {
    build_pack(archive, send, anchors, &options(l)).unwrap()
}

/// Every member of a ZIP: (name, bytes), in order.
pub fn members(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

pub fn member(zip: &[u8], name: &str) -> Vec<u8> {
    members(zip)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no member {name}"))
        .1
}

/// A ZIP of `entries` (name, bytes), deflated.
pub fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in entries {
        w.start_file(name.as_str(), options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Whether the poppler tools are here; say SKIPPED when not.
pub fn poppler() -> bool {
    let found = Command::new("pdftotext").arg("-v").output().is_ok()
        && Command::new("pdftoppm").arg("-v").output().is_ok();
    if !found {
        println!("SKIPPED: pdftotext/pdftoppm (poppler-utils) are needed to read the report");
    }
    found
}

/// The text pdftotext extracts from a PDF.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Where rendered pages go for a reviewer: `target/test-output/` (never committed).
pub fn test_output() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("test-output");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Renders page `page` of a PDF to `target/test-output/NAME.png` and returns its path.
pub fn render_page(pdf: &[u8], page: u32, name: &str) -> PathBuf {
    let dir = test_output();
    let pdf_path = dir.join(format!("{name}.pdf"));
    std::fs::write(&pdf_path, pdf).unwrap();
    let prefix = dir.join(name);
    let status = Command::new("pdftoppm")
        .args([
            "-png",
            "-r",
            "110",
            "-singlefile",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
        ])
        .arg(&pdf_path)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success());
    prefix.with_extension("png")
}

/// How many pages pdfinfo... counts via pdftotext's form feeds.
pub fn page_count(text: &str) -> usize {
    text.matches('\u{c}').count()
}
