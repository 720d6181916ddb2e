//! Who may do what in the firm's shared archive (issue 18 §4), enforced by the PostgreSQL server
//! itself, never by Attesta alone: a person's login role is granted reading (browse, search, check,
//! export) or writing (also archive, sync, send) by `attesta archive grant`. A writer is granted INSERT
//! on the evidence tables and never UPDATE or DELETE there, so even a writer's own session cannot edit
//! evidence (the triggers refuse it too); only the derived tables are rewritten. A refused write comes
//! back as [`ArchiveError::ReadOnly`], with nothing changed.
//!
//! A file archive belongs to its owner, who may do everything.

use crate::db::Engine;
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
const EVIDENCE: &[&str] = &["raw", "origins", "verdict_texts", "verdicts", "journal"];
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

    /// Grants `role` (an existing PostgreSQL login role) `access` to this shared archive; a role granted
    /// writing before and now reading loses its writing. Needs the archive owner's connection.
    pub fn grant(&self, role: &str, access: Access) -> Result<(), ArchiveError> {
        if self.conn.engine() != Engine::Postgres {
            return Err(ArchiveError::Server {
                address: self.path().display().to_string(),
                detail: "roles belong to the firm's shared archive; a file archive is its owner's"
                    .into(),
            });
        }
        let role = role_name(role)?;
        let all: Vec<&str> = EVIDENCE.iter().chain(DERIVED).copied().collect();
        let mut sql = format!(
            "GRANT USAGE ON SCHEMA public TO {role}; \
             GRANT SELECT ON {}, attesta_schema TO {role}; \
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
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_role_names_are_spelled_into_grants() {
        assert!(role_name("maria_rossi").is_ok());
        for bad in ["", "x; DROP TABLE raw", "maria-rossi", "\"r\"", "1abc"] {
            assert!(role_name(bad).is_err(), "{bad}");
        }
    }
}
