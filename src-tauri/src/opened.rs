//! Opening a received attachment with the system's program, safely (issue 13 §5): what could run
//! something is opened only once the person confirmed, having been shown its real extension; the copy
//! that is opened lives in a folder only the user can enter (0700), is written 0600 (never
//! executable), and carries the platform's mark of a file from outside (`pec_engine::quarantine`).
//! Saved copies carry the same mark. Used by the reader's commands.

use std::path::{Path, PathBuf};

use pec_engine::letter::AttachmentFile;
use pec_engine::quarantine;

use crate::error::{AppError, AppResult};

/// Whether attachment `file` may be opened now: anything that could run something needs `confirmed`.
pub fn allow(file: &AttachmentFile, confirmed: bool) -> AppResult<()> {
    if confirmed || !file.risk.needs_confirmation() {
        return Ok(());
    }
    Err(AppError::DangerousAttachment {
        name: file.name.as_str().to_owned(),
        extension: file.name.extension(),
        risk: file.risk,
    })
}

/// Where the origin mark says the file came from.
fn origin(id: u32, index: u32) -> String {
    format!("attesta:message/{id}/attachment/{index}")
}

#[cfg(unix)]
pub(crate) fn private_dir(dir: &Path) -> AppResult<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| AppError::io(dir, e))?;
    // NOTE: an existing folder keeps its mode through `create`: set it again.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| AppError::io(dir, e))
}

#[cfg(not(unix))]
pub(crate) fn private_dir(dir: &Path) -> AppResult<()> {
    std::fs::create_dir_all(dir).map_err(|e| AppError::io(dir, e))
}

/// Writes `bytes` to `path`, owner read and write only on Unix, replacing what was there.
fn write_private(path: &Path, bytes: &[u8]) -> AppResult<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| AppError::io(path, e))?;
        }
    }
    let mut out = options.open(path).map_err(|e| AppError::io(path, e))?;
    std::io::Write::write_all(&mut out, bytes).map_err(|e| AppError::io(path, e))
}

/// Marks a file written from message `id` as coming from outside; a file system without the mark
/// keeps the file unmarked (best effort, see `pec_engine::quarantine`).
fn mark(path: &Path, id: u32, index: u32) -> AppResult<()> {
    quarantine::mark(path, &origin(id, index)).map_err(|e| AppError::io(path, e))?;
    Ok(())
}

/// The private copy of attachment `index` of message `id` to open, under `root` (the data
/// directory's `opened/`).
pub fn private_copy(root: &Path, id: u32, index: u32, file: &AttachmentFile) -> AppResult<PathBuf> {
    private_dir(root)?;
    let dir = root.join(format!("{id}-{index}"));
    private_dir(&dir)?;
    let path = dir.join(file.name.as_str());
    write_private(&path, &file.bytes)?;
    mark(&path, id, index)?;
    Ok(path)
}

/// Saves attachment `index` of message `id` at `path` (where the person chose), marked.
pub fn save(path: &Path, id: u32, index: u32, bytes: &[u8]) -> AppResult<()> {
    std::fs::write(path, bytes).map_err(|e| AppError::io(path, e))?;
    mark(path, id, index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pec_engine::letter::{AttachmentName, Risk};

    fn file(name: &str, content_type: &str) -> AttachmentFile {
        let name = AttachmentName::clean(Some(name), 0);
        AttachmentFile {
            risk: Risk::of(&name, content_type),
            name,
            content_type: content_type.into(),
            bytes: b"MZ\x90\x00".to_vec(),
        }
    }

    #[test]
    fn open_refuses_a_program_until_confirmed_naming_its_real_extension_issue_13() {
        let disguised = file("fattura\u{202E}fdp.exe", "application/pdf");
        assert_eq!(
            allow(&disguised, false),
            Err(AppError::DangerousAttachment {
                name: "fatturafdp.exe".into(),
                extension: Some("exe".into()),
                risk: Risk::Executable,
            })
        );
        assert_eq!(allow(&disguised, true), Ok(()));
        for risky in [
            "avvio.sh",
            "collegamento.lnk",
            "apri.desktop",
            "bilancio.xlsm",
            "a.html",
        ] {
            assert!(
                allow(&file(risky, "application/octet-stream"), false).is_err(),
                "{risky}"
            );
        }
        assert_eq!(allow(&file("atto.pdf", "application/pdf"), false), Ok(()));
    }

    #[cfg(unix)]
    #[test]
    fn the_opened_copy_is_private_not_executable_and_marked_issue_13() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("opened");
        let script = file("avvio.sh", "application/x-sh");
        let path = private_copy(&root, 7, 1, &script).unwrap();
        assert_eq!(path, root.join("7-1").join("avvio.sh"));
        assert_eq!(std::fs::read(&path).unwrap(), script.bytes);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&root), 0o700);
        assert_eq!(mode(&root.join("7-1")), 0o700);
        assert_eq!(mode(&path), 0o600);
        // Opened again after someone loosened it: private again.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_copy(&root, 7, 1, &script).unwrap();
        assert_eq!(mode(&path), 0o600);
        let probe = tmp.path().join("probe");
        std::fs::write(&probe, b"").unwrap();
        if quarantine::mark(&probe, "attesta:probe").unwrap() == quarantine::Marked::Yes {
            assert!(quarantine::is_marked(&path));
        } else {
            eprintln!("this file system keeps no extended attributes: mark not checked");
        }
    }
}
