//! Where a message came from: an IMAP folder (UIDVALIDITY/UID), a file on disk, or Attesta's own
//! submission. Recorded once per distinct arrival, so the same message arriving twice is stored once
//! and its provenance is still complete.

use pec_core::PecKind;
use serde::{Deserialize, Serialize};

use crate::person::Person;

pec_core::closed_set! {
    /// What a mail folder is for (RFC 6154 SPECIAL-USE, or guessed from its name).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum FolderRole {
        Inbox = "inbox",
        /// Copies of what the user sent: plain messages here are sent copies.
        Sent = "sent",
        Other = "other",
    }
}

pec_core::closed_set! {
    /// Where an arrival came from (the `origins.source` column): the tag of [`Origin`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Source {
        Imap = "imap",
        File = "file",
        Submitted = "submitted",
    }
}

/// One arrival of a message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum Origin {
    /// Fetched from an IMAP folder.
    Imap {
        account: String,
        folder: String,
        role: FolderRole,
        uidvalidity: u32,
        uid: u32,
    },
    /// Read from a file (`part` numbers the messages of an mbox; 0 for a single message), for
    /// `mailbox` when the import named the mailbox it belongs to (issue 18 §4: on a shared archive,
    /// the people granted that mailbox see it; a file of no mailbox is seen by those granted all).
    File {
        path: String,
        part: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mailbox: Option<String>,
    },
    /// Submitted by Attesta itself: these are the exact bytes it handed to the provider — `by` the
    /// person the desktop acted as (issue 18 §3; absent when none was set, and in origins recorded
    /// before people were).
    Submitted {
        account: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<Person>,
    },
}

pec_core::closed_set! {
    /// Which copy of the sender's own message a plain (not PEC) item of a send is. Both are unsigned by
    /// the provider; only its receipts are. Evidence packs name their files by it, the window its items.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum SentCopy {
        /// The message as sent: the bytes Attesta submitted, or else the provider's Sent-folder copy.
        Sent = "sent",
        /// The provider's copy in the Sent folder (other bytes: it adds headers), kept beside the bytes
        /// Attesta submitted.
        SentFolder = "sent-folder",
    }
}

impl SentCopy {
    /// Which copy an item of kind `kind` of a send is (`None` for the provider's messages):
    /// `submitted` says whether Attesta submitted this item, `any_submitted` whether it submitted
    /// any item of the send.
    pub fn of(kind: PecKind, submitted: bool, any_submitted: bool) -> Option<SentCopy> {
        (kind == PecKind::NotPec).then_some(if submitted || !any_submitted {
            SentCopy::Sent
        } else {
            SentCopy::SentFolder
        })
    }
}

impl Origin {
    /// Whether Attesta itself submitted the message (these are the bytes handed to the provider).
    pub fn is_submission(&self) -> bool {
        matches!(self, Origin::Submitted { .. })
    }

    /// Who submitted it, for a submission that recorded its sender.
    pub fn sent_by(&self) -> Option<&Person> {
        match self {
            Origin::Submitted { by, .. } => by.as_ref(),
            Origin::Imap { .. } | Origin::File { .. } => None,
        }
    }

    /// Whether this arrival says the message is one the user sent.
    pub fn is_sent_copy(&self) -> bool {
        matches!(
            self,
            Origin::Submitted { .. }
                | Origin::Imap {
                    role: FolderRole::Sent,
                    ..
                }
        )
    }

    pub(crate) fn source(&self) -> Source {
        match self {
            Origin::Imap { .. } => Source::Imap,
            Origin::File { .. } => Source::File,
            Origin::Submitted { .. } => Source::Submitted,
        }
    }

    /// A short description for people: `INBOX of mario@pec.it (uid 42)`, a path, …
    pub fn describe(&self) -> String {
        match self {
            Origin::Imap {
                account,
                folder,
                uidvalidity,
                uid,
                ..
            } => format!("{folder} of {account} (uidvalidity {uidvalidity}, uid {uid})"),
            Origin::File {
                path,
                part,
                mailbox,
            } => {
                let mut text = path.clone();
                if *part != 0 {
                    text.push_str(&format!(" (message {part})"));
                }
                if let Some(mailbox) = mailbox {
                    text.push_str(&format!(", for {mailbox}"));
                }
                text
            }
            Origin::Submitted { account, by: None } => {
                format!("submitted by Attesta for {account}")
            }
            Origin::Submitted {
                account,
                by: Some(by),
            } => format!("submitted by Attesta for {account}, sent by {by}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sent_folders_and_submissions_make_sent_copies() {
        let imap = |role| Origin::Imap {
            account: "a@pec.it".into(),
            folder: "X".into(),
            role,
            uidvalidity: 1,
            uid: 1,
        };
        assert!(imap(FolderRole::Sent).is_sent_copy());
        assert!(!imap(FolderRole::Inbox).is_sent_copy());
        assert!(
            Origin::Submitted {
                account: "a@pec.it".into(),
                by: None
            }
            .is_sent_copy()
        );
        assert!(
            !Origin::File {
                path: "/x.eml".into(),
                part: 0,
                mailbox: None,
            }
            .is_sent_copy()
        );
    }
}
