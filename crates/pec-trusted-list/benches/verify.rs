//! Reading and verifying the real Trusted Lists: the time per list for the EU list of lists (seq 332)
//! and the 2023 Italian list (seq 194), verified as `TrustedLists` does (parse once, check the
//! signature, read the content).
//!
//! Run: `cargo bench -p pec-trusted-list --bench verify` (needs `../shared/corpus`, found like the tests
//! find it). One untimed pass, then the best of ten. No assertions: the figures are for people.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pec_trusted_list::TrustedLists;

fn corpus() -> Option<PathBuf> {
    let shared = match std::env::var_os("ATTESTA_SHARED") {
        Some(s) => Some(PathBuf::from(s)),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|a| a.join("shared"))
            .find(|s| s.join("corpus").is_dir()),
    };
    Some(shared?.join("corpus/signed/trusted-list")).filter(|d| d.is_dir())
}

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let Some(dir) = corpus() else {
        println!("SKIPPED: no shared/corpus/signed/trusted-list");
        return;
    };
    let lotl = std::fs::read(dir.join("EU-LOTL_seq332_2023-09-27.xml")).expect("LOTL");
    let it = std::fs::read(dir.join("TSL-IT_seq194_2023-09-26.xml")).expect("IT list");
    let lotl_time = best_of(10, || {
        TrustedLists::new()
            .add_list_of_lists(&lotl)
            .expect("LOTL verifies");
    });
    let mut set = TrustedLists::new();
    set.add_list_of_lists(&lotl).expect("LOTL verifies");
    let it_time = best_of(10, || {
        set.clone().add_national(&it).expect("IT verifies");
    });
    let mb = |b: &[u8]| b.len() as f64 / 1e6;
    println!(
        "EU LOTL seq 332  {:>5.2} MB  read + verified in {lotl_time:?}",
        mb(&lotl)
    );
    println!(
        "IT TL   seq 194  {:>5.2} MB  read + verified in {it_time:?}",
        mb(&it)
    );
    println!(
        "                 {:.0} MB/s on the Italian list",
        mb(&it) / it_time.as_secs_f64()
    );
}
