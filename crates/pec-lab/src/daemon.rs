//! The lab daemon: prepares a lab directory (certificates, accounts, Dovecot), then runs the providers'
//! access points, the control socket and the clock until told to stop, and stops Dovecot on the way out.
//!
//! Used two ways: `attesta lab serve` runs [`serve`] in its own detached process (what `attesta lab up`
//! starts), and [`Lab::start`](crate::Lab::start) runs [`prepare`] + [`run`] on a thread of the calling
//! process (tests in other crates).

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::sync::Notify;

use crate::clock::LabClock;
use crate::control::{Reply, Request};
use crate::dovecot::{self, DovecotFiles, User};
use crate::info::{
    AccountInfo, Endpoint, LAB_INFO_VERSION, LabInfo, LabService, ProviderInfo, Security,
};
use crate::lab::LabOptions;
use crate::lmtp::{LmtpClient, folder_address};
use crate::maildir::Maildir;
use crate::pki::{self, SignerSpec};
use crate::plan::{self, PROVIDERS};
use crate::process;
use crate::provider::{Circuit, Delivery, Outcome, Pending};
use crate::rem::{LabTsa, RemKeys, XadesSigner};
use crate::signer::CmsSigner;
use crate::smtp::{self, AccessPoint, OnSubmission};
use crate::{LabError, dovecot::installed};

/// The files of a lab directory.
#[derive(Debug, Clone)]
pub struct LabPaths {
    pub dir: PathBuf,
    /// Sockets: `DIR/run`, or a private folder with a random name in the system temp dir when DIR's
    /// path is long (recorded in `DIR/run.path`).
    pub run: PathBuf,
    pub control_socket: PathBuf,
    pub daemon_pid: PathBuf,
    pub dovecot_pid: PathBuf,
    pub log: PathBuf,
    pub dovecot: DovecotFiles,
}

/// The file in a lab directory that names its private sockets' folder when DIR's path is too long.
const RUN_RECORD: &str = "run.path";

/// Unix socket paths are limited to 108 bytes, and Dovecot's live deep in base_dir.
const MAX_DIR_FOR_SOCKETS: usize = 60;

impl LabPaths {
    /// The paths of the lab in `dir`. The sockets' folder is `DIR/run`, or, when DIR's path is too long,
    /// the private folder recorded in `DIR/run.path` by [`LabPaths::create`] (issue 13 §5: never a
    /// name derived from DIR in the shared temp dir, which anyone could make first).
    pub fn new(dir: &Path) -> LabPaths {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
        let run = if dir.as_os_str().len() <= MAX_DIR_FOR_SOCKETS {
            dir.join("run")
        } else {
            crate::private::recorded_dir(&dir.join(RUN_RECORD)).unwrap_or_else(|| dir.join("run"))
        };
        LabPaths::with_run(dir, run)
    }

    /// [`LabPaths::new`], after making the sockets' folder: `DIR/run`, or a new private folder in the
    /// temp dir (random name, see [`crate::private`]) recorded in `DIR/run.path`.
    pub fn create(dir: &Path) -> Result<LabPaths, LabError> {
        let paths = LabPaths::new(dir);
        if paths.dir.as_os_str().len() <= MAX_DIR_FOR_SOCKETS {
            return Ok(paths);
        }
        std::fs::create_dir_all(&paths.dir).map_err(|e| LabError::io("create", &paths.dir, e))?;
        let run = crate::private::lab_dir_recorded_in(&paths.dir.join(RUN_RECORD), "attesta-lab-")?;
        Ok(LabPaths::with_run(paths.dir, run))
    }

    /// Remove the private sockets' folder in the temp dir, if the lab has one, and its record; a stopped
    /// lab leaves nothing there. `DIR/run` stays with DIR.
    pub fn remove_private_run(&self) {
        if self.run.starts_with(&self.dir) {
            return;
        }
        let _ = std::fs::remove_dir_all(&self.run);
        let _ = std::fs::remove_file(self.dir.join(RUN_RECORD));
    }

    fn with_run(dir: PathBuf, run: PathBuf) -> LabPaths {
        LabPaths {
            control_socket: run.join("control.sock"),
            daemon_pid: dir.join("lab.pid"),
            dovecot_pid: dir.join("dovecot.pid"),
            log: dir.join("lab.log"),
            dovecot: DovecotFiles::new(&dir, &run),
            run,
            dir,
        }
    }
}

/// Append one line to `DIR/lab.log`.
pub(crate) fn log(paths: &LabPaths, line: &str) {
    let stamp = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .format("%Y-%m-%dT%H:%M:%SZ");
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(process::no_follow())
        .open(&paths.log)
    {
        let _ = writeln!(f, "{stamp} {line}");
    }
}

