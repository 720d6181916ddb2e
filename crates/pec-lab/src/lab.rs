//! Starting and stopping a lab: [`Lab::start`] in-process for Rust tests (stopping on drop), and the
//! functions behind `attesta lab up|down|status|advance|inject` for a lab in its own process.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use tokio::sync::Notify;

use crate::LabError;
use crate::control::{self, Reply, Request};
use crate::daemon::{self, LabPaths};
use crate::info::LabInfo;
use crate::process;
use crate::process::check_reachable_by_mail_owner;
pub use crate::process::is_alive;

const CONTROL_TIMEOUT: Duration = Duration::from_secs(120);

/// Entry point for running labs.
pub struct Lab;

/// How a lab's providers answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LabOptions {
    /// Every provider answers as a REM service (REM-Policy-IT: dispatches and signed ERDS evidence)
    /// instead of a PEC provider (`attesta lab up --rem`, `docs/lab.md`).
    pub rem: bool,
}

/// A lab running on a thread of this process; dropping it stops the lab and its Dovecot.
pub struct LabHandle {
    pub info: LabInfo,
    paths: LabPaths,
    stop: Arc<Notify>,
    thread: Option<std::thread::JoinHandle<Result<(), LabError>>>,
    dovecot_pid: i32,
}

impl Lab {
    /// Prepare `dir` and run a lab in this process until the handle is dropped.
    pub fn start(dir: &Path) -> Result<LabHandle, LabError> {
        Lab::start_with(dir, LabOptions::default())
    }

    /// [`Lab::start`] with `options` (e.g. REM providers).
    pub fn start_with(dir: &Path, options: LabOptions) -> Result<LabHandle, LabError> {
        let paths = LabPaths::new(dir);
        if running(&paths).is_some() {
            return Err(LabError::AlreadyRunning(paths.dir));
        }
        let prepared = daemon::prepare(dir, options)?;
        // The sockets' folder may be new (a long DIR gets a private one): take the paths prepared.
        let paths = prepared.paths.clone();
        crate::info::save(&prepared.info)?;
        let info = prepared.info.clone();
        let dovecot_pid = prepared.dovecot_pid();
        let stop = Arc::new(Notify::new());
        let thread_stop = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("pec-lab".into())
            .spawn(move || daemon::run(prepared, thread_stop, false))
            .map_err(LabError::Network)?;
        let handle = LabHandle {
            info,
            paths,
            stop,
            thread: Some(thread),
            dovecot_pid,
        };
        handle.wait_ready(Duration::from_secs(30))?;
        Ok(handle)
    }

    /// Whether Dovecot is installed (tests print `SKIPPED: dovecot not installed` otherwise).
    pub fn available() -> bool {
        crate::dovecot::installed()
    }
}

