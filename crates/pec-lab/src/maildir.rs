//! Writing messages straight into a lab maildir, the documented way for an agent other than Dovecot: write
//! in `tmp/`, rename into `new/` (or `cur/` with flags). Used by `attesta lab fill`, where LMTP would be the
//! slow part, and for provider `alfa`'s sent copies, which must be the submitted bytes exactly (LMTP would
//! add `Return-Path`, `Delivered-To` and `Received`). Dovecot picks the files up at the next SELECT.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::LabError;
use crate::process;

/// A maildir (`…/Maildir`) to deliver into.
pub struct Maildir {
    root: PathBuf,
    host: String,
}

impl Maildir {
    /// The maildir at `root`, creating `cur`, `new` and `tmp` if missing (owned by the mail owner).
    pub fn open(root: &Path) -> Result<Maildir, LabError> {
        for sub in ["", "cur", "new", "tmp"] {
            let d = root.join(sub);
            std::fs::create_dir_all(&d).map_err(|e| LabError::io("create", &d, e))?;
            process::chown_to_mail_owner(&d)?;
        }
        Ok(Maildir {
            root: root.to_owned(),
            host: "lab".into(),
        })
    }

    /// The maildir of folder `folder` of the mailbox whose maildir is `root` (Maildir++: `root/.Folder`).
    pub fn folder(root: &Path, folder: &str) -> Result<Maildir, LabError> {
        Maildir::open(&root.join(format!(".{folder}")))
    }

    /// Deliver one message into `new/` (unread, as mail arrives).
    pub fn deliver(&self, message: &[u8]) -> Result<(), LabError> {
        self.write(message, "new", "")
    }

    /// Store one message in `cur/`, flagged `\Seen` (a sent copy).
    pub fn store_seen(&self, message: &[u8]) -> Result<(), LabError> {
        self.write(message, "cur", ":2,S")
    }

    fn write(&self, message: &[u8], sub: &str, info: &str) -> Result<(), LabError> {
        static SEQUENCE: AtomicU64 = AtomicU64::new(0);
        let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let name = format!(
            "{}.M{}P{}Q{n}.{},S={}",
            now.as_secs(),
            now.subsec_micros(),
            std::process::id(),
            self.host,
            message.len()
        );
        let tmp = self.root.join("tmp").join(&name);
        std::fs::write(&tmp, message).map_err(|e| LabError::io("write", &tmp, e))?;
        process::chown_to_mail_owner(&tmp)?;
        let target = self.root.join(sub).join(format!("{name}{info}"));
        std::fs::rename(&tmp, &target).map_err(|e| LabError::io("rename", &target, e))
    }
}
