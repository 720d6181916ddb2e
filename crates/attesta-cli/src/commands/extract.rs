//! `attesta extract FILE --out DIR`: the document inside a signed file, exactly as signed.
//!
//! Issue 15 §5. The innermost signed content is written to DIR under the file's name without its
//! signature extensions (`atto.pdf.p7m` → `atto.pdf`); an existing file is never overwritten. The
//! content is written, never opened or run. The verdict is printed beside it, so an extracted file is
//! never taken for a verified one: extracting an altered document works (it is evidence too) but
//! says INVALID and exits 1.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use pec_core::signature::SignatureStatus;
use pec_engine::documents::{DocumentTrust, extracted_name};

use crate::context::Context;
use crate::exit::Status;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The signed file (.p7m, .m7m, .tsd).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The directory to write the document to (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Also trust the PEM/DER certificates in DIR, for this run only.
    #[arg(long = "trust-dir", value_name = "DIR")]
    pub trust_dirs: Vec<PathBuf>,
}

pub fn run(context: &Context, args: &ExtractArgs) -> Status {
    match extract(context, args) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("attesta: {e:#}");
            Status::Error
        }
    }
}

fn extract(context: &Context, args: &ExtractArgs) -> Result<Status> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let trust = DocumentTrust::load(&context.dir()?, &context.config()?, &args.trust_dirs)?;
    let name = args.file.display().to_string();
    let report = trust.verify(&name, &bytes, None, context.now()?);
    let Some(content) = report.content.as_deref() else {
        bail!(
            "{name}: nothing to extract ({}): a signed PDF or a timestamp keeps no document inside; the file itself is the document",
            report.format.map_or_else(
                || "not a signed file".to_string(),
                |f| format!("format {f}")
            )
        );
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let target = args.out.join(extracted_name(&args.file));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .with_context(|| {
            format!(
                "cannot create {} (an existing file is never overwritten)",
                target.display()
            )
        })?;
    file.write_all(content)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", target.display()))?;
    println!(
        "{} ({} bytes, sha256 {}): signatures {}",
        target.display(),
        content.len(),
        report.content_sha256.as_deref().unwrap_or(""),
        report.status
    );
    Ok(if report.status == SignatureStatus::Valid {
        Status::Ok
    } else {
        Status::Failed
    })
}
