//! Processes and files the lab owns: pid files, liveness, stopping a process by its pid, private files,
//! and the uid that owns the mail.
//!
//! NOTE: Dovecot refuses to run mail processes as root, so when the lab runs as root the mail belongs to
//! `nobody` (environment.md); the lab directory is then made traversable (0711) and everything secret in it
//! stays 0600.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal};

use crate::LabError;

/// Write `bytes` to `path` atomically (temporary file + rename), mode 0600.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), LabError> {
    write_with_mode(path, bytes, 0o600)
}

/// The flag that makes `open` fail on a symlink instead of following it.
pub(crate) fn no_follow() -> i32 {
    rustix::fs::OFlags::NOFOLLOW.bits() as i32
}

/// Write `bytes` to `path` atomically with `mode`: a new file with a random name beside it (created
/// with `O_EXCL|O_NOFOLLOW`, so nothing planted is followed), synced, then renamed over `path` (which
/// replaces a symlink there rather than writing through it).
pub(crate) fn write_with_mode(path: &Path, bytes: &[u8], mode: u32) -> Result<(), LabError> {
    let mut tag = [0u8; 8];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut tag);
    let tag: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    let tmp = path.with_extension(format!("tmp-{tag}"));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .custom_flags(no_follow())
        .open(&tmp)
        .map_err(|e| LabError::io("write", &tmp, e))?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| LabError::io("write", &tmp, e))
        .and_then(|()| {
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))
                .map_err(|e| LabError::io("chmod", &tmp, e))
        })
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| LabError::io("rename", path, e)));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Reads `path` as text, refusing a symlink.
pub(crate) fn read_no_follow(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(no_follow())
        .open(path)?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text)?;
    Ok(text)
}

/// The pid written in `path`, if the file exists and holds one.
pub(crate) fn read_pid(path: &Path) -> Option<i32> {
    read_no_follow(path).ok()?.trim().parse().ok()
}

/// Whether process `pid` exists and is not a zombie.
pub fn is_alive(pid: i32) -> bool {
    let Some(p) = Pid::from_raw(pid) else {
        return false;
    };
    if rustix::process::test_kill_process(p).is_err() {
        return false;
    }
    // A zombie has exited; only its parent has not collected it yet.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .map(|(_, rest)| !rest.trim_start().starts_with('Z'))
            .unwrap_or(true),
        Err(_) => true,
    }
}

/// Ask `pid` to stop (SIGTERM), wait up to `grace`, then kill it (SIGKILL). True when it is gone.
pub fn terminate(pid: i32, grace: Duration) -> bool {
    let Some(p) = Pid::from_raw(pid) else {
        return true;
    };
    if !is_alive(pid) {
        return true;
    }
    let _ = rustix::process::kill_process(p, Signal::TERM);
    if wait_gone(pid, grace) {
        return true;
    }
    let _ = rustix::process::kill_process(p, Signal::KILL);
    wait_gone(pid, Duration::from_secs(2))
}

/// Wait until `pid` is gone; true if it went within `limit`.
pub fn wait_gone(pid: i32, limit: Duration) -> bool {
    let start = Instant::now();
    while is_alive(pid) {
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

/// The uid and gid that own the lab's mail: ours, or `nobody`'s when we are root.
pub(crate) fn mail_owner() -> (u32, u32) {
    let uid = rustix::process::getuid().as_raw();
    let gid = rustix::process::getgid().as_raw();
    if uid != 0 {
        return (uid, gid);
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&"nobody") && fields.len() > 3)
                .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
                .flatten()
        })
        .unwrap_or((65_534, 65_534))
}

/// Whether this process runs as root.
pub(crate) fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// As root, checks that `nobody` (the mail owner) can enter every folder above `dir`: Dovecot's mail
/// processes run as that user, and a private folder on the way (e.g. one made by `mktemp -d`) would
/// otherwise show up only as an obscure failure to open the mailboxes.
pub fn check_reachable_by_mail_owner(dir: &Path) -> Result<(), LabError> {
    if !is_root() {
        return Ok(());
    }
    let absolute = std::path::absolute(dir).map_err(|e| LabError::io("resolve", dir, e))?;
    for ancestor in absolute.ancestors().skip(1) {
        let Ok(meta) = std::fs::metadata(ancestor) else {
            continue; // not made yet: `prepare` creates it traversable
        };
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o001 == 0 {
            return Err(LabError::Unreachable {
                dir: absolute.clone(),
                blocker: ancestor.to_path_buf(),
                mode,
            });
        }
    }
    Ok(())
}

/// Give `path` to the mail owner (only meaningful as root).
pub(crate) fn chown_to_mail_owner(path: &Path) -> Result<(), LabError> {
    if !is_root() {
        return Ok(());
    }
    let (uid, gid) = mail_owner();
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(|e| LabError::io("chown", path, e))
}