/// A lab ready to run: Dovecot up, listeners bound, lab.json written.
pub struct Prepared {
    pub paths: LabPaths,
    pub info: LabInfo,
    circuit: Circuit,
    listeners: Vec<std::net::TcpListener>,
    tls: Arc<rustls::ServerConfig>,
    /// Stops Dovecot when the prepared lab is dropped unused, fails, or has run.
    dovecot: dovecot::Running,
}

impl Prepared {
    pub fn dovecot_pid(&self) -> i32 {
        self.dovecot.pid()
    }
}

fn free_port() -> Result<u16, LabError> {
    Ok(std::net::TcpListener::bind(("127.0.0.1", 0))?
        .local_addr()?
        .port())
}

/// Make `path` (and its parents) and give it `mode`.
pub(crate) fn mkdir(path: &Path, mode: u32) -> Result<(), LabError> {
    std::fs::create_dir_all(path).map_err(|e| LabError::io("create", path, e))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| LabError::io("chmod", path, e))
}

/// Make everything the lab needs in `dir` and start Dovecot. The previous lab's mail in `dir` is kept;
/// certificates and passwords are new.
pub fn prepare(dir: &Path, options: LabOptions) -> Result<Prepared, LabError> {
    if !installed() {
        return Err(LabError::DovecotMissing(dovecot::DOVECOT.into()));
    }
    process::check_reachable_by_mail_owner(dir)?;
    let paths = LabPaths::create(dir)?;
    // As root the mail belongs to `nobody`, which must be able to reach its maildir inside DIR, and
    // Dovecot's unprivileged processes their sockets: 0711 (enter, not list), else 0700.
    mkdir(&paths.dir, crate::private::private_mode())?;
    mkdir(&paths.run, crate::private::private_mode())?;
    let _ = std::fs::remove_file(&paths.control_socket);
    let clock = LabClock::default();
    let now = clock.now();

    let specs: Vec<SignerSpec<'_>> = PROVIDERS
        .iter()
        .map(|p| SignerSpec {
            domain: p.domain,
            organisation: p.name,
        })
        .collect();
    let pki = pki::generate(&specs, now)?;
    let tls_ca_pem = paths.dir.join("tls-ca.pem");
    let pec_ca_pem = paths.dir.join("pec-ca.pem");
    process::write_with_mode(&tls_ca_pem, pki.tls_ca_pem.as_bytes(), 0o644)?;
    process::write_with_mode(&pec_ca_pem, pki.pec_ca_pem.as_bytes(), 0o644)?;

    let mut accounts = Vec::new();
    let mut signers = Vec::new();
    let mut evidence_signers = Vec::new();
    let mut listeners = Vec::new();
    let mut providers = Vec::new();
    for (plan, issued) in PROVIDERS.iter().zip(&pki.signers) {
        let pdir = paths.dir.join("providers").join(plan.id);
        mkdir(&pdir, 0o700)?;
        let cert = pdir.join("signer.pem");
        process::write_with_mode(&cert, issued.cert_pem.as_bytes(), 0o644)?;
        process::write_private(&pdir.join("signer.key"), issued.key_pem.as_bytes())?;
        signers.push(CmsSigner::from_pem(
            &issued.key_pem,
            &issued.cert_pem,
            &pki.pec_ca_pem,
        )?);
        evidence_signers.push(XadesSigner::from_pem(
            &issued.key_pem,
            &issued.cert_pem,
            &pki.pec_ca_pem,
        )?);
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        let port = listener.local_addr()?.port();
        listeners.push(listener);
        providers.push(ProviderInfo {
            id: plan.id.into(),
            name: plan.name.into(),
            domain: plan.domain.into(),
            service_address: format!("posta-certificata@{}", plan.domain),
            smtp: Endpoint {
                host: "127.0.0.1".into(),
                port,
                security: Security::ImplicitTls,
            },
            stores_sent_copy: plan.stores_sent_copy,
            max_message_bytes: plan.max_message_bytes,
            max_recipients: plan.max_recipients,
            signer_cert_pem: cert,
            service: if options.rem {
                LabService::Rem
            } else {
                LabService::Pec
            },
        });
        for local in plan.mailboxes {
            let address = format!("{local}@{}", plan.domain);
            accounts.push(AccountInfo {
                login: address.clone(),
                address,
                provider: plan.id.into(),
                password: plan::password(),
            });
        }
    }

    let users: Vec<User<'_>> = accounts
        .iter()
        .map(|a| User {
            address: &a.address,
            password: &a.password,
            home: mail_home(&paths.dir, &a.address),
        })
        .collect();
    let mut attempt = 0;
    let (imaps_port, lmtp_port, dovecot) = loop {
        let (imaps, lmtp) = (free_port()?, free_port()?);
        dovecot::stop(&paths.dovecot)?;
        dovecot::configure(
            &paths.dovecot,
            imaps,
            lmtp,
            &pki.tls_server.cert_pem,
            &pki.tls_server.key_pem,
            &users,
        )?;
        match dovecot::start(&paths.dovecot, imaps, lmtp) {
            Ok(running) => break (imaps, lmtp, running),
            // A port taken between choosing it and Dovecot binding it: choose again, once.
            Err(_) if attempt == 0 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let dovecot_pid = dovecot.pid();
    process::write_with_mode(
        &paths.dovecot_pid,
        dovecot_pid.to_string().as_bytes(),
        0o644,
    )?;

    let info = LabInfo {
        version: LAB_INFO_VERSION,
        dir: paths.dir.clone(),
        imap: Endpoint {
            host: "127.0.0.1".into(),
            port: imaps_port,
            security: Security::ImplicitTls,
        },
        tls_ca_pem,
        pec_ca_pem,
        clock: now,
        clock_offset_seconds: 0,
        providers,
        accounts,
        silent_domain: plan::SILENT_DOMAIN.into(),
        silent_accounts: plan::SILENT_MAILBOXES
            .iter()
            .map(|m| format!("{m}@{}", plan::SILENT_DOMAIN))
            .collect(),
        external_domain: plan::EXTERNAL_DOMAIN.into(),
        unknown_example: plan::UNKNOWN_EXAMPLE.into(),
        sent_folder: "Sent".into(),
        lmtp: Some(Endpoint {
            host: "127.0.0.1".into(),
            port: lmtp_port,
            security: Security::Plain,
        }),
        dovecot_conf: paths.dovecot.conf.clone(),
        control_socket: paths.control_socket.clone(),
    };
    let tsa = LabTsa::from_pem(&pki.tsa.key_pem, &pki.tsa.cert_pem, &pki.pec_ca_pem)?;
    let circuit = Circuit::new(&info, signers).with_rem(RemKeys {
        signers: evidence_signers,
        tsa,
    });
    let tls = server_tls(&pki.tls_server.cert_pem, &pki.tls_server.key_pem)?;
    log(
        &paths,
        &format!(
            "prepared: imaps 127.0.0.1:{imaps_port}, lmtp {lmtp_port}, dovecot pid {dovecot_pid}"
        ),
    );
    Ok(Prepared {
        paths,
        info,
        circuit,
        listeners,
        tls,
        dovecot,
    })
}

/// The home of a lab mailbox: `DIR/mail/<domain>/<local part>`.
pub fn mail_home(dir: &Path, address: &str) -> PathBuf {
    let (local, domain) = address.split_once('@').unwrap_or((address, "lab"));
    dir.join("mail").join(domain).join(local)
}

fn server_tls(cert_pem: &str, key_pem: &str) -> Result<Arc<rustls::ServerConfig>, LabError> {
    let fail = |e: &dyn std::fmt::Display| LabError::Pki(e.to_string());
    let cert = CertificateDer::from_pem_slice(cert_pem.as_bytes()).map_err(|e| fail(&e))?;
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).map_err(|e| fail(&e))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| fail(&e))?
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .map_err(|e| fail(&e))?;
    Ok(Arc::new(config))
}

