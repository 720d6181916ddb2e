//! Private folders and durable files (issue 13 §5): what the engine writes is created for its owner
//! only, never through a link someone else planted, and never seen half written.
//!
//! Used by the data directory ([`DataDir::create`](crate::DataDir::create)), the configuration, the lab
//! account's copied certificates, exports and the desktop app's drafts.
//!
//! The attack: another local user prepares the path we are about to write (a symlink to a file of ours
//! or theirs, a folder they own) and waits. So a private folder is created 0700 and an existing one is
//! accepted only if it is a real folder owned by us; a file is written to a new temporary name opened
//! with `O_CREAT|O_EXCL|O_NOFOLLOW`, synced to disk, renamed over its final name, and the folder is
//! synced too, so after a power cut the file is either the old one or the complete new one.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rand::RngCore;

/// Creates `path` (and missing parents) as a folder only its owner can enter: mode 0700.
///
/// An existing folder is accepted as it is when it is a real folder owned by this process's user;
/// a symlink, a file, or a folder owned by someone else is refused.
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => check_ours(path, &meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            match DirBuilder::new().mode(0o700).create(path) {
                Ok(()) => {}
                // Someone made it between our look and our mkdir: judge what is there now.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    return check_ours(path, &std::fs::symlink_metadata(path)?);
                }
                Err(e) => return Err(e),
            }
            // NOTE: the umask can only remove bits; set the mode explicitly all the same.
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
        }
        Err(e) => Err(e),
    }
}

fn check_ours(path: &Path, meta: &std::fs::Metadata) -> io::Result<()> {
    let refuse = |why: &str| {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{} {why}", path.display()),
        ))
    };
    if meta.file_type().is_symlink() {
        return refuse("is a symbolic link, not a folder");
    }
    if !meta.is_dir() {
        return refuse("is not a folder");
    }
    if meta.uid() != rustix::process::geteuid().as_raw() {
        return refuse("belongs to another user");
    }
    Ok(())
}

/// Writes `bytes` to `path` for its owner only (mode 0600), durably: see [`write_durably`].
pub fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_durably(path, bytes, 0o600)
}

/// Writes `bytes` to `path` with `mode` (less the umask): to a new temporary name beside it, opened
/// without following links, synced, renamed over `path`, then the folder synced. `path` is never
/// half written; on failure the temporary file is removed.
pub fn write_durably(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let part = part_name(path);
    let result = write_new(&part, bytes, mode).and_then(|()| std::fs::rename(&part, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    sync_dir(path)
}

/// `.NAME.<random>.part` beside `path`: not guessable, so nobody can plant it in advance.
fn part_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tag = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut tag);
    let tag: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    path.with_file_name(format!(".{name}.{tag}.part"))
}

fn write_new(part: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(part)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Syncs the folder holding `path`, so the rename itself survives a power cut.
fn sync_dir(path: &Path) -> io::Result<()> {
    let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.to_owned(),
        None => PathBuf::from("."),
    };
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .unwrap()
            .permissions()
            .mode()
            & 0o7777
    }

    #[test]
    fn a_new_private_folder_is_for_its_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b/attesta");
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
    }

    #[test]
    fn an_existing_folder_of_ours_is_accepted_as_it_is() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("mine");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o750)).unwrap();
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o750);
    }

    #[test]
    fn a_symlink_in_place_of_the_private_folder_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let dir = tmp.path().join("attesta");
        std::os::unix::fs::symlink(&elsewhere, &dir).unwrap();
        let e = create_private_dir(&dir).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
        assert!(e.to_string().contains("symbolic link"), "{e}");
    }

    #[test]
    fn a_file_in_place_of_the_private_folder_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("attesta");
        std::fs::write(&dir, "x").unwrap();
        assert!(create_private_dir(&dir).is_err());
    }

    #[test]
    fn a_folder_owned_by_another_user_is_refused() {
        if !rustix::process::geteuid().is_root() {
            eprintln!("SKIPPED: only root can give a folder away");
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("theirs");
        std::fs::create_dir(&dir).unwrap();
        std::os::unix::fs::chown(&dir, Some(65_534), Some(65_534)).unwrap();
        let e = create_private_dir(&dir).unwrap_err();
        assert!(e.to_string().contains("another user"), "{e}");
    }

    #[test]
    fn a_private_file_is_0600_and_complete() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("draft.json");
        write_private_file(&file, b"first").unwrap();
        write_private_file(&file, b"second, longer").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"second, longer");
        assert_eq!(mode(&file), 0o600);
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["draft.json"], "no temporary file is left behind");
    }

    #[test]
    fn a_symlink_at_the_final_name_is_replaced_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let file = tmp.path().join("config.toml");
        std::os::unix::fs::symlink(&victim, &file).unwrap();
        write_private_file(&file, b"new").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert!(!std::fs::symlink_metadata(&file).unwrap().is_symlink());
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_partial_one() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("missing-folder/pack.zip");
        assert!(write_durably(&file, b"bytes", 0o644).is_err());
        assert!(!file.exists());
        // A folder where the file should go: the rename fails, the temporary file goes.
        let dir_in_the_way = tmp.path().join("pack.zip");
        std::fs::create_dir(&dir_in_the_way).unwrap();
        std::fs::write(dir_in_the_way.join("inside"), "x").unwrap();
        assert!(write_durably(&dir_in_the_way, b"bytes", 0o644).is_err());
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["pack.zip"]);
    }
}
