//! Signature verification throughput on one core (issue 3), next to `openssl cms -verify` run once
//! per file, over the same 10,000 receipts.
//!
//! Run: `cargo bench -p pec-core --bench verify` (needs the `openssl` binary: it signs the synthetic
//! receipts and is the comparison). The set is the real corpus receipts (when `../shared/corpus` is
//! present) plus synthetic receipts really signed by two test CAs (`pec_testkit::pki`, RSA-2048, one
//! SHA-256 and one SHA-1 provider), written to a temporary directory. Attesta reads each file and runs
//! `pec_core::inspect` + `pec_core::verify_signature` on one thread, as `attesta verify` does; OpenSSL
//! gets, per file, the signed part and the `.p7s` extracted beforehand (untimed) and is run as the
//! oracle test runs it (`-CAfile` with the PEC CAs and the test CAs, `-attime` at signing time).
//! Prints receipts/s, the ratio to the 5,000/s target, OpenSSL's time per file and the ratio between
//! the two. No assertions: the figures are for people.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, TimeZone, Utc};
use pec_core::signature::{SignatureStatus, TimeWitnesses, TrustAnchors, to_crlf};
use pec_core::{inspect, verify_signature};
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Rng, Send, corpus};

const RECEIPTS: usize = 10_000;
const TARGET_PER_SECOND: f64 = 5_000.0;
/// Files given to OpenSSL, one process each (10,000 processes take minutes; the rest is extrapolated).
const OPENSSL_SAMPLE: usize = 1_000;
const SERVICE: &str = "posta-certificata@pec.provider.example";

fn main() {
    if !openssl_available() {
        println!("SKIPPED: the openssl binary is needed to sign the receipts and to compare with");
        return;
    }
    let tmp = tempfile::tempdir().expect("temporary directory");
    let pkis = [
        TestPki::new(&PkiSpec::provider(SERVICE)),
        TestPki::new(&PkiSpec {
            digest: "sha1",
            ..PkiSpec::provider(SERVICE)
        }),
    ];
    let mut anchors = TrustAnchors::builtin();
    for pki in &pkis {
        anchors.add_pem(pki.ca_pem.as_bytes()).expect("test CA");
    }

    let real = real_receipts();
    let started = Instant::now();
    let synthetic = synthetic_receipts(RECEIPTS - real.len(), &pkis);
    println!(
        "set: {} receipts = {} real (corpus) + {} synthetic signed by openssl in {:.1} s",
        real.len() + synthetic.len(),
        real.len(),
        synthetic.len(),
        started.elapsed().as_secs_f64()
    );
    let files = write_all(tmp.path(), real.iter().chain(&synthetic));
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "  {:.1} KiB per receipt on average, in {}",
        bytes as f64 / files.len() as f64 / 1024.0,
        tmp.path().display()
    );

    let rate = attesta(&files, &anchors);
    println!(
        "  -> {rate:.0} receipts/s; target {TARGET_PER_SECOND:.0}/s; ratio {:.2}x the target",
        rate / TARGET_PER_SECOND
    );

    let per_file = openssl(tmp.path(), &files, &anchors, &pkis);
    let openssl_rate = 1.0 / per_file.as_secs_f64();
    println!(
        "  -> Attesta is {:.0}x faster than openssl once per file ({rate:.0} vs {openssl_rate:.0} receipts/s)",
        rate / openssl_rate
    );
}

/// The corpus receipts (acceptances, deliveries, failures), or none when the corpus is absent.
fn real_receipts() -> Vec<Vec<u8>> {
    let Some(dir) = corpus::dir() else {
        println!("real corpus: SKIPPED (../shared/corpus not found); synthetic receipts only");
        return Vec::new();
    };
    corpus::manifest(&dir)
        .iter()
        .filter(|r| r.file.ends_with(".eml"))
        .filter_map(|r| std::fs::read(dir.join("real").join(&r.file)).ok())
        .filter(|raw| inspect(raw).kind.is_receipt())
        .collect()
}

/// A realistic mix of receipts, signed for real; two threads share the openssl work.
fn synthetic_receipts(n: usize, pkis: &[TestPki; 2]) -> Vec<Vec<u8>> {
    let half = n / 2;
    std::thread::scope(|scope| {
        let first = scope.spawn(|| receipts(0, half, pkis));
        let second = receipts(half, n, pkis);
        let mut all = first.join().expect("signing thread");
        all.extend(second);
        all
    })
}

fn receipts(from: usize, to: usize, pkis: &[TestPki; 2]) -> Vec<Vec<u8>> {
    (from..to)
        .map(|i| {
            let mut rng = Rng::new(2026 + i as u64);
            let sent = Utc.with_ymd_and_hms(2025, 1, 1, 8, 0, 0).unwrap()
                + chrono::Duration::minutes(i as i64);
            let to = format!("{}@pec.{}.example", rng.word(8), rng.word(5));
            let mut send = Send::new(
                &format!("{}@pec.studio.example", rng.word(6)),
                &[to.as_str()],
                &format!("Pratica {} - {}", rng.below(100_000), rng.word(12)),
                sent,
            );
            send.receipt_type = *rng.pick(&["completa", "completa", "sintetica", "breve"]);
            let kind = match rng.below(10) {
                0..=3 => PecKindSpec::Acceptance,
                4..=7 => PecKindSpec::Delivery {
                    recipient: to.clone(),
                },
                8 => PecKindSpec::Failure {
                    recipient: to.clone(),
                    virus: false,
                    reason: "5.1.1 - indirizzo non valido".into(),
                },
                _ => PecKindSpec::Warning12h {
                    recipient: to.clone(),
                },
            };
            // One receipt in five from the SHA-1 provider, as in archives up to 2024.
            let pki = &pkis[usize::from(i % 5 == 0)];
            Pec::new(&send, kind).build(pki)
        })
        .collect()
}

