//! Setting an account up as the app's first run and the `account add` command do: from a provider
//! preset (PEC rules §9) or manual settings, with a connection test (an IMAP login, and the SMTP
//! server answering) before anything is saved, then the password into the OS keyring and the settings
//! into `config.toml`.

use std::time::Duration;

use pec_mail::imap::Session;
use pec_mail::{Endpoint, Security};

use super::{Account, presets, secrets};
use crate::{DataDir, EngineConfig, EngineError};

/// The limits of a manual account, where the provider's are not known (PEC rules §8: tens of MB).
const MANUAL_MAX_BYTES: u64 = 50 * 1024 * 1024;
const MANUAL_MAX_RECIPIENTS: usize = 50;

/// The servers of an account set up by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manual {
    pub imap_host: String,
    pub imap_port: u16,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// SMTP on 587 with STARTTLS instead of implicit TLS on 465.
    pub smtp_starttls: bool,
}

/// The account for `address` with the preset `preset_id`'s servers and limits.
pub fn from_preset(
    preset_id: &str,
    address: &str,
    login: Option<&str>,
) -> Result<Account, EngineError> {
    let preset = presets::find(preset_id)
        .ok_or_else(|| EngineError::Internal(format!("no preset {preset_id:?}")))?;
    let address = address.trim().to_owned();
    Ok(Account {
        login: login
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map_or_else(|| address.clone(), str::to_owned),
        address,
        provider: preset.id.into(),
        imap: preset.imap(),
        smtp: preset.smtp(),
        tls_roots: Vec::new(),
        trust_dirs: Vec::new(),
        max_message_bytes: preset.max_message_bytes,
        max_recipients: preset.max_recipients,
        stores_sent_copy: None,
        sent_folder: None,
        lab_dir: None,
        service: Default::default(),
    })
}

/// The account for `address` on the servers given by hand.
pub fn manual(address: &str, login: Option<&str>, servers: &Manual) -> Account {
    let address = address.trim().to_owned();
    let smtp_security = if servers.smtp_starttls {
        Security::StartTls
    } else {
        Security::ImplicitTls
    };
    Account {
        login: login
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map_or_else(|| address.clone(), str::to_owned),
        address,
        provider: "manual".into(),
        imap: Endpoint::new(
            servers.imap_host.trim(),
            servers.imap_port,
            Security::ImplicitTls,
        ),
        smtp: Endpoint::new(servers.smtp_host.trim(), servers.smtp_port, smtp_security),
        tls_roots: Vec::new(),
        trust_dirs: Vec::new(),
        max_message_bytes: MANUAL_MAX_BYTES,
        max_recipients: MANUAL_MAX_RECIPIENTS,
        stores_sent_copy: None,
        sent_folder: None,
        lab_dir: None,
        service: Default::default(),
    }
}

/// How a connection test went: the IMAP login succeeded (an `Err` otherwise), and whether the SMTP
/// server accepted a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionTest {
    pub smtp_reachable: bool,
}

/// Logs in to the account's IMAP server with `password` (and out again), and connects to its SMTP server.
pub fn test_connection(account: &Account, password: &str) -> Result<ConnectionTest, EngineError> {
    let roots = account.tls()?;
    let runtime = crate::runtime::network()?;
    runtime.block_on(async {
        let session = Session::connect(&account.imap, &roots, &account.login, password).await?;
        session.logout().await;
        let smtp = (account.smtp.host.as_str(), account.smtp.port);
        let smtp_reachable = matches!(
            tokio::time::timeout(
                Duration::from_secs(10),
                tokio::net::TcpStream::connect(smtp)
            )
            .await,
            Ok(Ok(_))
        );
        Ok(ConnectionTest { smtp_reachable })
    })
}

/// Keeps `account`: its password into the keyring, its settings into the configuration (replacing an
/// account with the same address when `replace`).
pub fn save(
    dir: &DataDir,
    config: &mut EngineConfig,
    account: Account,
    password: &str,
    replace: bool,
) -> Result<(), EngineError> {
    let existing = config
        .accounts
        .iter()
        .position(|a| a.address.eq_ignore_ascii_case(&account.address));
    if existing.is_some() && !replace {
        return Err(EngineError::AccountExists {
            address: account.address,
        });
    }
    secrets::store(dir, &account.address, password)?;
    match existing {
        Some(i) => config.accounts[i] = account,
        None => config.accounts.push(account),
    }
    config.save(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preset_gives_its_servers_and_limits_and_the_login_defaults_to_the_address() {
        let a = from_preset("aruba", " studio@pec.it ", None).unwrap();
        assert_eq!(a.address, "studio@pec.it");
        assert_eq!(a.login, "studio@pec.it");
        assert_eq!(a.imap.to_string(), "imaps.pec.aruba.it:993");
        assert_eq!(a.max_recipients, 500);
        let l = from_preset("legalmail", "x@legalmail.it", Some("U12345")).unwrap();
        assert_eq!(l.login, "U12345");
        assert!(from_preset("nope", "x@y.it", None).is_err());
    }

    #[test]
    fn manual_settings_choose_starttls_only_when_asked() {
        let servers = Manual {
            imap_host: "imap.example.it".into(),
            imap_port: 993,
            smtp_host: "smtp.example.it".into(),
            smtp_port: 587,
            smtp_starttls: true,
        };
        let a = manual("a@example.it", Some(""), &servers);
        assert_eq!(a.login, "a@example.it");
        assert_eq!(a.smtp.security, Security::StartTls);
        assert_eq!(a.imap.security, Security::ImplicitTls);
    }
}
