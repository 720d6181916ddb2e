//! A PEC provider you can run locally: the project's test bed and the app's demo.
//!
//! `attesta lab up --dir DIR` (or [`Lab::start`] from Rust) runs a private Dovecot (IMAPS, LMTP, maildirs
//! under DIR) and a daemon with two PEC providers, each on its own implicit-TLS SMTP port, signing with
//! certificates from a lab PEC CA made at start-up. Submissions get what a real provider does (PEC rules
//! §1–§8): acceptance or non-acceptance, transport envelopes, delivery receipts (`completa`, `breve`,
//! `sintetica`), delivery failures, 12 h and 24 h notices driven by the lab clock, anomaly envelopes.
//! Everything a client needs is written to `DIR/lab.json` ([`LabInfo`]). With `--rem`
//! ([`LabOptions::rem`]) the providers answer as REM services instead ([`rem`]): dispatches and ERDS
//! evidence signed XAdES-B-T with a lab TSA's timestamp.
//!
//! Map: [`compose`] writes PEC messages (also re-exported by `pec-testkit`); [`pki`] makes the lab's CAs
//! and [`signer`] signs in process (RustCrypto CMS); [`provider`] is the PEC logic; [`smtp`] the
//! submission server; [`dovecot`], [`lmtp`] and [`maildir`] the mail store; [`daemon`] runs it all;
//! [`control`] is how commands talk to a running daemon; [`lab`] starts and stops it.

pub mod clock;
pub mod control;
pub mod daemon;
pub mod dovecot;
mod error;
pub mod fill;
pub mod info;
pub mod lab;
pub mod lmtp;
pub mod maildir;
pub mod pki;
mod plan;
pub mod private;
mod process;
pub mod provider;
pub mod rem;
pub mod signer;
pub mod smtp;

pub use clock::{LabClock, parse_duration};
pub use error::LabError;
pub use info::{AccountInfo, Endpoint, LabInfo, LabService, ProviderInfo, Security};
pub use lab::{Lab, LabHandle, LabOptions, LabStatus};
/// The PEC message composer (crate `pec-compose`), as the providers use it.
pub use pec_compose as compose;
pub use process::check_reachable_by_mail_owner;
pub use signer::CmsSigner;
