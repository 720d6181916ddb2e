//! Drafts survive a restart: each one is a JSON file in `drafts/` in the data directory, written
//! privately (0600) and durably (synced, then renamed: `pec_engine::private`) on every save and
//! removed once the message is sent. Attachments are paths, read at send time.

use std::path::PathBuf;

use chrono::Utc;
use pec_engine::DataDir;
use serde::{Deserialize, Serialize};

use crate::dto::compose::{DraftForm, DraftInfo};
use crate::error::{AppError, AppResult};

#[derive(Serialize, Deserialize)]
struct Stored {
    saved_at: String,
    draft: DraftForm,
}

fn folder(dir: &DataDir) -> PathBuf {
    dir.path().join("drafts")
}

/// Only ids Attesta made (digits and dashes) name a file: a crafted id never reaches outside `drafts/`.
fn path(dir: &DataDir, id: &str) -> AppResult<PathBuf> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return Err(AppError::NotFound {
            what: format!("draft {id}"),
        });
    }
    Ok(folder(dir).join(format!("{id}.json")))
}

/// Saves `draft` (a new id if it has none) and returns it as kept.
pub fn save(dir: &DataDir, mut draft: DraftForm) -> AppResult<DraftForm> {
    let now = Utc::now();
    let id = draft
        .id
        .clone()
        .unwrap_or_else(|| format!("{}-{}", now.timestamp_millis(), std::process::id()));
    draft.id = Some(id.clone());
    let file = path(dir, &id)?;
    dir.create()?;
    pec_engine::private::create_private_dir(&folder(dir))
        .map_err(|e| AppError::io(&folder(dir), e))?;
    let stored = Stored {
        saved_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        draft: draft.clone(),
    };
    let bytes = serde_json::to_vec_pretty(&stored).map_err(AppError::internal)?;
    // For its owner only (0600), synced before it is renamed into place (issue 13 §5).
    pec_engine::private::write_private_file(&file, &bytes).map_err(|e| AppError::io(&file, e))?;
    Ok(draft)
}

fn read(file: &std::path::Path) -> Option<Stored> {
    serde_json::from_slice(&std::fs::read(file).ok()?).ok()
}

/// Every kept draft, newest first.
pub fn list(dir: &DataDir) -> Vec<DraftInfo> {
    let mut out: Vec<DraftInfo> = std::fs::read_dir(folder(dir))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| read(&p))
        .map(|s| DraftInfo {
            id: s.draft.id.clone().unwrap_or_default(),
            subject: s.draft.subject,
            to: s.draft.to,
            saved_at: s.saved_at,
        })
        .collect();
    out.sort_by(|a, b| b.saved_at.cmp(&a.saved_at));
    out
}

pub fn load(dir: &DataDir, id: &str) -> AppResult<DraftForm> {
    read(&path(dir, id)?)
        .map(|s| s.draft)
        .ok_or(AppError::NotFound {
            what: format!("draft {id}"),
        })
}

pub fn delete(dir: &DataDir, id: &str) -> AppResult<()> {
    match std::fs::remove_file(path(dir, id)?) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(AppError::io(&folder(dir), e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::words::ReceiptKind;

    #[test]
    fn a_saved_draft_reads_back_after_a_restart_and_goes_once_deleted() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        let kept = save(
            &dir,
            DraftForm {
                id: None,
                account: "studio@pec.it".into(),
                to: vec!["a@pec.it".into()],
                cc: vec![],
                subject: "Diffida".into(),
                body: "Testo".into(),
                attachments: vec![],
                receipt: ReceiptKind::Breve,
            },
        )
        .unwrap();
        let id = kept.id.clone().unwrap();
        assert_eq!(load(&dir, &id).unwrap(), kept);
        assert_eq!(list(&dir).len(), 1);
        assert!(load(&dir, "../../etc/passwd").is_err());
        delete(&dir, &id).unwrap();
        assert!(list(&dir).is_empty());
    }
}
