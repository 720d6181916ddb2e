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
    // The anchors in force for mail in general, and per account (a lab account also trusts its lab).
    let config = context.config()?;
    let general = context.trust(trust_dirs)?;
    let per_account: Vec<(String, pec_engine::Trust)> = config
        .accounts
        .iter()
        .map(|a| {
            Ok((
                a.address.clone(),
                pec_engine::Trust::for_account(&config, a, trust_dirs)?,
            ))
        })
        .collect::<Result<_>>()?;
    let picker = Picker {
        general: &general.anchors,
        per_account: &per_account,
    };
    let pick = anchors_by_origin(|origins| picker.pick(origins));
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

/// Which anchors verify a message: those of the account it came from, else the general ones.
struct Picker<'a> {
    general: &'a TrustAnchors,
    per_account: &'a [(String, pec_engine::Trust)],
}

impl<'a> Picker<'a> {
    fn pick(&self, origins: &[Origin]) -> &'a TrustAnchors {
        for o in origins {
            let account = match o {
                Origin::Imap { account, .. } | Origin::Submitted { account } => account,
                Origin::File { .. } => continue,
            };
            if let Some((_, t)) = self
                .per_account
                .iter()
                .find(|(a, _)| a.eq_ignore_ascii_case(account))
            {
                return &t.anchors;
            }
        }
        self.general
    }
}
