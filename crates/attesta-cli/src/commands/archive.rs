//! `attesta archive check [--json] [--expect HEAD]`, `attesta archive head`, `attesta archive
//! rebuild [--no-verify] [--trust-dir DIR]`, and `attesta archive use ADDRESS|local` / `archive where`
//! (the firm's shared archive on PostgreSQL, issue 18), with `archive grant ROLE --read|--write
//! [--mailbox ADDRESS …]`, `archive revoke ROLE [--mailbox ADDRESS …]`, `archive access` and `archive
//! migrate --to …`.
//!
//! `check` exits 1 when anything is wrong, naming each problem and what it was; with `--expect` it
//! exits 3 when the chain, recomputed from its start, does not reach that head (issue 13 §5: a rewrite
//! of the whole chain passes the chain's own check, not a head kept elsewhere). An archive whose
//! upgrade could not be verified (issue 17 §4) is not opened for writing, but `check` still checks it,
//! read-only, says so with the copy's place, and exits 1.

use anyhow::Result;
use pec_archive::{Access, Anchor, AnchorCheck, Location, Mailboxes, Origin};
use pec_core::signature::TrustAnchors;

use crate::cli::ArchiveCommand;
use crate::context::{Context, fail};
use crate::exit::Status;
use crate::progress::Progress;

pub fn run(context: &Context, command: &ArchiveCommand) -> Status {
    let result = match command {
        ArchiveCommand::Check { json, expect } => check(context, *json, expect.as_deref()),
        ArchiveCommand::Head => head(context),
        ArchiveCommand::Use {
            address,
            no_password,
        } => use_archive(context, address, *no_password),
        ArchiveCommand::Where => where_is(context),
        ArchiveCommand::Grant {
            role,
            write,
            mailboxes,
            ..
        } => grant(context, role, *write, mailboxes),
        ArchiveCommand::Revoke { role, mailboxes } => revoke(context, role, mailboxes),
        ArchiveCommand::Access => access(context),
        ArchiveCommand::Migrate {
            to,
            no_password,
            json,
        } => migrate(context, to, *no_password, *json),
        ArchiveCommand::Rebuild {
            no_verify,
            trust_dirs,
        } => rebuild(context, *no_verify, trust_dirs),
    };
    result.unwrap_or_else(|e| fail(&e))
}

fn use_archive(context: &Context, address: &str, no_password: bool) -> Result<Status> {
    let dir = context.dir()?;
    if address == "local" {
        pec_engine::shared_archive::use_file(&dir)?;
        println!(
            "this data directory uses its own archive again: {}",
            dir.archive_file().display()
        );
        return Ok(Status::Ok);
    }
    let password = if no_password {
        None
    } else {
        Some(crate::commands::account::read_password()?)
    };
    let archive = pec_engine::shared_archive::use_server(&dir, address, password.as_deref())?;
    println!(
        "this data directory now uses the firm's archive at {address} ({} messages, chain end {})",
        archive.message_count()?,
        archive.chain_head()?
    );
    Ok(Status::Ok)
}

