//! The lab's private Dovecot: configuration, users, start and stop.
//!
//! A real IMAP server (Debian's `dovecot-imapd` + `dovecot-lmtpd`), never a hand-made one: IMAPS on a
//! loopback port with the lab TLS certificate, passwd-file users, maildirs under `DIR/mail`, LMTP on
//! another loopback port for the providers' deliveries, SPECIAL-USE `\Sent` on `Sent`.
//!
//! NOTE (environment.md): Dovecot refuses mail processes running as root, so as root the mail belongs to
//! `nobody`; as an ordinary user the login and anvil services need `chroot =` (they cannot chroot), and
//! every internal user is that user. `auth_failure_delay = 0`, or each failed login costs 2 s.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::LabError;
use crate::process::{self, is_root, mail_owner};

/// Where Debian installs the server.
pub const DOVECOT: &str = "/usr/sbin/dovecot";

/// Whether Dovecot is installed.
pub fn installed() -> bool {
    Path::new(DOVECOT).is_file()
}

/// The files of one private Dovecot.
#[derive(Debug, Clone)]
pub struct DovecotFiles {
    /// `DIR/dovecot`.
    pub dir: PathBuf,
    pub conf: PathBuf,
    /// Dovecot's sockets and pid file (kept short: Unix socket paths have a 108-byte limit).
    pub base_dir: PathBuf,
    pub log: PathBuf,
}

impl DovecotFiles {
    pub fn new(lab_dir: &Path, run_dir: &Path) -> DovecotFiles {
        let dir = lab_dir.join("dovecot");
        DovecotFiles {
            conf: dir.join("dovecot.conf"),
            log: dir.join("dovecot.log"),
            base_dir: run_dir.join("dovecot"),
            dir,
        }
    }

    /// The master's pid, while it runs.
    pub fn master_pid(&self) -> Option<i32> {
        process::read_pid(&self.base_dir.join("master.pid")).filter(|p| process::is_alive(*p))
    }
}

/// One mailbox to create.
pub struct User<'a> {
    pub address: &'a str,
    pub password: &'a str,
    /// The mailbox's home (its maildir is `home/Maildir`).
    pub home: PathBuf,
}

/// `{SSHA256}` as Dovecot reads it: base64(SHA-256(password ‖ salt) ‖ salt).
fn ssha256(password: &str) -> String {
    let mut salt = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let mut hash = Sha256::new();
    hash.update(password.as_bytes());
    hash.update(salt);
    let mut out = hash.finalize().to_vec();
    out.extend_from_slice(&salt);
    format!(
        "{{SSHA256}}{}",
        base64::engine::general_purpose::STANDARD.encode(out)
    )
}

/// Write `dovecot.conf`, the passwd file and the TLS files; create each user's home and maildir.
pub fn configure(
    files: &DovecotFiles,
    imaps_port: u16,
    lmtp_port: u16,
    tls_cert_pem: &str,
    tls_key_pem: &str,
    users: &[User<'_>],
) -> Result<(), LabError> {
    let mkdir = |p: &Path| std::fs::create_dir_all(p).map_err(|e| LabError::io("create", p, e));
    mkdir(&files.dir)?;
    mkdir(&files.base_dir)?;
    let (uid, gid) = mail_owner();
    let cert = files.dir.join("tls.crt");
    let key = files.dir.join("tls.key");
    process::write_with_mode(&cert, tls_cert_pem.as_bytes(), 0o644)?;
    process::write_private(&key, tls_key_pem.as_bytes())?;

    let mut passwd = String::new();
    for user in users {
        passwd += &format!(
            "{}:{}:{uid}:{gid}::{}::\n",
            user.address,
            ssha256(user.password),
            user.home.display()
        );
        for sub in ["", "Maildir", "Maildir/cur", "Maildir/new", "Maildir/tmp"] {
            let d = user.home.join(sub);
            mkdir(&d)?;
            process::chown_to_mail_owner(&d)?;
        }
    }
    let passwd_path = files.dir.join("passwd");
    process::write_with_mode(&passwd_path, passwd.as_bytes(), 0o600)?;

    let unprivileged = if is_root() {
        // The passwd file holds password hashes: readable by root only, so auth runs as root.
        "service auth {\n  user = root\n}\n".to_owned()
    } else {
        let user = current_user_name();
        let group = current_group_name();
        format!(
            "default_internal_user = {user}\ndefault_internal_group = {group}\n\
             default_login_user = {user}\n\
             service anvil {{\n  chroot =\n}}\nservice imap-login {{\n  chroot =\n}}\n"
        )
    };
    let conf = format!(
        r#"# Attesta lab: a private Dovecot written by pec-lab at start-up. Do not edit: it is rewritten.
base_dir = {base}
state_dir = {dir}/state
instance_name = attesta-lab-{port}
listen = 127.0.0.1
protocols = imap lmtp
log_path = {log}
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = 0
mail_fsync = never
recipient_delimiter = +
lmtp_save_to_detail_mailbox = yes
{unprivileged}
passdb {{
  driver = passwd-file
  args = scheme=SSHA256 username_format=%u {passwd}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {passwd}
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp_port}
  }}
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \Sent
    auto = subscribe
  }}
  mailbox Drafts {{
    special_use = \Drafts
    auto = subscribe
  }}
  mailbox Trash {{
    special_use = \Trash
    auto = subscribe
  }}
}}
"#,
        base = files.base_dir.display(),
        dir = files.dir.display(),
        log = files.log.display(),
        cert = cert.display(),
        key = key.display(),
        passwd = passwd_path.display(),
        port = imaps_port,
    );
    mkdir(&files.dir.join("state"))?;
    process::write_with_mode(&files.conf, conf.as_bytes(), 0o644)
}

