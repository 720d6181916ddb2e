//! Shared helpers: where the corpus is, how to read one of its files.

mod corpus;
mod encodings;
mod hostile;
mod invoices;
mod notifications;
mod pec_eml;
mod status;

use std::path::{Path, PathBuf};

/// `shared/corpus/signed`: `ATTESTA_SHARED` if set, else the first `shared/corpus` found walking up
/// from this crate (a worktree at `/work/wt/X` finds `/work/shared`). `None` (test skipped, said so)
/// when there is none.
pub fn signed_corpus() -> Option<PathBuf> {
    let from_env = std::env::var_os("ATTESTA_SHARED").map(PathBuf::from);
    let walked = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared"))
        .find(|s| s.join("corpus").is_dir());
    let dir = from_env.or(walked)?.join("corpus/signed");
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        println!("SKIPPED: no corpus at {}", dir.display());
        None
    }
}

/// The bytes of a corpus file (`fatturapa-xml/…`), or `None` when there is no corpus.
pub fn corpus_file(relative: &str) -> Option<Vec<u8>> {
    let dir = signed_corpus()?;
    Some(std::fs::read(dir.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}")))
}

/// The manifest rows of one folder: (file path relative to `signed/`, notes).
pub fn manifest_rows(folder: &str) -> Vec<(String, String)> {
    let Some(dir) = signed_corpus() else {
        return Vec::new();
    };
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (file, kind, notes) = (col("file"), col("kind"), col("notes"));
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[kind] == folder)
        .map(|f| (f[file].to_owned(), f[notes].to_owned()))
        .collect()
}
