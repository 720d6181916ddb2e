//! Drafts survive a restart: each one is a JSON file in `drafts/` in the data directory, written
//! privately (0600) and durably (synced, then renamed: `pec_engine::private`) on every save and removed
//! once the message is sent. Attachments are kept here as paths, on the shell's side: the window only ever
//! sees the tokens [`PickedFiles`] issues for them when a draft is loaded, and a token it sends back on
//! save is turned into its path here (issue 13 §5).

use std::path::PathBuf;

use chrono::Utc;
use pec_engine::DataDir;
use serde::{Deserialize, Serialize};

use crate::dto::compose::{DraftForm, DraftInfo};
use crate::error::{AppError, AppResult};
use crate::picked::PickedFiles;

#[derive(Serialize, Deserialize)]
struct Stored {
    saved_at: String,
    /// As the window edits it, with no attachments: tokens do not outlive a run.
    draft: DraftForm,
    /// The attached files.
    #[serde(default)]
    files: Vec<PathBuf>,
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

/// Saves `draft` (a new id if it has none) and returns it as kept. Its attachments' tokens must be
/// ones `picked` issued.
pub fn save(dir: &DataDir, picked: &PickedFiles, mut draft: DraftForm) -> AppResult<DraftForm> {
    let files = draft
        .attachments
        .iter()
        .map(|f| picked.path(&f.token))
        .collect::<AppResult<Vec<_>>>()?;
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
        draft: DraftForm {
            attachments: Vec::new(),
            ..draft.clone()
        },
        files,
    };
    let bytes = serde_json::to_vec_pretty(&stored).map_err(AppError::internal)?;
    // For its owner only (0600), synced before it is renamed into place (issue 13 §5).
    pec_engine::private::write_private_file(&file, &bytes).map_err(|e| AppError::io(&file, e))?;
    Ok(draft)
}

fn read(file: &std::path::Path) -> Option<Stored> {
    let mut value: serde_json::Value = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
    // NOTE: drafts kept before issue 13 held the paths in the form itself.
    if let Some(attachments) = value.pointer_mut("/draft/attachments")
        && attachments
            .as_array()
            .is_some_and(|a| a.iter().all(|v| v.is_string()))
    {
        let paths = std::mem::replace(attachments, serde_json::Value::Array(Vec::new()));
        if value.get("files").is_none() {
            value["files"] = paths;
        }
    }
    serde_json::from_value(value).ok()
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

/// The kept draft `id`, its attachments under fresh tokens from `picked`.
pub fn load(dir: &DataDir, picked: &PickedFiles, id: &str) -> AppResult<DraftForm> {
    let stored = read(&path(dir, id)?).ok_or(AppError::NotFound {
        what: format!("draft {id}"),
    })?;
    Ok(DraftForm {
        attachments: stored.files.iter().map(|p| picked.issue(p)).collect(),
        ..stored.draft
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
pub(crate) mod tests {
    use super::*;
    use crate::dto::words::ReceiptKind;

    #[test]
    fn a_saved_draft_reads_back_after_a_restart_and_goes_once_deleted() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        let picked = PickedFiles::default();
        let kept = save(
            &dir,
            &picked,
            DraftForm {
                id: None,
                account: "studio@pec.it".into(),
                to: vec!["a@pec.it".into()],
                cc: vec![],
                subject: "Diffida".into(),
                body: "Testo".into(),
                attachments: vec![],
                receipt: ReceiptKind::Breve,
                rem_relay_evidence: true,
            },
        )
        .unwrap();
        let id = kept.id.clone().unwrap();
        assert_eq!(load(&dir, &picked, &id).unwrap(), kept);
        assert_eq!(list(&dir).len(), 1);
        assert!(load(&dir, &picked, "../../etc/passwd").is_err());
        delete(&dir, &id).unwrap();
        assert!(list(&dir).is_empty());
    }

    /// A draft to Diffida one certified recipient (also used by the compose commands' tests).
    pub(crate) fn form(attachments: Vec<crate::dto::compose::PickedFile>) -> DraftForm {
        DraftForm {
            id: None,
            account: "studio@pec.it".into(),
            to: vec!["a@pec.it".into()],
            cc: vec![],
            subject: "Diffida".into(),
            body: "Testo".into(),
            attachments,
            receipt: ReceiptKind::Completa,
            rem_relay_evidence: false,
        }
    }

    #[test]
    fn a_drafts_attachments_come_back_after_a_restart_under_new_tokens_issue_13() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        let file = tmp.path().join("atto.pdf");
        std::fs::write(&file, b"%PDF").unwrap();
        let before = PickedFiles::default();
        let kept = save(&dir, &before, form(vec![before.issue(&file)])).unwrap();
        let on_disk =
            std::fs::read_to_string(path(&dir, kept.id.as_ref().unwrap()).unwrap()).unwrap();
        assert!(!on_disk.contains(&kept.attachments[0].token));
        let after = PickedFiles::default();
        let loaded = load(&dir, &after, kept.id.as_ref().unwrap()).unwrap();
        assert_eq!(loaded.attachments.len(), 1);
        assert_eq!(loaded.attachments[0].name, "atto.pdf");
        assert_eq!(after.path(&loaded.attachments[0].token).unwrap(), file);
    }

    #[test]
    fn a_draft_naming_a_file_the_shell_never_issued_is_not_saved_issue_13() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        let forged = crate::dto::compose::PickedFile {
            token: "/home/user/.ssh/id_ed25519".into(),
            name: "id_ed25519".into(),
            size: 0.0,
        };
        assert!(matches!(
            save(&dir, &PickedFiles::default(), form(vec![forged])),
            Err(AppError::UnknownAttachment { .. })
        ));
        assert!(list(&dir).is_empty());
    }

    #[test]
    fn a_draft_kept_before_tokens_still_loads_with_its_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        std::fs::create_dir_all(folder(&dir)).unwrap();
        let old = serde_json::json!({
            "saved_at": "2026-11-20T09:00:00Z",
            "draft": {"id": "1-2", "account": "studio@pec.it", "to": [], "cc": [], "subject": "S",
                      "body": "", "attachments": ["/tmp/atto.pdf"], "receipt": "completa"}
        });
        std::fs::write(path(&dir, "1-2").unwrap(), old.to_string()).unwrap();
        let picked = PickedFiles::default();
        let loaded = load(&dir, &picked, "1-2").unwrap();
        assert_eq!(
            picked.path(&loaded.attachments[0].token).unwrap(),
            PathBuf::from("/tmp/atto.pdf")
        );
    }
}
