//! The engine's errors: short lowercase phrases, typed so a UI can word them in Italian or English.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("no data directory could be determined for this platform; pass --data-dir")]
    NoDataDir,
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid: {message}")]
    BadConfig { path: PathBuf, message: String },
    #[error("{path} is not a directory")]
    NotADirectory { path: PathBuf },
    #[error("{path} holds no certificate that could be read")]
    NoCertificates { path: PathBuf },
    #[error(transparent)]
    Archive(#[from] pec_archive::ArchiveError),
    #[error("internal error: {0}")]
    Internal(String),
    #[error(transparent)]
    Runtime(#[from] crate::runtime::RuntimeError),
    #[error(
        "no OS keyring is available to keep passwords ({detail}); on Linux install and start a Secret Service, e.g. `apt-get install gnome-keyring` in a desktop session"
    )]
    NoKeyring { detail: String },
    #[error("the OS keyring refused the request: {detail}")]
    Keyring { detail: String },
    #[error("no password is stored for {address}; add the account again (`attesta account add`)")]
    NoPassword { address: String },
    #[error("no account {address}; `attesta account list` shows the accounts")]
    NoAccount { address: String },
    #[error(
        "no evidence in the archive came from mailbox {address}; mailboxes with evidence: {known}"
    )]
    NoEvidenceFromMailbox { address: String, known: String },
    #[error("the account {address} already exists")]
    AccountExists { address: String },
    #[error("`{given}` is not a mailbox address (name@domain)")]
    NotAMailbox { given: String },
    #[error("that person cannot be recorded: {}", person_problem(*.0))]
    BadPerson(pec_archive::PersonProblem),
    #[error(transparent)]
    Mail(#[from] pec_mail::MailError),
    #[error("{0}")]
    Send(#[from] crate::send::SendError),
}

/// Why a person was refused, in words (`attesta user set`).
fn person_problem(problem: pec_archive::PersonProblem) -> &'static str {
    use pec_archive::PersonProblem::*;
    match problem {
        NameEmpty => "the name is empty",
        NameTooLong => "the name is longer than 200 characters",
        NameHasControl => {
            "the name holds a line break, a control or an invisible direction character"
        }
        EmailInvalid => "the e-mail is not one plain address (someone@domain.example)",
    }
}
