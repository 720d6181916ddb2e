//! `attesta import [--json] [--trust-dir DIR] PATH...`: archive existing mail, verified and linked.
//!
//! Ctrl-C stops reading and finishes the batch in hand; running the same import again continues where
//! it stopped (what was archived is recognised). Exit status 0 when everything was read, 1 when some
//! file was not mail or unreadable, 2 for errors that stopped the import.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use pec_engine::import::{ImportProgress, ImportSummary, import};

use crate::cli::ImportArgs;
use crate::context::{Context, fail};
use crate::exit::Status;
use crate::progress::Progress;

pub fn run(context: &Context, args: &ImportArgs) -> Status {
    match go(context, args) {
        Ok(status) => status,
        Err(e) => fail(&e),
    }
}

fn go(context: &Context, args: &ImportArgs) -> Result<Status> {
    let trust = context.trust(&args.trust_dirs)?;
    let mut archive = context.archive_trusting(&args.trust_dirs)?;
    let now = context.now()?;
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = Arc::clone(&cancel);
        // NOTE: a second Ctrl-C is not caught again: the handler stays installed, so it only sets the
        // flag; the batch in hand is small and finishes in well under a second.
        let _ = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed));
    }
    let mut bar = Progress::new("importing", 0, true);
    let mut on_progress = |p: &ImportProgress| {
        bar.update(
            p.done_bytes,
            p.total_bytes,
            &format!(
                "{} new, {} already archived, {} skipped",
                p.new, p.already_archived, p.skipped
            ),
        );
    };
    let summary = import(
        &mut archive,
        &args.paths,
        args.mailbox.as_deref(),
        &trust.anchors,
        now,
        &cancel,
        &mut on_progress,
    )?;
    bar.finish();
    print_summary(&summary, args.json)?;
    Ok(if summary.skipped.is_empty() {
        Status::Ok
    } else {
        Status::Failed
    })
}

fn print_summary(summary: &ImportSummary, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string(summary)?);
        return Ok(());
    }
    for s in &summary.skipped {
        eprintln!("attesta: skipped {}: {}", s.path, s.why);
    }
    println!(
        "{} new, {} already archived, {} not mail or unreadable{}",
        summary.new,
        summary.already_archived,
        summary.skipped.len(),
        if summary.interrupted {
            " — interrupted: run the same import again to continue"
        } else {
            ""
        }
    );
    Ok(())
}