fn current_group_name() -> String {
    let gid = rustix::process::getgid().as_raw().to_string();
    std::fs::read_to_string("/etc/group")
        .unwrap_or_default()
        .lines()
        .find_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            (f.get(2) == Some(&gid.as_str())).then(|| f[0].to_owned())
        })
        .unwrap_or_else(current_user_name)
}

fn current_user_name() -> String {
    let uid = rustix::process::getuid().as_raw().to_string();
    std::fs::read_to_string("/etc/passwd")
        .unwrap_or_default()
        .lines()
        .find_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            (f.get(2) == Some(&uid.as_str())).then(|| f[0].to_owned())
        })
        .unwrap_or_else(|| std::env::var("USER").unwrap_or_default())
}

/// Start Dovecot (it goes to the background by itself) and wait until IMAPS and LMTP accept connections.
/// The master is stopped again if it does not come up (a timeout never leaves it behind).
pub fn start(files: &DovecotFiles, imaps_port: u16, lmtp_port: u16) -> Result<Running, LabError> {
    if !installed() {
        return Err(LabError::DovecotMissing(DOVECOT.into()));
    }
    // NOTE: the master goes to the background keeping its standard streams: reading them through a pipe
    // would wait for Dovecot to exit. Its start-up complaints go to a file instead.
    let errors = files.dir.join("start.err");
    let err_file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .custom_flags(process::no_follow())
            .open(&errors)
            .map_err(|e| LabError::io("create", &errors, e))?
    };
    let status = Command::new(DOVECOT)
        .arg("-c")
        .arg(&files.conf)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(err_file)
        .status()
        .map_err(|e| LabError::io("run", DOVECOT, e))?;
    if !status.success() {
        let said = std::fs::read_to_string(&errors).unwrap_or_default();
        let said = said.lines().next().unwrap_or_default().trim().to_owned();
        return Err(LabError::Dovecot(if said.is_empty() {
            format!("did not start{}", log_tail(files))
        } else {
            format!("did not start: {said}")
        }));
    }
    // From here on the master may run: every way out that is not success stops it.
    let mut running = Running {
        files: files.clone(),
        pid: 0,
        armed: true,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let up = |port| std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
        if let Some(pid) = files.master_pid()
            && up(imaps_port)
            && up(lmtp_port)
        {
            running.pid = pid;
            return Ok(running);
        }
        if Instant::now() > deadline {
            return Err(LabError::Dovecot(format!(
                "not listening after 20 s{}",
                log_tail(files)
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A Dovecot this process started. Dropping it stops the master named in the pid file of its base
/// folder — on success, on error and during a panic's unwinding alike (issue 16 §7: a test that starts
/// a server never leaves it running). A master restarted in the same folder is stopped the same way.
#[must_use = "dropping it stops Dovecot"]
#[derive(Debug)]
pub struct Running {
    files: DovecotFiles,
    pid: i32,
    armed: bool,
}

impl Running {
    /// The master's pid when it came up.
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// Leave Dovecot running: whoever holds its folder stops it by its pid file (as a lab's daemon does).
    pub fn release(mut self) -> i32 {
        self.armed = false;
        self.pid
    }

    /// Stop Dovecot now, reporting a master that does not stop.
    pub fn stop(mut self) -> Result<(), LabError> {
        self.armed = false;
        self.stop_master()
    }

    /// The master named by the pid file; when that file is gone (its folder was removed under a running
    /// lab, as a test's temporary folder dropped before the lab is), the master started, if it is still
    /// the Dovecot of this configuration.
    fn stop_master(&self) -> Result<(), LabError> {
        if self.files.master_pid().is_some() {
            return stop(&self.files);
        }
        if self.pid > 0 && runs_with_conf(self.pid, &self.files.conf) {
            return terminate_master(self.pid);
        }
        Ok(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.armed {
            let _ = self.stop_master();
        }
    }
}

/// Whether process `pid` is a live Dovecot started with `-c conf` (not a pid reused by something else).
fn runs_with_conf(pid: i32, conf: &Path) -> bool {
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let conf = conf.as_os_str().as_encoded_bytes();
    process::is_alive(pid) && cmdline.split(|b| *b == 0).any(|arg| arg == conf)
}

fn terminate_master(pid: i32) -> Result<(), LabError> {
    // The master takes its children down with it on SIGTERM.
    if process::terminate(pid, Duration::from_secs(10)) {
        Ok(())
    } else {
        Err(LabError::Dovecot(format!("master {pid} did not stop")))
    }
}

/// Stop Dovecot and wait until its master is gone (nothing to do when it is not running).
pub fn stop(files: &DovecotFiles) -> Result<(), LabError> {
    match files.master_pid() {
        Some(pid) => terminate_master(pid),
        None => Ok(()),
    }
}

fn log_tail(files: &DovecotFiles) -> String {
    let log = std::fs::read_to_string(&files.log).unwrap_or_default();
    let tail: Vec<&str> = log.lines().rev().take(5).collect();
    if tail.is_empty() {
        String::new()
    } else {
        format!(
            " (dovecot.log: {})",
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        )
    }
}
