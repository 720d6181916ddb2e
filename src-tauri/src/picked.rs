//! Files picked to attach, known to the window only by tokens the shell issued (issue 13 §5): the
//! window never hands the shell a path to read. The attack: script running in the webview (a bug, a
//! crafted message) calls `send_draft` with `~/.ssh/id_ed25519` as an attachment and mails it away.
//! With tokens, only files the person chose in the shell's own dialog (or that a kept draft held) can
//! be read. Tokens live as long as this run of the shell; drafts keep paths on the shell's side.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::dto::compose::PickedFile;
use crate::error::{AppError, AppResult};

/// Token → path, for this run.
#[derive(Default)]
pub struct PickedFiles {
    files: Mutex<HashMap<String, PathBuf>>,
    issued: AtomicU64,
}

/// A token no one can guess from an earlier one: a count plus process-random bits.
fn fresh(n: u64) -> String {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(n);
    let a = h.finish();
    let mut h = RandomState::new().build_hasher();
    h.write_u64(a);
    format!("f{n}-{a:016x}{:016x}", h.finish())
}

impl PickedFiles {
    /// Issues a token for `path` (a file the shell itself chose or kept) and describes it; a file
    /// picked twice keeps its token, so the window can tell it is already attached.
    pub fn issue(&self, path: &Path) -> PickedFile {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        let known = files
            .iter()
            .find(|(_, p)| p.as_path() == path)
            .map(|(t, _)| t.clone());
        let token = known.unwrap_or_else(|| {
            let token = fresh(self.issued.fetch_add(1, Ordering::Relaxed));
            files.insert(token.clone(), path.to_path_buf());
            token
        });
        drop(files);
        PickedFile {
            token,
            name: path
                .file_name()
                .map_or_else(|| "allegato".into(), |n| n.to_string_lossy().into_owned()),
            size: std::fs::metadata(path).map_or(0.0, |m| m.len() as f64),
        }
    }

    /// The path behind `token`; `UnknownAttachment` for a token this run never issued.
    pub fn path(&self, token: &str) -> AppResult<PathBuf> {
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(token)
            .cloned()
            .ok_or_else(|| AppError::UnknownAttachment {
                token: token.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picked_file_is_read_back_by_its_token_only_issue_13() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("atto.pdf");
        std::fs::write(&file, b"%PDF-1.4").unwrap();
        let picked = PickedFiles::default();
        let shown = picked.issue(&file);
        assert_eq!(shown.name, "atto.pdf");
        assert_eq!(shown.size, 8.0);
        assert!(!shown.token.contains("atto"));
        assert_eq!(picked.path(&shown.token).unwrap(), file);
    }

    #[test]
    fn a_path_or_a_made_up_token_is_refused_issue_13() {
        let picked = PickedFiles::default();
        let file = std::env::temp_dir().join("x");
        let shown = picked.issue(&file);
        for forged in ["/home/user/.ssh/id_ed25519", "f0-0", "", "f1-"] {
            assert_eq!(
                picked.path(forged),
                Err(AppError::UnknownAttachment {
                    token: forged.into()
                })
            );
        }
        assert_eq!(picked.issue(&file).token, shown.token);
        let other = picked.issue(&std::env::temp_dir().join("y"));
        assert_ne!(other.token, shown.token);
    }
}
