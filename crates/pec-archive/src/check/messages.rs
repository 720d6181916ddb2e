//! Step 3 of `archive check`: every stored message against what the journal recorded for it — bytes,
//! size, origins, verdict — and its derived row against what its bytes give; then every recorded
//! message that is no longer stored. Columns are read by name.

use std::collections::{HashMap, HashSet};

use crate::db::{Db, Row, ValueRef};
use pec_core::inspect;
use sha2::{Digest, Sha256};

use super::differences::differences;
use super::recorded::Recorded;
use super::{Add, ProblemCode, provenance};
use crate::error::ArchiveError;
use crate::facts::Facts;
use crate::journal::hex;
use crate::rows::{FACT_COLUMNS, FactsRow};

/// Messages read at a time.
const CHUNK: i64 = 256;

/// Checks every stored message; returns how many there are.
pub(super) fn check(
    conn: &Db,
    recorded: &HashMap<String, Recorded>,
    add: &mut Add<'_>,
) -> Result<u64, ArchiveError> {
    // In chunks by id (inside the caller's snapshot): a million stored messages are never in memory at
    // once, on either engine.
    let text = format!(
        "SELECT r.id AS raw_id, r.sha256 AS raw_sha256, r.size AS raw_size, r.bytes AS raw_bytes, \
         r.codec AS raw_codec, m.id AS facts_id, m.sig_status AS sig_status, m.signed_at AS signed_at, \
         {FACT_COLUMNS} FROM raw r LEFT JOIN messages m ON m.id = r.id WHERE r.id > ?1 ORDER BY r.id LIMIT ?2"
    );
    let mut messages = 0u64;
    let mut seen: HashSet<String> = HashSet::new();
    let mut after = 0i64;
    loop {
        let mut stmt = conn.prepare_cached(&text)?;
        let mut rows = stmt.query([after, CHUNK])?;
        let mut any = false;
        while let Some(row) = rows.next()? {
            any = true;
            messages += 1;
            let stored = Stored::read(&row)?;
            after = stored.id;
            seen.insert(stored.sha256.clone());
            message(conn, &row, &stored, recorded, add)?;
        }
        if !any {
            break;
        }
    }
    removed(recorded, &seen, add);
    Ok(messages)
}

/// A stored message's raw row as found.
struct Stored {
    id: i64,
    /// The SHA-256 the row claims, in hex.
    sha256: String,
    size: i64,
    /// The bytes, unpacked (empty when they cannot be).
    bytes: Vec<u8>,
    /// Why the stored cell does not unpack, if it does not.
    unreadable: Option<String>,
}

impl Stored {
    fn read(row: &Row<'_>) -> crate::db::Result<Stored> {
        let size: i64 = row.get("raw_size")?;
        let codec: String = row.get("raw_codec")?;
        // NOTE: read whatever type the cell holds now (an edit may have stored text): a changed cell is
        // a finding to report, never an error that stops the check.
        let (bytes, unreadable) = row.with_value(&"raw_bytes", |v| {
            let cell: &[u8] = match v {
                ValueRef::Blob(b) => b,
                ValueRef::Text(t) => t.as_bytes(),
                _ => &[],
            };
            Ok(match crate::blob::unpack(&codec, cell, size as u64) {
                Ok(b) => (b, None),
                Err(why) => (Vec::new(), Some(why)),
            })
        })?;
        Ok(Stored {
            id: row.get("raw_id")?,
            sha256: hex(&row.get::<_, Vec<u8>>("raw_sha256")?),
            size,
            bytes,
            unreadable,
        })
    }
}

/// One stored message: recorded at all, its bytes, its origins, its verdict, its derived row.
fn message(
    conn: &Db,
    row: &Row<'_>,
    stored: &Stored,
    recorded: &HashMap<String, Recorded>,
    add: &mut Add<'_>,
) -> Result<(), ArchiveError> {
    let id = stored.id;
    let actual_sha = hex(&Sha256::digest(&stored.bytes));
    let Some(rec) = recorded.get(&stored.sha256) else {
        add(
            ProblemCode::MessageInserted,
            Some(id),
            format!(
                "message {id} ({} bytes, SHA-256 {actual_sha}) was never archived by Attesta: it was inserted behind its back",
                stored.bytes.len()
            ),
        );
        return Ok(());
    };
    if let Some(why) = &stored.unreadable {
        add(
            ProblemCode::BytesAltered,
            Some(id),
            format!(
                "message {id} was altered: archived on {} as {} bytes with SHA-256 {}, its stored bytes are now unreadable ({why})",
                rec.at, rec.size, stored.sha256
            ),
        );
        return Ok(());
    }
    if actual_sha != stored.sha256
        || stored.size as u64 != rec.size
        || stored.bytes.len() as u64 != rec.size
    {
        add(
            ProblemCode::BytesAltered,
            Some(id),
            format!(
                "message {id} was altered: archived on {} as {} bytes with SHA-256 {}, it now has {} bytes with SHA-256 {actual_sha}",
                rec.at,
                rec.size,
                stored.sha256,
                stored.bytes.len()
            ),
        );
    }
    provenance::origins(conn, id, rec, add)?;
    if row.get::<_, Option<i64>>("facts_id")?.is_none() {
        add(
            ProblemCode::FactsAltered,
            Some(id),
            format!("message {id} has no derived facts (run `attesta archive rebuild`)"),
        );
        return Ok(());
    }
    let sig_status: String = row.get("sig_status")?;
    let signed_at: Option<String> = row.get("signed_at")?;
    provenance::verdict(conn, id, rec, &sig_status, signed_at.as_deref(), add)?;
    provenance::documents(conn, id, rec, add)?;
    derived(id, row, &stored.bytes, add)?;
    Ok(())
}

/// The stored derived row against the one the bytes give now.
fn derived(id: i64, row: &Row<'_>, bytes: &[u8], add: &mut Add<'_>) -> crate::db::Result<()> {
    let stored = FactsRow::read(row)?;
    let fresh = FactsRow::from_facts(&Facts::derive(
        &inspect(bytes),
        pec_rem::read(bytes).as_ref(),
    ));
    if stored != fresh {
        add(
            ProblemCode::FactsAltered,
            Some(id),
            format!(
                "message {id}: derived data differs from what its bytes say ({}); run `attesta archive rebuild`",
                differences(&stored, &fresh)
            ),
        );
    }
    Ok(())
}

/// Every message the journal recorded whose bytes are no longer stored.
fn removed(recorded: &HashMap<String, Recorded>, seen: &HashSet<String>, add: &mut Add<'_>) {
    for (sha, rec) in recorded {
        if rec.size > 0 && !rec.outside && !seen.contains(sha) {
            let from = rec
                .origins
                .first()
                .map(|(o, _)| o.describe())
                .unwrap_or_default();
            add(
                ProblemCode::MessageRemoved,
                None,
                format!(
                    "a message was removed: {} bytes with SHA-256 {sha}, archived on {} from {from}",
                    rec.size, rec.at
                ),
            );
        }
    }
}