/// The running daemon's shared state.
struct Daemon {
    paths: LabPaths,
    circuit: Circuit,
    info: Mutex<LabInfo>,
    clock: Mutex<LabClock>,
    pending: Mutex<Vec<Pending>>,
    lmtp_port: u16,
    dovecot_pid: i32,
    stop: Arc<Notify>,
}

impl Daemon {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.lock().map(|c| c.now()).unwrap_or_default()
    }

    async fn deliver(&self, deliveries: Vec<Delivery>) -> usize {
        let mut delivered = 0;
        let (stored, deliveries): (Vec<Delivery>, Vec<Delivery>) =
            deliveries.into_iter().partition(|d| d.folder.is_some());
        for d in stored {
            let root = mail_home(&self.paths.dir, &d.mailbox).join("Maildir");
            let result = Maildir::folder(&root, d.folder.unwrap_or("Sent"))
                .and_then(|m| m.store_seen(&d.message));
            match result {
                Ok(()) => {
                    delivered += 1;
                    log(&self.paths, &format!("  {} -> {}", d.what, d.mailbox));
                }
                Err(e) => log(&self.paths, &format!("  {} -> {}: {e}", d.what, d.mailbox)),
            }
        }
        if deliveries.is_empty() {
            return delivered;
        }
        let mut client = match LmtpClient::connect(self.lmtp_port).await {
            Ok(c) => c,
            Err(e) => {
                log(&self.paths, &format!("lmtp: {e}"));
                return delivered;
            }
        };
        for d in deliveries {
            let rcpt = folder_address(&d.mailbox, d.folder);
            match client.deliver(&d.from, &[rcpt], &d.message).await {
                Ok(()) => {
                    delivered += 1;
                    log(&self.paths, &format!("  {} -> {}", d.what, d.mailbox));
                }
                Err(e) => {
                    log(&self.paths, &format!("  {} -> {}: {e}", d.what, d.mailbox));
                    // The session may be unusable after an error: start a new one.
                    match LmtpClient::connect(self.lmtp_port).await {
                        Ok(c) => client = c,
                        Err(_) => break,
                    }
                }
            }
        }
        client.quit().await;
        delivered
    }

    async fn apply(self: &Arc<Self>, outcome: Outcome) -> usize {
        log(&self.paths, &outcome.summary);
        if let Ok(mut pending) = self.pending.lock() {
            pending.extend(outcome.pending);
        }
        self.deliver(outcome.deliveries).await
    }

    /// Send the notices that are due now.
    async fn notices(self: &Arc<Self>) -> usize {
        let now = self.now();
        let due = match self.pending.lock() {
            Ok(mut pending) => self.circuit.due_notices(&mut pending, now),
            Err(_) => Vec::new(),
        };
        if !due.is_empty() {
            log(&self.paths, &format!("{} notice(s) due", due.len()));
        }
        self.deliver(due).await
    }

    fn reply(&self, message: impl Into<String>, delivered: usize) -> Reply {
        Reply {
            ok: true,
            message: message.into(),
            clock: Some(self.now()),
            delivered,
            pending: self.pending.lock().map(|p| p.len()).unwrap_or(0),
            pids: vec![std::process::id() as i32, self.dovecot_pid],
        }
    }

    async fn handle(self: &Arc<Self>, request: Request) -> Reply {
        match request {
            Request::Status => self.reply("running", 0),
            Request::Advance { seconds } => {
                if seconds <= 0 {
                    return Reply {
                        ok: false,
                        message: "the lab clock only moves forward".into(),
                        ..Reply::default()
                    };
                }
                if let Ok(mut clock) = self.clock.lock() {
                    clock.advance(chrono::Duration::seconds(seconds));
                }
                self.save_clock();
                log(&self.paths, &format!("clock advanced by {seconds} s"));
                let delivered = self.notices().await;
                self.reply(format!("clock advanced by {seconds} s"), delivered)
            }
            Request::Inject { to, message } => {
                let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(message.trim())
                else {
                    return Reply {
                        ok: false,
                        message: "the message is not base64".into(),
                        ..Reply::default()
                    };
                };
                match self.circuit.inject(&to, &raw, self.now()) {
                    Some(outcome) => {
                        let delivered = self.apply(outcome).await;
                        self.reply(format!("anomaly envelope delivered to {to}"), delivered)
                    }
                    None => Reply {
                        ok: false,
                        message: format!("{to} is not a mailbox of this lab"),
                        ..Reply::default()
                    },
                }
            }
            Request::Stop => {
                self.stop.notify_one();
                self.reply("stopping", 0)
            }
        }
    }

    fn save_clock(&self) {
        let (Ok(clock), Ok(mut info)) = (self.clock.lock(), self.info.lock()) else {
            return;
        };
        info.clock = clock.now();
        info.clock_offset_seconds = clock.offset_seconds;
        if let Err(e) = crate::info::save(&info) {
            log(&self.paths, &format!("cannot save lab.json: {e}"));
        }
    }
}