impl LabHandle {
    fn wait_ready(&self, limit: Duration) -> Result<(), LabError> {
        let start = Instant::now();
        loop {
            if self.status().is_ok() {
                return Ok(());
            }
            if start.elapsed() > limit {
                return Err(LabError::Timeout {
                    seconds: limit.as_secs(),
                    detail: "the control socket does not answer".into(),
                });
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The lab directory.
    pub fn dir(&self) -> &Path {
        &self.paths.dir
    }

    /// The pids of the lab's processes: Dovecot's master (the daemon is this process).
    pub fn pids(&self) -> Vec<i32> {
        vec![self.dovecot_pid]
    }

    /// Ask the daemon.
    pub fn status(&self) -> Result<Reply, LabError> {
        control::request(
            &self.paths.control_socket,
            &Request::Status,
            CONTROL_TIMEOUT,
        )
    }

    /// Move the lab clock forward; returns once the notices that fell due are delivered.
    pub fn advance(&self, by: chrono::Duration) -> Result<Reply, LabError> {
        advance_paths(&self.paths, by)
    }

    /// Deliver ordinary mail to a lab mailbox (it arrives as an anomaly envelope).
    pub fn inject(&self, to: &str, message: &[u8]) -> Result<Reply, LabError> {
        inject_paths(&self.paths, to, message)
    }

    /// Fill a mailbox with `count` signed PEC messages (see [`fill`](crate::fill)).
    pub fn fill(&self, mailbox: &str, count: usize) -> Result<usize, LabError> {
        crate::fill::fill(&self.paths.dir, mailbox, count)
    }

    /// Stop Dovecot and start it again on the same ports (for clients' reconnection tests).
    pub fn restart_dovecot(&self) -> Result<i32, LabError> {
        crate::dovecot::stop(&self.paths.dovecot)?;
        let lmtp = self.info.lmtp.as_ref().map_or(0, |e| e.port);
        // The daemon's guard stops this one too, by the pid file in the same folder.
        crate::dovecot::start(&self.paths.dovecot, self.info.imap.port, lmtp)
            .map(crate::dovecot::Running::release)
    }

    /// Run `doveadm` against the lab's Dovecot (e.g. to change a mailbox's UIDVALIDITY in a test).
    pub fn doveadm(&self, args: &[&str]) -> Result<String, LabError> {
        let out = Command::new("doveadm")
            .arg("-c")
            .arg(&self.paths.dovecot.conf)
            .args(args)
            .output()
            .map_err(|e| LabError::io("run", "doveadm", e))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(LabError::Dovecot(
                String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            ))
        }
    }

    /// Stop the lab now (what dropping the handle does), reporting errors.
    pub fn stop(mut self) -> Result<(), LabError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), LabError> {
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        self.stop.notify_one();
        thread
            .join()
            .unwrap_or_else(|_| Err(LabError::Control("the lab thread panicked".into())))
    }
}

impl Drop for LabHandle {
    fn drop(&mut self) {
        let _ = self.shutdown();
        self.paths.remove_private_run();
    }
}

/// What `attesta lab status` reports.
#[derive(Debug, Clone)]
pub enum LabStatus {
    /// The daemon answers.
    Running { info: Box<LabInfo>, reply: Reply },
    /// Nothing answers; leftover processes may still run.
    Stopped { leftover: Vec<i32> },
}

/// The daemon's answer to `status`, if one runs for `paths`.
fn running(paths: &LabPaths) -> Option<Reply> {
    control::request(
        &paths.control_socket,
        &Request::Status,
        Duration::from_secs(5),
    )
    .ok()
}

fn leftover_pids(paths: &LabPaths) -> Vec<i32> {
    [
        process::read_pid(&paths.daemon_pid),
        process::read_pid(&paths.dovecot_pid),
        paths.dovecot.master_pid(),
    ]
    .into_iter()
    .flatten()
    .filter(|p| *p as u32 != std::process::id() && process::is_alive(*p))
    .collect()
}

/// `attesta lab status`.
pub fn status(dir: &Path) -> LabStatus {
    let paths = LabPaths::new(dir);
    match (running(&paths), LabInfo::load(&paths.dir)) {
        (Some(reply), Ok(info)) => LabStatus::Running {
            info: Box::new(info),
            reply,
        },
        _ => LabStatus::Stopped {
            leftover: leftover_pids(&paths),
        },
    }
}

/// `attesta lab up`: start `program args…` (the `attesta lab serve` command) detached, logging to
/// `DIR/lab.log`, and return once the lab answers — or with the log's last lines if it died.
pub fn up(dir: &Path, program: &Path, args: &[&std::ffi::OsStr]) -> Result<LabInfo, LabError> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::process::CommandExt;
    let paths = LabPaths::new(dir);
    if running(&paths).is_some() {
        return Err(LabError::AlreadyRunning(paths.dir));
    }
    down(dir)?;
    check_reachable_by_mail_owner(dir)?;
    // The sockets' folder is made (and recorded) now, so the daemon and this loop agree on it.
    let paths = LabPaths::create(dir)?;
    // DIR may be new: the log opens in it before the daemon prepares the rest.
    crate::daemon::mkdir(&paths.dir, crate::private::private_mode())?;
    let _ = std::fs::remove_file(LabInfo::path(&paths.dir));
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(process::no_follow())
        .open(&paths.log)
        .map_err(|e| LabError::io("open", &paths.log, e))?;
    let log_err = log
        .try_clone()
        .map_err(|e| LabError::io("open", &paths.log, e))?;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        // Its own process group: a Ctrl-C in the terminal that ran `up` does not reach it.
        .process_group(0)
        .spawn()
        .map_err(|e| LabError::io("run", program, e))?;
    let start = Instant::now();
    let limit = Duration::from_secs(60);
    loop {
        if let Some(reply) = running(&paths)
            && reply.ok
            && let Ok(info) = LabInfo::load(&paths.dir)
        {
            return Ok(info);
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(LabError::Control(format!(
                "the lab daemon exited ({status}): {} (more in {})",
                log_tail(&paths.log, 1),
                paths.log.display()
            )));
        }
        if start.elapsed() > limit {
            let _ = down(dir);
            return Err(LabError::Timeout {
                seconds: limit.as_secs(),
                detail: log_tail(&paths.log, 3),
            });
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn log_tail(path: &PathBuf, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().rev().take(lines).collect();
    lines.into_iter().rev().collect::<Vec<_>>().join(" | ")
}

/// `attesta lab down`: stop the daemon and Dovecot; true if something was running. Idempotent.
pub fn down(dir: &Path) -> Result<bool, LabError> {
    let paths = LabPaths::new(dir);
    let mut was_running = false;
    if control::request(
        &paths.control_socket,
        &Request::Stop,
        Duration::from_secs(5),
    )
    .is_ok()
    {
        was_running = true;
        if let Some(pid) = process::read_pid(&paths.daemon_pid) {
            process::wait_gone(pid, Duration::from_secs(15));
        }
    }
    // Whatever is left (a daemon killed hard, a crashed test): stop it by its pid.
    for pid in leftover_pids(&paths) {
        was_running = true;
        if !process::terminate(pid, Duration::from_secs(10)) {
            return Err(LabError::Control(format!("process {pid} did not stop")));
        }
    }
    let _ = std::fs::remove_file(&paths.daemon_pid);
    let _ = std::fs::remove_file(&paths.dovecot_pid);
    let _ = std::fs::remove_file(&paths.control_socket);
    paths.remove_private_run();
    Ok(was_running)
}

fn advance_paths(paths: &LabPaths, by: chrono::Duration) -> Result<Reply, LabError> {
    control::request(
        &paths.control_socket,
        &Request::Advance {
            seconds: by.num_seconds(),
        },
        CONTROL_TIMEOUT,
    )
    .map_err(|e| not_running(paths, e))
}

fn inject_paths(paths: &LabPaths, to: &str, message: &[u8]) -> Result<Reply, LabError> {
    control::request(
        &paths.control_socket,
        &Request::Inject {
            to: to.to_owned(),
            message: base64::engine::general_purpose::STANDARD.encode(message),
        },
        CONTROL_TIMEOUT,
    )
    .map_err(|e| not_running(paths, e))
}

fn not_running(paths: &LabPaths, e: LabError) -> LabError {
    match e {
        LabError::Io { .. } => LabError::NotRunning(paths.dir.clone()),
        other => other,
    }
}

/// `attesta lab advance`.
pub fn advance(dir: &Path, by: chrono::Duration) -> Result<Reply, LabError> {
    advance_paths(&LabPaths::new(dir), by)
}

/// `attesta lab inject`.
pub fn inject(dir: &Path, to: &str, message: &[u8]) -> Result<Reply, LabError> {
    inject_paths(&LabPaths::new(dir), to, message)
}
