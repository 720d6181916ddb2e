//! `attesta lab up|down|status|advance|fill|inject`: a local PEC provider on a real Dovecot, for tests
//! and demos (crate `pec-lab`). `up` starts `attesta lab serve` detached and returns once the lab answers;
//! everything a client needs is in `DIR/lab.json`. The lab CAs are never trusted by default.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use pec_lab::{LabError, LabInfo, LabStatus, lab};

use crate::exit::Status;

#[derive(Debug, Subcommand)]
pub enum LabCommand {
    /// Start a lab in the background: Dovecot, two PEC providers, a clock. Returns once it is ready.
    Up {
        #[command(flatten)]
        dir: DirArg,
        #[command(flatten)]
        service: ServiceArg,
    },
    /// Stop the lab and everything it started (nothing to do if nothing runs).
    Down(DirArg),
    /// Say whether a lab runs in DIR, and where to reach it.
    Status(DirArg),
    /// Move the lab clock forward (e.g. 30m, 12h, 25h, 1d); notices that fall due are sent at once.
    Advance {
        #[command(flatten)]
        dir: DirArg,
        /// How far: 90s, 30m, 12h, 1d, 1d12h.
        #[arg(value_name = "DURATION")]
        by: String,
    },
    /// Fill a lab mailbox with COUNT signed PEC messages (envelopes and receipts), for benchmarks.
    Fill {
        #[command(flatten)]
        dir: DirArg,
        /// The lab mailbox, e.g. mario.rossi@alfa.pec.lab.
        #[arg(long, value_name = "ADDRESS")]
        mailbox: String,
        #[arg(long, value_name = "N")]
        count: usize,
    },
    /// Deliver an ordinary (non-PEC) message to a lab mailbox: it arrives as an anomaly envelope.
    Inject {
        #[command(flatten)]
        dir: DirArg,
        /// The lab mailbox it is for.
        #[arg(long, value_name = "ADDRESS")]
        to: String,
        /// The message (.eml).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Run the lab in the foreground (what `up` starts).
    #[command(hide = true)]
    Serve {
        #[command(flatten)]
        dir: DirArg,
        #[command(flatten)]
        service: ServiceArg,
    },
}

#[derive(Debug, Args)]
pub struct ServiceArg {
    /// The providers answer as REM services (REM-Policy-IT): dispatches and signed ERDS evidence
    /// (XAdES-B-T, stamped by a lab TSA) instead of PEC envelopes and receipts.
    #[arg(long)]
    pub rem: bool,
}

impl ServiceArg {
    fn options(&self) -> pec_lab::LabOptions {
        pec_lab::LabOptions { rem: self.rem }
    }
}

#[derive(Debug, Args)]
pub struct DirArg {
    /// The lab directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
}

pub fn run(command: &LabCommand) -> Status {
    match execute(command) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("attesta lab: {e}");
            Status::Error
        }
    }
}

fn execute(command: &LabCommand) -> Result<Status, LabError> {
    match command {
        LabCommand::Up {
            dir: DirArg { dir },
            service,
        } => {
            let started = std::time::Instant::now();
            let exe = std::env::current_exe()?;
            let mut args = vec![
                "lab".as_ref(),
                "serve".as_ref(),
                "--dir".as_ref(),
                dir.as_os_str(),
            ];
            if service.rem {
                args.push("--rem".as_ref());
            }
            let info = lab::up(dir, &exe, &args)?;
            println!(
                "lab running in {} (ready in {:.1} s)",
                info.dir.display(),
                started.elapsed().as_secs_f64()
            );
            describe(&info);
            Ok(Status::Ok)
        }
        LabCommand::Down(DirArg { dir }) => {
            if lab::down(dir)? {
                println!("lab in {} stopped", dir.display());
            } else {
                println!("no lab was running in {}", dir.display());
            }
            Ok(Status::Ok)
        }
        LabCommand::Status(DirArg { dir }) => Ok(match lab::status(dir) {
            LabStatus::Running { info, reply } => {
                println!(
                    "running in {} (pids {:?}); lab clock {}; {} recipient(s) awaiting a 12 h/24 h notice",
                    info.dir.display(),
                    reply.pids,
                    reply.clock.map(|c| c.to_rfc3339()).unwrap_or_default(),
                    reply.pending
                );
                describe(&info);
                Status::Ok
            }
            LabStatus::Stopped { leftover } if leftover.is_empty() => {
                println!("no lab is running in {}", dir.display());
                Status::Failed
            }
            LabStatus::Stopped { leftover } => {
                println!(
                    "no lab answers in {}, but processes {leftover:?} are left: run `attesta lab down --dir {}`",
                    dir.display(),
                    dir.display()
                );
                Status::Failed
            }
        }),
        LabCommand::Advance { dir, by } => {
            let by = pec_lab::parse_duration(by)?;
            let reply = lab::advance(&dir.dir, by)?;
            println!(
                "lab clock now {}; {} notice(s) delivered",
                reply.clock.map(|c| c.to_rfc3339()).unwrap_or_default(),
                reply.delivered
            );
            Ok(Status::Ok)
        }
        LabCommand::Fill {
            dir,
            mailbox,
            count,
        } => {
            let started = std::time::Instant::now();
            let written = pec_lab::fill::fill(&dir.dir, mailbox, *count)?;
            println!(
                "{written} message(s) written to {mailbox} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(Status::Ok)
        }
        LabCommand::Inject { dir, to, file } => {
            let raw = std::fs::read(file).map_err(|e| LabError::io("read", file, e))?;
            let reply = lab::inject(&dir.dir, to, &raw)?;
            println!("{}", reply.message);
            Ok(Status::Ok)
        }
        LabCommand::Serve {
            dir: DirArg { dir },
            service,
        } => {
            pec_lab::daemon::serve(dir, service.options())?;
            Ok(Status::Ok)
        }
    }
}

fn describe(info: &LabInfo) {
    println!("  imaps:    {}:{}", info.imap.host, info.imap.port);
    for p in &info.providers {
        println!(
            "  {}: smtps {}:{} ({}; {} sent copies)",
            p.id,
            p.smtp.host,
            p.smtp.port,
            p.domain,
            if p.stores_sent_copy { "stores" } else { "no" }
        );
    }
    let accounts: Vec<&str> = info.accounts.iter().map(|a| a.address.as_str()).collect();
    println!("  accounts: {}", accounts.join(", "));
    println!(
        "  silent: {}; external: {}; unknown: {}",
        info.silent_accounts.join(", "),
        info.external_domain,
        info.unknown_example
    );
    println!("  TLS CA:   {}", info.tls_ca_pem.display());
    println!(
        "  PEC CA:   {} (trusted nowhere by default)",
        info.pec_ca_pem.display()
    );
    println!(
        "  details and passwords: {}",
        LabInfo::path(Path::new(&info.dir)).display()
    );
}
