//! `attesta import`: bring existing mail into the archive — `.eml` files, directories, mbox files,
//! Maildir folders — verifying and linking as it goes (issue 4).
//!
//! [`sources`] lists what to read; [`pipeline`] reads, verifies and archives on every core. Progress is
//! reported by bytes read, so an mbox of unknown length still shows a true bar.

pub(crate) mod pipeline;
pub mod sources;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use pec_archive::Archive;
use pec_core::signature::TrustAnchors;
use serde::Serialize;

use crate::EngineError;

/// Where an import stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportProgress {
    pub total_bytes: u64,
    pub done_bytes: u64,
    pub new: u64,
    pub already_archived: u64,
    pub skipped: u64,
}

/// Something that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    pub why: String,
}

/// How an import ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Messages archived for the first time.
    pub new: u64,
    /// Messages the archive already held (also from another path or folder).
    pub already_archived: u64,
    /// Files or messages that are not mail or could not be read.
    pub skipped: Vec<Skipped>,
    /// Stopped before the end (cancelled); running it again continues.
    pub interrupted: bool,
}

/// Imports `paths` into `archive`, verifying against `anchors` as of each signature's time. `mailbox`
/// names the mailbox the files belong to (issue 18 §4): on the firm's shared archive, the people
/// granted that mailbox see what they hold; files of no mailbox are seen by those granted all.
pub fn import(
    archive: &mut Archive,
    paths: &[PathBuf],
    mailbox: Option<&str>,
    anchors: &TrustAnchors,
    now: DateTime<Utc>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportSummary, EngineError> {
    let mailbox = mailbox
        .map(|given| {
            pec_archive::mailbox_name(given).ok_or_else(|| EngineError::NotAMailbox {
                given: given.to_owned(),
            })
        })
        .transpose()?;
    let files = sources::enumerate(paths)?;
    pipeline::run(archive, files, mailbox, anchors, now, cancel, progress)
}
