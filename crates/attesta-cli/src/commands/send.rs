//! `attesta send --account A --to … [--cc …] --subject … (--body TEXT | --body-file F) [--attach F]…
//! [--receipt completa|breve|sintetica]`.
//!
//! First it finds out what happened to any earlier submission of the account whose outcome is unknown
//! (so nothing is ever sent twice), then checks the PEC rules, archives the exact bytes and submits.

use anyhow::{Context as _, Result};
use chrono::Duration;
use pec_core::daticert::ReceiptType;
use pec_engine::Trust;
use pec_engine::accounts::secrets;
use pec_engine::send::{Draft, DraftAttachment, Resolution, resolve, send};

use crate::cli::SendArgs;
use crate::context::{Context, fail};
use crate::exit::Status;

/// How long after an unknown outcome Attesta waits for the provider's acceptance before it concludes
/// the message never arrived and submits it again.
pub const GRACE_MINUTES: i64 = 15;

pub fn run(context: &Context, args: &SendArgs) -> Status {
    match go(context, args) {
        Ok(()) => Status::Ok,
        Err(e) => fail(&e),
    }
}

fn content_type(path: &std::path::Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("pdf") => "application/pdf",
        Some("xml") => "application/xml",
        Some("p7m") => "application/pkcs7-mime",
        Some("txt") => "text/plain",
        Some("zip") => "application/zip",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn go(context: &Context, args: &SendArgs) -> Result<()> {
    let config = context.config()?;
    let account = config.account(&args.account)?.clone();
    let trust = Trust::for_account(&config, &account, &[])?;
    let password = secrets::password(&context.dir()?, &account.address)?;
    let body = match (&args.body, &args.body_file) {
        (Some(b), _) => b.clone(),
        (None, Some(f)) => {
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?
        }
        (None, None) => String::new(),
    };
    let mut attachments = Vec::new();
    for path in &args.attachments {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "allegato".into());
        attachments.push(DraftAttachment {
            name,
            content_type: content_type(path).into(),
            bytes,
        });
    }
    let draft = Draft {
        to: args.to.clone(),
        cc: args.cc.clone(),
        subject: args.subject.clone(),
        body,
        attachments,
        receipt: ReceiptType::parse(&args.receipt).unwrap_or(ReceiptType::Completa),
    };
    let mut archive = context.archive()?;
    let now = context.now()?;
    for r in resolve(
        &mut archive,
        &account,
        &password,
        &trust.anchors,
        now,
        Duration::minutes(GRACE_MINUTES),
    )? {
        match r {
            Resolution::Confirmed { entry, by } => {
                eprintln!(
                    "attesta: an earlier submission {} had arrived: {by}",
                    entry.msgid
                )
            }
            Resolution::Resubmitted { outcome } => {
                eprintln!(
                    "attesta: an earlier submission {} had not arrived: submitted again",
                    outcome.entry.msgid
                )
            }
            Resolution::StillUncertain { entry, until } => eprintln!(
                "attesta: the outcome of {} is still unknown; Attesta waits for the provider's receipt until {until} before trying again",
                entry.msgid
            ),
        }
    }
    let outcome = send(
        &mut archive,
        &account,
        &password,
        &draft,
        &trust.anchors,
        now,
    )?;
    if args.json {
        println!("{}", serde_json::to_string(&outcome)?);
    } else {
        println!(
            "submitted {} (archive #{}): {}",
            outcome.entry.msgid,
            outcome.entry.raw_id,
            outcome.reply.as_deref().unwrap_or("accepted")
        );
        if let Some(copy) = &outcome.entry.sent_copy {
            println!("sent copy: {copy}");
        }
        println!(
            "the provider's acceptance and delivery receipts arrive by mail: `attesta sync`, then `attesta status`"
        );
    }
    Ok(())
}