async fn control(daemon: Arc<Daemon>, listener: tokio::net::UnixListener) {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let daemon = Arc::clone(&daemon);
        tokio::spawn(async move {
            let (read, mut write) = stream.into_split();
            let mut line = String::new();
            let mut reader = BufReader::new(read.take(64 << 20));
            if reader.read_line(&mut line).await.is_err() {
                return;
            }
            let reply = match serde_json::from_str::<Request>(line.trim()) {
                Ok(request) => daemon.handle(request).await,
                Err(e) => Reply {
                    ok: false,
                    message: format!("bad request: {e}"),
                    ..Reply::default()
                },
            };
            let mut text = serde_json::to_string(&reply).unwrap_or_default();
            text.push('\n');
            let _ = write.write_all(text.as_bytes()).await;
        });
    }
}

/// Run a prepared lab until `stop` is notified (or, with `signals`, SIGTERM/SIGINT), then stop Dovecot.
pub fn run(prepared: Prepared, stop: Arc<Notify>, signals: bool) -> Result<(), LabError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let paths = prepared.paths.clone();
    let result = runtime.block_on(run_async(prepared, stop, signals));
    runtime.shutdown_timeout(Duration::from_secs(2));
    let stopped = dovecot::stop(&paths.dovecot);
    let _ = std::fs::remove_file(&paths.control_socket);
    let _ = std::fs::remove_file(&paths.dovecot_pid);
    log(&paths, "stopped");
    result.and(stopped)
}

