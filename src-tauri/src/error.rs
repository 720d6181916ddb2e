//! The errors the window sees: a stable `code` plus the data the UI needs to word it in Italian or
//! English (`ui/src/lib/i18n/errors.ts`). Never a flattened string: the engine's English sentence is
//! kept only as `detail` where there is nothing better to show.

use pec_archive::ArchiveError;
use pec_engine::EngineError;
use pec_engine::send::SendError;
use pec_mail::MailError;
use serde::{Deserialize, Serialize};

use crate::dto::update::UpdateRefusal;
use crate::dto::words::AttachmentRisk;

/// Why a command failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, thiserror::Error)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum AppError {
    #[error("no OS keyring: {detail}")]
    NoKeyring { detail: String },
    #[error("the keyring refused: {detail}")]
    Keyring { detail: String },
    #[error("no password stored for {address}")]
    NoPassword { address: String },
    #[error("no account {address}")]
    NoAccount { address: String },
    #[error("the account {address} already exists")]
    AccountExists { address: String },
    #[error("cannot connect to {server}: {detail}")]
    Connect { server: String, detail: String },
    #[error("the certificate of {server} is not trusted: {detail}")]
    Certificate { server: String, detail: String },
    #[error("{server} refused the login: {detail}")]
    Login { server: String, detail: String },
    #[error("{server} did not answer in time")]
    Timeout { server: String },
    #[error("{server} refused the message: {detail}")]
    Rejected { server: String, detail: String },
    #[error("network: {detail}")]
    Network { server: String, detail: String },
    /// A PEC rule the draft breaks (PEC rules §8).
    #[error("no To recipient")]
    NoRecipient,
    #[error("{address} is not an address")]
    BadAddress { address: String },
    #[error("{address} is listed twice")]
    DuplicateRecipient { address: String },
    #[error("{count} recipients, at most {max}")]
    TooManyRecipients { count: u32, max: u32 },
    #[error("{total} bytes in all, at most {limit}")]
    TooLarge {
        #[specta(type = u32)]
        bytes: f64,
        recipients: u32,
        #[specta(type = u32)]
        total: f64,
        #[specta(type = u32)]
        limit: f64,
    },
    #[error("no subject")]
    NoSubject,
    #[error("{account} is not a REM account")]
    NotRemAccount { account: String },
    #[error("the archive is in use by another Attesta")]
    ArchiveBusy,
    #[error("the archive is damaged: {detail}")]
    ArchiveDamaged { detail: String },
    #[error("the archive is from a newer Attesta")]
    ArchiveTooNew,
    /// The firm's shared archive (issue 18) cannot be reached or used: the server, its certificate, the
    /// password, or the address.
    #[error("the firm's archive at {address} cannot be used: {detail}")]
    ArchiveServer { address: String, detail: String },
    /// The firm's server does not answer (issue 18 §6): the window reads its local copy and queues
    /// sends until it is back.
    #[error("the firm's archive server does not answer: {detail}")]
    ArchiveUnreachable { detail: String },
    /// This desktop's role on the firm's archive reads only (issue 18 §4); nothing was changed.
    #[error("your role on the firm's archive reads only")]
    ArchiveReadOnly,
    /// This desktop's role was not granted the firm's archive.
    #[error("your role has not been granted the firm's archive at {address}")]
    ArchiveNotGranted { address: String },
    /// No room on the disk for the copy an upgrade keeps (issue 17 §4); nothing was changed.
    #[error("no room for the copy before the upgrade: {needed} bytes needed, {free} free")]
    ArchiveNoRoom {
        #[specta(type = u32)]
        needed: f64,
        #[specta(type = u32)]
        free: f64,
    },
    /// A migration failed; the archive as it was is kept at `copy`.
    #[error("the upgrade to archive version {version} failed ({detail}); the copy is at {copy}")]
    ArchiveUpgradeFailed {
        version: u32,
        detail: String,
        copy: String,
    },
    /// The upgraded archive lost or changed something: not opened for writing; the copy is kept.
    #[error("the upgrade could not be verified; the copy is at {copy}")]
    ArchiveUpgradeUnverified { findings: Vec<String>, copy: String },
    #[error("not found: {what}")]
    NotFound { what: String },
    #[error("the invoice cannot be read: {detail}")]
    BadInvoice { detail: String },
    #[error("dovecot is not installed")]
    DovecotMissing,
    #[error("the demo provider failed: {detail}")]
    Lab { detail: String },
    #[error("{path} is not a directory")]
    NotADirectory { path: String },
    #[error("{path} holds no certificate")]
    NoCertificates { path: String },
    #[error("cannot read or write {path}: {detail}")]
    Io { path: String, detail: String },
    #[error("the configuration is not valid: {detail}")]
    BadConfig { detail: String },
    /// The person typed in Settings cannot be recorded (issue 18 §3).
    #[error("that person cannot be recorded: {problem:?}")]
    BadPerson { problem: pec_archive::PersonProblem },
    #[error("a job of this kind is already running")]
    Busy,
    #[error("cancelled")]
    Cancelled,
    /// Opening the attachment could run something: the window asks, naming the real extension, and
    /// calls again confirmed (issue 13 §5).
    #[error("{name} could run a program ({risk:?})")]
    DangerousAttachment {
        name: String,
        extension: Option<String>,
        risk: AttachmentRisk,
    },
    /// A file opened from the desktop that is neither mail nor a signed document (issue 17).
    #[error("{name} is not a message: {detail}")]
    NotAMessage { name: String, detail: String },
    /// A file opened from the desktop larger than any PEC message.
    #[error("{name} is {size} bytes, at most {max}")]
    FileTooLarge {
        name: String,
        #[specta(type = u32)]
        size: f64,
        #[specta(type = u32)]
        max: f64,
    },
    /// The file changed on disk since it was shown: what would be archived is not what was seen.
    #[error("{name} changed since it was opened")]
    FileChanged { name: String },
    /// A `mailto:` link too long to be a person's link.
    #[error("the mailto: link is {length} bytes long, at most {max}")]
    MailtoTooLong { length: u32, max: u32 },
    /// An attachment the window named by a token this run of the shell never issued.
    #[error("no picked file {token}")]
    UnknownAttachment { token: String },
    /// An update was refused: nothing was installed, nothing changed (issue 17 §3).
    #[error("update refused ({reason:?}): {detail}")]
    UpdateRefused {
        reason: UpdateRefusal,
        detail: String,
    },
    #[error("{detail}")]
    Internal { detail: String },
}

