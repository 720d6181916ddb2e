//! `DIR/lab.json`: everything a client needs to use a running lab — endpoints, accounts and passwords, the
//! lab's TLS and PEC CA certificates, the clock. The client side reads exactly these names; fields may be
//! added, never renamed.
//!
//! The lab CAs are never trusted by default anywhere: this file only points at their PEM files.
//!
//! A crate of its own so that a client (`pec-engine`'s lab accounts, their lab clock) reads a lab's
//! description without linking the lab's servers (`pec-lab` writes the file and runs them).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why `lab.json` could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LabInfoError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a valid lab description: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Real time shifted by `offset_seconds`: the lab clock, which `attesta lab advance` moves forward.
///
/// Certified times (daticert `data`, `Date`, the CMS signingTime) and the 12 h / 24 h notice deadlines
/// (PEC rules §1) all read this clock, so a test can make a day pass in a second. The clock never goes
/// back: `advance` only accepts positive durations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LabClock {
    pub offset_seconds: i64,
}

impl LabClock {
    /// The lab's current time, to the second.
    pub fn now(&self) -> DateTime<Utc> {
        let real = DateTime::<Utc>::from(std::time::SystemTime::now());
        let t = real + chrono::Duration::seconds(self.offset_seconds);
        DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
    }

    /// Move the clock forward.
    pub fn advance(&mut self, by: chrono::Duration) {
        self.offset_seconds = self.offset_seconds.saturating_add(by.num_seconds().max(0));
    }
}

/// The version of the lab.json layout.
pub const LAB_INFO_VERSION: u32 = 1;

/// How a client connects. A closed set: every endpoint for clients is implicit TLS (PEC rules §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Security {
    /// TLS from the first byte (IMAPS, SMTPS on 465).
    ImplicitTls,
    /// No TLS: only the lab's own loopback LMTP, never a client endpoint.
    Plain,
}

/// A server endpoint on loopback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// What a lab provider answers as: a PEC provider (the default) or a REM service (`attesta lab up
/// --rem`: dispatches and ERDS evidence signed XAdES-B-T, `docs/lab.md`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabService {
    #[default]
    Pec,
    Rem,
}

/// One PEC provider of the lab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// `alfa`, `beta`.
    pub id: String,
    /// The `gestore-emittente` written in daticert.
    pub name: String,
    pub domain: String,
    /// `posta-certificata@<domain>`: sends and signs everything the provider generates.
    pub service_address: String,
    /// Submission: implicit TLS, AUTH PLAIN or LOGIN with an account of this provider.
    pub smtp: Endpoint,
    /// Whether the provider puts a copy of each accepted submission in the sender's `Sent` folder (if not,
    /// a client must store one itself).
    pub stores_sent_copy: bool,
    /// The limit on message size × number of envelope recipients (PEC rules §8).
    pub max_message_bytes: u64,
    /// The most envelope recipients one submission may have.
    pub max_recipients: usize,
    /// The provider's signing certificate (PEM).
    #[serde(default)]
    pub signer_cert_pem: PathBuf,
    /// PEC (absent in older files) or REM.
    #[serde(default)]
    pub service: LabService,
}

/// One mailbox a client can log in to (IMAP on the lab's Dovecot, SMTP on its provider).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub address: String,
    /// The provider id.
    pub provider: String,
    pub login: String,
    pub password: String,
}

/// The whole of `lab.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabInfo {
    pub version: u32,
    /// The lab directory, absolute.
    pub dir: PathBuf,
    /// Dovecot, serving every lab mailbox.
    pub imap: Endpoint,
    /// The CA that issued the IMAP and SMTP servers' TLS certificate: a client must add it as a root.
    pub tls_ca_pem: PathBuf,
    /// The lab PEC CA that issued the providers' signing certificates: add it to the trust anchors (only
    /// for lab accounts) to see lab messages as `valid`.
    pub pec_ca_pem: PathBuf,
    /// The lab clock when this file was written.
    pub clock: DateTime<Utc>,
    /// The lab clock minus real time, in seconds (what `advance` added up).
    #[serde(default)]
    pub clock_offset_seconds: i64,
    pub providers: Vec<ProviderInfo>,
    pub accounts: Vec<AccountInfo>,
    /// A certified domain whose provider never answers: sends there get the 12 h and 24 h notices.
    pub silent_domain: String,
    pub silent_accounts: Vec<String>,
    /// A domain outside PEC: its recipients are `esterno` and never get a delivery receipt.
    pub external_domain: String,
    /// An address in a lab domain with no mailbox: sends there get a delivery failure (`no-dest`).
    pub unknown_example: String,
    /// The IMAP folder of sent copies (SPECIAL-USE `\Sent`).
    #[serde(default = "default_sent_folder")]
    pub sent_folder: String,
    /// LMTP on the lab's Dovecot (how the lab delivers; tests may use it too).
    #[serde(default)]
    pub lmtp: Option<Endpoint>,
    /// The private Dovecot's configuration (for `doveadm -c`).
    #[serde(default)]
    pub dovecot_conf: PathBuf,
    /// The daemon's control socket (`advance`, `inject`, `status`, `stop`).
    #[serde(default)]
    pub control_socket: PathBuf,
}

fn default_sent_folder() -> String {
    "Sent".into()
}

impl LabInfo {
    /// The lab clock now, as `DIR/lab.json` records its offset at this moment (it is rewritten on every
    /// `advance`; `self` may be older). A client of the lab judges signing times against this clock:
    /// the lab signs at its own time, which runs ahead of real time after `advance`.
    pub fn clock_now(&self) -> DateTime<Utc> {
        let offset_seconds = LabInfo::load(&self.dir)
            .map(|fresh| fresh.clock_offset_seconds)
            .unwrap_or(self.clock_offset_seconds);
        LabClock { offset_seconds }.now()
    }

    /// `DIR/lab.json`.
    pub fn path(dir: &Path) -> PathBuf {
        dir.join("lab.json")
    }

    /// Read `DIR/lab.json`, or a `….json` path.
    pub fn load(path_or_dir: &Path) -> Result<LabInfo, LabInfoError> {
        let path = if path_or_dir.extension().is_some_and(|e| e == "json") {
            path_or_dir.to_owned()
        } else {
            LabInfo::path(path_or_dir)
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(source) => return Err(LabInfoError::Read { path, source }),
        };
        serde_json::from_str(&text).map_err(|e| LabInfoError::Invalid {
            path,
            message: e.to_string(),
        })
    }

    /// The provider with this id or domain.
    pub fn provider(&self, id_or_domain: &str) -> Option<&ProviderInfo> {
        self.providers
            .iter()
            .find(|p| p.id == id_or_domain || p.domain.eq_ignore_ascii_case(id_or_domain))
    }

    /// The account with this address.
    pub fn account(&self, address: &str) -> Option<&AccountInfo> {
        self.accounts
            .iter()
            .find(|a| a.address.eq_ignore_ascii_case(address))
    }
}
