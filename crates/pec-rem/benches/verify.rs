//! REM receipts verified per second on one core (issue 14): read the message, verify the provider's
//! S/MIME signature and the evidence's XAdES-B-T (references, value, signing certificate, timestamp),
//! over every signed message of AgID's kit; beside it the PEC figure on the same machine and
//! `xmlsec1 --verify` run once per evidence file. Prints each figure and its ratio to the targets
//! (2,000/s, 50× xmlsec1); the REM figure also in the thread's CPU time, which a shared machine's
//! load moves far less than the wall clock.
//!
//! Run: `cargo bench -p pec-rem --bench verify` (release; `../shared/corpus` beside the repository).

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use pec_core::signature::{TimeWitnesses, TrustAnchors};
use pec_core::{inspect, verify_signature};

const TARGET_PER_SECOND: f64 = 2_000.0;
const TARGET_VS_XMLSEC1: f64 = 50.0;

fn kit() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/rem/rem-policy-it-1.2")
}

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![kit().join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn per_second(count: usize, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64()
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
    let messages: Vec<Vec<u8>> = files(".", "eml")
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .filter(|raw| pec_rem::read(raw).is_some())
        .collect();
    let now = std::time::SystemTime::now().into();
    let witnesses = TimeWitnesses::at(now);
    // What `attesta verify` does for a REM message: one parse, both signatures.
    let verify_one = |raw: &[u8]| -> bool {
        let verdict = pec_rem::verify_message(raw, &anchors, &witnesses).expect("REM");
        verdict.signature.is_valid()
            && verdict
                .evidence_signature
                .is_some_and(|s| s.status.is_valid_status())
    };
    // Warm up, and check that what is timed is a real verification.
    assert!(
        messages.iter().all(|m| verify_one(m)),
        "every kit message verifies"
    );
    let rounds = 20;
    let start = Instant::now();
    let cpu_start = thread_cpu();
    for _ in 0..rounds {
        for m in &messages {
            std::hint::black_box(verify_one(m));
        }
    }
    let rem_cpu = thread_cpu()
        .zip(cpu_start)
        .map(|(end, start)| per_second(rounds * messages.len(), end - start));
    let rem_rate = per_second(rounds * messages.len(), start.elapsed());

    // Evidence alone (XAdES only), for the comparison with xmlsec1, which checks only that.
    let evidence = files("standalone-evidence", "xml");
    let xmls: Vec<Vec<u8>> = evidence.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let start = Instant::now();
    for _ in 0..rounds {
        for x in &xmls {
            std::hint::black_box(pec_rem::check_evidence(x, &anchors, now));
        }
    }
    let xades_rate = per_second(rounds * xmls.len(), start.elapsed());

    // PEC on the same machine: every valid real message of the PEC corpus.
    let pec_dir = kit().join("../../real");
    let pec: Vec<Vec<u8>> = std::fs::read_dir(&pec_dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .map(|p| std::fs::read(p).unwrap())
                .collect()
        })
        .unwrap_or_default();
    let builtin = TrustAnchors::builtin();
    let verify_pec = |m: &[u8]| {
        let inspection = inspect(m);
        std::hint::black_box(verify_signature(m, &inspection, &builtin, &witnesses));
    };
    pec.iter().for_each(|m| verify_pec(m));
    let start = Instant::now();
    for _ in 0..rounds {
        pec.iter().for_each(|m| verify_pec(m));
    }
    let pec_rate = per_second(rounds * pec.len(), start.elapsed());

    let start = Instant::now();
    let certs = kit().join("certificates");
    for p in &evidence {
        let ok = Command::new("xmlsec1")
            .arg("--verify")
            .arg("--trusted-pem")
            .arg(certs.join("REM-ROOT-CA.crt"))
            .args(["--id-attr:Id", "SignedProperties"])
            .arg(p)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(ok, "xmlsec1 verifies {}", p.display());
    }
    let xmlsec1_rate = per_second(evidence.len(), start.elapsed());

    println!(
        "REM receipts (read + S/MIME + XAdES-B-T), {} messages × {rounds}: {rem_rate:.0}/s on one core ({:.2}× the {TARGET_PER_SECOND:.0}/s target)",
        messages.len(),
        rem_rate / TARGET_PER_SECOND
    );
    if let Some(cpu) = rem_cpu {
        println!(
            "  in this thread's CPU time (what the neighbours' load moves least): {:.0} µs per receipt = {cpu:.0}/s of one core ({:.2}× the target)",
            1e6 / cpu,
            cpu / TARGET_PER_SECOND
        );
    }
    println!(
        "PEC messages (read + S/MIME), {} real ones × {rounds}: {pec_rate:.0}/s on one core",
        pec.len()
    );
    println!(
        "REM evidence alone (XAdES-B-T): {xades_rate:.0}/s; xmlsec1 --verify once per file: {xmlsec1_rate:.1}/s; Attesta is {:.0}× xmlsec1 on evidence, {:.0}× counting the whole receipt ({:.2}× the {TARGET_VS_XMLSEC1:.0}× target)",
        xades_rate / xmlsec1_rate,
        rem_rate / xmlsec1_rate,
        rem_rate / xmlsec1_rate / TARGET_VS_XMLSEC1
    );
}

/// This thread's CPU time so far (`/proc/thread-self/schedstat`, Linux; `None` elsewhere).
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

trait ValidStatus {
    fn is_valid_status(&self) -> bool;
}

impl ValidStatus for pec_core::signature::SignatureStatus {
    fn is_valid_status(&self) -> bool {
        *self == pec_core::signature::SignatureStatus::Valid
    }
}
