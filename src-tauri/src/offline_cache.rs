//! What the window listed and read while the firm's archive server answered, kept on this desktop so
//! that it stays readable while the server does not (issue 18 §6): the last answer to each list page,
//! the counts, the folders, and every message opened, as JSON in `offline-cache/SERVER/` of the data
//! directory (private to its owner, like the directory). When the archive errors because its server
//! cannot be reached, the same commands answer from here, and the window marks the answer
//! "copia locale"; a search answers from the list pages kept ([`search_copies`]). A cache, never
//! evidence: nothing here is archived, checked or exported, and an archive on this computer's own file
//! has none. It is pruned at each start ([`prune`]): copies not refreshed for [`MAX_AGE`] go, then the
//! oldest until the whole is under [`MAX_BYTES`].

use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::dto::list::{MessagePage, SearchResult};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The kind of key ([`key`]) a list page is kept under.
pub const LIST: &str = "list";

/// The folder of the cache in a data directory.
pub const FOLDER: &str = "offline-cache";

/// A copy not refreshed for this long (the page or message not seen while connected) is removed.
pub const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(60 * 24 * 3600);

/// The most the cache keeps, all servers together; the oldest copies go first.
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Prunes the cache of data directory `data` to [`MAX_AGE`] and [`MAX_BYTES`]; returns how many
/// copies were removed. Run at start, in the background.
pub fn prune(data: &std::path::Path) -> usize {
    prune_to(&data.join(FOLDER), MAX_AGE, MAX_BYTES)
}

