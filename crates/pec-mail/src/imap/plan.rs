//! Sync decisions as a pure function: given what the archive holds of a folder and what the server says,
//! which UIDs to fetch (RFC 3501 §2.3.1.1 UIDVALIDITY, RFC 7162 CONDSTORE).
//!
//! The archive is the sync state: the UIDs it has recorded for a folder under a UIDVALIDITY are what was
//! really archived, so an interrupted sync (a dropped connection, a killed process) resumes exactly
//! where it stopped, with no gap and no duplicate. A UIDVALIDITY change means the old UIDs name nothing
//! any more: everything is fetched again, and the archive, which stores bytes by SHA-256, keeps one copy.

use std::collections::BTreeSet;

/// What the server says about a folder (from `EXAMINE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ServerFolder {
    pub uidvalidity: u32,
    pub uid_next: Option<u32>,
    pub exists: u32,
    pub highest_modseq: Option<u64>,
}

/// What the archive knows about a folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownFolder {
    /// UIDs archived under the server's current UIDVALIDITY.
    pub archived: BTreeSet<u32>,
    /// Whether messages were archived under another UIDVALIDITY.
    pub other_uidvalidity: bool,
    /// The server's state at the end of the last complete sync, if it was under this UIDVALIDITY.
    pub last_complete: Option<ServerFolder>,
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncPlan {
    /// Nothing changed since the last complete sync (same UIDNEXT, EXISTS and MODSEQ): no UID listing
    /// needed.
    UpToDate,
    /// Ask the server for its UIDs, then fetch those not archived ([`missing`]).
    ListAndFetch {
        /// The UIDVALIDITY changed since messages were archived: a full resync.
        uidvalidity_changed: bool,
    },
}

/// Decides how to sync a folder.
pub fn plan(known: &KnownFolder, server: &ServerFolder) -> SyncPlan {
    let unchanged = known.last_complete.is_some_and(|last| {
        last.uidvalidity == server.uidvalidity
            && last.uid_next.is_some()
            && last.uid_next == server.uid_next
            && last.exists == server.exists
            && last.highest_modseq == server.highest_modseq
    });
    if unchanged {
        return SyncPlan::UpToDate;
    }
    SyncPlan::ListAndFetch {
        uidvalidity_changed: known.archived.is_empty() && known.other_uidvalidity,
    }
}

/// The server's UIDs the archive does not hold, oldest first.
pub fn missing(server_uids: &BTreeSet<u32>, known: &KnownFolder) -> Vec<u32> {
    server_uids.difference(&known.archived).copied().collect()
}

/// A UID set for a command (`1:5,9,12:14`), from sorted UIDs.
pub fn uid_set(uids: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        let mut end = start;
        while i + 1 < uids.len() && uids[i + 1] == end + 1 {
            i += 1;
            end = uids[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(uidvalidity: u32, uid_next: u32, exists: u32) -> ServerFolder {
        ServerFolder {
            uidvalidity,
            uid_next: Some(uid_next),
            exists,
            highest_modseq: Some(7),
        }
    }

    #[test]
    fn an_unchanged_folder_needs_no_listing() {
        let known = KnownFolder {
            archived: (1..=10).collect(),
            other_uidvalidity: false,
            last_complete: Some(server(5, 11, 10)),
        };
        assert_eq!(plan(&known, &server(5, 11, 10)), SyncPlan::UpToDate);
        assert_eq!(
            plan(&known, &server(5, 12, 11)),
            SyncPlan::ListAndFetch {
                uidvalidity_changed: false
            }
        );
    }

    #[test]
    fn an_interrupted_sync_fetches_exactly_the_gaps() {
        let known = KnownFolder {
            archived: [1, 2, 3, 5, 8].into_iter().collect(),
            ..KnownFolder::default()
        };
        let on_server: BTreeSet<u32> = (1..=9).collect();
        assert_eq!(missing(&on_server, &known), [4, 6, 7, 9]);
        assert_eq!(
            plan(&known, &server(5, 10, 9)),
            SyncPlan::ListAndFetch {
                uidvalidity_changed: false
            }
        );
    }

    #[test]
    fn a_new_uidvalidity_is_a_full_resync() {
        let known = KnownFolder {
            archived: BTreeSet::new(),
            other_uidvalidity: true,
            last_complete: None,
        };
        assert_eq!(
            plan(&known, &server(6, 3, 2)),
            SyncPlan::ListAndFetch {
                uidvalidity_changed: true
            }
        );
        assert_eq!(missing(&[1, 2].into_iter().collect(), &known), [1, 2]);
    }

    #[test]
    fn uid_sets_compress_runs() {
        assert_eq!(uid_set(&[1, 2, 3, 5, 9, 10]), "1:3,5,9:10");
        assert_eq!(uid_set(&[7]), "7");
        assert_eq!(uid_set(&[]), "");
    }
}
