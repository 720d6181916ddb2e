//! The outbox: every submission Attesta makes, from "archived, about to be sent" to "the provider took
//! it" — so that after a crash or a dropped connection it can find out what happened before it ever
//! submits again (issue 5: never send the same message twice).
//!
//! The submitted bytes enter the archive (origin `submitted`) in the same transaction that queues them:
//! nothing is ever sent that the archive does not already hold.

use crate::db::{OptionalExtension, params};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::ArchiveError;
use crate::journal::{parse_time, time};
use crate::open::Archive;
use crate::origin::Origin;
use crate::reading::Reading;
use crate::store::{Incoming, Seen, commit_with_journal, store_in};
use crate::stored::Cell;

pec_core::closed_set! {
    /// Where a submission stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum OutboxState {
        /// Archived, not yet handed to the provider.
        Queued = "queued",
        /// Being handed to the provider right now (if the process dies here, the outcome is unknown).
        Submitting = "submitting",
        /// The outcome is unknown (the connection dropped during the submission, or the process died):
        /// Attesta must find out before trying again.
        Uncertain = "uncertain",
        /// The provider took it (it answered 250, or its acceptance or the sent copy was found).
        Submitted = "submitted",
        /// The provider did not take it (refused, or the connection could not even be made).
        Failed = "failed",
    }
}

/// One submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    pub id: i64,
    /// The archived bytes.
    pub raw_id: i64,
    pub account: String,
    pub msgid: String,
    pub recipients: Vec<String>,
    pub state: OutboxState,
    /// How many times it was handed to the provider.
    pub attempts: u32,
    /// The provider's reply or the error, in words.
    pub detail: Option<String>,
    /// Where the sent copy is (`kept by the provider`, `stored by Attesta in Sent`), once known.
    pub sent_copy: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, raw_id, account, msgid, recipients, state, attempts, detail, sent_copy, created_at, updated_at";

fn entry(r: &crate::db::Row<'_>) -> crate::db::Result<OutboxEntry> {
    Ok(OutboxEntry {
        id: r.get(0)?,
        raw_id: r.get(1)?,
        account: r.get(2)?,
        msgid: r.get(3)?,
        recipients: Cell::new("outbox", "recipients", r.get(0)?).json(&r.get::<_, String>(4)?)?,
        state: Cell::new("outbox", "state", r.get(0)?).read(&r.get::<_, String>(5)?)?,
        attempts: r.get(6)?,
        detail: r.get(7)?,
        sent_copy: r.get(8)?,
        created_at: parse_time(&r.get::<_, String>(9)?),
        updated_at: parse_time(&r.get::<_, String>(10)?),
    })
}

