//! `attesta verify-pack [--json] [--trust-dir DIR] PACK.zip...`: does each evidence pack still hold?
//! Offline: every member's SHA-256, every provider signature, every outcome the pack states (issue 7);
//! each receipt bound to the send by its signed data, the sent copy and the report checked against what
//! is signed, and the verdict says apart what provider signatures prove and what only the pack's own
//! hashes carry, which anyone can recompute (issue 13 §2).
//!
//! Each message's signed attachments (issue 15 §6) are found again in its own bytes and verified
//! again with the data directory's Trusted Lists and trusted directories (and `--trust-dir`).
//!
//! Who exported a pack (issue 18 §3) is the pack's own statement: when the data directory has an
//! archive, its journal is asked whether it recorded this very file (by its SHA-256) and by whom.
//!
//! Exit status 0 when every pack holds, 1 when something in one does not (the member is named) or the
//! journal recorded the pack as exported by someone else than it says, 2 for usage or I/O errors (a
//! file that cannot be opened).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use pec_archive::exported::RecordedExport;
use pec_archive::{Archive, Person};
use pec_core::signature::SignatureStatus;
use pec_pack::words::verdict;
use pec_pack::{Language, PackVerdict, verify_pack_file_with};
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
    /// The SHA-256 of the pack file: what its export recorded in the archive's journal.
    sha256: Option<&'a str>,
    #[serde(flatten)]
    verdict: &'a PackVerdict,
    /// The entries of this data directory's archive journal that recorded this pack (issue 18 §3);
    /// absent when there is no archive here to ask.
    #[serde(skip_serializing_if = "Option::is_none")]
    journal: Option<&'a [RecordedExport]>,
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
    // Each message's signed attachments are verified again from its own bytes (issue 15 §6), with
    // this data directory's Trusted Lists and trusted directories.
    let documents = pec_engine::documents::ArchiveDocuments::with_extra(
        &context.dir()?,
        &context.config()?,
        &args.trust_dirs,
    );
    // Who exported a pack is the pack's own word; this data directory's archive, if there is one,
    // says whether its journal recorded that export (issue 18 §3). Only read, never created.
    let location = context.location()?;
    let archive = if location.exists() {
        match location.open_read_only() {
            Ok(a) => Some(a),
            Err(e) => {
                // NOTE: the packs are still checked; only who exported them goes unconfirmed.
                eprintln!(
                    "attesta: the archive {} could not be read to confirm who exported the packs: {e}",
                    location.shown()
                );
                None
            }
        }
    } else {
        None
    };
    let mut status = Status::Ok;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &args.packs {
        let name = path.display().to_string();
        let verdict = match verify_pack_file_with(path, &trust.anchors, Some(&documents), now) {
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
        let sha256 = std::fs::File::open(path)
            .and_then(pec_pack::sums::sha256_reader)
            .ok();
        let journal = match (&archive, &sha256) {
            (Some(a), Some(sha)) => Some(a.exports_of_pack(sha)?),
            _ => None,
        };
        let exporter = Exporter::of(&verdict, archive.as_ref(), journal.as_deref());
        if exporter == Exporter::Contradicted {
            status = status.max(Status::Failed);
        }
        let written = if args.json {
            serde_json::to_string(&Line {
                file: name,
                sha256: sha256.as_deref(),
                verdict: &verdict,
                journal: journal.as_deref(),
            })
            .map_err(std::io::Error::other)
            .and_then(|line| writeln!(out, "{line}"))
        } else {
            write_human(&mut out, &name, &verdict).and_then(|()| {
                let said = exporter.words(&verdict, journal.as_deref().unwrap_or_default());
                writeln!(out, "  exported:  {said}")?;
                writeln!(out)
            })
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
    Ok(())
}

/// What can be said of who exported a pack: the pack's statement, and whether this data directory's
/// archive journal confirms it (issue 18 §3). Only a journal entry naming this very file's SHA-256 can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exporter {
    /// The pack is too old to say, or unreadable.
    NotStated,
    /// No archive here to ask.
    NoArchive,
    /// The archive's journal does not know this pack (another archive's, or edited and re-hashed).
    NotInJournal,
    /// The journal recorded this pack, exported by the person the pack names.
    Confirmed,
    /// The journal recorded this pack as exported by someone else than the pack says.
    Contradicted,
}

impl Exporter {
    fn of(
        verdict: &PackVerdict,
        archive: Option<&Archive>,
        journal: Option<&[RecordedExport]>,
    ) -> Exporter {
        let Some(stated) = &verdict.exported_by else {
            return Exporter::NotStated;
        };
        match (archive, journal) {
            (None, _) | (_, None) => Exporter::NoArchive,
            (Some(_), Some([])) => Exporter::NotInJournal,
            (Some(_), Some(entries)) if entries.iter().all(|e| e.by == *stated) => {
                Exporter::Confirmed
            }
            (Some(_), Some(_)) => Exporter::Contradicted,
        }
    }

    fn words(self, verdict: &PackVerdict, journal: &[RecordedExport]) -> String {
        let who = match verdict.exported_by.as_ref() {
            Some(Some(p)) => format!("by {p}"),
            Some(None) => "not recorded (no person was set where it was made)".to_owned(),
            None => String::new(),
        };
        let entries = journal
            .iter()
            .map(|e| {
                let by =
                    e.by.as_ref()
                        .map_or_else(|| "no one recorded".to_owned(), Person::describe);
                format!("#{} of {}, by {by}", e.seq, e.at)
            })
            .collect::<Vec<_>>()
            .join("; ");
        match self {
            Exporter::NotStated => {
                "not stated (a pack made before Attesta recorded who exported)".to_owned()
            }
            Exporter::NoArchive => format!(
                "{who}, as the pack says; there is no archive here whose journal could confirm it"
            ),
            Exporter::NotInJournal => format!(
                "{who}, as the pack says; this archive's journal has no record of this pack (its \
                 SHA-256), so that rests on the pack's word alone"
            ),
            Exporter::Confirmed => format!(
                "{who}, as this archive's journal recorded this very pack (entry {entries}; `attesta \
                 archive check` proves the journal intact)"
            ),
            Exporter::Contradicted => format!(
                "NOT AS RECORDED: the pack says {who}, but this archive's journal recorded this very \
                 pack otherwise (entry {entries}); run `attesta archive check`"
            ),
        }
    }
}