fn write_all<'a>(dir: &Path, receipts: impl Iterator<Item = &'a Vec<u8>>) -> Vec<PathBuf> {
    receipts
        .enumerate()
        .map(|(i, raw)| {
            let path = dir.join(format!("receipt-{i:05}.eml"));
            std::fs::write(&path, raw).expect("write receipt");
            path
        })
        .collect()
}

/// Attesta over every file, on this one thread; prints and returns receipts per second.
fn attesta(files: &[PathBuf], anchors: &TrustAnchors) -> f64 {
    let now: DateTime<Utc> = SystemTime::now().into();
    let verify_one = |path: &PathBuf| {
        let raw = std::fs::read(path).expect("read receipt");
        let inspection = inspect(&raw);
        verify_signature(&raw, &inspection, anchors, &TimeWitnesses::at(now)).status
    };
    // A first pass, untimed: warms the page cache (and what Attesta remembers about certificates,
    // as it would after the first receipt of each provider); it also gives the verdicts.
    let mut tally: Vec<(SignatureStatus, usize)> = Vec::new();
    for path in files {
        let status = verify_one(path);
        match tally.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => tally.push((status, 1)),
        }
    }
    let verdicts: Vec<String> = tally
        .iter()
        .map(|(s, n)| {
            let name = serde_json::to_value(s).ok();
            format!(
                "{n} {}",
                name.as_ref().and_then(|v| v.as_str()).unwrap_or("?")
            )
        })
        .collect();
    println!("attesta verdicts: {}", verdicts.join(", "));

    let mut best = 0.0f64;
    for round in 1..=3 {
        let started = Instant::now();
        for path in files {
            std::hint::black_box(verify_one(std::hint::black_box(path)));
        }
        let secs = started.elapsed().as_secs_f64();
        let rate = files.len() as f64 / secs;
        println!(
            "attesta (inspect + verify_signature, one thread, from files), round {round}: {} receipts in {secs:.2} s = {rate:.0} receipts/s",
            files.len()
        );
        best = best.max(rate);
    }
    best
}

/// `openssl cms -verify` once per file over a sample; prints the time per file and returns it.
fn openssl(dir: &Path, files: &[PathBuf], anchors: &TrustAnchors, pkis: &[TestPki; 2]) -> Duration {
    let bundle = dir.join("anchors.pem");
    let mut pem = String::new();
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("trust/pec-ca");
    let mut builtin_files: Vec<PathBuf> = std::fs::read_dir(builtin)
        .expect("built-in anchors")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    builtin_files.sort();
    for f in builtin_files {
        pem.push_str(&std::fs::read_to_string(f).expect("anchor"));
    }
    for pki in pkis {
        pem.push_str(&pki.ca_pem);
    }
    std::fs::write(&bundle, pem).expect("write bundle");

    // Untimed: what the command needs per file (the signed part, CRLF, and the .p7s), spread evenly
    // over the whole set.
    let step = (files.len() / OPENSSL_SAMPLE).max(1);
    let mut jobs = Vec::new();
    for (n, path) in files.iter().step_by(step).take(OPENSSL_SAMPLE).enumerate() {
        let raw = std::fs::read(path).expect("read receipt");
        let inspection = inspect(&raw);
        let (Some(content), Some(p7s)) = (inspection.signed_content(&raw), &inspection.signature)
        else {
            continue;
        };
        let report = verify_signature(
            &raw,
            &inspection,
            anchors,
            &TimeWitnesses::at(SystemTime::now().into()),
        );
        let content_path = dir.join(format!("openssl-{n}.content"));
        let p7s_path = dir.join(format!("openssl-{n}.p7s"));
        std::fs::write(&content_path, to_crlf(content)).expect("write content");
        std::fs::write(&p7s_path, p7s).expect("write p7s");
        jobs.push((
            content_path,
            p7s_path,
            report.signed_at.map(|t| t.timestamp()),
        ));
    }

    let mut agreed = 0;
    let started = Instant::now();
    for (content, p7s, attime) in &jobs {
        let mut cmd = Command::new("openssl");
        cmd.args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
            .arg(p7s)
            .arg("-content")
            .arg(content)
            .args(["-out", "/dev/null", "-CAfile"])
            .arg(&bundle)
            .args(["-auth_level", "0", "-purpose", "smimesign"]);
        if let Some(t) = attime {
            cmd.arg("-attime").arg(t.to_string());
        }
        let ok = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        agreed += usize::from(ok);
    }
    let elapsed = started.elapsed();
    let per_file = elapsed / u32::try_from(jobs.len().max(1)).unwrap_or(u32::MAX);
    println!(
        "openssl cms -verify, one process per file, over a sample of {} of the {} files (every {step}th; {agreed} verified): {:.2} s = {:.2} ms per file",
        jobs.len(),
        files.len(),
        elapsed.as_secs_f64(),
        per_file.as_secs_f64() * 1e3,
    );
    println!(
        "  -> extrapolated to all {} files: {:.1} s, {:.0} receipts/s",
        files.len(),
        per_file.as_secs_f64() * files.len() as f64,
        1.0 / per_file.as_secs_f64()
    );
    per_file
}
