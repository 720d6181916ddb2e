//! Syncing an account: every folder, incrementally, into the archive — stored, verified, linked
//! (issue 5). Read-only toward the server.
//!
//! The IMAP side runs on its own thread ([`fetch`]) and feeds the import pipeline, so fetched messages
//! are verified on every core and archived in batches exactly like imported ones. What to fetch is
//! decided by `pec_mail::imap::plan` from what the archive really holds, so a dropped connection, a
//! restarted server or a killed process resumes without loss or duplicate. A folder's state is marked
//! complete only after everything fetched from it was committed.

mod backoff;
mod fetch;

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use pec_archive::Archive;
use pec_archive::sync_state::FolderMark;
use pec_core::signature::TrustAnchors;
use serde::Serialize;

use crate::EngineError;
use crate::accounts::Account;
use crate::import::pipeline::run_with;
use crate::import::{ImportProgress, Skipped};

pub use backoff::Backoff;

/// How one folder went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderSync {
    pub folder: String,
    /// `inbox`, `sent` or `other`.
    pub role: pec_mail::imap::FolderRole,
    /// Messages the server has.
    pub on_server: u32,
    /// Messages fetched this time.
    pub fetched: u64,
    /// The server renumbered the folder (UIDVALIDITY changed): it was fetched again.
    pub uidvalidity_changed: bool,
    /// Everything was fetched (false if the sync was cancelled or the connection could not be restored).
    pub complete: bool,
    #[serde(skip)]
    pub(crate) mark: Option<FolderMark>,
}

impl FolderSync {
    /// The UIDVALIDITY the folder had during this sync (0 if it was never opened).
    pub fn mark_uidvalidity(&self) -> u32 {
        self.mark.map_or(0, |m| m.uidvalidity)
    }
}

/// How a sync went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncSummary {
    pub account: String,
    pub folders: Vec<FolderSync>,
    /// Messages archived for the first time.
    pub new: u64,
    /// Messages the archive already held (e.g. the same receipt in two folders).
    pub already_archived: u64,
    pub skipped: Vec<Skipped>,
    /// Times the connection was lost and restored during this sync.
    pub reconnects: u32,
    pub interrupted: bool,
}

/// Syncs every folder of `account` into `archive`, verifying against `anchors`.
pub fn sync_account(
    archive: &mut Archive,
    account: &Account,
    password: &str,
    anchors: &TrustAnchors,
    now: DateTime<Utc>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<SyncSummary, EngineError> {
    let now = account.clock(now);
    let roots = account.tls()?;
    let db = archive.location().clone();
    let (import, fetched) = run_with(archive, 0, anchors, now, cancel, progress, |sink| {
        fetch::run(&db, account, &roots, password, sink, cancel)
    })?;
    let fetched = fetched?;
    for folder in &fetched.folders {
        if let (true, Some(mark)) = (folder.complete, folder.mark) {
            archive.mark_synced(&account.address, &folder.folder, mark, now)?;
        }
    }
    Ok(SyncSummary {
        account: account.address.clone(),
        folders: fetched.folders,
        new: import.new,
        already_archived: import.already_archived,
        skipped: import.skipped,
        reconnects: fetched.reconnects,
        interrupted: import.interrupted,
    })
}

/// What the IMAP side did.
pub(crate) struct Fetched {
    pub folders: Vec<FolderSync>,
    pub reconnects: u32,
}