impl Archive {
    /// Archives the exact bytes about to be submitted for `account` and queues them, in one
    /// transaction. The submission's origin names the person this handle acts as: the sender.
    pub fn enqueue(
        &mut self,
        raw: Vec<u8>,
        reading: Reading,
        account: &str,
        msgid: &str,
        recipients: &[String],
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry, ArchiveError> {
        Ok(self
            .enqueue_with(raw, reading, account, msgid, recipients, now, false)?
            .0)
    }

    /// Like [`Archive::enqueue`], for a message composed earlier and kept elsewhere until now (a send
    /// queued on a desktop while the firm's server did not answer, issue 18 §6): its Message-ID is
    /// its idempotency key. When the outbox already holds that Message-ID (this desktop moved it
    /// before a crash, or another desktop holds the same message), nothing is archived or queued
    /// again and the entry there is returned, with `false`. The check and the insert are one
    /// transaction under the writers' lock, so two desktops moving it at once queue it once.
    pub fn enqueue_once(
        &mut self,
        raw: Vec<u8>,
        reading: Reading,
        account: &str,
        msgid: &str,
        recipients: &[String],
        now: DateTime<Utc>,
    ) -> Result<(OutboxEntry, bool), ArchiveError> {
        self.enqueue_with(raw, reading, account, msgid, recipients, now, true)
    }

    #[allow(clippy::too_many_arguments)]
    fn enqueue_with(
        &mut self,
        raw: Vec<u8>,
        reading: Reading,
        account: &str,
        msgid: &str,
        recipients: &[String],
        now: DateTime<Utc>,
        once: bool,
    ) -> Result<(OutboxEntry, bool), ArchiveError> {
        let _lock = self.lock()?;
        let tx = self.conn.transaction()?;
        if once {
            let earlier: Option<i64> = tx
                .query_row(
                    "SELECT min(id) FROM outbox WHERE msgid = ?1",
                    [msgid],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            if let Some(id) = earlier {
                drop(tx);
                return Ok((self.outbox_entry(id)?, false));
            }
        }
        let incoming = Incoming {
            received: None,
            raw,
            // Issue 18 §3: who sent it is recorded with the submission, in its row and its journal entry.
            origin: Origin::Submitted {
                account: account.to_owned(),
                by: self.actor.clone(),
            },
            reading: Some(reading),
        };
        let (outcome, events) = store_in(
            &tx,
            [(incoming, Seen::at(now))],
            now,
            self.documents.as_deref(),
        )?;
        let raw_id = outcome.items[0].id();
        let id: i64 = tx.query_row(
            "INSERT INTO outbox (raw_id, account, msgid, recipients, state, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?5) RETURNING id",
            params![
                raw_id,
                account,
                msgid,
                serde_json::to_string(recipients).unwrap_or_default(),
                time(now)
            ],
            |r| r.get(0),
        )?;
        commit_with_journal(&self.head_path, tx, events, now, self.actor.as_ref())?;
        Ok((self.outbox_entry(id)?, true))
    }

    /// Takes a `queued` entry to hand it to the provider (`submitting`, one attempt more): true for
    /// the one caller that moved it, false when it was no longer `queued` (another desktop, or an
    /// earlier run, took it first). The check and the change are one statement.
    pub fn outbox_claim(&mut self, id: i64, now: DateTime<Utc>) -> Result<bool, ArchiveError> {
        let _lock = self.lock()?;
        let changed = self.conn.execute(
            "UPDATE outbox SET state = 'submitting', attempts = attempts + 1, updated_at = ?2 \
             WHERE id = ?1 AND state = 'queued'",
            params![id, time(now)],
        )?;
        Ok(changed == 1)
    }

    /// One outbox entry.
    pub fn outbox_entry(&self, id: i64) -> Result<OutboxEntry, ArchiveError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
                [id],
                entry,
            )
            .optional()?
            .ok_or_else(|| ArchiveError::NoSuchItem(format!("outbox {id}")))
    }

    /// The outbox, newest first; only `account`'s if given.
    pub fn outbox(&self, account: Option<&str>) -> Result<Vec<OutboxEntry>, ArchiveError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE CAST(?1 AS TEXT) IS NULL OR account = ?1 ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([account], entry)?;
        Ok(rows.collect::<crate::db::Result<Vec<_>>>()?)
    }

    /// Moves an entry to `state`, with what was learnt. Entering `submitting` counts an attempt.
    pub fn outbox_set(
        &mut self,
        id: i64,
        state: OutboxState,
        detail: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), ArchiveError> {
        let _lock = self.lock()?;
        let attempt = i64::from(state == OutboxState::Submitting);
        self.conn.execute(
            "UPDATE outbox SET state = ?2, detail = coalesce(?3, detail), attempts = attempts + ?4, \
             updated_at = ?5 WHERE id = ?1",
            params![id, state.as_str(), detail, attempt, time(now)],
        )?;
        Ok(())
    }

    /// Records where the sent copy is.
    pub fn outbox_sent_copy(
        &mut self,
        id: i64,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<(), ArchiveError> {
        let _lock = self.lock()?;
        self.conn.execute(
            "UPDATE outbox SET sent_copy = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, note, time(now)],
        )?;
        Ok(())
    }

    /// Whether any receipt (acceptance, non-acceptance, delivery…) names `msgid`: the provider took it.
    pub fn has_receipt_for(&self, msgid: &str) -> Result<bool, ArchiveError> {
        let key = pec_core::ids::unbracketed(msgid);
        Ok(self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM messages WHERE link_key = ?1 AND kind != 'not-pec')",
            [key],
            |r| r.get(0),
        )?)
    }
}
