//! The user's preferences (language, theme, notifications) in `ui.json` in the data directory, written
//! atomically. Not engine configuration: nothing here changes what is archived or trusted.

use std::path::PathBuf;

use pec_engine::DataDir;

use crate::dto::app::Preferences;
use crate::error::{AppError, AppResult};

fn file(dir: &DataDir) -> PathBuf {
    dir.path().join("ui.json")
}

/// The preferences; the defaults (Italian, system theme, notifications on) if none were saved.
pub fn load(dir: &DataDir) -> Preferences {
    std::fs::read(file(dir))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Preferences {
            notifications: true,
            ..Preferences::default()
        })
}

pub fn save(dir: &DataDir, prefs: &Preferences) -> AppResult<()> {
    let path = file(dir);
    let text = serde_json::to_vec_pretty(prefs).map_err(AppError::internal)?;
    std::fs::create_dir_all(dir.path()).map_err(|e| AppError::io(dir.path(), e))?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text).map_err(|e| AppError::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| AppError::io(&path, e))
}