/// What every command returns.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        AppError::Internal {
            detail: detail.to_string(),
        }
    }

    pub fn io(path: &std::path::Path, e: impl std::fmt::Display) -> AppError {
        AppError::Io {
            path: path.display().to_string(),
            detail: e.to_string(),
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl From<SendError> for AppError {
    fn from(e: SendError) -> AppError {
        match e {
            SendError::NoRecipient => AppError::NoRecipient,
            SendError::BadAddress { address } => AppError::BadAddress { address },
            SendError::DuplicateRecipient { address } => AppError::DuplicateRecipient { address },
            SendError::TooManyRecipients { count: c, max } => AppError::TooManyRecipients {
                count: count(c),
                max: count(max),
            },
            SendError::TooLarge {
                bytes,
                recipients,
                total,
                limit,
            } => AppError::TooLarge {
                bytes: bytes as f64,
                recipients: count(recipients),
                total: total as f64,
                limit: limit as f64,
            },
            SendError::NoSubject => AppError::NoSubject,
            SendError::NotRemAccount { account } => AppError::NotRemAccount { account },
            SendError::Compose { detail } => AppError::Internal { detail },
        }
    }
}

impl From<MailError> for AppError {
    fn from(e: MailError) -> AppError {
        let detail = e.to_string();
        match e {
            MailError::Connect { server, detail } => AppError::Connect { server, detail },
            MailError::Certificate { server, detail } => AppError::Certificate { server, detail },
            MailError::Login { server, detail, .. } => AppError::Login { server, detail },
            MailError::Timeout { server } => AppError::Timeout { server },
            MailError::Rejected { server, detail } => AppError::Rejected { server, detail },
            MailError::Tls { server, .. }
            | MailError::NoStartTls { server }
            | MailError::Dropped { server }
            | MailError::Protocol { server, .. }
            | MailError::NoFolder { server, .. } => AppError::Network { server, detail },
            MailError::Roots(_) => AppError::Network {
                server: String::new(),
                detail,
            },
        }
    }
}

impl From<ArchiveError> for AppError {
    fn from(e: ArchiveError) -> AppError {
        match e {
            ArchiveError::Busy { .. } => AppError::ArchiveBusy,
            ArchiveError::TooNew { .. } => AppError::ArchiveTooNew,
            ArchiveError::NoSuchItem(what) => AppError::NotFound { what },
            ArchiveError::Io { path, source } => AppError::io(&path, source),
            ArchiveError::Server { address, detail } => AppError::ArchiveServer { address, detail },
            ArchiveError::Unreachable { detail } => AppError::ArchiveUnreachable { detail },
            ArchiveError::ReadOnly { .. } => AppError::ArchiveReadOnly,
            ArchiveError::NotGranted { address } => AppError::ArchiveNotGranted { address },
            ArchiveError::NoRoomForCopy { needed, free, .. } => AppError::ArchiveNoRoom {
                needed: needed as f64,
                free: free as f64,
            },
            ArchiveError::UpgradeFailed {
                version,
                detail,
                copy,
                ..
            } => AppError::ArchiveUpgradeFailed {
                version: u32::try_from(version).unwrap_or(u32::MAX),
                detail,
                copy: copy.display().to_string(),
            },
            ArchiveError::UpgradeUnverified { findings, copy, .. } => {
                AppError::ArchiveUpgradeUnverified {
                    findings,
                    copy: copy.display().to_string(),
                }
            }
            e @ (ArchiveError::NotAnArchive { .. }
            | ArchiveError::Corrupt { .. }
            | ArchiveError::Damaged { .. }
            | ArchiveError::BadStoredValue(_)
            | ArchiveError::MigrationFailed { .. }) => AppError::ArchiveDamaged {
                detail: e.to_string(),
            },
            e @ (ArchiveError::Database(_) | ArchiveError::ReaderFailed) => AppError::internal(e),
        }
    }
}

impl From<EngineError> for AppError {
    fn from(e: EngineError) -> AppError {
        match e {
            EngineError::NoKeyring { detail } => AppError::NoKeyring { detail },
            EngineError::Keyring { detail } => AppError::Keyring { detail },
            EngineError::NoPassword { address } => AppError::NoPassword { address },
            EngineError::NoAccount { address } => AppError::NoAccount { address },
            EngineError::AccountExists { address } => AppError::AccountExists { address },
            EngineError::NoEvidenceFromMailbox { address, .. } => {
                AppError::NotFound { what: address }
            }
            EngineError::Mail(m) => m.into(),
            EngineError::Send(s) => s.into(),
            EngineError::Archive(a) => a.into(),
            EngineError::Read { path, source } | EngineError::Write { path, source } => {
                AppError::io(&path, source)
            }
            EngineError::BadConfig { message, .. } => AppError::BadConfig { detail: message },
            e @ EngineError::NotAMailbox { .. } => AppError::BadConfig {
                detail: e.to_string(),
            },
            EngineError::BadPerson(problem) => AppError::BadPerson { problem },
            EngineError::NotADirectory { path } => AppError::NotADirectory {
                path: path.display().to_string(),
            },
            EngineError::NoCertificates { path } => AppError::NoCertificates {
                path: path.display().to_string(),
            },
            e @ (EngineError::NoDataDir | EngineError::Internal(_) | EngineError::Runtime(_)) => {
                AppError::internal(e)
            }
        }
    }
}

impl From<pec_lab::LabError> for AppError {
    fn from(e: pec_lab::LabError) -> AppError {
        match e {
            pec_lab::LabError::DovecotMissing(_) => AppError::DovecotMissing,
            other => AppError::Lab {
                detail: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_reach_the_window_as_a_code_with_their_data() {
        let e: AppError = EngineError::NoPassword {
            address: "studio@pec.it".into(),
        }
        .into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "no-password", "address": "studio@pec.it"})
        );
        let e: AppError = EngineError::BadPerson(pec_archive::PersonProblem::EmailInvalid).into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "bad-person", "problem": "email-invalid"})
        );
        let e: AppError = SendError::TooManyRecipients { count: 60, max: 50 }.into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "too-many-recipients", "count": 60, "max": 50})
        );
    }
}
