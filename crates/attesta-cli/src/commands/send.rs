//! `attesta send --account A --to … [--cc …] --subject … (--body TEXT | --body-file F) [--attach F]…
//! [--receipt completa|breve|sintetica]`.
//!
//! First it finds out what happened to any earlier submission of the account whose outcome is unknown
//! (so nothing is ever sent twice), then checks the PEC rules, archives the exact bytes and submits.

use anyhow::{Context as _, Result};
use pec_core::daticert::ReceiptType;
use pec_engine::send::{Draft, DraftAttachment, Resolution, content_type, send_draft};

use crate::cli::SendArgs;
use crate::context::{Context, fail};
use crate::exit::Status;

pub fn run(context: &Context, args: &SendArgs) -> Status {
    match go(context, args) {
        Ok(()) => Status::Ok,
        Err(e) => fail(&e),
    }
}

fn go(context: &Context, args: &SendArgs) -> Result<()> {
    let config = context.config()?;
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
        rem_relay_evidence: args.rem_relay_evidence,
    };
    let mut archive = context.archive()?;
    let now = context.now()?;
    let outcome = send_draft(
        &context.dir()?,
        &config,
        &args.account,
        &mut archive,
        &draft,
        now,
        &mut tell_earlier,
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

/// What `attesta send` says of an earlier submission whose outcome was unknown.
fn tell_earlier(r: &Resolution) {
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
