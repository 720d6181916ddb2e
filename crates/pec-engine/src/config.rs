//! The engine's configuration (`config.toml` in the data directory): settings that must survive a restart
//! and never hold a secret (passwords live in the OS keyring).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::accounts::Account;
use crate::{DataDir, EngineError};

/// What the user configured.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EngineConfig {
    /// Directories of PEM certificates trusted as PEC trust anchors, beside the built-in PEC CAs.
    pub trust_dirs: Vec<PathBuf>,
    /// The PEC accounts (settings only: passwords are in the OS keyring).
    pub accounts: Vec<Account>,
}

impl EngineConfig {
    /// The account with this address.
    pub fn account(&self, address: &str) -> Result<&Account, EngineError> {
        self.accounts
            .iter()
            .find(|a| a.address.eq_ignore_ascii_case(address.trim()))
            .ok_or_else(|| EngineError::NoAccount {
                address: address.to_owned(),
            })
    }
}

impl EngineConfig {
    /// Read the configuration; a missing file is the default configuration.
    pub fn load(dir: &DataDir) -> Result<EngineConfig, EngineError> {
        let path = dir.config_file();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(EngineConfig::default());
            }
            Err(source) => return Err(EngineError::Read { path, source }),
        };
        toml::from_str(&text).map_err(|e| EngineError::BadConfig {
            path,
            message: e.message().to_owned(),
        })
    }

    /// Write the configuration atomically (write a temporary file, then rename it over the old one).
    pub fn save(&self, dir: &DataDir) -> Result<(), EngineError> {
        let path = dir.config_file();
        let write = |source| EngineError::Write {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir.path()).map_err(write)?;
        let text = toml::to_string_pretty(self).map_err(|e| EngineError::BadConfig {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text).map_err(write)?;
        std::fs::rename(&tmp, &path).map_err(write)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_configuration_reads_back_and_a_missing_one_is_the_default() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        assert_eq!(EngineConfig::load(&dir).unwrap(), EngineConfig::default());
        let config = EngineConfig {
            trust_dirs: vec![PathBuf::from("/etc/attesta/anchors")],
            ..EngineConfig::default()
        };
        config.save(&dir).unwrap();
        assert_eq!(EngineConfig::load(&dir).unwrap(), config);
    }

    #[test]
    fn a_broken_configuration_is_a_clear_error_and_is_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        std::fs::write(dir.config_file(), "trust_dirs = 42\n").unwrap();
        let err = EngineConfig::load(&dir).unwrap_err();
        assert!(err.to_string().contains("config.toml"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.config_file()).unwrap(),
            "trust_dirs = 42\n"
        );
    }
}
