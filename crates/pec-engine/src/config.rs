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
    /// The firm's shared archive (`postgres://…`, issue 18) this data directory uses instead of its
    /// own file; its password is in the OS keyring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_archive: Option<String>,
    /// The person of the firm this data directory acts as (`attesta user set`, issue 18 §3): every
    /// journal entry written from here names them, and so do what they send and the packs they export.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<pec_archive::Person>,
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
        let config: EngineConfig = toml::from_str(&text).map_err(|e| EngineError::BadConfig {
            path: path.clone(),
            message: e.message().to_owned(),
        })?;
        // A person edited into the file by hand is held to what `attesta user set` accepts.
        if let Some(user) = &config.user
            && let Err(problem) = pec_archive::Person::new(&user.name, user.email.as_deref())
        {
            return Err(EngineError::BadConfig {
                path,
                message: format!("[user]: {}", EngineError::BadPerson(problem)),
            });
        }
        Ok(config)
    }

    /// Write the configuration for its owner only (0600), atomically and durably (see [`crate::private`]).
    pub fn save(&self, dir: &DataDir) -> Result<(), EngineError> {
        let path = dir.config_file();
        let write = |source| EngineError::Write {
            path: path.clone(),
            source,
        };
        dir.create()?;
        let text = toml::to_string_pretty(self).map_err(|e| EngineError::BadConfig {
            path: path.clone(),
            message: e.to_string(),
        })?;
        crate::private::write_private_file(&path, text.as_bytes()).map_err(write)
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
    fn issue_18_the_person_reads_back_and_a_configuration_from_before_it_still_reads() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        std::fs::write(
            dir.config_file(),
            "trust_dirs = [\"/etc/attesta/anchors\"]\n",
        )
        .unwrap();
        let old = EngineConfig::load(&dir).unwrap();
        assert_eq!(old.user, None);
        let config = EngineConfig {
            user: Some(
                pec_archive::Person::new("Avv. Maria Rossi", Some("maria.rossi@studio.example"))
                    .unwrap(),
            ),
            ..old
        };
        config.save(&dir).unwrap();
        let text = std::fs::read_to_string(dir.config_file()).unwrap();
        assert!(
            text.contains(
                "[user]\nname = \"Avv. Maria Rossi\"\nemail = \"maria.rossi@studio.example\""
            ),
            "{text}"
        );
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

    #[test]
    fn issue_13_a_new_data_directory_is_0700_and_its_configuration_0600() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(&tmp.path().join("attesta"))).unwrap();
        EngineConfig::default().save(&dir).unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(dir.path()), 0o700);
        assert_eq!(mode(&dir.config_file()), 0o600);
    }

    #[test]
    fn issue_13_a_data_directory_that_is_a_symlink_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let link = tmp.path().join("attesta");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let dir = DataDir::resolve(Some(&link)).unwrap();
        assert!(EngineConfig::default().save(&dir).is_err());
        assert!(!elsewhere.join("config.toml").exists());
    }
}
