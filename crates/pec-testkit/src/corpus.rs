//! Finding the shared corpus of real PEC messages (`../shared/corpus` beside the repository) and its
//! MANIFEST. The files are never copied into the repository; tests read them in place and say plainly
//! when the folder is absent.

use std::path::PathBuf;

/// One row of `MANIFEST.tsv`, by column name.
#[derive(Debug, Clone)]
pub struct ManifestRow {
    pub file: String,
    pub kind: String,
    pub provider: String,
    pub digest: String,
    pub expected_signature: String,
    pub signing_time: String,
    pub recipients: Option<usize>,
    pub category: String,
}

/// The corpus directory: `$ATTESTA_CORPUS`, or `shared/corpus` beside the repository.
pub fn dir() -> Option<PathBuf> {
    let candidate = std::env::var_os("ATTESTA_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    candidate
        .join("MANIFEST.tsv")
        .is_file()
        .then_some(candidate)
}

/// The corpus directory, or a plain message saying the corpus tests are skipped.
pub fn dir_or_skip(test: &str) -> Option<PathBuf> {
    let found = dir();
    if found.is_none() {
        eprintln!(
            "SKIPPED {test}: the shared corpus was not found (expected ../shared/corpus beside the \
             repository, or set ATTESTA_CORPUS)"
        );
    }
    found
}

/// The rows of `MANIFEST.tsv`.
pub fn manifest(dir: &std::path::Path) -> Vec<ManifestRow> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap_or_default();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |row: &[&str], name: &str| -> String {
        header
            .iter()
            .position(|h| *h == name)
            .and_then(|i| row.get(i))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let row: Vec<&str> = line.split('\t').collect();
            ManifestRow {
                file: col(&row, "file"),
                kind: col(&row, "kind"),
                provider: col(&row, "provider"),
                digest: col(&row, "digest"),
                expected_signature: col(&row, "expected_signature"),
                signing_time: col(&row, "signing_time"),
                recipients: col(&row, "recipients").parse().ok(),
                category: col(&row, "category"),
            }
        })
        .collect()
}
