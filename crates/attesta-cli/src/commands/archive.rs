//! `attesta archive check [--json]` and `attesta archive rebuild [--no-verify] [--trust-dir DIR]`.
//!
//! `check` exits 1 when anything is wrong, naming each problem and what it was.

use anyhow::Result;
use pec_archive::Origin;
use pec_core::signature::TrustAnchors;

use crate::cli::ArchiveCommand;
use crate::context::{Context, fail};
use crate::exit::Status;
use crate::progress::Progress;

pub fn run(context: &Context, command: &ArchiveCommand) -> Status {
    let result = match command {
        ArchiveCommand::Check { json } => check(context, *json),
        ArchiveCommand::Rebuild {
            no_verify,
            trust_dirs,
        } => rebuild(context, *no_verify, trust_dirs),
    };
    result.unwrap_or_else(|e| fail(&e))
}

fn check(context: &Context, json: bool) -> Result<Status> {
    let archive = context.archive()?;
    let report = archive.check()?;
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        for p in &report.problems {
            println!("PROBLEM: {}", p.message);
        }
        println!(
            "{}: {} messages, {} sends, {} journal entries; chain end {} {}",
            if report.is_clean() {
                "intact"
            } else {
                "NOT INTACT"
            },
            report.messages,
            report.sends,
            report.journal_entries,
            report.head_seq,
            report.head_hash
        );
    }
    Ok(if report.is_clean() {
        Status::Ok
    } else {
        Status::Failed
    })
}

fn rebuild(
    context: &Context,
    no_verify: bool,
    trust_dirs: &[std::path::PathBuf],
) -> Result<Status> {
    // Each message is verified with the anchors of the account it came from (a lab account also
    // trusts its lab), else the general ones.
    let trust = pec_engine::TrustBook::load(&context.config()?, trust_dirs)?;
    let pick = anchors_by_origin(|origins| trust.for_origins(origins));
    let mut archive = context.archive()?;
    let now = context.now()?;
    let mut bar = Progress::new("rebuilding", 0, false);
    let report = archive.rebuild((!no_verify).then_some(&pick), now, &mut |done, total| {
        bar.update(done, total, "messages");
    })?;
    bar.finish();
    println!(
        "rebuilt {} messages and {} sends; {} verdicts changed and were recorded",
        report.messages, report.sends, report.verdicts_changed
    );
    Ok(Status::Ok)
}

/// Gives a closure the signature `rebuild` asks for (its result outlives the origins it is given).
fn anchors_by_origin<'t, F: Fn(&[Origin]) -> &'t TrustAnchors>(f: F) -> F {
    f
}
