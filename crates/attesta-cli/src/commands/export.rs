//! `attesta export --out DIR (ID|MSGID)...` and `attesta export --out DIR [--since DATE] [--until DATE]
//! [--account A] [--state S]... [--lang it|en]`: one evidence pack (ZIP) per sent message, plus
//! `index.json` and `index.txt`, with progress (issue 7).
//!
//! Each pack names who exported it (`attesta user`) and is recorded in the archive's journal; nothing
//! else of the archive is written. Ctrl-C stops after the pack in hand; the index lists what was written.
//! Exit status 0 when every pack was written, 1 when interrupted, 2 for usage or I/O errors.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Result, bail};
use clap::Args;
use pec_core::correlate::SentSummary;
use pec_engine::export::{
    ExportFilter, ExportProgress, ExportRequest, ExportSummary, Selection, SendRef, export,
};
use pec_pack::Language;

use crate::context::{Context, fail, parse_date};
use crate::exit::Status;
use crate::progress::Progress;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The directory to write the packs and the index into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Only messages sent on or after DATE (YYYY-MM-DD, local time, or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only messages sent before DATE.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only messages with evidence from this mailbox.
    #[arg(long, value_name = "ADDRESS")]
    pub account: Option<String>,
    /// Only messages whose outcome is STATE: delivered, partially-delivered, failed, pending,
    /// not-accepted, not-certifiable, disputed (repeat for several).
    #[arg(long = "state", value_name = "STATE", value_parser = parse_state)]
    pub states: Vec<SentSummary>,
    /// The language of the reports, the file names and the index.
    #[arg(long = "lang", value_name = "it|en", default_value = "it", value_parser = parse_language)]
    pub language: Language,
    /// Also trust the PEM/DER certificates in DIR while verifying, for this run only.
    #[arg(long = "trust-dir", value_name = "DIR")]
    pub trust_dirs: Vec<PathBuf>,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Sent messages: an archive id (as `status`, `search` and `show` print it) or a Message-ID.
    #[arg(value_name = "ID|MSGID", conflicts_with_all = ["since", "until", "account", "states"])]
    pub sends: Vec<String>,
}

fn parse_state(text: &str) -> Result<SentSummary, String> {
    text.trim().parse::<SentSummary>().map_err(|_| {
        "expected delivered, partially-delivered, failed, pending, not-accepted, not-certifiable \
         or disputed"
            .to_owned()
    })
}

fn parse_language(text: &str) -> Result<Language, String> {
    Language::parse(text).ok_or_else(|| "expected it or en".to_owned())
}

pub fn run(context: &Context, args: &ExportArgs) -> Status {
    match go(context, args) {
        Ok(status) => status,
        Err(e) => fail(&e),
    }
}

fn go(context: &Context, args: &ExportArgs) -> Result<Status> {
    let selection = if !args.sends.is_empty() {
        Selection::Sends(args.sends.iter().map(|s| SendRef::parse(s)).collect())
    } else if args.since.is_some()
        || args.until.is_some()
        || args.account.is_some()
        || !args.states.is_empty()
    {
        Selection::Filter(ExportFilter {
            since: args.since.as_deref().map(parse_date).transpose()?,
            until: args.until.as_deref().map(parse_date).transpose()?,
            account: args.account.clone(),
            states: args.states.clone(),
        })
    } else {
        bail!(
            "name the sent messages (ID|MSGID...) or choose them with --since, --until, --account or --state"
        );
    };
    // Each pack is verified with the anchors its evidence arrived under: its account's (a lab account
    // trusts its lab), else the general ones; --trust-dir joins them all.
    let trust = pec_engine::TrustBook::load(&context.config()?, &args.trust_dirs)?;
    // An export never creates the archive; it writes only its journal: one entry per pack, naming
    // it and who exported it (issue 18 §3). One an older Attesta wrote is upgraded first (issue 17 §4).
    if !context.location()?.exists() {
        bail!("there is no archive yet: nothing was sent or archived here");
    }
    let mut archive = context.archive_trusting(&args.trust_dirs)?;
    let request = ExportRequest {
        selection,
        out_dir: args.out.clone(),
        language: args.language,
        produced_at: context.now()?,
        producer: format!("Attesta {}", env!("CARGO_PKG_VERSION")),
    };
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = Arc::clone(&cancel);
        let _ = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed));
    }
    let mut bar = Progress::new("exporting", 0, false);
    let mut on_progress = |p: &ExportProgress| {
        bar.update(
            p.done as u64,
            p.total as u64,
            p.current.as_deref().unwrap_or("done"),
        );
    };
    let summary = export(&mut archive, &request, &trust, &cancel, &mut on_progress)?;
    bar.finish();
    print_summary(&summary, args.json)?;
    Ok(if summary.interrupted {
        Status::Failed
    } else {
        Status::Ok
    })
}

fn print_summary(summary: &ExportSummary, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string(summary)?);
        return Ok(());
    }
    for p in &summary.packs {
        println!("{}  {}  {}", p.sha256, p.summary.as_str(), p.path.display());
    }
    println!(
        "{} pack(s) written; index: {}{}",
        summary.packs.len(),
        summary.index_text.display(),
        if summary.interrupted {
            " — interrupted: the index lists the packs written"
        } else {
            ""
        }
    );
    if summary.packs.is_empty() && !summary.interrupted {
        println!("no sent messages match");
    }
    Ok(())
}
