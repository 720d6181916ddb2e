//! The one error type of `pec-lab`: what stopped the lab from even trying (I/O, a dead process, a
//! certificate that could not be made). PEC outcomes (a non-acceptance, a delivery failure) are never
//! errors: they are messages the providers send.

use std::path::PathBuf;

/// Why a lab operation could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Network(#[from] std::io::Error),
    #[error("{path} is not a valid lab description: {message}")]
    Info { path: PathBuf, message: String },
    #[error("cannot make the lab certificates: {0}")]
    Pki(String),
    #[error("cannot sign: {0}")]
    Sign(String),
    #[error("dovecot: {0}")]
    Dovecot(String),
    #[error("dovecot is not installed (expected {0}); install dovecot-imapd and dovecot-lmtpd")]
    DovecotMissing(PathBuf),
    #[error(
        "the lab's mail belongs to `nobody` (Dovecot will not run mail as root), who cannot enter {blocker} \
         (mode {mode:04o}) on the way to {dir}: choose a lab directory under a folder others can enter \
         (e.g. one made with `mktemp -d`, then `chmod 711` on it), or allow it with `chmod o+x {blocker}`"
    )]
    Unreachable {
        dir: PathBuf,
        blocker: PathBuf,
        mode: u32,
    },
    #[error("lmtp delivery to {recipient} failed: {reply}")]
    Lmtp { recipient: String, reply: String },
    #[error("no lab is running in {0}")]
    NotRunning(PathBuf),
    #[error("a lab is already running in {0}")]
    AlreadyRunning(PathBuf),
    #[error("the lab daemon answered: {0}")]
    Control(String),
    #[error("{0} is not a mailbox of this lab")]
    UnknownMailbox(String),
    #[error("invalid duration {0:?} (use e.g. 30m, 12h, 1d, 90s)")]
    Duration(String),
    #[error("the lab did not become ready in {seconds} s: {detail}")]
    Timeout { seconds: u64, detail: String },
}

impl LabError {
    /// An I/O error about a path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> LabError {
        LabError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
