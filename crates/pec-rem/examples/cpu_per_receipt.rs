//! CPU time per REM receipt (issue 14), for comparing two builds on a shared machine: runs
//! `pec_rem::verify_message` over the kit's signed messages, `ROUNDS` rounds, best of `TRIES`, and
//! prints this thread's CPU time per receipt (`/proc/thread-self/schedstat`, Linux), which the
//! neighbours' load moves far less than the wall clock.
//!
//! Run: `cargo run --release -p pec-rem --example cpu_per_receipt` (`../shared/corpus` beside the
//! repository).

use std::path::PathBuf;

use pec_core::signature::{TimeWitnesses, TrustAnchors};

const ROUNDS: usize = 4;
const TRIES: usize = 3;

fn kit() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/rem/rem-policy-it-1.2")
}

fn emls() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![kit()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "eml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// This thread's CPU time so far, in nanoseconds.
fn cpu_ns() -> u64 {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap();
    s.split_whitespace().next().unwrap().parse().unwrap()
}

fn main() {
    let mut anchors = TrustAnchors::empty();
    for name in [
        "REM-ROOT-CA.crt",
        "REM-POLICY-IT-INTERMEDIATE-CERTIFICATE.crt",
    ] {
        anchors
            .add_pem(&std::fs::read(kit().join("certificates").join(name)).unwrap())
            .unwrap();
    }
    let messages: Vec<Vec<u8>> = emls()
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .filter(|raw| pec_rem::read(raw).is_some())
        .collect();
    let witnesses = TimeWitnesses::at(std::time::SystemTime::now().into());
    let verify_one = |raw: &[u8]| -> bool {
        let verdict = pec_rem::verify_message(raw, &anchors, &witnesses).expect("REM");
        verdict.signature.is_valid()
            && verdict
                .evidence_signature
                .is_some_and(|s| s.status == pec_core::signature::SignatureStatus::Valid)
    };
    assert!(
        messages.iter().all(|m| verify_one(m)),
        "every kit message verifies"
    );
    let mut best = f64::MAX;
    let mut sum = 0.0;
    for _ in 0..TRIES {
        let start = cpu_ns();
        for _ in 0..ROUNDS {
            for m in &messages {
                std::hint::black_box(verify_one(m));
            }
        }
        let per = (cpu_ns() - start) as f64 / 1e3 / (ROUNDS * messages.len()) as f64;
        best = best.min(per);
        sum += per;
    }
    println!(
        "{} messages x {ROUNDS} rounds, best of {TRIES}: {best:.0} us CPU per receipt (mean {:.0}), {:.0}/s of one core's time",
        messages.len(),
        sum / TRIES as f64,
        1e6 / best
    );
}
