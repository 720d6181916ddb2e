//! Exporting evidence packs (issue 7): one ZIP per sent message (see `pec_pack`), plus `index.json`
//! and a human-readable `index.txt`, into an output directory — for a list of sends or a filter, with
//! progress and cancellation. What `attesta export` runs now and the desktop app will call.
//!
//! Each pack's signatures are verified again with the anchors its evidence was verified with when it
//! arrived: those of the account it came from (see [`TrustBook`]), so a lab account's packs trust its
//! lab and nothing else does.
//!
//! Each pack names who exported it — the person the archive handle acts as (issue 18 §3) — and, once
//! written, is recorded in the archive's journal (`Exported`: the send, its messages, the pack's file
//! name and SHA-256, who), which is what confirms the pack's own statement later. Nothing else of the
//! archive is written. Each file appears under its final name only once it is complete (written beside
//! it, then renamed), so a cancelled or killed export never leaves half a pack; a pack whose journal
//! entry could not be written is removed again, so every pack an export leaves was recorded (but for a
//! crash between the two); the index lists exactly the packs written.

mod index;
mod select;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use pec_archive::exported::PackWritten;
use pec_archive::query::SentStatus;
use pec_archive::{Archive, ArchiveError, Origin, Person};
use pec_core::correlate::SentSummary;
use pec_core::signature::TrustAnchors;
use pec_pack::manifest::RecipientFacts;
use pec_pack::{Language, PackError, PackOptions, build_pack};
use serde::Serialize;

use crate::{EngineError, TrustBook};

pub use index::{INDEX_JSON, INDEX_TEXT};
pub use select::select;

/// One sent message, as a user names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendRef {
    /// An archive item id (as `status`, `search` and `show` print it): the send it is evidence of.
    Item(i64),
    /// The Message-ID the sender's client gave the message (brackets optional).
    MsgId(String),
}

impl SendRef {
    /// `12` or `#12` is an item id; anything else a Message-ID.
    pub fn parse(text: &str) -> SendRef {
        let t = text.trim();
        match t.trim_start_matches('#').parse::<i64>() {
            Ok(id) => SendRef::Item(id),
            Err(_) => SendRef::MsgId(t.to_owned()),
        }
    }
}

/// Which sends to export by their facts. Conditions combine with "and"; `states` with "or".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportFilter {
    /// Sent (or accepted) at or after.
    pub since: Option<DateTime<Utc>>,
    /// Sent (or accepted) before.
    pub until: Option<DateTime<Utc>>,
    /// Sends with evidence from this mailbox (an IMAP account, or Attesta's own submission).
    pub account: Option<String>,
    /// Sends whose overall outcome is one of these (any when empty).
    pub states: Vec<SentSummary>,
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Sends(Vec<SendRef>),
    Filter(ExportFilter),
}

/// One export job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    pub selection: Selection,
    /// Created if missing.
    pub out_dir: PathBuf,
    pub language: Language,
    /// When the packs are produced (and their signatures checked).
    pub produced_at: DateTime<Utc>,
    /// `Attesta 0.1.0`: the program that produces the packs.
    pub producer: String,
}

/// Where an export stands, reported before each pack and at the end.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExportProgress {
    pub total: usize,
    pub done: usize,
    /// The send being packed: its subject, else its Message-ID.
    pub current: Option<String>,
}

/// One pack written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedPack {
    pub file: String,
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    pub send_id: i64,
    pub msgid: String,
    pub subject: Option<String>,
    pub sender: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub summary: SentSummary,
    /// Each recipient's outcome, as the pack's receipts certify it.
    pub recipients: Vec<RecipientFacts>,
    /// Files in the pack (messages, report, manifest, sums).
    pub members: usize,
    /// Who exported it, as the pack and the archive's journal say (`None`: no person was set).
    pub exported_by: Option<Person>,
}

/// How an export ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    pub packs: Vec<ExportedPack>,
    /// Stopped before the end (cancelled); the index lists what was written.
    pub interrupted: bool,
    pub index_json: PathBuf,
    pub index_text: PathBuf,
}

/// Exports the packs `request` selects from `archive`, verifying signatures against `trust`, as the
/// person `archive` acts as. `cancel` is checked before each pack; `progress` is called before each
/// pack and at the end.
pub fn export(
    archive: &mut Archive,
    request: &ExportRequest,
    trust: &TrustBook,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&ExportProgress),
) -> Result<ExportSummary, EngineError> {
    let sends = select(archive, &request.selection, request.produced_at)?;
    export_sends(archive, &sends, request, trust, cancel, progress)
}

