//! What `attesta import PATH...` reads: single messages (`.eml` or any file holding one), directories of
//! them (recursively), mbox files, and Maildir folders (their `cur/` and `new/`, never `tmp/`, and no
//! server bookkeeping files such as Dovecot's indexes).
//!
//! Enumeration only lists files (cheap); reading and splitting happens later, as the import proceeds.

use std::path::{Path, PathBuf};

use crate::EngineError;

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    pub size: u64,
    /// Inside a Maildir's `cur/` or `new/`: one message per file, never an mbox.
    pub in_maildir: bool,
}

/// Files a Maildir keeps beside its messages.
fn is_maildir_bookkeeping(name: &str) -> bool {
    name.starts_with("dovecot")
        || name.starts_with("courier")
        || matches!(name, "maildirfolder" | "subscriptions" | "maildirsize")
}

fn is_maildir(dir: &Path) -> bool {
    dir.join("cur").is_dir() && dir.join("new").is_dir()
}

/// Lists every file under `paths`, in a stable order: a directory's files (sorted), then its
/// subdirectories (sorted).
pub fn enumerate(paths: &[PathBuf]) -> Result<Vec<SourceFile>, EngineError> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| EngineError::Read {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk(path, &mut out)?;
        } else {
            out.push(SourceFile {
                path: path.clone(),
                size: meta.len(),
                in_maildir: false,
            });
        }
    }
    Ok(out)
}

fn sorted_entries(dir: &Path) -> Result<Vec<(PathBuf, std::fs::Metadata)>, EngineError> {
    let read_err = |source| EngineError::Read {
        path: dir.to_owned(),
        source,
    };
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let path = entry.path();
        // NOTE: metadata() follows symlinks; a dangling one is skipped rather than failing the import.
        if let Ok(meta) = std::fs::metadata(&path) {
            entries.push((path, meta));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

fn walk(dir: &Path, out: &mut Vec<SourceFile>) -> Result<(), EngineError> {
    // An explicit stack: deep trees cost memory, not recursion depth.
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let maildir = is_maildir(&dir);
        let mut subdirs = Vec::new();
        for (path, meta) in sorted_entries(&dir)? {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if meta.is_dir() {
                if maildir && name == "tmp" {
                    continue;
                }
                if maildir && (name == "cur" || name == "new") {
                    for (file, meta) in sorted_entries(&path)? {
                        if meta.is_file() {
                            out.push(SourceFile {
                                path: file,
                                size: meta.len(),
                                in_maildir: true,
                            });
                        }
                    }
                    continue;
                }
                subdirs.push(path);
            } else if meta.is_file() {
                if maildir || is_maildir_bookkeeping(&name) {
                    // Files at a Maildir's top level are the server's, not messages.
                    continue;
                }
                out.push(SourceFile {
                    path,
                    size: meta.len(),
                    in_maildir: false,
                });
            }
        }
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(())
}

/// Whether bytes look like an mbox (they start with a `From ` separator line).
pub fn is_mbox(head: &[u8]) -> bool {
    head.starts_with(b"From ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maildirs_give_cur_and_new_but_never_tmp_or_bookkeeping() {
        let root = tempfile::tempdir().unwrap();
        let md = root.path().join("Maildir");
        for d in ["cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"] {
            std::fs::create_dir_all(md.join(d)).unwrap();
        }
        std::fs::write(md.join("cur/1:2,S"), "a").unwrap();
        std::fs::write(md.join("new/2"), "b").unwrap();
        std::fs::write(md.join("tmp/3"), "c").unwrap();
        std::fs::write(md.join("dovecot.index"), "x").unwrap();
        std::fs::write(md.join("dovecot-uidlist"), "x").unwrap();
        std::fs::write(md.join(".Sent/cur/4"), "d").unwrap();
        std::fs::write(root.path().join("loose.eml"), "e").unwrap();
        let files = enumerate(&[root.path().to_path_buf()]).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(root.path())
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(
            names,
            [
                "loose.eml",
                "Maildir/cur/1:2,S",
                "Maildir/new/2",
                "Maildir/.Sent/cur/4",
            ]
        );
        assert!(!files[0].in_maildir && files[1].in_maildir);
    }

    #[test]
    fn a_missing_path_is_a_clear_error() {
        let err = enumerate(&[PathBuf::from("/nonexistent/attesta")]).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/attesta"), "{err}");
    }
}
