//! Who may do what in the firm's shared archive (issue 18 §4), enforced by the PostgreSQL server
//! itself, never by Attesta alone: a person's login role is granted reading (browse, search, check,
//! export) or writing (also archive, sync, send) by `attesta archive grant`. A writer is granted INSERT
//! on the evidence tables and never UPDATE or DELETE there, so even a writer's own session cannot edit
//! evidence (the triggers refuse it too); only the derived tables are rewritten. A refused write comes
//! back as [`ArchiveError::ReadOnly`], with nothing changed.
//!
//! Which mailboxes a role reads is PostgreSQL row-level security (schema step 10): `mailbox_grants`
//! holds, per role, the addresses it was granted, or `*` for every mailbox. A message is a mailbox's
//! when one of its origins was synced from that mailbox or submitted from it (`origins.account`, the
//! address); a role sees a message, its origins from its mailboxes, its verdicts, its derived row and
//! its words in search when it was granted one of them. A send is seen through the sender's side of it
//! only: one of its receipts, or its sent copy from a Sent folder or a submission (not a recipient's
//! envelope or plain copy).
//! A message that only came from files belongs to no mailbox (only roles granted every mailbox see
//! it), unless the import named the mailbox it belongs to (`attesta import --mailbox`): that file
//! origin is the mailbox's as a synced one is.
//! Writing is granted for every mailbox only: a writer stores whatever arrives and relinks sends from
//! all their evidence, which a role that sees part of it could not do right. The journal (hashes, and
//! the SHA-256 and origin of what each entry records, never a message's content) stays readable
//! whole, so every granted role verifies the whole chain; `archive check` then checks the messages
//! of its own mailboxes (`check/scope.rs`).
//!
//! A file archive belongs to its owner, who may do everything; so does the owner of the shared one
//! (the tables' policies do not apply to it: it could turn them off).

use crate::db::{Db, Engine};
use crate::error::ArchiveError;
use crate::open::Archive;

/// What a role may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// Browse, search, check, export.
    Read,
    /// Also archive, sync and send.
    Write,
}

/// The evidence tables: appended to, never changed.
const EVIDENCE: &[&str] = &[
    "raw",
    "origins",
    "verdict_texts",
    "verdicts",
    "document_verdicts",
    "journal",
];
/// The derived and operational tables: rewritten by rebuilds, links, the outbox and syncs.
const DERIVED: &[&str] = &[
    "messages",
    "sent",
    "sent_recipients",
    "search",
    "outbox",
    "sync_state",
];

/// A PostgreSQL role name as given: letters, digits and `_` only (it is spelled into GRANT).
fn role_name(role: &str) -> Result<&str, ArchiveError> {
    let ok = !role.is_empty()
        && role.len() <= 63
        && role.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !role.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(role)
    } else {
        Err(ArchiveError::Server {
            address: String::new(),
            detail: format!(
                "`{role}` is not a role name Attesta grants to (letters, digits and _ only)"
            ),
        })
    }
}

impl Archive {
    /// What this connection's role may do.
    pub fn access(&self) -> Result<Access, ArchiveError> {
        match self.conn.engine() {
            Engine::Sqlite => Ok(Access::Write),
            Engine::Postgres => {
                let write: bool = self.conn.query_row(
                    "SELECT has_table_privilege('raw', 'INSERT') AND has_table_privilege('journal', 'INSERT')",
                    [],
                    |r| r.get(0),
                )?;
                Ok(if write { Access::Write } else { Access::Read })
            }
        }
    }

    /// Which mailboxes this connection's role reads: all of them on a file archive and for the shared
    /// archive's owner, else those it was granted.
    pub fn granted_mailboxes(&self) -> Result<Mailboxes, ArchiveError> {
        granted_mailboxes(&self.conn)
    }

