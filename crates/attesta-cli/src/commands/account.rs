//! `attesta account add|list|remove|presets`: PEC accounts. Settings go to `config.toml`, passwords to the
//! OS keyring (read from standard input, never from the command line, where other users could see it).

use std::io::{BufRead, IsTerminal};

use anyhow::{Context as _, Result, bail};
use pec_engine::accounts::{Account, lab, presets, secrets};
use pec_mail::imap::Session;
use pec_mail::{Endpoint, Security};

use crate::cli::{AccountAddArgs, AccountCommand};
use crate::context::{Context, fail};
use crate::exit::Status;

pub fn run(context: &Context, command: &AccountCommand) -> Status {
    let result = match command {
        AccountCommand::Add(args) => add(context, args),
        AccountCommand::List { json } => list(context, *json),
        AccountCommand::Remove { address } => remove(context, address),
        AccountCommand::Presets => {
            for p in presets::PRESETS {
                println!(
                    "{:<10} {:<36} IMAP {} · SMTP {}",
                    p.id,
                    p.name,
                    p.imap(),
                    p.smtp()
                );
            }
            Ok(())
        }
    };
    match result {
        Ok(()) => Status::Ok,
        Err(e) => fail(&e),
    }
}

fn endpoint(text: &str, default_port: u16, security: Security) -> Result<Endpoint> {
    let (host, port) = match text.rsplit_once(':') {
        Some((h, p)) => (
            h,
            p.parse()
                .with_context(|| format!("{text:?}: the port is not a number"))?,
        ),
        None => (text, default_port),
    };
    Ok(Endpoint::new(host, port, security))
}

pub(crate) fn read_password() -> Result<String> {
    if std::io::stdin().is_terminal() {
        eprint!("password (it goes to the OS keyring): ");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("no password given on standard input");
    }
    Ok(password)
}

fn add(context: &Context, args: &AccountAddArgs) -> Result<()> {
    let dir = context.dir()?;
    let mut config = context.config()?;
    if config.account(&args.address).is_ok() {
        bail!(
            "the account {} already exists (remove it first)",
            args.address
        );
    }
    let (account, password) = if let Some(path) = &args.from_lab {
        let info = pec_lab::LabInfo::load(path)?;
        lab::from_lab(&info, &args.address, &dir)?
    } else {
        let manual = args.imap.as_deref().zip(args.smtp.as_deref());
        let account = match manual {
            Some((imap, smtp)) => {
                let smtp_security = if args.smtp_starttls || smtp.ends_with(":587") {
                    Security::StartTls
                } else {
                    Security::ImplicitTls
                };
                Account {
                    address: args.address.trim().to_owned(),
                    provider: "manual".into(),
                    imap: endpoint(imap, 993, Security::ImplicitTls)?,
                    smtp: endpoint(smtp, 465, smtp_security)?,
                    login: args
                        .login
                        .clone()
                        .unwrap_or_else(|| args.address.trim().to_owned()),
                    tls_roots: Vec::new(),
                    trust_dirs: Vec::new(),
                    max_message_bytes: 50 * 1024 * 1024,
                    max_recipients: 50,
                    stores_sent_copy: None,
                    sent_folder: None,
                    lab_dir: None,
                    service: Default::default(),
                }
            }
            None => {
                let preset = match &args.preset {
                    Some(id) => presets::find(id).with_context(|| {
                        format!("no preset {id:?}; `attesta account presets` lists them")
                    })?,
                    None => presets::for_address(&args.address).with_context(|| {
                        format!(
                            "no preset for {}; give --preset or the servers with --imap and --smtp",
                            args.address
                        )
                    })?,
                };
                if !preset.login_is_address && args.login.is_none() {
                    bail!("{}: {}; give it with --login", preset.name, preset.note);
                }
                Account {
                    address: args.address.trim().to_owned(),
                    provider: preset.id.into(),
                    imap: preset.imap(),
                    smtp: preset.smtp(),
                    login: args
                        .login
                        .clone()
                        .unwrap_or_else(|| args.address.trim().to_owned()),
                    tls_roots: Vec::new(),
                    trust_dirs: Vec::new(),
                    max_message_bytes: preset.max_message_bytes,
                    max_recipients: preset.max_recipients,
                    stores_sent_copy: None,
                    sent_folder: None,
                    lab_dir: None,
                    service: Default::default(),
                }
            }
        };
        (account, read_password()?)
    };
    let mut account = account;
    if let Some(service) = &args.service {
        account.service = service.parse().unwrap_or_default();
    }
    account.tls_roots.extend(args.tls_roots.iter().cloned());
    if !args.no_test {
        let roots = account.tls()?;
        let runtime = pec_engine::runtime::network()?;
        runtime.block_on(async {
            let session =
                Session::connect(&account.imap, &roots, &account.login, &password).await?;
            session.logout().await;
            Ok::<_, pec_mail::MailError>(())
        })?;
        eprintln!("logged in to {} as {}", account.imap, account.login);
    }
    secrets::store(&dir, &account.address, &password)?;
    println!(
        "added {} ({}; IMAP {}, SMTP {})",
        account.address, account.provider, account.imap, account.smtp
    );
    config.accounts.push(account);
    config.save(&dir)?;
    Ok(())
}

/// Whether an account's password is in the OS keyring (it is never shown): after an upgrade, a move to
/// another machine or a keyring reset, `account list` says which accounts need `account add` again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PasswordKept {
    InKeyring,
    Missing,
    KeyringUnavailable,
}

impl PasswordKept {
    fn of(dir: &pec_engine::DataDir, address: &str) -> PasswordKept {
        match secrets::password(dir, address) {
            Ok(_) => PasswordKept::InKeyring,
            Err(pec_engine::EngineError::NoPassword { .. }) => PasswordKept::Missing,
            Err(_) => PasswordKept::KeyringUnavailable,
        }
    }

    /// The `password` field of `account list --json`.
    fn spelling(self) -> &'static str {
        match self {
            PasswordKept::InKeyring => "keyring",
            PasswordKept::Missing => "missing",
            PasswordKept::KeyringUnavailable => "keyring-unavailable",
        }
    }

    fn words(self) -> &'static str {
        match self {
            PasswordKept::InKeyring => "password in the keyring",
            PasswordKept::Missing => "NO PASSWORD in the keyring (`attesta account add` it again)",
            PasswordKept::KeyringUnavailable => "the keyring cannot be read",
        }
    }
}

fn list(context: &Context, json: bool) -> Result<()> {
    let dir = context.dir()?;
    let config = context.config()?;
    for a in &config.accounts {
        let kept = PasswordKept::of(&dir, &a.address);
        if json {
            let mut value = serde_json::to_value(a)?;
            value["password"] = kept.spelling().into();
            println!("{value}");
        } else {
            println!(
                "{:<40} {:<8} IMAP {} · SMTP {} · {}",
                a.address,
                a.provider,
                a.imap,
                a.smtp,
                kept.words()
            );
        }
    }
    if config.accounts.is_empty() && !json {
        println!("no accounts; `attesta account add ADDRESS` adds one");
    }
    Ok(())
}

fn remove(context: &Context, address: &str) -> Result<()> {
    let dir = context.dir()?;
    let mut config = context.config()?;
    let before = config.accounts.len();
    config
        .accounts
        .retain(|a| !a.address.eq_ignore_ascii_case(address.trim()));
    if config.accounts.len() == before {
        bail!("no account {address}");
    }
    config.save(&dir)?;
    secrets::forget(&dir, address.trim())?;
    println!("removed {address}; what it archived stays in the archive");
    Ok(())
}
