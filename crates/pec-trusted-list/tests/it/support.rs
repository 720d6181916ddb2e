//! Where the shared corpus is, and the real lists read from it in place (never copied here).

use std::path::{Path, PathBuf};

/// `shared/corpus/signed/trusted-list`: `ATTESTA_SHARED` if set, else the first ancestor of the crate
/// with a sibling `shared/corpus` (a worktree at /work/wt/X finds /work/shared).
pub fn trusted_list_dir() -> Option<PathBuf> {
    let shared = match std::env::var_os("ATTESTA_SHARED") {
        Some(s) => Some(PathBuf::from(s)),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|a| a.join("shared"))
            .find(|s| s.join("corpus").is_dir()),
    };
    let dir = shared?.join("corpus/signed/trusted-list");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("SKIPPED: no trusted-list corpus at {}", dir.display());
        None
    }
}

pub const LOTL: &str = "EU-LOTL_seq332_2023-09-27.xml";
pub const IT_141: &str = "TSL-IT_seq141_2019-09-04.xml";
pub const IT_194: &str = "TSL-IT_seq194_2023-09-26.xml";

/// The bytes of one real list, or `None` (and a loud SKIPPED) when the corpus is absent.
pub fn real(name: &str) -> Option<Vec<u8>> {
    let dir = trusted_list_dir()?;
    Some(std::fs::read(dir.join(name)).unwrap())
}

pub fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}
