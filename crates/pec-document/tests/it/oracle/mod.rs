//! Differential test: `pec_document::open` against the `openssl` binary, an independent
//! implementation, over every signed file of the shared set.
//!
//! - CAdES (`.p7m`, at every level of nesting, and the `.p7m` inside a `.tsd`):
//!   `openssl cms -verify -noverify -binary` must extract the very content we extract, and the two
//!   must agree on integrity. Where they differ, the difference is one the shared set's README
//!   documents (OpenSSL re-sorts signed attributes; it refuses a DigestInfo without its NULL) and our
//!   findings or the list below say so.
//! - RFC 3161 tokens (`.tsr`, `.tst`): the genTime, hash algorithm and message imprint OpenSSL reads
//!   (`openssl ts -reply -text`) are ours, the imprint is `openssl dgst` of the file the token is
//!   about, and `openssl ts -verify` (the token's own certificate as its trust, time not checked)
//!   accepts the pair and refuses another file, as we do.
//! - PAdES: each `/ByteRange`'s CMS is given to `openssl cms -verify -noverify -content`, and its
//!   verdict is compared with our signature entry for that dictionary, in file order.
//! - CAdES-T (in a `.p7m` at any level, a `.tsd`, a PDF): each signer's signature timestamp, taken
//!   from the DER OpenSSL re-encodes, has OpenSSL's genTime in our report and its imprint is
//!   `openssl dgst` of the signature value, which `openssl ts -verify` confirms.
//!
//! OpenSSL is an oracle, not the truth (README of the shared set); the product never runs it.
//! Skipped, loudly, when `openssl` or the shared set is absent. Map: [`cades`], [`tokens`],
//! [`pades`], [`signature_timestamps`]; the shared ways of running OpenSSL are here.

mod cades;
mod pades;
mod signature_timestamps;
mod tokens;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use pec_core::signature::FindingCode;
use pec_document::{DocumentFormat, DocumentReport, SignatureEntry, SignatureRole, armor, format};
use pec_testkit::pki::openssl_available;

use super::support::{Row, companion, is_signed_kind, manifest, open, signed_dir};

/// The shared set, when both it and the `openssl` binary are here.
fn oracle_ready() -> Option<PathBuf> {
    if !openssl_available() {
        println!("SKIPPED: the openssl binary is not installed; the oracle tests did not run");
        return None;
    }
    signed_dir()
}

/// Every signed file of the manifest, opened as `attesta verify-doc` opens it (with its companion).
fn every_signed_file(dir: &Path) -> Vec<(Row, Option<String>, DocumentReport)> {
    manifest(dir)
        .into_values()
        .filter(|r| is_signed_kind(&r.kind))
        .map(|row| {
            let companion = companion(dir, &row);
            let report = open(dir, &row.file, companion.as_deref());
            (row, companion, report)
        })
        .collect()
}

/// Runs `openssl` with `args`; its stdout when it succeeded.
fn openssl(args: &[&str]) -> Option<Vec<u8>> {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs");
    out.status.success().then_some(out.stdout)
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// The bytes as a signing tool meant them: base64/PEM undone.
fn unwrapped(bytes: &[u8]) -> Vec<u8> {
    armor::unwrap(bytes).unwrap_or_else(|| bytes.to_vec())
}

/// What `openssl cms -verify -noverify -binary` extracts from `cms` (optionally over `content`),
/// or `None` when it refuses it.
fn openssl_cms(work: &Path, cms: &[u8], content: Option<&[u8]>) -> Option<Vec<u8>> {
    let (input, output, detached) = (work.join("in.p7m"), work.join("out"), work.join("content"));
    std::fs::write(&input, cms).unwrap();
    let _ = std::fs::remove_file(&output);
    let mut args = vec!["cms", "-verify", "-noverify", "-binary", "-inform", "DER"];
    args.extend(["-in", path(&input), "-out", path(&output)]);
    if let Some(content) = content {
        std::fs::write(&detached, content).unwrap();
        args.extend(["-content", path(&detached)]);
    }
    openssl(&args)?;
    Some(std::fs::read(&output).unwrap_or_default())
}

fn codes(entries: &[&SignatureEntry]) -> HashSet<FindingCode> {
    entries
        .iter()
        .flat_map(|s| &s.findings)
        .map(|f| f.code)
        .collect()
}

fn signatures_at(report: &DocumentReport, level: u32) -> Vec<&SignatureEntry> {
    report
        .signatures
        .iter()
        .filter(|s| s.level == level && s.role == SignatureRole::Signature)
        .collect()
}

/// The CMS envelope at `level`: the file itself at level 0, else the content of the level above,
/// when that is a `.p7m`.
fn envelope_at(report: &DocumentReport, file: &[u8], level: u32) -> Option<Vec<u8>> {
    let candidate = match level {
        0 => unwrapped(file),
        _ => unwrapped(report.contents.get(level as usize - 1)?),
    };
    (format::recognise(&candidate) == Some(DocumentFormat::Cades)).then_some(candidate)
}
