//! The data directory an earlier Attesta release really left (`tests/fixtures/release-*` at the
//! repository's root, made by `scripts/make-release-fixture` with that release's own `attesta`), and
//! what that release said of it: read by the upgrade tests of the command line and of the window
//! (issue 17 §4).

use std::path::{Path, PathBuf};

/// The fixture's folder: the release before the archive's format 7.
pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/release-cfd4896")
}

/// Copies the fixture's data directory into `to` (a test upgrades its own copy, never the fixture).
pub fn copy_data_dir(to: &Path) {
    for entry in std::fs::read_dir(dir().join("data")).expect("the fixture's data directory") {
        let entry = entry.expect("a fixture file");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copied");
    }
}

/// What the old release's `attesta status --json` said: one object per send.
pub fn old_status() -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir().join("status.json"))
        .expect("the fixture's status.json")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// Every recipient of `sends` (a `status --json` listing) with its state, sorted.
pub fn recipient_states(sends: &[serde_json::Value]) -> Vec<(String, String)> {
    let mut states: Vec<(String, String)> = sends
        .iter()
        .flat_map(|send| {
            send["recipients"]
                .as_array()
                .expect("recipients")
                .iter()
                .map(|r| {
                    (
                        r["address"].as_str().expect("an address").to_owned(),
                        r["state"].as_str().expect("a state").to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    states.sort();
    states
}
