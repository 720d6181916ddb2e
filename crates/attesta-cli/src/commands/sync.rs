//! `attesta sync [--account A] [--watch] [--json]`: fetch new mail into the archive, verified and linked.
//! With `--watch` it stays, waiting for new mail with IMAP IDLE, reconnecting with backoff.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Result;
use pec_engine::accounts::{Account, secrets};
use pec_engine::sync::{Backoff, SyncSummary, sync_account};
use pec_engine::{EngineConfig, Trust};

use crate::cli::SyncArgs;
use crate::context::{Context, fail};
use crate::exit::Status;
use crate::progress::Progress;

pub fn run(context: &Context, args: &SyncArgs) -> Status {
    match go(context, args) {
        Ok(status) => status,
        Err(e) => fail(&e),
    }
}

fn go(context: &Context, args: &SyncArgs) -> Result<Status> {
    let config = context.config()?;
    let accounts: Vec<Account> = match &args.account {
        Some(a) => vec![config.account(a)?.clone()],
        None => config.accounts.clone(),
    };
    if accounts.is_empty() {
        anyhow::bail!("no accounts; `attesta account add ADDRESS` adds one");
    }
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = Arc::clone(&cancel);
        let _ = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed));
    }
    let mut status = Status::Ok;
    loop {
        for account in &accounts {
            match sync_one(context, &config, account, &cancel) {
                Ok(summary) => print_summary(&summary, args.json)?,
                Err(e) if args.watch => eprintln!("attesta: {}: {e:#}", account.address),
                Err(e) => {
                    eprintln!("attesta: {}: {e:#}", account.address);
                    status = Status::Error;
                }
            }
        }
        if !args.watch || cancel.load(Ordering::Relaxed) {
            return Ok(status);
        }
        wait_for_mail(&context.dir()?, &accounts, &cancel);
        if cancel.load(Ordering::Relaxed) {
            return Ok(status);
        }
    }
}

fn sync_one(
    context: &Context,
    config: &EngineConfig,
    account: &Account,
    cancel: &AtomicBool,
) -> Result<SyncSummary> {
    let trust = Trust::for_account(config, account, &[])?;
    let password = secrets::password(&context.dir()?, &account.address)?;
    let mut archive = context.archive()?;
    let now = context.now()?;
    let mut bar = Progress::new("syncing", 0, false);
    let summary = sync_account(
        &mut archive,
        account,
        &password,
        &trust.anchors,
        now,
        cancel,
        &mut |p| {
            bar.update(
                p.done_bytes,
                p.total_bytes,
                &format!("{} new, {} already archived", p.new, p.already_archived),
            );
        },
    )?;
    bar.finish();
    Ok(summary)
}

fn print_summary(s: &SyncSummary, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string(s)?);
        return Ok(());
    }
    println!(
        "{}: {} new, {} already archived{}{}",
        s.account,
        s.new,
        s.already_archived,
        if s.reconnects > 0 {
            format!(", {} reconnection(s)", s.reconnects)
        } else {
            String::new()
        },
        if s.interrupted {
            " — interrupted"
        } else {
            ""
        }
    );
    for f in &s.folders {
        println!(
            "  {:<24} {:>6} on the server, {:>6} fetched{}{}",
            f.folder,
            f.on_server,
            f.fetched,
            if f.uidvalidity_changed {
                " (renumbered by the server: fetched again)"
            } else {
                ""
            },
            if f.complete { "" } else { " (incomplete)" }
        );
    }
    for k in &s.skipped {
        eprintln!("attesta: skipped {}: {}", k.path, k.why);
    }
    Ok(())
}

/// Waits on the first account's INBOX with IDLE (reconnecting with backoff) until mail arrives, the idle
/// period ends, or the user stops.
fn wait_for_mail(dir: &pec_engine::DataDir, accounts: &[Account], cancel: &AtomicBool) {
    let Some(account) = accounts.first() else {
        return;
    };
    let Ok(runtime) = pec_engine::runtime::network() else {
        return;
    };
    let mut backoff = Backoff::new(Duration::from_secs(60), u32::MAX);
    while !cancel.load(Ordering::Relaxed) {
        let waited = runtime.block_on(async {
            let password = secrets::password(dir, &account.address).map_err(|e| e.to_string())?;
            let roots = account.tls().map_err(|e| e.to_string())?;
            let session =
                pec_mail::imap::Session::connect(&account.imap, &roots, &account.login, &password)
                    .await
                    .map_err(|e| e.to_string())?;
            // NOTE: IDLE is renewed well within the 29 minutes RFC 2177 allows; a short period also lets
            // Ctrl-C take effect promptly.
            let (session, _) = session
                .idle("INBOX", Duration::from_secs(20))
                .await
                .map_err(|e| e.to_string())?;
            session.logout().await;
            Ok::<(), String>(())
        });
        match waited {
            Ok(()) => return,
            Err(e) => {
                eprintln!("attesta: waiting for mail: {e}");
                if let Some(wait) = backoff.next_wait() {
                    std::thread::sleep(wait);
                }
            }
        }
    }
}
