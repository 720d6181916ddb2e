//! What each folder is for: INBOX, the Sent folder (RFC 6154 SPECIAL-USE `\Sent`, or failing that a
//! well-known name in Italian or English), and the rest. Every selectable folder is synced: receipts end
//! up wherever the user's filters put them.

use serde::{Deserialize, Serialize};

/// A folder's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FolderRole {
    Inbox,
    Sent,
    Other,
}

/// A folder on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folder {
    pub name: String,
    pub role: FolderRole,
}

/// Names providers and clients give the Sent folder (compared case-insensitively, last path segment).
const SENT_NAMES: &[&str] = &[
    "sent",
    "sent items",
    "sent messages",
    "sent mail",
    "posta inviata",
    "inviata",
    "inviati",
    "messaggi inviati",
    "elementi inviati",
];

/// Roles for listed folders `(name, has SPECIAL-USE \Sent)`. SPECIAL-USE wins; a name is used only when
/// no folder carries the attribute. INBOX first, then Sent, then the rest in listing order.
pub fn role_of(listed: Vec<(String, bool)>) -> Vec<Folder> {
    let any_special = listed.iter().any(|(_, sent)| *sent);
    let mut out: Vec<Folder> = listed
        .into_iter()
        .map(|(name, special_sent)| {
            let last = name
                .rsplit(['/', '.'])
                .next()
                .unwrap_or(&name)
                .to_lowercase();
            let role = if name.eq_ignore_ascii_case("INBOX") {
                FolderRole::Inbox
            } else if special_sent || (!any_special && SENT_NAMES.contains(&last.as_str())) {
                FolderRole::Sent
            } else {
                FolderRole::Other
            };
            Folder { name, role }
        })
        .collect();
    out.sort_by_key(|f| match f.role {
        FolderRole::Inbox => 0,
        FolderRole::Sent => 1,
        FolderRole::Other => 2,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(listed: &[(&str, bool)]) -> Vec<(String, FolderRole)> {
        role_of(listed.iter().map(|(n, s)| ((*n).to_owned(), *s)).collect())
            .into_iter()
            .map(|f| (f.name, f.role))
            .collect()
    }

    #[test]
    fn special_use_decides_the_sent_folder_over_names() {
        assert_eq!(
            roles(&[
                ("Archivio", false),
                ("Sent", false),
                ("Inviata", true),
                ("INBOX", false)
            ]),
            [
                ("INBOX".to_owned(), FolderRole::Inbox),
                ("Inviata".to_owned(), FolderRole::Sent),
                ("Archivio".to_owned(), FolderRole::Other),
                ("Sent".to_owned(), FolderRole::Other),
            ]
        );
    }

    #[test]
    fn without_special_use_well_known_names_are_recognised() {
        assert_eq!(
            roles(&[("INBOX.Posta inviata", false), ("inbox", false)]),
            [
                ("inbox".to_owned(), FolderRole::Inbox),
                ("INBOX.Posta inviata".to_owned(), FolderRole::Sent),
            ]
        );
    }
}
