//! `attesta verify-pack [--json] [--trust-dir DIR] PACK.zip...`: does each evidence pack still hold?
//! Offline: every member's SHA-256, every provider signature, every outcome the pack states (issue 7);
//! each receipt bound to the send by its signed data, the sent copy and the report checked against what
//! is signed, and the verdict says apart what provider signatures prove and what only the pack's own
//! hashes carry, which anyone can recompute (issue 13 §2).
//!
//! Exit status 0 when every pack holds, 1 when something in one does not (the member is named), 2 for
//! usage or I/O errors (a file that cannot be opened).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use pec_core::signature::SignatureStatus;
use pec_pack::words::verdict;
use pec_pack::{Language, PackVerdict, verify_pack_file};
use serde::Serialize;

use crate::context::{Context, fail};
use crate::exit::Status;

#[derive(Debug, Args)]
pub struct VerifyPackArgs {
    /// Print one JSON object per pack, one per line.
    #[arg(long)]
    pub json: bool,
    /// Also trust the PEM/DER certificates in DIR, for this run only (`attesta trust add` keeps it).
    #[arg(long = "trust-dir", value_name = "DIR")]
    pub trust_dirs: Vec<PathBuf>,
    /// Evidence packs (.zip) made by `attesta export`.
    #[arg(required = true, value_name = "PACK.zip")]
    pub packs: Vec<PathBuf>,
}

#[derive(Serialize)]
struct Line<'a> {
    file: String,
    #[serde(flatten)]
    verdict: &'a PackVerdict,
}

pub fn run(context: &Context, args: &VerifyPackArgs) -> Status {
    match go(context, args) {
        Ok(status) => status,
        Err(e) => fail(&e),
    }
}

fn go(context: &Context, args: &VerifyPackArgs) -> Result<Status> {
    let trust = context.trust(&args.trust_dirs)?;
    let now = context.now()?;
    let mut status = Status::Ok;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &args.packs {
        let name = path.display().to_string();
        let verdict = match verify_pack_file(path, &trust.anchors, now) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("attesta: {e}");
                status = status.max(Status::Error);
                continue;
            }
        };
        if !verdict.holds {
            status = status.max(Status::Failed);
        }
        let written = if args.json {
            serde_json::to_string(&Line {
                file: name,
                verdict: &verdict,
            })
            .map_err(std::io::Error::other)
            .and_then(|line| writeln!(out, "{line}"))
        } else {
            write_human(&mut out, &name, &verdict)
        };
        if written.is_err() {
            return Ok(status); // the reader went away (e.g. `| head`)
        }
    }
    Ok(status)
}

fn write_human(out: &mut impl Write, name: &str, v: &PackVerdict) -> std::io::Result<()> {
    let words = verdict::words(Language::En, v);
    writeln!(out, "{name}")?;
    writeln!(out, "  {}", words.headline)?;
    if let Some(msgid) = &v.msgid {
        writeln!(
            out,
            "  send:      {msgid}  {}",
            v.subject.as_deref().unwrap_or("(no subject)")
        )?;
    }
    if let (Some(at), Some(by)) = (v.produced_at, &v.producer) {
        writeln!(
            out,
            "  produced:  {} by {by}",
            at.format("%Y-%m-%d %H:%M:%S UTC")
        )?;
    }
    for m in &v.members {
        let signature = m
            .signature
            .map(|s| format!("  (signature {})", s.as_str()))
            .unwrap_or_default();
        let mark = if m.holds { "ok" } else { "NOT OK" };
        writeln!(out, "  {mark:<10} {}{signature}", m.path)?;
    }
    for p in &v.problems {
        writeln!(out, "  problem:   {}", p.describe())?;
    }
    if v.holds {
        writeln!(out, "  {}:", words.signatures_heading)?;
        if words.by_signatures.is_empty() {
            writeln!(out, "    nothing")?;
        }
        for line in &words.by_signatures {
            writeln!(out, "    {line}")?;
        }
        writeln!(out, "  {}:", words.hashes_heading)?;
        for line in &words.by_hashes_only {
            writeln!(out, "    {line}")?;
        }
    }
    let untrusted = v
        .members
        .iter()
        .any(|m| !m.holds && m.signature == Some(SignatureStatus::Untrusted));
    if untrusted {
        writeln!(
            out,
            "  hint:      \"untrusted\" means a good signature whose certificate leads to no CA trusted here \
             (the PEC CAs, and those added with `attesta trust add`); a pack made under another CA you trust \
             (e.g. a lab's) verifies with --trust-dir DIR"
        )?;
    }
    writeln!(out)
}
