//! `attesta status [--json] [--pending|--failed|--overdue] [--since DATE] [--until DATE] [--limit N]`: per sent
//! message and per recipient, where it stands — in words, with the certified times.

use std::io::Write;

use anyhow::Result;
use pec_archive::query::{SentStatus, StatusFilter};
use pec_core::correlate::RecipientState;

use crate::cli::StatusArgs;
use crate::context::{Context, fail, parse_date};
use crate::exit::Status;

pub fn run(context: &Context, args: &StatusArgs) -> Status {
    match go(context, args) {
        Ok(()) => Status::Ok,
        Err(e) => fail(&e),
    }
}

fn go(context: &Context, args: &StatusArgs) -> Result<()> {
    let filter = StatusFilter {
        pending: args.pending,
        failed: args.failed,
        overdue: args.overdue,
        since: args.since.as_deref().map(parse_date).transpose()?,
        until: args.until.as_deref().map(parse_date).transpose()?,
        msgid: args.msgid.clone(),
        limit: args.limit.map(|n| n as usize),
    };
    let archive = context.archive()?;
    let now = context.now()?;
    let sends = archive.status(&filter, now)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for send in &sends {
        let written = if args.json {
            writeln!(out, "{}", serde_json::to_string(send)?)
        } else {
            write_human(&mut out, send)
        };
        if written.is_err() {
            return Ok(()); // the reader went away (e.g. `| head`)
        }
    }
    if !args.json && sends.is_empty() {
        println!("no sent messages match");
    }
    Ok(())
}

/// A time for people: UTC, to the second.
pub fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(
        || "—".into(),
        |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

pub fn write_human(out: &mut impl Write, s: &SentStatus) -> std::io::Result<()> {
    writeln!(
        out,
        "{}  {}",
        s.msgid,
        s.subject.as_deref().unwrap_or("(no subject)")
    )?;
    if let Some(by) = &s.sent_by {
        writeln!(out, "  sent by {by}")?;
    }
    writeln!(
        out,
        "  {}{} · sent {} · accepted {} · evidence {}",
        s.summary.as_str(),
        s.overdue
            .map(|o| format!(" (overdue {})", o.as_str()))
            .unwrap_or_default(),
        when(s.sent_at),
        when(s.accepted_at),
        s.evidence
            .iter()
            .map(|id| format!("#{id}"))
            .collect::<Vec<_>>()
            .join(" ")
    )?;
    for r in &s.recipients {
        let kind = match r.kind {
            Some(k) => crate::facts_name(&k),
            None => "type unknown".into(),
        };
        let detail = match r.state {
            RecipientState::Delivered
            | RecipientState::Warned12h
            | RecipientState::TimedOut24h
            | RecipientState::NotAccepted
            | RecipientState::Failed => format!(" at {}", when(r.at)),
            RecipientState::External => {
                " (not a certified mailbox: no delivery receipt will come)".into()
            }
            RecipientState::Pending => String::new(),
            RecipientState::Disputed => format!(
                " — delivery #{} and failure #{} contradict each other",
                r.evidence.map_or("?".into(), |id| id.to_string()),
                r.disputed_by.map_or("?".into(), |id| id.to_string())
            ),
        };
        writeln!(
            out,
            "    {:<13} {} ({kind}){detail}{}{}",
            r.state.as_str(),
            r.address,
            r.reason
                .as_deref()
                .map(|x| format!(" — {x}"))
                .unwrap_or_default(),
            r.overdue
                .map(|o| format!(" — OVERDUE: no delivery {} after acceptance", o.as_str()))
                .unwrap_or_default(),
        )?;
    }
    for f in &s.findings {
        writeln!(out, "  note: {}", f.message)?;
    }
    Ok(())
}
