//! Where the shared set is, its manifest, and the checking context built from its Trusted Lists.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use pec_core::signature::TrustAnchors;
use pec_document::{Checking, DocumentReport, trusted};
use pec_trusted_list::TrustedLists;

/// `shared/corpus/signed`, found as every corpus test finds the shared set (`pec_testkit::corpus`:
/// `ATTESTA_CORPUS`, else `../shared/corpus` beside the repository); `None` (and a loud SKIPPED)
/// when absent.
pub fn signed_dir() -> Option<PathBuf> {
    let dir = pec_testkit::corpus::dir_or_skip("pec-document")?.join("signed");
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        println!("SKIPPED: no signed-document set at {}", dir.display());
        None
    }
}

/// One row of `MANIFEST.tsv`.
#[derive(Debug, Clone)]
pub struct Row {
    pub file: String,
    pub kind: String,
    pub signer: String,
    pub signing_time: String,
    pub openssl: String,
    pub content_sha256: String,
    pub notes: String,
}

/// The manifest's rows by file (relative path).
pub fn manifest(dir: &Path) -> BTreeMap<String, Row> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (file, kind, signer, time, openssl, content, notes) = (
        col("file"),
        col("kind"),
        col("signer_cn"),
        col("signing_time"),
        col("openssl_verify_noverify"),
        col("content_sha256"),
        col("notes"),
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("").to_string();
            let row = Row {
                file: get(file),
                kind: get(kind),
                signer: get(signer),
                signing_time: get(time),
                openssl: get(openssl),
                content_sha256: get(content),
                notes: get(notes),
            };
            (row.file.clone(), row)
        })
        .collect()
}

/// The kinds of the manifest that are signed files (the others are invoices, notifications, PEC
/// messages and lists, read by their own crates).
pub fn is_signed_kind(kind: &str) -> bool {
    !matches!(
        kind,
        "fatturapa-xml" | "sdi-notification" | "pec-eml" | "trusted-list"
    )
}

/// The companion a detached token is about, as the manifest's notes name it.
pub fn companion(dir: &Path, row: &Row) -> Option<String> {
    let after = row.notes.split(" over ").nth(1)?;
    let name = after.split([';', ' ']).next()?.trim_end_matches(',');
    let name = if name.contains('/') {
        name.to_string()
    } else {
        format!("{}/{name}", row.file.rsplit_once('/')?.0)
    };
    dir.join(&name).is_file().then_some(name)
}

/// The two Italian lists verified through the EU list of lists (pinned Commission certificate).
pub fn lists(dir: &Path) -> &'static TrustedLists {
    static LISTS: OnceLock<TrustedLists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let tl = dir.join("trusted-list");
        let read = |n: &str| std::fs::read(tl.join(n)).unwrap();
        let mut lists = TrustedLists::new();
        lists
            .add_list_of_lists(&read("EU-LOTL_seq332_2023-09-27.xml"))
            .unwrap();
        lists
            .add_national(&read("TSL-IT_seq141_2019-09-04.xml"))
            .unwrap();
        lists
            .add_national(&read("TSL-IT_seq194_2023-09-26.xml"))
            .unwrap();
        lists
    })
}

/// The anchors of the imported lists (CA/QC and TSA/QTST), nothing else.
pub fn anchors(dir: &Path) -> &'static TrustAnchors {
    static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        let mut anchors = TrustAnchors::empty();
        trusted::add_list_anchors(&mut anchors, lists(dir));
        anchors
    })
}

/// A fixed time of checking (the tests must not change verdicts as the years pass).
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
        .unwrap()
        .to_utc()
}

/// Opens `rel` (with its companion, the file it is about, when given) with the lists' anchors.
pub fn open(dir: &Path, rel: &str, companion: Option<&str>) -> DocumentReport {
    let bytes = std::fs::read(dir.join(rel)).unwrap();
    let companion = companion.map(|c| std::fs::read(dir.join(c)).unwrap());
    let checking = Checking {
        anchors: anchors(dir),
        now: now(),
        services: Some(lists(dir)),
        companion: companion.as_deref(),
    };
    pec_document::open(rel, &bytes, &checking)
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The numbers of every `/ByteRange [a b c d]` of a PDF, in file order (as written; unreadable
/// numbers left out).
pub fn byte_ranges(pdf: &[u8]) -> Vec<Vec<usize>> {
    const KEY: &[u8] = b"/ByteRange";
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = pdf[at..].windows(KEY.len()).position(|w| w == KEY) {
        at += i + KEY.len();
        let window = String::from_utf8_lossy(&pdf[at..(at + 128).min(pdf.len())]).into_owned();
        let numbers = window
            .split_once('[')
            .and_then(|(_, r)| r.split_once(']'))
            .map(|(inside, _)| {
                inside
                    .split_whitespace()
                    .filter_map(|n| n.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        found.push(numbers);
    }
    found
}

/// The value of the definite-length DER element at the start of `der`, and what follows it.
pub fn der_split(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let first = *der.get(1)?;
    let (len, at) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        let bytes = der.get(2..2 + n).filter(|_| (1..=4).contains(&n))?;
        (
            bytes.iter().fold(0, |v, &b| (v << 8) | usize::from(b)),
            2 + n,
        )
    };
    Some((der.get(at..at + len)?, &der[at + len..]))
}

/// The value of the definite-length DER element at the start of `der`.
pub fn der_value(der: &[u8]) -> Option<&[u8]> {
    der_split(der).map(|(value, _)| value)
}

/// The elements of a DER value, each whole (header and value); stops at the first unreadable one.
pub fn der_elements(mut value: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while let Some((_, rest)) = der_split(value) {
        out.push(&value[..value.len() - rest.len()]);
        value = rest;
    }
    out
}

/// A DER header: `tag` and the definite length `len`.
pub fn der_header(tag: u8, len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![tag, len as u8];
    }
    let bytes: Vec<u8> = len
        .to_be_bytes()
        .into_iter()
        .skip_while(|&b| b == 0)
        .collect();
    let mut out = vec![tag, 0x80 | bytes.len() as u8];
    out.extend(bytes);
    out
}

/// A DER element: `tag`, the length of `value`, `value`.
pub fn der_tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = der_header(tag, value.len());
    out.extend_from_slice(value);
    out
}