/// Exports `sends` (as [`select`] or [`Archive::status`] list them).
pub fn export_sends(
    archive: &mut Archive,
    sends: &[SentStatus],
    request: &ExportRequest,
    trust: &TrustBook,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&ExportProgress),
) -> Result<ExportSummary, EngineError> {
    let out = &request.out_dir;
    std::fs::create_dir_all(out).map_err(|source| EngineError::Write {
        path: out.clone(),
        source,
    })?;
    let options = PackOptions {
        language: request.language,
        produced_at: request.produced_at,
        checked_at: request.produced_at,
        producer: request.producer.clone(),
        exported_by: archive.actor().cloned(),
    };
    let mut packs = Vec::with_capacity(sends.len());
    let mut interrupted = false;
    let mut state = ExportProgress {
        total: sends.len(),
        done: 0,
        current: None,
    };
    for send in sends {
        if cancel.load(Ordering::Relaxed) {
            interrupted = true;
            break;
        }
        state.current = Some(send.subject.clone().unwrap_or_else(|| send.msgid.clone()));
        progress(&state);
        let (anchors, checked_at) = judged_by(archive, send, trust, request.produced_at)?;
        let options = PackOptions {
            checked_at,
            ..options.clone()
        };
        let pack = build_pack(archive, send, anchors, &options).map_err(|e| pack_error(e, out))?;
        let path = out.join(&pack.file_name);
        write_atomically(&path, &pack.bytes)?;
        let recorded = archive.record_export(
            PackWritten {
                msgid: send.msgid.clone(),
                messages: pack
                    .manifest
                    .messages()
                    .map(|(m, _)| m.sha256.clone())
                    .collect(),
                file: pack.file_name.clone(),
                pack_sha256: pack.sha256.clone(),
            },
            request.produced_at,
        );
        match recorded {
            Ok(()) => {}
            // A role of the firm's archive that reads only may export (issue 18 §4): the pack stands,
            // and its exporter stays the pack's own word (`verify-pack` says the journal has no entry).
            Err(pec_archive::ArchiveError::ReadOnly { .. }) => {}
            Err(e) => {
                // NOTE: a pack the journal does not know of would name an exporter nothing confirms.
                let _ = std::fs::remove_file(&path);
                return Err(e.into());
            }
        }
        packs.push(ExportedPack {
            file: pack.file_name.clone(),
            path,
            sha256: pack.sha256.clone(),
            size: pack.bytes.len() as u64,
            send_id: send.id,
            msgid: send.msgid.clone(),
            subject: pack.manifest.send.subject.clone(),
            sender: pack.manifest.send.sender.clone(),
            sent_at: pack.manifest.send.sent_at,
            accepted_at: pack.manifest.send.accepted_at,
            summary: pack.manifest.send.summary,
            recipients: pack.manifest.send.recipients.clone(),
            members: pack.manifest.members.len() + 2,
            exported_by: options.exported_by.clone(),
        });
        state.done += 1;
    }
    state.current = None;
    progress(&state);
    let written = index::write(out, request, &packs, interrupted)?;
    Ok(ExportSummary {
        packs,
        interrupted,
        index_json: written.0,
        index_text: written.1,
    })
}

/// The anchors `send`'s evidence arrived under and the clock to judge it at: those of the account it
/// was synced or sent from (a lab account's clock runs ahead after `attesta lab advance`), else
/// (imported from files) the general anchors and `now`.
fn judged_by<'t>(
    archive: &Archive,
    send: &SentStatus,
    trust: &'t TrustBook,
    now: DateTime<Utc>,
) -> Result<(&'t TrustAnchors, DateTime<Utc>), EngineError> {
    for id in &send.evidence {
        let origins = archive.origins(*id)?;
        if origins.iter().any(|o| !matches!(o, Origin::File { .. })) {
            return Ok((
                trust.for_origins(&origins),
                trust.clock_for_origins(&origins, now),
            ));
        }
    }
    Ok((&trust.general().anchors, now))
}

/// Writes `bytes` to `path` by way of a temporary file beside it, synced before the rename (issue 13
/// §5), so `path` is never half written, not even after a power cut. Packs are meant to be handed on:
/// mode 0644 less the umask.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
    crate::private::write_durably(path, bytes, 0o644).map_err(|source| EngineError::Write {
        path: path.to_owned(),
        source,
    })
}

fn pack_error(e: PackError, out: &Path) -> EngineError {
    match e {
        PackError::Archive(e) => EngineError::Archive(e),
        PackError::NoEvidence(msgid) => EngineError::Archive(ArchiveError::NoSuchItem(msgid)),
        PackError::Zip(detail) => EngineError::Write {
            path: out.to_owned(),
            source: std::io::Error::other(detail),
        },
        PackError::Read { path, source } => EngineError::Read { path, source },
    }
}