fn migrate(context: &Context, to: &str, no_password: bool, json: bool) -> Result<Status> {
    let dir = context.dir()?;
    let target = if to.starts_with("postgres://") || to.starts_with("postgresql://") {
        let password = if no_password {
            None
        } else {
            Some(crate::commands::account::read_password()?)
        };
        Location::Server {
            address: Box::new(pec_archive::db::postgres::Address::parse(
                to,
                password.as_deref(),
            )?),
            local: dir.path().to_path_buf(),
        }
    } else if to == "local" {
        Location::File(dir.archive_file())
    } else {
        Location::File(to.into())
    };
    let source = context.archive()?;
    if source.location().shown() == target.shown() {
        anyhow::bail!(
            "the archive and the target are the same: {}",
            target.shown()
        );
    }
    // The move is recorded in the target's journal as done by this desktop's person.
    let mut into = target.open()?.acting_as(source.actor().cloned());
    let mut progress = Progress::new("moving", 0, false);
    let report = source.migrate_into(&mut into, context.now()?, &mut |done, total| {
        progress.update(done, total, "messages")
    })?;
    progress.finish();
    let here = source.check()?;
    let there = into.check()?;
    let clean = report.missing.is_empty() && here.is_clean() && there.is_clean();
    if json {
        println!(
            "{}",
            serde_json::json!({
                "report": report,
                "source_check": here,
                "target_check": there,
                "clean": clean,
            })
        );
    } else {
        for m in &report.missing {
            println!("MISSING: {m}");
        }
        for p in &here.problems {
            println!("PROBLEM in this archive: {}", p.message);
        }
        for p in &there.problems {
            println!("PROBLEM in the target: {}", p.message);
        }
        println!(
            "{}: {} messages, {} new to {}, {} origins added; target check: {} messages, chain end {} {}",
            if clean { "moved" } else { "NOT ALL MOVED" },
            report.messages,
            report.new,
            target.shown(),
            report.origins_added,
            there.messages,
            there.head_seq,
            there.head_hash
        );
    }
    Ok(if clean { Status::Ok } else { Status::Failed })
}

/// `--mailbox` as given: none means every mailbox.
fn scope(mailboxes: &[String]) -> Mailboxes {
    if mailboxes.is_empty() {
        Mailboxes::All
    } else {
        Mailboxes::Only(mailboxes.to_vec())
    }
}

fn grant(context: &Context, role: &str, write: bool, mailboxes: &[String]) -> Result<Status> {
    let access = if write { Access::Write } else { Access::Read };
    context.archive()?.grant(role, access, &scope(mailboxes))?;
    let what = if write {
        "read and write"
    } else {
        "read (not write)"
    };
    if mailboxes.is_empty() {
        println!("{role} may now {what} the firm's archive, every mailbox");
    } else {
        println!(
            "{role} may now {what} the evidence of {} in the firm's archive (and of the mailboxes granted before)",
            mailboxes.join(", ")
        );
    }
    Ok(Status::Ok)
}

fn revoke(context: &Context, role: &str, mailboxes: &[String]) -> Result<Status> {
    context.archive()?.revoke(role, &scope(mailboxes))?;
    if mailboxes.is_empty() {
        println!("{role} may no longer read or write the firm's archive");
    } else {
        println!(
            "{role} may no longer read the evidence of {}",
            mailboxes.join(", ")
        );
    }
    Ok(Status::Ok)
}

fn access(context: &Context) -> Result<Status> {
    let archive = context.archive()?;
    match archive.access()? {
        Access::Read => println!("read"),
        Access::Write => println!("write"),
    }
    if let Mailboxes::Only(list) = archive.granted_mailboxes()? {
        if list.is_empty() {
            println!("mailboxes: none (nothing of the archive is visible)");
        } else {
            println!("mailboxes: {}", list.join(", "));
        }
    }
    Ok(Status::Ok)
}

fn where_is(context: &Context) -> Result<Status> {
    match context.location()? {
        Location::File(path) => println!("file {}", path.display()),
        Location::Server { address, .. } => println!("server {}", address.shown),
    }
    Ok(Status::Ok)
}

fn head(context: &Context) -> Result<Status> {
    println!("{}", context.archive()?.chain_head()?);
    Ok(Status::Ok)
}

