//! The lab's folders outside its directory (issue 13 §5): never a predictable name in a shared folder.
//!
//! The attack: the lab (the desktop demo, often as root) used `/tmp/attesta-demo-<hash of the data
//! directory>` and `/tmp/attesta-lab-<hash>`. Another local user can compute those names, make the
//! folder first (or a symlink to one of theirs) and then read the lab's keys and passwords, or hand it
//! certificates of their own that the demo account trusts. So a folder in the temp dir is made like
//! `mkdtemp(3)`: a random name, created by `mkdir` (which fails on anything already there, a symlink
//! included) and owned by us. Its path is recorded in a file of a folder that is already ours, and a
//! recorded folder is used again only if it is still a real folder owned by us that no one else can
//! write or list.
//!
//! Mode: 0700; as root 0711, because Dovecot's mail and login processes run as other users (`nobody`,
//! `dovenull`) and must traverse it to reach the maildirs and sockets (environment.md). 0711 lets them
//! enter, not list: the names inside are known only to who made them.
//!
//! Used by [`LabPaths`](crate::daemon::LabPaths) (the sockets' folder when the lab's path is too long
//! for a Unix socket) and by the desktop demo ([`lab_dir_recorded_in`]).

use std::fs::DirBuilder;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rand::RngCore;

use crate::LabError;
use crate::process::{self, is_root};

/// The mode of a private lab folder: 0700, or 0711 as root (see the module's words).
pub fn private_mode() -> u32 {
    if is_root() { 0o711 } else { 0o700 }
}

/// Makes a new folder `<parent>/<prefix><16 random hex digits>` with [`private_mode`].
pub fn make_private_dir(parent: &Path, prefix: &str) -> Result<PathBuf, LabError> {
    for _ in 0..16 {
        let mut tag = [0u8; 8];
        rand::rngs::OsRng.fill_bytes(&mut tag);
        let name: String = tag.iter().map(|b| format!("{b:02x}")).collect();
        let dir = parent.join(format!("{prefix}{name}"));
        match DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {
                std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(private_mode()))
                    .map_err(|e| LabError::io("chmod", &dir, e))?;
                return Ok(dir);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(LabError::io("create", &dir, e)),
        }
    }
    Err(LabError::io(
        "create",
        parent,
        io::Error::other("no free random name"),
    ))
}

/// Whether `dir` is a real folder (not a symlink) owned by us that no one else can write or list.
pub fn is_private_dir(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| {
        m.is_dir()
            && m.uid() == rustix::process::geteuid().as_raw()
            && m.permissions().mode() & 0o066 == 0
    })
}

/// The folder recorded in `record` if it is still private ([`is_private_dir`]), else `None`.
pub fn recorded_dir(record: &Path) -> Option<PathBuf> {
    let text = process::read_no_follow(record).ok()?;
    let dir = PathBuf::from(text.trim_end_matches('\n'));
    (dir.is_absolute() && is_private_dir(&dir)).then_some(dir)
}

/// The folder recorded in `record` if it is still private, else a new private folder in the system's
/// temp dir (`<prefix>XXXXXXXXXXXXXXXX`), recorded in `record` (0600) for the next start.
pub fn lab_dir_recorded_in(record: &Path, prefix: &str) -> Result<PathBuf, LabError> {
    if let Some(dir) = recorded_dir(record) {
        return Ok(dir);
    }
    let dir = make_private_dir(&std::env::temp_dir(), prefix)?;
    let mut text = dir.as_os_str().as_encoded_bytes().to_vec();
    text.push(b'\n');
    process::write_private(record, &text)?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn issue_13_a_private_folder_has_a_random_name_and_is_ours_only() {
        let parent = tempfile::tempdir().unwrap();
        let a = make_private_dir(parent.path(), "attesta-lab-").unwrap();
        let b = make_private_dir(parent.path(), "attesta-lab-").unwrap();
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name.len(), "attesta-lab-".len() + 16, "{name}");
        assert_eq!(mode(&a), private_mode());
        assert_eq!(mode(&a) & 0o066, 0, "no one else can list or write it");
        assert!(is_private_dir(&a));
    }

    #[test]
    fn issue_13_a_recorded_folder_is_used_again_only_while_it_is_private() {
        let data = tempfile::tempdir().unwrap();
        let record = data.path().join("demo-lab.path");
        let first = lab_dir_recorded_in(&record, "attesta-test-").unwrap();
        assert_eq!(mode(&record), 0o600);
        assert_eq!(
            lab_dir_recorded_in(&record, "attesta-test-").unwrap(),
            first
        );

        // Someone opened it to others: a new folder is made and recorded instead.
        std::fs::set_permissions(&first, std::fs::Permissions::from_mode(0o777)).unwrap();
        let second = lab_dir_recorded_in(&record, "attesta-test-").unwrap();
        assert_ne!(second, first);
        assert!(is_private_dir(&second));
        std::fs::remove_dir(&first).unwrap();
        std::fs::remove_dir(&second).unwrap();
    }

    #[test]
    fn issue_13_a_symlink_recorded_or_planted_is_not_followed() {
        let data = tempfile::tempdir().unwrap();
        let theirs = data.path().join("theirs");
        std::fs::create_dir(&theirs).unwrap();
        std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o700)).unwrap();
        let link = data.path().join("link");
        std::os::unix::fs::symlink(&theirs, &link).unwrap();
        assert!(!is_private_dir(&link));
        // A record that is itself a symlink is not read.
        let elsewhere = data.path().join("elsewhere.txt");
        std::fs::write(&elsewhere, format!("{}\n", theirs.display())).unwrap();
        let record = data.path().join("demo-lab.path");
        std::os::unix::fs::symlink(&elsewhere, &record).unwrap();
        assert_eq!(recorded_dir(&record), None);
    }
}
