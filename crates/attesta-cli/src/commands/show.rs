//! `attesta show [--json] ID|MSGID`: one archived item — its facts, its verdict, where it came from, and
//! the send it is evidence of — or, given a Message-ID, that send with all its evidence.

use std::io::Write;

use anyhow::{Result, bail};
use pec_archive::item::Item;
use pec_archive::query::StatusFilter;

use crate::cli::ShowArgs;
use crate::commands::status::{when, write_human};
use crate::context::{Context, fail};
use crate::exit::Status;

pub fn run(context: &Context, args: &ShowArgs) -> Status {
    match go(context, args) {
        Ok(()) => Status::Ok,
        Err(e) => fail(&e),
    }
}

fn go(context: &Context, args: &ShowArgs) -> Result<()> {
    let archive = context.archive()?;
    let now = context.now()?;
    let wanted = args.id.trim().trim_start_matches('#');
    if let Ok(id) = wanted.parse::<i64>() {
        let item = archive.item(id, now)?;
        if args.json {
            println!("{}", serde_json::to_string(&item)?);
        } else {
            quiet_on_closed_pipe(write_item(&mut std::io::stdout().lock(), &item))?;
        }
        return Ok(());
    }
    let sends = archive.status(
        &StatusFilter {
            msgid: Some(wanted.to_owned()),
            ..StatusFilter::default()
        },
        now,
    )?;
    let Some(send) = sends.first() else {
        bail!("no archived item or sent message {:?}", args.id);
    };
    if args.json {
        println!("{}", serde_json::to_string(send)?);
    } else {
        quiet_on_closed_pipe(write_human(&mut std::io::stdout().lock(), send))?;
    }
    Ok(())
}

/// A reader that went away (`attesta show 3 | head`) is not an error.
fn quiet_on_closed_pipe(written: std::io::Result<()>) -> std::io::Result<()> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn write_item(out: &mut impl Write, item: &Item) -> std::io::Result<()> {
    let line = |out: &mut dyn Write, label: &str, value: Option<&str>| -> std::io::Result<()> {
        match value {
            Some(v) if !v.is_empty() => writeln!(out, "  {label:<15} {v}"),
            _ => Ok(()),
        }
    };
    writeln!(out, "#{}  {}", item.id, item.kind.label())?;
    line(out, "provider:", item.provider.as_deref())?;
    line(out, "sender:", item.sender.as_deref())?;
    line(out, "subject:", item.subject.as_deref())?;
    line(out, "identificativo:", item.identificativo.as_deref())?;
    line(out, "msgid:", item.msgid.as_deref())?;
    line(out, "message-id:", item.message_id.as_deref())?;
    line(out, "consegna:", item.consegna.as_deref())?;
    line(
        out,
        "certified at:",
        item.certified_at.map(|t| when(Some(t))).as_deref(),
    )?;
    line(out, "receipt type:", item.receipt_type.map(|r| r.as_str()))?;
    if item.errore != pec_core::Errore::Nessuno {
        line(out, "errore:", Some(item.errore.as_str()))?;
    }
    line(out, "errore-esteso:", item.errore_esteso.as_deref())?;
    line(out, "sha-256:", Some(&item.sha256))?;
    line(out, "size:", Some(&format!("{} bytes", item.size)))?;
    line(out, "archived at:", Some(&when(item.archived_at)))?;
    if let Some(v) = item.verdicts.first() {
        line(out, "signature:", Some(v.status.as_str()))?;
        line(
            out,
            "signed at:",
            v.signed_at.map(|t| when(Some(t))).as_deref(),
        )?;
        if let Some(signer) = &v.report.signer {
            line(out, "signer:", Some(&signer.subject))?;
        }
        for f in &v.report.findings {
            line(out, "finding:", Some(&f.message))?;
        }
        if item.verdicts.len() > 1 {
            line(
                out,
                "earlier:",
                Some(&format!(
                    "{} earlier verdict(s) recorded",
                    item.verdicts.len() - 1
                )),
            )?;
        }
    }
    for o in &item.origins {
        line(out, "from:", Some(&o.describe()))?;
    }
    for d in &item.documents {
        let signer = d.signer.as_deref().unwrap_or("no signer");
        let at = match (d.judged_at.or(d.signed_at), d.time_basis) {
            (Some(t), basis) => format!(" at {} ({})", when(Some(t)), basis.as_str()),
            (None, _) => String::new(),
        };
        line(
            out,
            "attachment:",
            Some(&format!(
                "{} {}: {}, qualified {}, {signer}{at}; checked {}",
                d.part,
                d.name,
                d.status.as_str(),
                d.qualified.as_str(),
                when(Some(d.checked_at))
            )),
        )?;
    }
    if let Some(send) = &item.send {
        writeln!(out, "  evidence of:")?;
        write_human(out, send)?;
    }
    Ok(())
}
