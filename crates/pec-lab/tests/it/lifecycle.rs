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
