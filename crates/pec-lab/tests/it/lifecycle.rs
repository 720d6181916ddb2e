//! Starting and stopping: the lab describes itself in lab.json and leaves no process behind.
use std::os::unix::fs::PermissionsExt;

use super::support::lab;

/// Dovecot's master and every process it started.
fn family(master: i32) -> Vec<i32> {
    let mut out = vec![master];
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<i32>().ok());
        if ppid == Some(master) {
            out.push(pid);
        }
    }
    out
}

#[test]
fn stopping_the_lab_leaves_no_process_and_lab_json_describes_it() {
    let Some(lab) = lab("lifecycle") else { return };
    let info = pec_lab::LabInfo::load(lab.dir()).unwrap();
    assert_eq!(info, lab.info);
    assert_eq!(info.version, 1);
    assert_eq!(info.providers.len(), 2);
    assert!(
        info.providers.iter().any(|p| p.stores_sent_copy)
            && info.providers.iter().any(|p| !p.stores_sent_copy)
    );
    assert!(info.tls_ca_pem.is_file() && info.pec_ca_pem.is_file());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(lab.dir().join("lab.json")).unwrap())
            .unwrap();
    for key in [
        "version",
        "dir",
        "imap",
        "tls_ca_pem",
        "pec_ca_pem",
        "clock",
        "providers",
        "accounts",
        "silent_domain",
        "silent_accounts",
        "external_domain",
        "unknown_example",
    ] {
        assert!(json.get(key).is_some(), "lab.json has {key}");
    }
    assert_eq!(json["imap"]["security"], "implicit-tls");

    let pids: Vec<i32> = lab.pids().into_iter().flat_map(family).collect();
    assert!(pids.len() > 1, "dovecot runs with its children: {pids:?}");
    assert!(pids.iter().all(|p| pec_lab::lab::is_alive(*p)));
    let status = lab.status().unwrap();
    assert!(status.pids.contains(&(std::process::id() as i32)));
    let dir = lab.dir().to_owned();
    lab.lab.stop().unwrap();
    let alive: Vec<i32> = pids
        .into_iter()
        .filter(|p| pec_lab::lab::is_alive(*p))
        .collect();
    assert!(alive.is_empty(), "still running: {alive:?}");
    // Stopping again is fine, and nothing answers any more.
    assert!(!pec_lab::lab::down(&dir).unwrap());
    assert!(
        matches!(pec_lab::lab::status(&dir), pec_lab::LabStatus::Stopped { leftover } if leftover.is_empty())
    );
}

#[test]
fn a_plaintext_client_gets_no_smtp_greeting() {
    use std::io::{Read, Write};
    let Some(lab) = lab("implicit tls") else {
        return;
    };
    let port = lab.info.providers[0].smtp.port;
    let mut tcp = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(2)))
        .unwrap();
    let _ = tcp.write_all(b"EHLO client\r\nAUTH PLAIN AG1hcmlvAHB3\r\n");
    let mut buf = [0u8; 64];
    let n = tcp.read(&mut buf).unwrap_or(0);
    assert!(!buf[..n].starts_with(b"220"), "the server speaks TLS first");
}

