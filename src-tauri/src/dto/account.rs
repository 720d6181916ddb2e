//! Accounts: the provider presets (PEC rules §9), the first-run form, the accounts kept, the verdict of
//! a connection test, and the trust anchors in force.

use pec_engine::Trust;
use pec_engine::accounts::Account;
use pec_engine::accounts::Service;
use pec_engine::accounts::presets::Preset as EnginePreset;
use serde::{Deserialize, Serialize};

/// A provider's settings, offered at first run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Preset {
    pub id: String,
    pub name: String,
    pub domains: Vec<String>,
    pub imap: String,
    pub smtp: String,
    /// The login is the address itself (Legalmail: an InfoCert user id instead).
    pub login_is_address: bool,
    pub max_recipients: u32,
    pub max_megabytes: u32,
}

impl From<&EnginePreset> for Preset {
    fn from(p: &EnginePreset) -> Preset {
        Preset {
            id: p.id.into(),
            name: p.name.into(),
            domains: p.domains.iter().map(|d| (*d).to_owned()).collect(),
            imap: p.imap().to_string(),
            smtp: p.smtp().to_string(),
            login_is_address: p.login_is_address,
            max_recipients: u32::try_from(p.max_recipients).unwrap_or(u32::MAX),
            max_megabytes: u32::try_from(p.max_message_bytes / (1024 * 1024)).unwrap_or(u32::MAX),
        }
    }
}

/// Servers typed by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ManualServers {
    pub imap_host: String,
    pub imap_port: u16,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_starttls: bool,
}

/// What the first-run form (or Settings → Accounts) sends. The password goes to the OS keyring only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AccountForm {
    pub address: String,
    pub password: String,
    pub login: Option<String>,
    /// A preset id, or `null` with `manual` set.
    pub preset: Option<String>,
    pub manual: Option<ManualServers>,
}

/// An account kept in the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AccountInfo {
    pub address: String,
    /// A preset id, `manual` or `lab`.
    pub provider: String,
    pub imap: String,
    pub smtp: String,
    pub login: String,
    pub max_recipients: u32,
    pub max_megabytes: u32,
    /// PEC, REM or both: whether compose offers REM's relay evidence.
    pub service: Service,
}

impl From<&Account> for AccountInfo {
    fn from(a: &Account) -> AccountInfo {
        AccountInfo {
            address: a.address.clone(),
            provider: a.provider.clone(),
            imap: a.imap.to_string(),
            smtp: a.smtp.to_string(),
            login: a.login.clone(),
            max_recipients: u32::try_from(a.max_recipients).unwrap_or(u32::MAX),
            max_megabytes: u32::try_from(a.max_message_bytes / (1024 * 1024)).unwrap_or(u32::MAX),
            service: a.service,
        }
    }
}

/// How a connection test went (a failed login is an error with its code instead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ConnectionVerdict {
    pub imap: String,
    pub smtp: String,
    /// The IMAP login succeeded.
    pub login_ok: bool,
    /// The SMTP server accepted a connection.
    pub smtp_reachable: bool,
}

/// One directory of trust anchors the user added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AnchorDir {
    pub path: String,
    pub certificates: u32,
    pub skipped: Vec<String>,
    /// Added for one account only (a lab account's lab CA), not for every message.
    pub account: Option<String>,
}

/// The trust anchors in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct TrustInfo {
    /// The PEC CAs published by AgID, built in.
    pub builtin: u32,
    pub dirs: Vec<AnchorDir>,
}

impl TrustInfo {
    pub fn new(trust: &Trust, per_account: Vec<AnchorDir>) -> TrustInfo {
        let mut dirs: Vec<AnchorDir> = trust
            .dirs
            .iter()
            .map(|d| AnchorDir {
                path: d.path.display().to_string(),
                certificates: u32::try_from(d.certificates).unwrap_or(u32::MAX),
                skipped: d.skipped.iter().map(|p| p.display().to_string()).collect(),
                account: None,
            })
            .collect();
        dirs.extend(per_account);
        TrustInfo {
            builtin: u32::try_from(trust.builtin).unwrap_or(u32::MAX),
            dirs,
        }
    }
}
