//! The one directory that holds Attesta's state: the evidence archive and `config.toml`.
//!
//! Chosen by `--data-dir`, else `$ATTESTA_DATA_DIR`, else the platform's data directory
//! (e.g. `~/.local/share/attesta` on Linux).

use std::path::{Path, PathBuf};

use crate::EngineError;

/// Where Attesta keeps its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir(PathBuf);

impl DataDir {
    /// The directory given, else `$ATTESTA_DATA_DIR`, else the platform's data directory.
    pub fn resolve(explicit: Option<&Path>) -> Result<DataDir, EngineError> {
        if let Some(dir) = explicit {
            return Ok(DataDir(dir.to_path_buf()));
        }
        if let Some(dir) = std::env::var_os("ATTESTA_DATA_DIR").filter(|d| !d.is_empty()) {
            return Ok(DataDir(PathBuf::from(dir)));
        }
        directories::ProjectDirs::from("it", "Attesta", "attesta")
            .map(|p| DataDir(p.data_dir().to_path_buf()))
            .ok_or(EngineError::NoDataDir)
    }

    /// Creates the directory for its owner only (0700), or accepts it if it is already a folder of
    /// ours; a symlink or someone else's folder is refused (issue 13 §5, see [`crate::private`]).
    pub fn create(&self) -> Result<(), EngineError> {
        crate::private::create_private_dir(&self.0).map_err(|source| EngineError::Write {
            path: self.0.clone(),
            source,
        })
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The evidence archive.
    pub fn archive_file(&self) -> PathBuf {
        pec_archive::Archive::file_in(&self.0)
    }

    /// The engine configuration file.
    pub fn config_file(&self) -> PathBuf {
        self.0.join("config.toml")
    }
}
