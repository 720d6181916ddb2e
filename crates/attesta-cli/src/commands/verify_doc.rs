//! `attesta verify-doc [--json] [--trust-dir DIR] FILE…`: what each signed document proves.
//!
//! Issue 15 §5. One report per file (`--json`: one object per line, the shape of
//! `pec_document::DocumentReport`). A detached token `X.tsr` is checked against `X` when it is
//! beside it. Exit status as `attesta verify`: 0 when every file is `valid`, 1 when any is not, 2
//! for usage or I/O errors.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use pec_core::signature::SignatureStatus;
use pec_document::{DocumentReport, Qualified, SignatureRole};
use pec_engine::documents::{DocumentTrust, companion_of};

use crate::context::Context;
use crate::exit::Status;
use crate::verdict;

#[derive(Debug, Args)]
pub struct VerifyDocArgs {
    /// Print one JSON object per file, one per line.
    #[arg(long)]
    pub json: bool,
    /// Also trust the PEM/DER certificates in DIR, for this run only.
    #[arg(long = "trust-dir", value_name = "DIR")]
    pub trust_dirs: Vec<PathBuf>,
    /// Signed files: .p7m, .m7m, .tsd, .tsr/.tst, signed PDFs.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

pub fn run(context: &Context, args: &VerifyDocArgs) -> Status {
    match verify(context, args) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("attesta: {e:#}");
            Status::Error
        }
    }
}

fn verify(context: &Context, args: &VerifyDocArgs) -> Result<Status> {
    let dir = context.dir()?;
    let trust = DocumentTrust::load(&dir, &context.config()?, &args.trust_dirs)?;
    for refused in &trust.refused {
        eprintln!(
            "attesta: stored Trusted List {} not used: {}",
            refused.path.display(),
            refused.reason
        );
    }
    let now = context.now()?;
    let mut status = Status::Ok;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &args.files {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("attesta: {name}: cannot read: {e}");
                status = status.max(Status::Error);
                continue;
            }
        };
        let companion = companion_of(path).and_then(|c| std::fs::read(c).ok());
        let report = trust.verify(&name, &bytes, companion.as_deref(), now);
        if report.status != SignatureStatus::Valid {
            status = status.max(Status::Failed);
        }
        let written = if args.json {
            serde_json::to_string(&report)
                .map_err(std::io::Error::other)
                .and_then(|line| writeln!(out, "{line}"))
        } else {
            write_human(
                &mut out,
                &report,
                trust.lists.territories().next().is_some(),
            )
        };
        if written.is_err() {
            return Ok(status); // the reader went away (`| head`)
        }
    }
    Ok(status)
}

fn headline(status: SignatureStatus) -> &'static str {
    match status {
        SignatureStatus::Valid => {
            "VALID: every signature matches the document and leads to a trusted authority"
        }
        SignatureStatus::Invalid => {
            "INVALID: the document was altered after signing, or a signature does not match it"
        }
        SignatureStatus::Untrusted => {
            "UNTRUSTED: the signatures match the document, but a signer cannot be traced to a trusted authority at the time of signing"
        }
        SignatureStatus::Unsigned => "UNSIGNED: no signature was found",
        SignatureStatus::Indeterminate => {
            "CANNOT DECIDE: the file is damaged or a signature is of a kind that cannot be checked"
        }
    }
}

fn write_human(
    out: &mut impl Write,
    report: &DocumentReport,
    lists_imported: bool,
) -> std::io::Result<()> {
    writeln!(out, "{}", report.file)?;
    writeln!(out, "  {}", headline(report.status))?;
    if let Some(format) = report.format {
        writeln!(out, "  format:      {format}")?;
    }
    for entry in &report.signatures {
        let indent = "  ".repeat(entry.level as usize + 1);
        let what = match entry.role {
            SignatureRole::Signature => "signature",
            SignatureRole::Countersignature => "countersignature",
            SignatureRole::Timestamp => "timestamp",
            SignatureRole::SignatureTimestamp => "its timestamp",
        };
        let who = entry
            .signer
            .as_ref()
            .map(|s| s.common_name.clone().unwrap_or_else(|| s.subject.clone()))
            .unwrap_or_else(|| "(unknown signer)".to_string());
        let issuer = entry
            .signer
            .as_ref()
            .map(|s| format!(" — issued by {}", s.issuer))
            .unwrap_or_default();
        writeln!(out, "{indent}{what}: {} — {who}{issuer}", entry.status)?;
        if let Some(at) = entry.signed_at {
            writeln!(out, "{indent}  signed at:   {}", at.to_rfc3339())?;
        }
        let signer = matches!(
            entry.role,
            SignatureRole::Signature | SignatureRole::Countersignature
        );
        if signer {
            if let Some(at) = entry.timestamp_at {
                writeln!(out, "{indent}  timestamp:   {}", at.to_rfc3339())?;
            }
            if let Some(at) = entry.judged_at {
                writeln!(
                    out,
                    "{indent}  judged at:   {} ({})",
                    at.to_rfc3339(),
                    entry.time_basis
                )?;
            }
        }
        let qualified = match entry.qualified {
            Qualified::Yes if signer => {
                "yes (a qualified certificate of a CA the Trusted List shows in force then)"
            }
            Qualified::Yes => "yes (a TSA/QTST service the Trusted List shows in force then)",
            Qualified::No => "no",
            Qualified::Unknown if !lists_imported => {
                "unknown (no Trusted List imported: `attesta trust import-tl`)"
            }
            Qualified::Unknown => "unknown",
        };
        writeln!(out, "{indent}  qualified:   {qualified}")?;
        for f in &entry.findings {
            verdict::write_finding(
                out,
                &format!("{indent}  "),
                &f.severity,
                &f.message,
                &f.code,
            )?;
        }
    }
    for f in &report.findings {
        verdict::write_finding(out, "  ", &f.severity, &f.message, &f.code)?;
    }
    if let Some(sha) = &report.content_sha256 {
        writeln!(out, "  content:     sha256 {sha}")?;
    }
    Ok(())
}
