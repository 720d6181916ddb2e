//! Evidence packs made from the archive, as its journal records them (issue 18 §3): one
//! [`Event::Exported`] entry per pack written, naming the send, the messages it holds, the pack's file
//! name and SHA-256, and — as every entry — who made it.
//!
//! A pack says who exported it, but anyone can write a pack that says so. The journal entry is the
//! archive's own word, inside its hash chain: [`Archive::exports_of_pack`] finds the entries that
//! recorded a pack with these exact bytes, which is how a pack's claim is confirmed (or not).

use chrono::{DateTime, Utc};

use crate::error::ArchiveError;
use crate::journal::{Entry, Event};
use crate::open::Archive;
use crate::person::Person;
use crate::store::commit_with_journal;

/// A pack written, to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackWritten {
    /// The send's Message-ID, with brackets.
    pub msgid: String,
    /// The SHA-256 (hex) of every message in the pack.
    pub messages: Vec<String>,
    /// The pack's file name.
    pub file: String,
    /// The pack's SHA-256 (hex).
    pub pack_sha256: String,
}

/// An export the journal recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordedExport {
    /// The journal entry's number.
    pub seq: i64,
    /// When it was recorded (RFC 3339, as the entry says).
    pub at: String,
    /// Who made the pack, as the entry says (`None`: no person was set).
    pub by: Option<Person>,
    pub msgid: String,
    pub file: String,
}

impl Archive {
    /// Records, in the journal, that `pack` was written from this archive by the person this handle
    /// acts as.
    pub fn record_export(
        &mut self,
        pack: PackWritten,
        now: DateTime<Utc>,
    ) -> Result<(), ArchiveError> {
        let _lock = self.lock()?;
        let tx = self.conn.transaction()?;
        let event = Event::Exported {
            msgid: pack.msgid,
            messages: pack.messages,
            file: pack.file,
            pack_sha256: pack.pack_sha256,
        };
        commit_with_journal(&self.head_path, tx, vec![event], now, self.actor.as_ref())
    }

    /// The journal entries that recorded a pack whose SHA-256 is `pack_sha256` (hex), oldest first.
    /// Read as stored: `archive check` is what proves the journal was not edited.
    pub fn exports_of_pack(&self, pack_sha256: &str) -> Result<Vec<RecordedExport>, ArchiveError> {
        let wanted = pack_sha256.trim().to_ascii_lowercase();
        if wanted.len() != 64 || !wanted.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(Vec::new());
        }
        // NOTE: the text narrows the search (entries are JSON written by serde, fields in a fixed
        // order); each candidate is then read as an entry and compared exactly.
        let pattern = format!("%\"event\":\"exported\"%\"pack_sha256\":\"{wanted}\"%");
        let texts: Vec<String> = self
            .conn
            .prepare("SELECT entry FROM journal WHERE entry LIKE ?1 ORDER BY seq")?
            .query_map([pattern], |r| r.get(0))?
            .collect::<crate::db::Result<_>>()?;
        Ok(texts
            .iter()
            .filter_map(|t| serde_json::from_str::<Entry>(t).ok())
            .filter_map(|e| match e.event {
                Event::Exported {
                    msgid,
                    file,
                    pack_sha256,
                    ..
                } if pack_sha256 == wanted => Some(RecordedExport {
                    seq: e.seq,
                    at: e.at,
                    by: e.by,
                    msgid,
                    file,
                }),
                _ => None,
            })
            .collect())
    }
}
