//! Which anchors verify a piece of evidence: those of the account it came from, else the general
//! ones.
//!
//! An account may trust more than mail in general does (a lab account trusts its lab's CA, and only
//! that account does): evidence synced for the account was verified with the account's anchors, so
//! whatever verifies it again (an export, a rebuild) must use the same ones, and nothing else may.
//! Evidence that came from a file, with no account, gets the general anchors. The same goes for the
//! clock it is judged at: a lab account's evidence at the lab's clock (`Account::clock`).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use pec_archive::Origin;
use pec_core::signature::TrustAnchors;

use crate::accounts::Account;
use crate::{EngineConfig, EngineError, Trust};

/// The general anchors and each account's.
#[derive(Debug)]
pub struct TrustBook {
    general: Trust,
    accounts: Vec<(Account, Trust)>,
}

impl TrustBook {
    /// The anchors in force for mail in general ([`Trust::load`]) and for every configured account
    /// ([`Trust::for_account`]); `extra` (e.g. `--trust-dir`) joins all of them.
    pub fn load(config: &EngineConfig, extra: &[PathBuf]) -> Result<TrustBook, EngineError> {
        let general = Trust::load(config, extra)?;
        let accounts = config
            .accounts
            .iter()
            .map(|a| Ok((a.clone(), Trust::for_account(config, a, extra)?)))
            .collect::<Result<_, EngineError>>()?;
        Ok(TrustBook { general, accounts })
    }

    /// The anchors for mail in general.
    pub fn general(&self) -> &Trust {
        &self.general
    }

    /// The anchors of mailbox `address`, or the general ones when it is no configured account.
    pub fn for_account(&self, address: &str) -> &TrustAnchors {
        self.accounts
            .iter()
            .find(|(a, _)| pec_core::ids::same_address(&a.address, address))
            .map_or(&self.general.anchors, |(_, t)| &t.anchors)
    }

    /// The anchors of the first account among `origins` (where one message was found), else the
    /// general ones.
    pub fn for_origins(&self, origins: &[Origin]) -> &TrustAnchors {
        self.account_of(origins)
            .map_or(&self.general.anchors, |(_, t)| &t.anchors)
    }

    /// The time to judge evidence from `origins` at: `now`, or the clock of the lab account it came
    /// from when that runs ahead ([`Account::clock`]).
    pub fn clock_for_origins(&self, origins: &[Origin], now: DateTime<Utc>) -> DateTime<Utc> {
        self.account_of(origins).map_or(now, |(a, _)| a.clock(now))
    }

    fn account_of(&self, origins: &[Origin]) -> Option<&(Account, Trust)> {
        origins.iter().find_map(|o| match o {
            Origin::Imap { account, .. } | Origin::Submitted { account, .. } => self
                .accounts
                .iter()
                .find(|(a, _)| pec_core::ids::same_address(&a.address, account)),
            Origin::File { .. } => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::setup::{Manual, manual};

    fn lab_account(address: &str, trust_dir: PathBuf) -> Account {
        let servers = Manual {
            imap_host: "imap.example".into(),
            imap_port: 993,
            smtp_host: "smtp.example".into(),
            smtp_port: 465,
            smtp_starttls: false,
        };
        let mut account = manual(address, None, &servers);
        account.trust_dirs = vec![trust_dir];
        account
    }

    #[test]
    fn an_accounts_own_anchors_serve_its_evidence_only() {
        let tmp = tempfile::tempdir().unwrap();
        let lab_ca = rcgen::CertificateParams::new(Vec::<String>::new())
            .unwrap()
            .self_signed(&rcgen::KeyPair::generate().unwrap())
            .unwrap();
        std::fs::write(tmp.path().join("lab-ca.pem"), lab_ca.pem()).unwrap();
        let config = EngineConfig {
            accounts: vec![lab_account("lab@alfa.pec.lab", tmp.path().to_owned())],
            ..EngineConfig::default()
        };
        let book = TrustBook::load(&config, &[]).unwrap();
        let builtin = book.general().anchors.len();
        assert_eq!(book.for_account("LAB@alfa.pec.lab").len(), builtin + 1);
        assert_eq!(book.for_account("other@pec.it").len(), builtin);
        let synced = Origin::Imap {
            account: "lab@alfa.pec.lab".into(),
            folder: "INBOX".into(),
            role: pec_archive::FolderRole::Inbox,
            uidvalidity: 1,
            uid: 7,
        };
        let file = Origin::File {
            path: "/tmp/x.eml".into(),
            part: 0,
            mailbox: None,
        };
        assert_eq!(book.for_origins(std::slice::from_ref(&file)).len(), builtin);
        assert_eq!(book.for_origins(&[file, synced]).len(), builtin + 1);
    }
}
