//! `attesta outbox [--account A] [--resolve] [--json]`: every submission and where it stands; with
//! `--resolve`, find out what happened to those whose outcome is unknown.

use anyhow::Result;
use pec_engine::send::resolve_earlier;

use crate::cli::OutboxArgs;
use crate::commands::status::when;
use crate::context::{Context, fail};
use crate::exit::Status;

pub fn run(context: &Context, args: &OutboxArgs) -> Status {
    match go(context, args) {
        Ok(()) => Status::Ok,
        Err(e) => fail(&e),
    }
}

fn go(context: &Context, args: &OutboxArgs) -> Result<()> {
    let mut archive = context.archive()?;
    if args.resolve {
        let config = context.config()?;
        let accounts: Vec<_> = match &args.account {
            Some(a) => vec![config.account(a)?.clone()],
            None => config.accounts.clone(),
        };
        let now = context.now()?;
        for account in accounts {
            resolve_earlier(&context.dir()?, &config, &account, &mut archive, now)?;
        }
    }
    for e in archive.outbox(args.account.as_deref())? {
        if args.json {
            println!("{}", serde_json::to_string(&e)?);
        } else {
            println!(
                "{:<10} {}  {} → {}  (attempts {}, {}){}",
                e.state.as_str(),
                when(e.updated_at),
                e.msgid,
                e.recipients.join(", "),
                e.attempts,
                e.detail.as_deref().unwrap_or("—"),
                e.sent_copy
                    .as_deref()
                    .map(|c| format!("; sent copy {c}"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(())
}
