//! The times the archive recorded of a message that its signer did not choose (issue 13 §4,
//! `docs/time.md`): the earliest IMAP INTERNALDATE of its arrivals and the archive's first sight.
//!
//! Whatever verifies archived evidence again — `archive rebuild`, an export — judges it with these, so
//! no later verdict forgets a witness the sync had.

use crate::db::{Db, OptionalExtension};
use chrono::{DateTime, Utc};
use pec_core::signature::TimeWitnesses;

use crate::error::ArchiveError;
use crate::journal::parse_time;
use crate::open::Archive;

/// The witnesses of message `id` at `now`; `archived_at` is its `raw.archived_at` when the caller has
/// it already (read otherwise).
pub(crate) fn recorded(
    conn: &Db,
    id: i64,
    archived_at: Option<&str>,
    now: DateTime<Utc>,
) -> crate::db::Result<TimeWitnesses> {
    let received: Option<String> = conn
        .prepare_cached("SELECT min(received_at) FROM origins WHERE raw_id = ?1")?
        .query_row([id], |r| r.get(0))?;
    let first_seen: Option<String> = match archived_at {
        Some(at) => Some(at.to_owned()),
        None => conn
            .prepare_cached("SELECT archived_at FROM raw WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?,
    };
    Ok(TimeWitnesses::at(now)
        .received(received.as_deref().and_then(parse_time))
        .first_seen(first_seen.as_deref().and_then(parse_time)))
}

impl Archive {
    /// The independent times recorded of message `id`, for verifying it again at `now`.
    pub fn witnesses(&self, id: i64, now: DateTime<Utc>) -> Result<TimeWitnesses, ArchiveError> {
        Ok(recorded(&self.conn, id, None, now)?)
    }
}