    /// Grants `role` (an existing PostgreSQL login role) `access` to this shared archive, for
    /// `mailboxes`: [`Mailboxes::All`], or these mailboxes beside those it was granted before (a role
    /// granted every mailbox is narrowed to them). A role granted writing before and now reading loses
    /// its writing. Writing is granted for every mailbox only. Needs the archive owner's connection.
    pub fn grant(
        &self,
        role: &str,
        access: Access,
        mailboxes: &Mailboxes,
    ) -> Result<(), ArchiveError> {
        self.shared_only()?;
        // NOTE: spelled unquoted into GRANT, the name is folded to lowercase by the server: so is the
        // name kept in `mailbox_grants`, which the policies compare with `current_user`.
        let role = role_name(role)?.to_ascii_lowercase();
        let role = role.as_str();
        let addresses = match mailboxes {
            Mailboxes::All => Vec::new(),
            Mailboxes::Only(list) => {
                if access == Access::Write {
                    return Err(refused(format!(
                        "writing is granted for every mailbox only (a writer links sends from all their \
                         evidence): `attesta archive grant {role} --write` without --mailbox"
                    )));
                }
                mailbox_names(list)?
            }
        };
        let all: Vec<&str> = EVIDENCE.iter().chain(DERIVED).copied().collect();
        let mut sql = format!(
            "GRANT USAGE ON SCHEMA public TO {role}; \
             GRANT SELECT ON {}, attesta_schema, mailbox_grants TO {role}; \
             REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {} FROM {role}; \
             REVOKE USAGE ON ALL SEQUENCES IN SCHEMA public FROM {role};",
            all.join(", "),
            all.join(", ")
        );
        if access == Access::Write {
            sql.push_str(&format!(
                " GRANT INSERT ON {} TO {role}; \
                 GRANT INSERT, UPDATE, DELETE ON {} TO {role}; \
                 GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role};",
                EVIDENCE.join(", "),
                DERIVED.join(", ")
            ));
        }
        let tx = self.conn.transaction()?;
        tx.execute_batch(&sql)?;
        if addresses.is_empty() {
            tx.execute("DELETE FROM mailbox_grants WHERE role = ?1", [role])?;
            tx.execute(
                "INSERT INTO mailbox_grants (role, mailbox) VALUES (?1, ?2)",
                [role, ALL],
            )?;
        } else {
            tx.execute(
                "DELETE FROM mailbox_grants WHERE role = ?1 AND mailbox = ?2",
                [role, ALL],
            )?;
            for mailbox in &addresses {
                tx.execute(
                    "INSERT INTO mailbox_grants (role, mailbox) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    [role, mailbox.as_str()],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Takes back from `role` these mailboxes ([`Mailboxes::Only`]), or the whole archive
    /// ([`Mailboxes::All`]: every table privilege and every mailbox). A role granted every mailbox keeps
    /// it when only some are named: it is told to be granted the ones it keeps instead.
    pub fn revoke(&self, role: &str, mailboxes: &Mailboxes) -> Result<(), ArchiveError> {
        self.shared_only()?;
        let role = role_name(role)?.to_ascii_lowercase();
        let role = role.as_str();
        let tx = self.conn.transaction()?;
        match mailboxes {
            Mailboxes::All => {
                let all: Vec<&str> = EVIDENCE.iter().chain(DERIVED).copied().collect();
                tx.execute_batch(&format!(
                    "REVOKE ALL ON {}, attesta_schema, mailbox_grants FROM {role}; \
                     REVOKE USAGE ON ALL SEQUENCES IN SCHEMA public FROM {role};",
                    all.join(", ")
                ))?;
                tx.execute("DELETE FROM mailbox_grants WHERE role = ?1", [role])?;
            }
            Mailboxes::Only(list) => {
                let everything: i64 = tx.query_row(
                    "SELECT count(*) FROM mailbox_grants WHERE role = ?1 AND mailbox = ?2",
                    [role, ALL],
                    |r| r.get(0),
                )?;
                if everything > 0 {
                    return Err(refused(format!(
                        "{role} is granted every mailbox; grant it the mailboxes it keeps instead \
                         (`attesta archive grant {role} --read --mailbox ADDRESS`)"
                    )));
                }
                for mailbox in mailbox_names(list)? {
                    tx.execute(
                        "DELETE FROM mailbox_grants WHERE role = ?1 AND mailbox = ?2",
                        [role, mailbox.as_str()],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn shared_only(&self) -> Result<(), ArchiveError> {
        if self.conn.engine() == Engine::Postgres {
            return Ok(());
        }
        Err(ArchiveError::Server {
            address: self.path().display().to_string(),
            detail: "roles belong to the firm's shared archive; a file archive is its owner's"
                .into(),
        })
    }
}

/// [`Archive::granted_mailboxes`] over `conn` (a check's snapshot).
pub(crate) fn granted_mailboxes(conn: &Db) -> Result<Mailboxes, ArchiveError> {
    if conn.engine() != Engine::Postgres {
        return Ok(Mailboxes::All);
    }
    let owner: bool = conn.query_row(
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE') \
         OR (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user) \
         FROM pg_class c WHERE c.oid = 'raw'::regclass",
        [],
        |r| r.get(0),
    )?;
    if owner {
        return Ok(Mailboxes::All);
    }
    let mut stmt = conn
        .prepare("SELECT mailbox FROM mailbox_grants WHERE role = current_user ORDER BY mailbox")?;
    let granted: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<crate::db::Result<_>>()?;
    Ok(if granted.iter().any(|m| m == ALL) {
        Mailboxes::All
    } else {
        Mailboxes::Only(granted)
    })
}

/// The `mailbox_grants` row that grants every mailbox.
const ALL: &str = "*";

/// Which mailboxes a role reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mailboxes {
    /// Every mailbox, and what came from files.
    All,
    /// These addresses (lowercase).
    Only(Vec<String>),
}

impl Mailboxes {
    /// Whether a message that came from `origin` is this scope's.
    pub fn covers(&self, origin: &crate::origin::Origin) -> bool {
        use crate::origin::Origin;
        match (self, origin) {
            (Mailboxes::All, _) => true,
            (Mailboxes::Only(_), Origin::File { mailbox: None, .. }) => false,
            (
                Mailboxes::Only(list),
                Origin::File {
                    mailbox: Some(account),
                    ..
                },
            ) => list.contains(&account.to_lowercase()),
            (
                Mailboxes::Only(list),
                Origin::Imap { account, .. } | Origin::Submitted { account, .. },
            ) => list.contains(&account.to_lowercase()),
        }
    }
}

/// A mailbox address as grants and file origins keep it: trimmed, lowercase, one `@`, no spaces;
/// `None` if `given` is not one.
pub fn mailbox_name(given: &str) -> Option<String> {
    let address = given.trim().to_lowercase();
    let ok = address.matches('@').count() == 1
        && !address.starts_with('@')
        && !address.ends_with('@')
        && !address.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(address)
}

/// Addresses as granted ([`mailbox_name`]), each once; at least one.
fn mailbox_names(list: &[String]) -> Result<Vec<String>, ArchiveError> {
    let mut names = Vec::new();
    for given in list {
        let address = mailbox_name(given)
            .ok_or_else(|| refused(format!("`{given}` is not a mailbox address (name@domain)")))?;
        if !names.contains(&address) {
            names.push(address);
        }
    }
    if names.is_empty() {
        return Err(refused("no mailbox named".into()));
    }
    Ok(names)
}

fn refused(detail: String) -> ArchiveError {
    ArchiveError::Server {
        address: String::new(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes_are_granted_as_lowercase_addresses() {
        assert_eq!(
            mailbox_names(&[" Studio@PEC.example ".into(), "studio@pec.example".into()]).unwrap(),
            ["studio@pec.example"]
        );
        for bad in [
            "",
            "*",
            "studio",
            "@pec.example",
            "a b@pec.example",
            "a@b@c",
        ] {
            assert!(mailbox_names(&[bad.into()]).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_file_origin_is_the_mailbox_s_its_import_named_or_none_s() {
        use crate::origin::Origin;
        let only = Mailboxes::Only(vec!["a@pec.example".into()]);
        let file = Origin::File {
            path: "/m/1.eml".into(),
            part: 0,
            mailbox: None,
        };
        let named = |mailbox: &str| Origin::File {
            path: "/m/1.eml".into(),
            part: 0,
            mailbox: Some(mailbox.into()),
        };
        assert!(only.covers(&named("a@pec.example")));
        assert!(!only.covers(&named("b@pec.example")));
        assert_eq!(
            mailbox_name(" A@PEC.example ").as_deref(),
            Some("a@pec.example")
        );
        assert_eq!(mailbox_name("a@b@c"), None);
        let submitted = Origin::Submitted {
            account: "A@pec.example".into(),
            by: None,
        };
        assert!(!only.covers(&file));
        assert!(only.covers(&submitted));
        assert!(Mailboxes::All.covers(&file));
    }

    #[test]
    fn only_plain_role_names_are_spelled_into_grants() {
        assert!(role_name("maria_rossi").is_ok());
        for bad in ["", "x; DROP TABLE raw", "maria-rossi", "\"r\"", "1abc"] {
            assert!(role_name(bad).is_err(), "{bad}");
        }
    }
}
