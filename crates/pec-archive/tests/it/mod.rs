//! Shared helpers for the archive's integration tests: a fresh archive in a temp dir, storing files
//! the way an import does, and a fixed clock.

mod anchor;
mod corpus;
mod forged_links;
mod listing;
mod synthetic;
mod tamper;
mod witnesses;

use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use pec_archive::{Archive, Incoming, Origin, Reading};
use pec_core::signature::TrustAnchors;
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Send};

/// The provider every synthetic message comes from.
pub const SERVICE: &str = "posta-certificata@pec.provider.example";

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

/// One signed send: the sent copy, its acceptance and two deliveries out of three certified recipients.
pub struct Signed {
    pub files: Vec<(String, Vec<u8>)>,
    pub anchors: TrustAnchors,
}

/// A signed send as files `sent.eml`, `acceptance.eml`, `delivery-a.eml`, `delivery-b.eml`.
pub fn signed() -> Option<Signed> {
    let pki = pki()?;
    let send = Send::new(
        "studio.rossi@pec.provider.example",
        &[
            "a@pec.altro.example",
            "b@pec.altro.example",
            "c@pec.altro.example",
        ],
        "Diffida ad adempiere n. 42/2026",
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).unwrap(),
    );
    let build = |kind| Pec::new(&send, kind).build(pki);
    let files = vec![
        ("/in/sent.eml".to_owned(), send.original()),
        (
            "/in/acceptance.eml".to_owned(),
            build(PecKindSpec::Acceptance),
        ),
        (
            "/in/delivery-a.eml".to_owned(),
            build(PecKindSpec::Delivery {
                recipient: "a@pec.altro.example".into(),
            }),
        ),
        (
            "/in/delivery-b.eml".to_owned(),
            build(PecKindSpec::Delivery {
                recipient: "b@pec.altro.example".into(),
            }),
        ),
    ];
    Some(Signed {
        files,
        anchors: trusting(pki),
    })
}

/// The clock the tests judge at.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap()
}

/// A fresh archive in its own temporary directory.
pub fn fresh() -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(&Archive::file_in(dir.path())).unwrap();
    (dir, archive)
}

/// Stores messages (name, bytes) as file imports, reading them as an import does.
pub fn store_files(archive: &mut Archive, anchors: &TrustAnchors, files: &[(String, Vec<u8>)]) {
    let batch = files
        .iter()
        .map(|(name, raw)| Incoming {
            received: None,
            reading: Some(Reading::of(
                raw,
                anchors,
                std::time::SystemTime::now().into(),
            )),
            raw: raw.clone(),
            origin: Origin::File {
                path: name.clone(),
                part: 0,
            },
        })
        .collect();
    archive.store(batch, now()).unwrap();
}
