//! The database layer's error: the engine's own, a missing row, a column of the wrong kind, or a
//! stored value outside its closed set (carried out of a row mapper, see [`crate::stored`]).

use super::value::FromColumnError;
use crate::stored::BadStoredValue;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", super::postgres::describe(.0))]
    Postgres(#[from] tokio_postgres::Error),
    #[error("the query returned no row")]
    NoRows,
    #[error("column {column} holds {detail}")]
    Column {
        column: String,
        detail: FromColumnError,
    },
    #[error("{0}")]
    Stored(#[from] BadStoredValue),
    #[error("the query has no column named {0}")]
    NoColumn(String),
    #[error("{0}")]
    Connect(String),
    /// The server could not be reached, or the connection to it was lost (issue 18 §6).
    #[error("{0}")]
    Unreachable(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Whether the server refused a write for want of the privilege (SQLSTATE 42501), or because the
    /// session reads only (25006).
    pub fn is_refused_write(&self) -> bool {
        use tokio_postgres::error::SqlState;
        match self {
            Error::Postgres(e) => matches!(
                e.code(),
                Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE || *c == SqlState::READ_ONLY_SQL_TRANSACTION
            ),
            _ => false,
        }
    }

    /// Whether the server could not be reached or the connection to it was lost (refused, timed out,
    /// reset, closed, no route, the name not found), as opposed to a server that answered with an
    /// error, or a certificate that does not verify: what the window then reads from its local copy
    /// and queues sends for (issue 18 §6).
    pub fn is_unreachable(&self) -> bool {
        match self {
            Error::Unreachable(_) => true,
            Error::Postgres(e) => {
                if e.is_closed() {
                    return true;
                }
                if let Some(db) = e.as_db_error() {
                    // NOTE: a server shut down, crashed, or still starting up says so before it
                    // goes (57P01, 57P02, 57P03): the server is away, not refusing.
                    use tokio_postgres::error::SqlState;
                    return [
                        SqlState::ADMIN_SHUTDOWN,
                        SqlState::CRASH_SHUTDOWN,
                        SqlState::CANNOT_CONNECT_NOW,
                    ]
                    .contains(db.code());
                }
                let Some(io) =
                    std::error::Error::source(e).and_then(|s| s.downcast_ref::<std::io::Error>())
                else {
                    return false;
                };
                // NOTE: a certificate or TLS failure comes wrapped in an io::Error too: it is not
                // an unreachable server but one that must not be trusted.
                let tls = io
                    .get_ref()
                    .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some());
                !tls && !matches!(
                    io.kind(),
                    std::io::ErrorKind::InvalidData
                        | std::io::ErrorKind::InvalidInput
                        | std::io::ErrorKind::PermissionDenied
                )
            }
            _ => false,
        }
    }
}

/// `.optional()`: a query's missing row as `None`, every other error kept.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(Error::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
