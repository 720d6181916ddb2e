//! Parse + classify throughput, on one core: the real corpus and 10,000 synthetic receipts.
//!
//! Run: `cargo bench -p pec-core --bench classify`. Prints messages/s and the ratio to the target of
//! 10,000 typical receipts per second (issue 2). No timing assertions: the figure is for people.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use pec_core::inspect;
use pec_testkit::{Pec, PecKindSpec, Rng, Send, corpus};

const TARGET_PER_SECOND: f64 = 10_000.0;

fn main() {
    let synthetic = synthetic_receipts(10_000);
    let bytes: usize = synthetic.iter().map(Vec::len).sum();
    println!(
        "synthetic set: {} receipts, {:.1} KiB on average",
        synthetic.len(),
        bytes as f64 / synthetic.len() as f64 / 1024.0
    );
    let rate = measure("synthetic receipts", &synthetic);
    println!(
        "  -> {:.0} receipts/s; target {TARGET_PER_SECOND:.0}/s; ratio {:.2}x the target",
        rate,
        rate / TARGET_PER_SECOND
    );

    match corpus::dir() {
        Some(dir) => {
            let files: Vec<Vec<u8>> = corpus::manifest(&dir)
                .iter()
                .filter(|r| r.file.ends_with(".eml"))
                .filter_map(|r| std::fs::read(dir.join("real").join(&r.file)).ok())
                .collect();
            let receipts: Vec<Vec<u8>> = files
                .iter()
                .filter(|raw| inspect(raw).kind.is_receipt())
                .cloned()
                .collect();
            measure("real corpus, every message (incl. 1.9 MB envelope)", &files);
            measure(
                "real corpus, receipts only (one is a 381 KB completa)",
                &receipts,
            );
            // NOTE: a typical receipt is 6–20 KB; the one 381 KB completa receipt carrying an image
            // dominates the bytes of the set above, so it is reported apart.
            let typical: Vec<Vec<u8>> = receipts
                .into_iter()
                .filter(|raw| raw.len() < 64 * 1024)
                .collect();
            let rate = measure("real corpus, typical receipts (< 64 KB)", &typical);
            println!(
                "  -> real typical receipts: ratio {:.2}x the target",
                rate / TARGET_PER_SECOND
            );
            let parse_only =
                measure_with("mail-parser alone on the same receipts", &typical, |raw| {
                    mail_parser::MessageParser::new()
                        .parse(raw)
                        .map(|m| m.parts.len())
                });
            println!(
                "  -> Attesta's own work costs {:.0}% on top of MIME parsing",
                (parse_only / rate - 1.0) * 100.0
            );
        }
        None => println!("real corpus: SKIPPED (../shared/corpus not found)"),
    }
}

/// Run `inspect` over `set` repeatedly for at least two seconds; print and return messages per second.
fn measure(name: &str, set: &[Vec<u8>]) -> f64 {
    measure_with(name, set, |raw| inspect(raw).kind)
}

fn measure_with<T>(name: &str, set: &[Vec<u8>], work: impl Fn(&[u8]) -> T) -> f64 {
    for raw in set.iter().take(200) {
        black_box(work(raw));
    }
    let started = Instant::now();
    let mut messages = 0usize;
    let mut bytes = 0usize;
    while started.elapsed() < Duration::from_secs(2) {
        for raw in set {
            black_box(work(black_box(raw)));
            messages += 1;
            bytes += raw.len();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let rate = messages as f64 / secs;
    println!(
        "{name}: {messages} messages in {secs:.2} s = {rate:.0} messages/s, {:.1} MB/s",
        bytes as f64 / secs / 1e6
    );
    rate
}

/// A realistic mix: mostly acceptances and sintetica/completa deliveries, some failures and notices.
fn synthetic_receipts(n: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(2026);
    (0..n)
        .map(|i| {
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
            // A realistic signature part: ~3 KB of base64, as real provider signatures are.
            Pec::new(&send, kind).build(&FixedSizeSigner(rng.below(u64::MAX)))
        })
        .collect()
}

/// Stands in for a real CMS of the usual size (a 2048-bit signer and its CA embedded: ~3.3 KB).
struct FixedSizeSigner(u64);

impl pec_testkit::Signer for FixedSizeSigner {
    fn sign(&self, _content: &[u8]) -> Vec<u8> {
        let mut rng = Rng::new(self.0);
        (0..3300).map(|_| rng.next_u64() as u8).collect()
    }
}
