//! `attesta search [--json] [--limit N] TEXT...`: archived messages by subject, parties, body text or
//! attachment names.

use std::io::Write;

use anyhow::Result;

use crate::cli::SearchArgs;
use crate::commands::status::when;
use crate::context::{Context, fail};
use crate::exit::Status;

pub fn run(context: &Context, args: &SearchArgs) -> Status {
    match go(context, args) {
        Ok(true) => Status::Ok,
        Ok(false) => Status::Failed,
        Err(e) => fail(&e),
    }
}

/// Ok(false) when nothing was found.
fn go(context: &Context, args: &SearchArgs) -> Result<bool> {
    let archive = context.archive()?;
    let hits = archive.search(&args.text.join(" "), args.limit)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for hit in &hits {
        let written = if args.json {
            writeln!(out, "{}", serde_json::to_string(hit)?)
        } else {
            writeln!(
                out,
                "#{:<6} {:<24} {}  {}  {}",
                hit.id,
                hit.kind.label(),
                when(hit.at),
                hit.sender.as_deref().unwrap_or("—"),
                hit.subject.as_deref().unwrap_or("(no subject)")
            )
        };
        if written.is_err() {
            break;
        }
    }
    if hits.is_empty() && !args.json {
        println!("nothing found");
    }
    Ok(!hits.is_empty())
}
