//! PEC accounts: which mailbox, which servers, which extra roots — kept in `config.toml` without any
//! secret — and their passwords in the OS keyring ([`secrets`]).
//!
//! An account comes from a provider preset ([`presets`], PEC rules §9), from manual settings, or from a
//! running lab (`lab.json`): a lab account trusts the lab's TLS CA for its servers and the lab's PEC CA
//! for its evidence, and nothing else does.

pub mod lab;
pub mod presets;
pub mod secrets;
pub mod setup;

use std::path::PathBuf;

use pec_mail::{Endpoint, TlsRoots};
use serde::{Deserialize, Serialize};

use crate::EngineError;

/// One PEC mailbox Attesta works with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The PEC address (also the From of everything sent).
    pub address: String,
    /// Where the settings came from: a preset id (`aruba`, …), `manual` or `lab`.
    pub provider: String,
    pub imap: Endpoint,
    pub smtp: Endpoint,
    /// The login name (most providers: the address; Legalmail: the InfoCert user id).
    pub login: String,
    /// Extra TLS roots (PEM files) for this account's servers, beside the public ones.
    #[serde(default)]
    pub tls_roots: Vec<PathBuf>,
    /// Extra PEC trust anchors (directories of PEM files) for this account's evidence.
    #[serde(default)]
    pub trust_dirs: Vec<PathBuf>,
    /// The provider's limit on message size × number of recipients, in bytes (PEC rules §8).
    pub max_message_bytes: u64,
    /// The most recipients one message may have.
    pub max_recipients: usize,
    /// Whether the provider keeps a copy of each submission in Sent; `None`: look, and store one if not.
    #[serde(default)]
    pub stores_sent_copy: Option<bool>,
    /// The Sent folder's name, if known (otherwise found by SPECIAL-USE or name).
    #[serde(default)]
    pub sent_folder: Option<String>,
    /// For a lab account, the lab's directory: the lab's clock (real time plus what `attesta lab
    /// advance` added) is this account's clock, because the lab signs at its own time and a signing time
    /// after "now" is refused (issue 13 §4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lab_dir: Option<PathBuf>,
    /// Which certified mail the mailbox speaks: PEC, REM (EN 319 532) or both (issue 14 §6). Accounts
    /// saved before say nothing and are PEC.
    #[serde(default, skip_serializing_if = "Service::is_pec")]
    pub service: Service,
}

pec_core::closed_set! {
    /// The certified-mail service of an account.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum Service {
        /// Italian PEC.
        #[default]
        Pec = "pec",
        /// European registered e-mail.
        Rem = "rem",
        /// A mailbox that carries both (most providers during the transition).
        Both = "both",
    }
}

impl Service {
    fn is_pec(&self) -> bool {
        *self == Service::Pec
    }

    /// Whether the mailbox can send REM (and so ask for REM's relay evidence).
    pub fn sends_rem(self) -> bool {
        matches!(self, Service::Rem | Service::Both)
    }
}

impl Account {
    /// The time to judge this account's evidence at: `now`, or for a lab account the lab's clock when
    /// it runs ahead (a lab that is gone leaves `now`).
    pub fn clock(&self, now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        self.lab_dir
            .as_deref()
            .and_then(|dir| pec_lab_info::LabInfo::load(dir).ok())
            // The file just read is the fresh one: its offset is the lab's clock now (`clock_now`
            // would read it again).
            .map_or(now, |lab| {
                let clock = pec_lab_info::LabClock {
                    offset_seconds: lab.clock_offset_seconds,
                };
                clock.now().max(now)
            })
    }

    /// The TLS roots for this account's servers.
    pub fn tls(&self) -> Result<TlsRoots, EngineError> {
        let mut roots = TlsRoots::public();
        for path in &self.tls_roots {
            let pem = std::fs::read(path).map_err(|source| EngineError::Read {
                path: path.clone(),
                source,
            })?;
            roots.extra_pem.push(pem);
        }
        Ok(roots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_of_an_account_is_a_closed_set_and_only_rem_sends_rem() {
        pec_core::closed_set::assert_spellings_are_sound::<Service>();
        assert!(!Service::Pec.sends_rem());
        assert!(Service::Rem.sends_rem() && Service::Both.sends_rem());
        assert_eq!(Service::default(), Service::Pec);
    }
}