async fn run_async(prepared: Prepared, stop: Arc<Notify>, signals: bool) -> Result<(), LabError> {
    let Prepared {
        paths,
        info,
        circuit,
        listeners,
        tls,
        dovecot,
    } = prepared;
    let dovecot_pid = dovecot.pid();
    // Held until the lab has stopped; `run` stops Dovecot then, and the guard on any other way out.
    let _dovecot = dovecot;
    let lmtp_port = info.lmtp.as_ref().map_or(0, |e| e.port);
    let control_listener = tokio::net::UnixListener::bind(&paths.control_socket)
        .map_err(|e| LabError::io("listen on", &paths.control_socket, e))?;
    std::fs::set_permissions(
        &paths.control_socket,
        std::fs::Permissions::from_mode(0o600),
    )
    .map_err(|e| LabError::io("chmod", &paths.control_socket, e))?;
    let daemon = Arc::new(Daemon {
        paths: paths.clone(),
        circuit,
        info: Mutex::new(info.clone()),
        clock: Mutex::new(LabClock::default()),
        pending: Mutex::new(Vec::new()),
        lmtp_port,
        dovecot_pid,
        stop: Arc::clone(&stop),
    });
    let mut tasks = Vec::new();
    tasks.push(tokio::spawn(control(Arc::clone(&daemon), control_listener)));
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    for (index, listener) in listeners.into_iter().enumerate() {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let provider = &info.providers[index];
        let accounts: HashMap<String, String> = info
            .accounts
            .iter()
            .filter(|a| a.provider == provider.id)
            .map(|a| (a.login.to_ascii_lowercase(), a.password.clone()))
            .collect();
        let point = AccessPoint {
            provider: index,
            domain: provider.domain.clone(),
            accounts: Arc::new(accounts),
            keep_bytes: provider.max_message_bytes,
        };
        let d = Arc::clone(&daemon);
        let on_submission: OnSubmission = Arc::new(move |submission| {
            let d = Arc::clone(&d);
            Box::pin(async move {
                let now = d.now();
                let worker = Arc::clone(&d);
                let outcome =
                    tokio::task::spawn_blocking(move || worker.circuit.submit(&submission, now))
                        .await;
                if let Ok(outcome) = outcome {
                    d.apply(outcome).await;
                }
            })
        });
        tasks.push(tokio::spawn(smtp::serve(
            listener,
            acceptor.clone(),
            point,
            on_submission,
        )));
    }
    // Real time moves the lab clock too: look for due notices now and then.
    let ticker = Arc::clone(&daemon);
    tasks.push(tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(30));
        loop {
            every.tick().await;
            ticker.notices().await;
        }
    }));
    log(&paths, "running");

    if signals {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        tokio::select! {
            _ = stop.notified() => {}
            _ = term.recv() => log(&paths, "SIGTERM"),
            _ = int.recv() => log(&paths, "SIGINT"),
        }
    } else {
        stop.notified().await;
    }
    // Let the reply to a stop request leave before the tasks go.
    tokio::time::sleep(Duration::from_millis(50)).await;
    for task in tasks {
        task.abort();
    }
    Ok(())
}

/// `attesta lab serve`: prepare `dir`, write the daemon's pid file and run until stopped.
pub fn serve(dir: &Path, options: LabOptions) -> Result<(), LabError> {
    let paths = LabPaths::create(dir)?;
    std::fs::create_dir_all(&paths.dir).map_err(|e| LabError::io("create", &paths.dir, e))?;
    process::write_with_mode(
        &paths.daemon_pid,
        std::process::id().to_string().as_bytes(),
        0o644,
    )?;
    let result = prepare(dir, options).and_then(|prepared| {
        crate::info::save(&prepared.info)?;
        run(prepared, Arc::new(Notify::new()), true)
    });
    if let Err(e) = &result {
        log(&paths, &format!("error: {e}"));
    }
    let _ = std::fs::remove_file(&paths.daemon_pid);
    result
}
