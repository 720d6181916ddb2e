//! What the archive knows of an IMAP folder: the UIDs it archived (from the recorded origins, so they
//! are exactly what was committed) and the server's state at the end of the last complete sync.

use std::collections::BTreeSet;

use crate::db::{OptionalExtension, params};
use chrono::{DateTime, Utc};

use crate::error::ArchiveError;
use crate::journal::time;
use crate::open::Archive;

/// The server's state of a folder after a complete sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderMark {
    pub uidvalidity: u32,
    pub uid_next: Option<u32>,
    pub exists: u32,
    pub highest_modseq: Option<u64>,
}

/// What the archive holds of one folder under one UIDVALIDITY.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderHoldings {
    pub uids: BTreeSet<u32>,
    /// Messages of this folder were archived under another UIDVALIDITY.
    pub other_uidvalidity: bool,
    /// The last complete sync, if it was under this UIDVALIDITY.
    pub last_complete: Option<FolderMark>,
}

impl Archive {
    /// What is archived of `account`'s `folder` under `uidvalidity`.
    pub fn folder_holdings(
        &self,
        account: &str,
        folder: &str,
        uidvalidity: u32,
    ) -> Result<FolderHoldings, ArchiveError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT uid FROM origins WHERE source = 'imap' AND account = ?1 AND folder = ?2 AND uidvalidity = ?3",
        )?;
        let uids = stmt
            .query_map(params![account, folder, uidvalidity], |r| {
                r.get::<_, u32>(0)
            })?
            .collect::<crate::db::Result<BTreeSet<u32>>>()?;
        let other_uidvalidity: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM origins WHERE source = 'imap' AND account = ?1 AND folder = ?2 \
             AND uidvalidity != ?3)",
            params![account, folder, uidvalidity],
            |r| r.get(0),
        )?;
        let last_complete = self
            .conn
            .query_row(
                "SELECT uidvalidity, uid_next, exists_count, highest_modseq FROM sync_state \
                 WHERE account = ?1 AND folder = ?2",
                params![account, folder],
                |r| {
                    Ok(FolderMark {
                        uidvalidity: r.get(0)?,
                        uid_next: r.get(1)?,
                        exists: r.get(2)?,
                        highest_modseq: r.get::<_, Option<i64>>(3)?.map(|m| m as u64),
                    })
                },
            )
            .optional()?
            .filter(|m| m.uidvalidity == uidvalidity);
        Ok(FolderHoldings {
            uids,
            other_uidvalidity,
            last_complete,
        })
    }

    /// Records that `folder` was synced completely when the server said `mark`.
    pub fn mark_synced(
        &mut self,
        account: &str,
        folder: &str,
        mark: FolderMark,
        now: DateTime<Utc>,
    ) -> Result<(), ArchiveError> {
        let _lock = self.lock()?;
        self.conn.execute(
            "INSERT INTO sync_state (account, folder, uidvalidity, uid_next, exists_count, highest_modseq, synced_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(account, folder) DO UPDATE SET \
             uidvalidity = excluded.uidvalidity, uid_next = excluded.uid_next, exists_count = excluded.exists_count, \
             highest_modseq = excluded.highest_modseq, synced_at = excluded.synced_at",
            params![
                account,
                folder,
                mark.uidvalidity,
                mark.uid_next,
                mark.exists,
                mark.highest_modseq.map(|m| m as i64),
                time(now)
            ],
        )?;
        Ok(())
    }
}
