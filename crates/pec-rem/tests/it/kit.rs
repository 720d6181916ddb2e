//! Where the kit is, its manifest, and its test anchors (never trusted by default: only here, as
//! `--trust-dir` would add them).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use pec_core::signature::TrustAnchors;

/// The kit's folder (tests read the corpus in place; it is never copied).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/rem")
}

pub fn kit() -> PathBuf {
    root().join("rem-policy-it-1.2")
}

/// Only the kit's root and intermediate CA (the providers' own certificates are not anchors).
pub fn ca_anchors() -> TrustAnchors {
    let mut anchors = TrustAnchors::empty();
    for name in [
        "REM-ROOT-CA.crt",
        "REM-POLICY-IT-INTERMEDIATE-CERTIFICATE.crt",
    ] {
        anchors
            .add_pem(&std::fs::read(kit().join("certificates").join(name)).unwrap())
            .unwrap();
    }
    anchors
}

/// Only the kit's root CA: intermediates must come from the evidence itself.
pub fn root_anchor() -> TrustAnchors {
    let mut anchors = TrustAnchors::empty();
    anchors
        .add_pem(&std::fs::read(kit().join("certificates/REM-ROOT-CA.crt")).unwrap())
        .unwrap();
    anchors
}

pub fn now() -> DateTime<Utc> {
    std::time::SystemTime::now().into()
}

/// One manifest row.
#[derive(Debug, Clone)]
pub struct Row {
    pub file: PathBuf,
    pub kind: String,
    pub event: String,
    pub reason: String,
    pub signed: bool,
}

pub fn manifest() -> Vec<Row> {
    let text = std::fs::read_to_string(root().join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Row {
                file: root().join(cols[0]),
                kind: cols[1].to_owned(),
                event: cols[2].to_owned(),
                reason: cols[3].to_owned(),
                signed: cols[4].starts_with("valid"),
            }
        })
        .collect()
}

/// The standalone evidence files.
pub fn standalone() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(kit().join("standalone-evidence"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    files
}
