//! Signed-document verification throughput on one core (issue 15), next to
//! `openssl cms -verify -noverify -binary` run once per file.
//!
//! Run: `cargo bench -p pec-document --bench verify` (needs the shared set, `../shared/corpus/signed`
//! or `ATTESTA_CORPUS`; the `openssl` binary for the comparison). Attesta runs `pec_document::open`
//! on each file's bytes (already read), as `attesta verify-doc` does: the Italian Trusted Lists
//! (2019, 2023, verified through the EU list of lists) as anchors and qualified services, signers,
//! chains, timestamps and nested envelopes checked. Two sets, each repeated to ~10,000
//! verifications: the typical invoices (`p7m-invoice` and `p7m-base64` files that verify) and every
//! CAdES file of the set. OpenSSL gets each file (base64 already undone, untimed) and checks the
//! signature only (`-noverify`: no chain, no lists), one process per file, over a sample. Prints
//! verifications/s, the ratio to the 5,000/s target, the same without the qualified-status lookup
//! (`services: None`, to show its share), OpenSSL's time per file and the ratio between the two
//! (target ≥ 50×). No assertions: the figures are for people.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use pec_core::signature::{SignatureStatus, TrustAnchors};
use pec_document::{Checking, DocumentFormat, armor, trusted};
use pec_testkit::pki::openssl_available;
use pec_trusted_list::TrustedLists;

const VERIFICATIONS: usize = 10_000;
const TARGET_PER_SECOND: f64 = 5_000.0;
const TARGET_RATIO: f64 = 50.0;
/// OpenSSL processes started per set (each file in turn).
const OPENSSL_RUNS: usize = 300;

/// One file of the set, read.
struct Signed {
    name: String,
    bytes: Vec<u8>,
    status: SignatureStatus,
}

fn main() {
    let Some(dir) = signed_dir() else {
        println!(
            "SKIPPED: no shared signed set (../shared/corpus/signed, or ATTESTA_CORPUS=DIR/corpus)"
        );
        return;
    };
    let started = Instant::now();
    let lists = lists(&dir);
    let mut anchors = TrustAnchors::empty();
    trusted::add_list_anchors(&mut anchors, &lists);
    println!(
        "Trusted Lists read and verified in {:.2} s (untimed below)",
        started.elapsed().as_secs_f64()
    );
    let checking = Checking {
        anchors: &anchors,
        now: SystemTime::now().into(),
        services: Some(&lists),
        companion: None,
    };

    let cades: Vec<Signed> = files(&dir)
        .into_iter()
        .filter_map(|(name, bytes)| {
            let report = pec_document::open(&name, &bytes, &checking);
            (report.format == Some(DocumentFormat::Cades)).then_some(Signed {
                name,
                bytes,
                status: report.status,
            })
        })
        .collect();
    let invoices: Vec<&Signed> = cades
        .iter()
        .filter(|s| s.name.starts_with("p7m-invoice/") || s.name.starts_with("p7m-base64/"))
        .filter(|s| s.status == SignatureStatus::Valid)
        .collect();
    let all: Vec<&Signed> = cades.iter().collect();
    let tmp = tempfile::tempdir().expect("temporary directory");
    let openssl = openssl_available();
    if !openssl {
        println!("openssl: SKIPPED (the binary is not installed); Attesta's figures only");
    }
    for (title, set) in [
        (
            "typical invoices (p7m-invoice + p7m-base64 that verify)",
            &invoices,
        ),
        ("every CAdES file of the shared set", &all),
    ] {
        println!();
        let rate = attesta(title, set, &checking);
        println!(
            "  -> {rate:.0} verifications/s; target {TARGET_PER_SECOND:.0}/s; ratio {:.2}x the target",
            rate / TARGET_PER_SECOND
        );
        // The same without the qualified-status lookup in the Trusted Lists, to show its share.
        let unlisted = Checking {
            services: None,
            ..checking
        };
        let without = attesta_rounds("without the qualified-status lookup", set, &unlisted);
        println!(
            "  -> without the qualified-status lookup (services: None): {without:.0}/s, {:.2}x the target",
            without / TARGET_PER_SECOND
        );
        if openssl {
            let per_file = openssl_per_file(tmp.path(), set);
            let openssl_rate = 1.0 / per_file.as_secs_f64();
            println!(
                "  -> Attesta is {:.0}x faster than openssl once per file ({rate:.0} vs {openssl_rate:.0} files/s; target {TARGET_RATIO:.0}x); {:.0}x without the lookup",
                rate / openssl_rate,
                without / openssl_rate
            );
        }
    }
}