fn prune_to(root: &std::path::Path, max_age: std::time::Duration, max_bytes: u64) -> usize {
    let mut copies: Vec<(std::time::SystemTime, u64, PathBuf)> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|server| {
            std::fs::read_dir(server.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .filter_map(|e| {
            let meta = e.metadata().ok().filter(|m| m.is_file())?;
            Some((meta.modified().ok()?, meta.len(), e.path()))
        })
        .collect();
    // Newest first: what is kept is a prefix.
    copies.sort_by_key(|c| std::cmp::Reverse(c.0));
    let mut kept = 0u64;
    let mut removed = 0;
    for (modified, size, path) in copies {
        let old = modified.elapsed().is_ok_and(|age| age > max_age);
        if old || kept + size > max_bytes {
            removed += usize::from(std::fs::remove_file(&path).is_ok());
        } else {
            kept += size;
        }
    }
    removed
}

/// A cache key for `what` (a list's request, as JSON), short and safe as a file name.
pub fn key(kind: &str, what: &impl Serialize) -> String {
    use std::hash::{Hash, Hasher};
    // NOTE: std's hasher may change between Rust releases: a copy kept by an older build is then
    // not found (a cache miss), never mistaken for another.
    let mut hasher = std::hash::DefaultHasher::new();
    serde_json::to_string(what)
        .unwrap_or_default()
        .hash(&mut hasher);
    format!("{kind}-{:016x}", hasher.finish())
}

fn file(state: &AppState, key: &str) -> Option<PathBuf> {
    Some(state.offline_cache()?.join(format!("{key}.json")))
}

/// `fresh()` from the archive, kept under `key`; when the archive's server cannot be reached, the
/// copy kept under `key` instead. The flag says whether the answer is that copy.
pub fn through<T: Serialize + DeserializeOwned>(
    state: &AppState,
    key: &str,
    fresh: impl FnOnce() -> AppResult<T>,
) -> AppResult<(T, bool)> {
    let Some(path) = file(state, key) else {
        return Ok((fresh()?, false));
    };
    match fresh() {
        Ok(value) => {
            keep(&path, &value);
            Ok((value, false))
        }
        Err(e @ AppError::ArchiveUnreachable { .. }) => {
            match std::fs::read(&path)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
            {
                Some(value) => Ok((value, true)),
                None => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// The messages of the list pages kept on this desktop whose subject or sender hold every word of
/// `text` (matched and ordered as the archive's search does: `pec_archive::search::ranking`), every word
/// in the subject first, the most recently archived first within each, at most `limit`: what a search
/// can answer while the firm's server does not (issue 18 §6). Only the lists' subjects and senders
/// are kept here, so a word found only in a message's text, its recipients or an attachment's name is
/// not found. `None` for an archive on this computer's own file (it has no copies).
pub fn search_copies(state: &AppState, text: &str, limit: usize) -> Option<Vec<SearchResult>> {
    use pec_archive::search::{Words, ranking::Tier};
    let folder = state.offline_cache()?;
    let words = Words::of(text);
    if words.is_empty() {
        return Some(Vec::new());
    }
    let mut found: std::collections::HashMap<u32, SearchResult> = Default::default();
    for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(&format!("{LIST}-")) && name.ends_with(".json")) {
            continue;
        }
        let Some(page) = std::fs::read(entry.path())
            .ok()
            .and_then(|b| serde_json::from_slice::<MessagePage>(&b).ok())
        else {
            continue;
        };
        for row in &page.rows {
            if words.tier(row.subject.as_deref(), row.sender.as_deref()) != Tier::Elsewhere {
                found.insert(row.id, SearchResult::from(row));
            }
        }
    }
    let mut hits: Vec<SearchResult> = found.into_values().collect();
    hits.sort_by_cached_key(|h| {
        words.place(h.subject.as_deref(), h.sender.as_deref(), h.id.into())
    });
    hits.truncate(limit);
    Some(hits)
}

/// Writes the copy whole or not at all (a temporary file renamed); a copy that cannot be written is
/// not worth failing the answer for.
fn keep(path: &std::path::Path, value: &impl Serialize) {
    let Some(folder) = path.parent() else {
        return;
    };
    let Ok(json) = serde_json::to_vec(value) else {
        return;
    };
    let tmp = path.with_extension("tmp");
    let _ = std::fs::create_dir_all(folder)
        .and_then(|()| std::fs::write(&tmp, json))
        .and_then(|()| std::fs::rename(&tmp, path));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::list::Counts;
    use pec_engine::{DataDir, EngineConfig};

    /// A data directory whose archive is on a server nobody listens for (port 1 of this computer).
    fn away() -> (tempfile::TempDir, DataDir) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        dir.create().unwrap();
        let mut config = EngineConfig::load(&dir).unwrap();
        config.shared_archive = Some("postgres://attesta@127.0.0.1:1/attesta".into());
        config.save(&dir).unwrap();
        (tmp, dir)
    }

    /// The window's state on [`away`]'s data directory; `None` (SKIPPED) without an OS keyring.
    fn away_state() -> Option<(tempfile::TempDir, AppState)> {
        let (tmp, dir) = away();
        // NOTE: the server's password is looked up in the OS keyring (scripts/lib/keyring-session).
        match AppState::open(dir) {
            Err(AppError::NoKeyring { .. }) => {
                println!("SKIPPED: no OS keyring (scripts/lib/keyring-session)");
                None
            }
            other => Some((tmp, other.unwrap())),
        }
    }

    fn counts(inbox: u32) -> Counts {
        Counts {
            inbox,
            receipts: 0,
            anomalies: 0,
            sent: 0,
            overdue: 0,
        }
    }

    fn row(id: u32, subject: &str, sender: &str) -> crate::dto::list::MessageRow {
        crate::dto::list::MessageRow {
            id,
            family: pec_core::Family::Pec,
            kind: pec_core::PecKind::NotPec,
            rem_event: None,
            subject: Some(subject.into()),
            sender: Some(sender.into()),
            at: None,
            verdict: pec_core::signature::SignatureStatus::Unsigned,
            provider: None,
            consegna: None,
            msgid: None,
            errore_esteso: None,
        }
    }

    #[test]
    fn issue_18_a_search_while_the_server_is_away_finds_what_the_lists_kept_hold() {
        let Some((_tmp, state)) = away_state() else {
            return;
        };
        let page = |rows| MessagePage {
            total: None,
            offset: 0,
            rows,
            cached: false,
        };
        // Two pages kept while the server answered; one message in both.
        for (what, rows) in [
            (
                "inbox",
                vec![
                    row(3, "Diffida Alfa", "studio@pec.example"),
                    row(5, "Sollecito", "alfa@pec.example"),
                    row(9, "Varie", "beta@pec.example"),
                ],
            ),
            (
                "sent",
                vec![
                    row(3, "Diffida Alfa", "studio@pec.example"),
                    row(7, "Diffida ad adempiere ALFA", "studio@pec.example"),
                ],
            ),
        ] {
            through(&state, &key(LIST, &what), || Ok(page(rows))).unwrap();
        }
        let found = |text: &str| -> Vec<u32> {
            search_copies(&state, text, 10)
                .unwrap()
                .iter()
                .map(|h| h.id)
                .collect()
        };
        // Every word in the subject first, newest first; then in the subject and sender; each once.
        assert_eq!(found("diffida alf"), [7, 3]);
        assert_eq!(found("alfa"), [7, 3, 5]);
        assert_eq!(found("societa"), Vec::<u32>::new());
        assert_eq!(found("  "), Vec::<u32>::new());
        assert_eq!(search_copies(&state, "alfa", 1).unwrap().len(), 1);
    }

    #[test]
    fn issue_18_a_desktop_started_while_the_server_is_away_starts_and_reads_its_copy() {
        let Some((_tmp, state)) = away_state() else {
            return;
        };
        assert!(matches!(
            state.archive().err(),
            Some(AppError::ArchiveUnreachable { .. })
        ));
        assert!(state.away(), "the minute's sync waits for the server");
        // Nothing kept yet: the error is the answer.
        let first = through(&state, "counts", || Ok(state.archive()?.message_count()?));
        assert!(matches!(first, Err(AppError::ArchiveUnreachable { .. })));
        // What was read while it answered is kept, and is the answer while it does not.
        let (fresh, cached) = through(&state, "counts", || Ok(counts(7))).unwrap();
        assert_eq!((fresh, cached), (counts(7), false));
        let (kept, cached) = through(&state, "counts", || {
            Ok(counts(state.archive()?.message_count()? as u32))
        })
        .unwrap();
        assert_eq!((kept, cached), (counts(7), true));
        // Another error than an unreachable server is never hidden behind the copy.
        let other = through::<Counts>(&state, "counts", || Err(AppError::ArchiveReadOnly));
        assert!(matches!(other, Err(AppError::ArchiveReadOnly)));
    }

    #[test]
    fn an_archive_on_this_computer_keeps_no_copy() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        dir.create().unwrap();
        let state = AppState::open(dir).unwrap();
        assert!(state.offline_cache().is_none());
        assert!(!state.away());
        through(&state, "counts", || Ok(counts(1))).unwrap();
        assert!(!tmp.path().join(FOLDER).exists());
    }

    #[test]
    fn the_copy_is_pruned_of_old_pages_then_of_the_oldest_beyond_its_size() {
        let tmp = tempfile::tempdir().unwrap();
        let server = tmp.path().join(FOLDER).join("db.studio.it-5432-attesta");
        std::fs::create_dir_all(&server).unwrap();
        let now = std::time::SystemTime::now();
        let day = std::time::Duration::from_secs(24 * 3600);
        for (name, age_days) in [("old", 90), ("three-days", 3), ("newer", 2), ("newest", 1)] {
            let path = server.join(format!("{name}.json"));
            std::fs::write(&path, vec![b'x'; 1000]).unwrap();
            std::fs::File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_modified(now - age_days * day)
                .unwrap();
        }
        // 60 days at most, 2,500 bytes at most: the 90-day copy goes for its age, then the oldest
        // of the rest for the size.
        assert_eq!(prune_to(&tmp.path().join(FOLDER), 60 * day, 2500), 2);
        let mut left: Vec<String> = std::fs::read_dir(&server)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["newer.json", "newest.json"]);
        assert_eq!(
            prune_to(&tmp.path().join("nothing-here"), 60 * day, 2500),
            0
        );
    }
}