fn check(context: &Context, json: bool, expect: Option<&str>) -> Result<Status> {
    let anchor = match expect {
        None => None,
        Some(text) => Some(Anchor::parse(text).ok_or_else(|| {
            anyhow::anyhow!(
                "{text:?} is not a head: expected SEQ:HASH as `attesta archive head` prints it"
            )
        })?),
    };
    let (archive, unverified) = match context.archive() {
        Ok(archive) => (archive, None),
        Err(e) => match unverified_upgrade(&e) {
            // An upgrade whose verification failed keeps the archive from being written, not from being
            // checked: the person needs to see what is wrong with it before choosing the copy or it.
            Some((path, copy, findings)) => (
                pec_archive::Archive::open_read_only(path)?,
                Some((copy.clone(), findings.clone())),
            ),
            None => return Err(e),
        },
    };
    let report = archive.check()?;
    let anchored = match &anchor {
        Some(a) => Some((a, archive.check_anchor(a)?)),
        None => None,
    };
    let anchor_words = anchored.map(|(a, c)| anchor_words(a, c));
    if json {
        let mut value = serde_json::to_value(&report)?;
        if let (Some((_, c)), Some(words)) = (anchored, &anchor_words) {
            value["expect"] = serde_json::json!({ "holds": c.holds(), "message": words });
        }
        if let Some((copy, findings)) = &unverified {
            value["upgrade_unverified"] = serde_json::json!({ "copy": copy, "findings": findings });
        }
        println!("{value}");
    } else {
        if let Some((copy, findings)) = &unverified {
            println!(
                "UPGRADE NOT VERIFIED: {}; checked as it is, read-only (nothing written); the archive as it \
                 was before the upgrade is kept at {}",
                findings.join("; "),
                copy.display()
            );
        }
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
        if let Mailboxes::Only(list) = &report.scope.mailboxes {
            println!(
                "checked for your role's mailboxes ({}): the whole chain and their messages; {} messages of \
                 other mailboxes or imported from files not compared, nor the sends (a send's state comes \
                 from evidence your role may not see)",
                if list.is_empty() {
                    "none".to_owned()
                } else {
                    list.join(", ")
                },
                report.scope.messages_outside
            );
        }
        if let Some(words) = &anchor_words {
            println!("{words}");
        }
    }
    let mut status = if report.is_clean() && unverified.is_none() {
        Status::Ok
    } else {
        Status::Failed
    };
    if anchored.is_some_and(|(_, c)| !c.holds()) {
        status = status.max(Status::NotAsAnchored);
    }
    Ok(status)
}

/// The archive, copy and findings of an upgrade that could not be verified, if that is what `e` says.
fn unverified_upgrade(
    e: &anyhow::Error,
) -> Option<(&std::path::Path, &std::path::PathBuf, &Vec<String>)> {
    match e.downcast_ref::<pec_engine::EngineError>()? {
        pec_engine::EngineError::Archive(pec_archive::ArchiveError::UpgradeUnverified {
            path,
            copy,
            findings,
        }) => Some((path, copy, findings)),
        _ => None,
    }
}

fn anchor_words(anchor: &Anchor, check: AnchorCheck) -> String {
    match check {
        AnchorCheck::Holds { since: 0 } => format!(
            "as anchored: the archive is unchanged since head {anchor}, and nothing was added after it"
        ),
        AnchorCheck::Holds { since } => format!(
            "as anchored: the archive up to head {anchor} is unchanged; {since} entries since the anchor \
             (vouched for by the chain alone)"
        ),
        AnchorCheck::Differs { seq } => format!(
            "NOT AS ANCHORED: journal entry {seq}, recomputed from the start of the chain, does not give \
             the expected head {anchor}: the archive up to it was changed, even if its chain looks intact"
        ),
        AnchorCheck::Short { missing, last } => format!(
            "NOT AS ANCHORED: the expected head {anchor} is entry {}, but the chain {}: entries were \
             removed",
            anchor.seq,
            if missing <= last {
                format!("lacks entry {missing}")
            } else {
                format!("ends at entry {last}")
            }
        ),
    }
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
    let mut archive = context.archive_trusting(trust_dirs)?;
    let now = context.now()?;
    let mut bar = Progress::new("rebuilding", 0, false);
    let report = archive.rebuild((!no_verify).then_some(&pick), now, &mut |done, total| {
        bar.update(done, total, "messages");
    })?;
    bar.finish();
    println!(
        "rebuilt {} messages and {} sends; {} verdicts changed and were recorded; {} signed \
         attachment verdicts recorded",
        report.messages, report.sends, report.verdicts_changed, report.documents_changed
    );
    Ok(Status::Ok)
}

/// Gives a closure the signature `rebuild` asks for (its result outlives the origins it is given).
fn anchors_by_origin<'t, F: Fn(&[Origin]) -> &'t TrustAnchors>(f: F) -> F {
    f
}