/// Attesta over the set repeated to ~10,000 verifications, on this one thread; prints the set and
/// returns the best rate of three rounds.
fn attesta(title: &str, set: &[&Signed], checking: &Checking<'_>) -> f64 {
    let bytes: usize = set.iter().map(|s| s.bytes.len()).sum();
    let mut tally: Vec<(SignatureStatus, usize)> = Vec::new();
    for s in set {
        match tally.iter_mut().find(|(status, _)| *status == s.status) {
            Some((_, n)) => *n += 1,
            None => tally.push((s.status, 1)),
        }
    }
    let verdicts: Vec<String> = tally
        .iter()
        .map(|(s, n)| format!("{n} {}", s.as_str()))
        .collect();
    println!(
        "{title}: {} files, {:.1} KiB on average; verdicts {}",
        set.len(),
        bytes as f64 / set.len().max(1) as f64 / 1024.0,
        verdicts.join(", ")
    );
    attesta_rounds("as attesta verify-doc", set, checking)
}

/// Three rounds of the set repeated to ~10,000 verifications; the best rate.
fn attesta_rounds(how: &str, set: &[&Signed], checking: &Checking<'_>) -> f64 {
    let rounds = VERIFICATIONS.div_ceil(set.len().max(1));
    let mut best = 0.0f64;
    for round in 1..=3 {
        let started = Instant::now();
        for _ in 0..rounds {
            for s in set {
                std::hint::black_box(pec_document::open(
                    &s.name,
                    std::hint::black_box(&s.bytes),
                    checking,
                ));
            }
        }
        let secs = started.elapsed().as_secs_f64();
        let n = rounds * set.len();
        let rate = n as f64 / secs;
        println!(
            "  attesta, pec_document::open {how} (one thread, bytes in memory), round {round}: {n} verifications in {secs:.2} s = {rate:.0}/s"
        );
        best = best.max(rate);
    }
    best
}

/// `openssl cms -verify -noverify -binary`, one process per file, each file in turn; returns the
/// time per file.
fn openssl_per_file(dir: &Path, set: &[&Signed]) -> Duration {
    // Untimed: base64 undone, as the manifest's oracle did.
    let paths: Vec<PathBuf> = set
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let der = armor::unwrap(&s.bytes).unwrap_or_else(|| s.bytes.clone());
            let path = dir.join(format!("file-{i}.p7m"));
            std::fs::write(&path, der).expect("write file");
            path
        })
        .collect();
    let mut verified = 0;
    let started = Instant::now();
    for path in paths.iter().cycle().take(OPENSSL_RUNS) {
        let ok = Command::new("openssl")
            .args([
                "cms",
                "-verify",
                "-noverify",
                "-binary",
                "-inform",
                "DER",
                "-in",
            ])
            .arg(path)
            .args(["-out", "/dev/null"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        verified += usize::from(ok);
    }
    let elapsed = started.elapsed();
    let per_file = elapsed / OPENSSL_RUNS as u32;
    println!(
        "  openssl cms -verify -noverify -binary, one process per file: {OPENSSL_RUNS} runs over the {} files ({verified} verified) in {:.2} s = {:.2} ms per file",
        paths.len(),
        elapsed.as_secs_f64(),
        per_file.as_secs_f64() * 1e3
    );
    per_file
}

/// Every file of the manifest that is a signed document (not an invoice, notification, PEC
/// message or list), read.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("manifest");
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let (file, kind) = (col("file"), col("kind"));
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| {
            !matches!(
                f.get(kind).copied().unwrap_or(""),
                "fatturapa-xml" | "sdi-notification" | "pec-eml" | "trusted-list"
            )
        })
        .filter_map(|f| {
            let name = f.get(file)?.to_string();
            let bytes = std::fs::read(dir.join(&name)).ok()?;
            Some((name, bytes))
        })
        .collect()
}

/// `shared/corpus/signed`, found as every corpus test finds the shared set (`pec_testkit::corpus`).
fn signed_dir() -> Option<PathBuf> {
    let dir = pec_testkit::corpus::dir()?.join("signed");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// The two Italian lists verified through the EU list of lists (pinned Commission certificate).
fn lists(dir: &Path) -> TrustedLists {
    let tl = dir.join("trusted-list");
    let read = |n: &str| std::fs::read(tl.join(n)).expect("trusted list");
    let mut lists = TrustedLists::new();
    lists
        .add_list_of_lists(&read("EU-LOTL_seq332_2023-09-27.xml"))
        .expect("EU list of lists");
    lists
        .add_national(&read("TSL-IT_seq141_2019-09-04.xml"))
        .expect("Italian list 2019");
    lists
        .add_national(&read("TSL-IT_seq194_2023-09-26.xml"))
        .expect("Italian list 2023");
    lists
}