#[test]
fn a_lab_inside_a_private_folder_is_refused_with_the_folder_named() {
    if !pec_lab::Lab::available() {
        eprintln!("SKIPPED: dovecot not installed");
        return;
    }
    if !rustix::process::geteuid().is_root() {
        eprintln!("SKIPPED: only as root does the mail belong to another user (nobody)");
        return;
    }
    // A private folder, as `mktemp -d` makes them: nobody cannot enter it.
    let private = tempfile::tempdir().unwrap();
    std::fs::set_permissions(private.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let dir = private.path().join("lab");
    let error = pec_lab::Lab::start(&dir).err().expect("refused");
    let message = error.to_string();
    assert!(
        matches!(&error, pec_lab::LabError::Unreachable { blocker, .. } if blocker == private.path()),
        "{message}"
    );
    assert!(
        message.contains(&private.path().display().to_string()) && message.contains("chmod o+x"),
        "{message}"
    );
    assert!(!dir.exists(), "nothing was made: {message}");
}

/// The name the lab used to give its sockets' folder for a long DIR: anyone could compute it.
fn old_predictable_run_dir(dir: &std::path::Path) -> std::path::PathBuf {
    use std::hash::{Hash, Hasher};
    let dir = std::path::absolute(dir).unwrap();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    dir.hash(&mut h);
    std::env::temp_dir().join(format!("attesta-lab-{:016x}", h.finish()))
}

/// A symlink planted in the shared temp dir, removed when the test ends however it ends.
struct Planted(std::path::PathBuf);

impl Drop for Planted {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn issue_13_a_long_lab_path_gets_a_private_sockets_folder_and_a_planted_symlink_is_not_followed() {
    if !pec_lab::Lab::available() {
        eprintln!("SKIPPED: dovecot not installed");
        return;
    }
    let parent = tempfile::Builder::new()
        .prefix("attesta-labtest-")
        .tempdir()
        .unwrap();
    std::fs::set_permissions(parent.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = parent
        .path()
        .join("a-lab-directory-whose-path-is-too-long-for-unix-sockets");
    assert!(dir.as_os_str().len() > 60);
    // Another user prepares the old predictable name: a symlink to a folder of theirs.
    let theirs = tempfile::tempdir().unwrap();
    let planted = Planted(old_predictable_run_dir(&dir));
    let _ = std::fs::remove_file(&planted.0);
    std::os::unix::fs::symlink(theirs.path(), &planted.0).unwrap();

    let lab = pec_lab::Lab::start(&dir).expect("the lab starts");
    let run = pec_lab::daemon::LabPaths::new(&dir).run;
    assert_ne!(run, planted.0);
    assert_eq!(
        std::fs::read_dir(theirs.path()).unwrap().count(),
        0,
        "nothing went their way"
    );
    let name = run.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("attesta-lab-") && name.len() == "attesta-lab-".len() + 16,
        "{name}"
    );
    let meta = std::fs::symlink_metadata(&run).unwrap();
    assert!(meta.is_dir());
    assert_eq!(
        meta.permissions().mode() & 0o777,
        pec_lab::private::private_mode()
    );
    assert!(lab.info.control_socket.starts_with(&run));
    assert!(lab.status().unwrap().ok);
    drop(lab);
    drop(planted);
    assert!(
        !run.exists(),
        "a stopped lab leaves nothing in the temp dir"
    );
}

#[test]
fn issue_13_the_lab_folder_and_its_sockets_folder_are_ours_only() {
    let Some(lab) = lab("private folders") else {
        return;
    };
    let paths = pec_lab::daemon::LabPaths::new(lab.dir());
    for dir in [lab.dir(), paths.run.as_path()] {
        let mode = std::fs::symlink_metadata(dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, pec_lab::private::private_mode(), "{}", dir.display());
        assert_eq!(
            mode & 0o066,
            0,
            "no one else lists or writes {}",
            dir.display()
        );
    }
    for file in [&paths.dovecot_pid, &paths.log, &paths.control_socket] {
        let mode = std::fs::symlink_metadata(file)
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(
            mode & 0o022,
            0,
            "{} is not writable by others",
            file.display()
        );
    }
}

#[test]
fn issue_16_a_lab_whose_folder_is_removed_before_it_stops_still_stops_dovecot() {
    if !pec_lab::Lab::available() {
        eprintln!("SKIPPED: dovecot not installed");
        return;
    }
    // As a test does that binds its temporary folder after the lab: the folder goes first, with
    // Dovecot's pid file in it.
    let dir = tempfile::Builder::new()
        .prefix("attesta-labtest-")
        .tempdir()
        .unwrap();
    let lab = pec_lab::Lab::start(dir.path()).expect("the lab starts");
    let master = lab.pids()[0];
    assert!(pec_lab::lab::is_alive(master), "dovecot runs");
    let pids = family(master);
    drop(dir);
    drop(lab);
    let alive: Vec<i32> = pids
        .into_iter()
        .filter(|p| pec_lab::lab::is_alive(*p))
        .collect();
    assert!(alive.is_empty(), "still running: {alive:?}");
}
