//! A look at the firm's server before using it (issue 18 §6, the window's connection test): can this
//! desktop reach it (TLS verified, password), was its role granted the archive, what is there — without
//! creating or changing anything.

use crate::access::{Access, Mailboxes};
use crate::db::postgres::Address;
use crate::error::ArchiveError;
use crate::migrations;

/// What the server holds, as this desktop's role sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Probe {
    /// No archive yet: using the server creates it (this role needs the right to create tables).
    Empty,
    /// An archive this Attesta knows, with its messages and what this role may do, in which
    /// mailboxes (row-level security; every mailbox on an archive older than its mailbox grants).
    Archive {
        messages: u64,
        access: Access,
        mailboxes: Mailboxes,
    },
    /// An archive from a newer Attesta: this one cannot use it.
    TooNew { version: i64, known: i64 },
}

/// The schema step that brought mailbox grants (row-level security by mailbox).
const MAILBOX_GRANTS: i64 = 10;

/// Connects to `address` and says what is there; changes nothing.
pub fn probe(address: &Address) -> Result<Probe, ArchiveError> {
    let conn = crate::open::connect_server(address, true)?;
    let version = migrations::current(&conn)?;
    let known = migrations::latest_of(migrations::of(&conn));
    if version == 0 {
        return Ok(Probe::Empty);
    }
    if version > known {
        return Ok(Probe::TooNew { version, known });
    }
    let messages: i64 = conn.query_row("SELECT count(*) FROM raw", [], |r| r.get(0))?;
    let write: bool = conn.query_row(
        "SELECT has_table_privilege('raw', 'INSERT') AND has_table_privilege('journal', 'INSERT')",
        [],
        |r| r.get(0),
    )?;
    let mailboxes = if version >= MAILBOX_GRANTS {
        crate::access::granted_mailboxes(&conn)?
    } else {
        Mailboxes::All
    };
    Ok(Probe::Archive {
        messages: messages.max(0) as u64,
        access: if write { Access::Write } else { Access::Read },
        mailboxes,
    })
}
