//! The two database engines behind the archive (issue 18): SQLite, the embedded default for one
//! person, and PostgreSQL, the firm's shared archive. One small interface shaped like rusqlite's
//! (`prepare_cached`, `query_map`, `query_row`, `execute`, `transaction`), so every archive operation
//! is written once.
//!
//! Queries are written in the SQL both engines speak, with `?N` placeholders (PostgreSQL gets them as
//! `$N`, see [`postgres::placeholders`]); the few places where the engines differ (full-text search,
//! schema, pragmas) ask [`Db::engine`]. A write transaction on PostgreSQL takes the archive's
//! transaction-scoped advisory lock first, so the hash chain stays one linear chain however many
//! desktops write at once (SQLite has one writer by construction).

pub mod dialect;
mod error;
mod in_list;
pub mod postgres;
mod row;
mod rows_in;
mod sqlite;
pub mod value;

pub use error::{Error, OptionalExtension, Result};
pub use in_list::in_list;
pub use row::{ColumnIndex, Row};
pub use rows_in::RowsIn;
pub use value::{FromColumn, Param, Params, ToParam, Value, ValueRef, params_from_iter};

/// Mixed parameters for one query: `params![id, name, bytes]`.
#[macro_export]
#[doc(hidden)]
macro_rules! __db_params {
    () => { &[] as &[&dyn $crate::db::ToParam] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::db::ToParam),+] as &[&dyn $crate::db::ToParam] };
}
pub use crate::__db_params as params;

/// Which engine an archive is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// An open connection to the archive's database.
pub enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::PgConn),
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, backups, `quick_check`).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Sqlite(c) => Some(c),
            Db::Postgres(_) => None,
        }
    }

    /// A statement, prepared once per connection and kept.
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(match self {
            Db::Sqlite(c) => Statement::Sqlite(c.prepare_cached(sql)?),
            Db::Postgres(c) => Statement::Postgres {
                stmt: c.prepare(sql)?,
                conn: c,
            },
        })
    }

    /// [`Db::prepare_cached`] (both engines keep their statements).
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        self.prepare_cached(sql)
    }

    /// Runs one statement; returns the rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// The first row of a query, mapped (an error when there is none: see [`OptionalExtension`]).
    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// Runs statements separated by `;`, without parameters (schema steps).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Db::Postgres(c) => c.batch(sql),
        }
    }

    /// Begins a transaction, rolled back unless committed. On PostgreSQL it first takes the archive's
    /// writer lock (see the module header), held until the transaction ends.
    pub fn transaction(&self) -> Result<Tx<'_>> {
        match self {
            Db::Sqlite(c) => c.execute_batch("BEGIN DEFERRED")?,
            Db::Postgres(c) => c.begin_writing()?,
        }
        Ok(Tx {
            db: self,
            done: false,
        })
    }

    /// Begins a transaction that only reads and sees the archive as it was at one moment for its
    /// whole length, whatever other connections commit meanwhile (a long read such as `archive
    /// check` would otherwise see a journal from one moment and messages from a later one). It never
    /// takes the writers' lock: writers go on. The moment is taken here, not at the first query.
    pub fn snapshot(&self) -> Result<Tx<'_>> {
        match self {
            Db::Sqlite(c) => c.execute_batch("BEGIN DEFERRED")?,
            Db::Postgres(c) => c.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?,
        }
        let tx = Tx {
            db: self,
            done: false,
        };
        // NOTE: both engines fix a read transaction's moment at its first read, not at BEGIN. The
        // journal's last entry is read through its key: counting the journal read all of it (40 ms at
        // a million messages on PostgreSQL, for every search).
        tx.query_row("SELECT max(seq) FROM journal", [], |r| {
            r.get::<_, Option<i64>>(0)
        })?;
        Ok(tx)
    }
}

/// A transaction; derefs to its [`Db`].
pub struct Tx<'a> {
    db: &'a Db,
    done: bool,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<()> {
        // A later statement's error must roll the transaction back (this Tx's drop), not end in COMMIT.
        if let Db::Postgres(c) = self.db {
            c.flush()?;
        }
        self.done = true;
        self.db.execute_batch("COMMIT")
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.db
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.done {
            if let Db::Postgres(c) = self.db {
                c.discard_later();
            }
            // Nothing of the transaction is kept; a failing rollback means the connection is gone, which
            // ends the transaction too.
            let _ = self.db.execute_batch("ROLLBACK");
        }
    }
}

/// A prepared statement.
pub enum Statement<'a> {
    Sqlite(rusqlite::CachedStatement<'a>),
    Postgres {
        conn: &'a postgres::PgConn,
        stmt: tokio_postgres::Statement,
    },
}

/// The rows of a query, walked one by one.
pub enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Postgres {
        rows: std::vec::IntoIter<tokio_postgres::Row>,
        current: Option<tokio_postgres::Row>,
    },
}

impl Rows<'_> {
    /// The next row, if any.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            Rows::Postgres { rows, current } => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Postgres))
            }
        }
    }
}

/// The mapped rows of a query, read as they are asked for.
pub type MappedRows<'a, T> = Box<dyn Iterator<Item = Result<T>> + 'a>;

impl Statement<'_> {
    /// Runs the statement; returns the rows it changed.
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        let bound = params.bind();
        match self {
            Statement::Sqlite(s) => Ok(s.execute(sqlite::bind(&bound))?),
            Statement::Postgres { conn, stmt } => conn.execute(stmt, &bound),
        }
    }

    /// Runs the statement before the engine next has to answer anything (PostgreSQL: in the background,
    /// after the other later statements, see [`postgres::PgConn::execute_later`]; SQLite: now). For inserts
    /// inside a transaction whose changed-row count nobody needs; an error surfaces from the next
    /// statement or the commit at the latest, and aborts the transaction either way.
    pub fn execute_later<P: Params>(&mut self, params: P) -> Result<()> {
        let bound = params.bind();
        match self {
            Statement::Sqlite(s) => s
                .execute(sqlite::bind(&bound))
                .map(|_| ())
                .map_err(Into::into),
            Statement::Postgres { conn, stmt } => conn.execute_later(stmt, &bound),
        }
    }

    /// The rows of the query, each mapped by `f`.
    pub fn query_map<'s, T, P, F>(&'s mut self, params: P, mut f: F) -> Result<MappedRows<'s, T>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T> + 's,
        T: 's,
    {
        let bound = params.bind();
        match self {
            Statement::Sqlite(s) => {
                let mut rows = s.query(sqlite::bind(&bound))?;
                let mut failed = false;
                Ok(Box::new(std::iter::from_fn(move || {
                    if failed {
                        return None;
                    }
                    match rows.next() {
                        Ok(Some(r)) => Some(f(&Row::Sqlite(r))),
                        Ok(None) => None,
                        Err(e) => {
                            failed = true;
                            Some(Err(e.into()))
                        }
                    }
                })))
            }
            Statement::Postgres { conn, stmt } => {
                let rows = conn.query(stmt, &bound)?;
                Ok(Box::new(
                    rows.into_iter().map(move |r| f(&Row::Postgres(&r))),
                ))
            }
        }
    }

    /// The first row, mapped (an error when there is none: see [`OptionalExtension`]).
    pub fn query_row<T, P, F>(&mut self, params: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let bound = params.bind();
        match self {
            Statement::Sqlite(s) => {
                let mut rows = s.query(sqlite::bind(&bound))?;
                match rows.next()? {
                    Some(r) => f(&Row::Sqlite(r)),
                    None => Err(Error::NoRows),
                }
            }
            Statement::Postgres { conn, stmt } => match conn.query(stmt, &bound)?.first() {
                Some(r) => f(&Row::Postgres(r)),
                None => Err(Error::NoRows),
            },
        }
    }

    /// The rows of the query, to walk with [`Rows::next`].
    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        let bound = params.bind();
        match self {
            Statement::Sqlite(s) => Ok(Rows::Sqlite(s.query(sqlite::bind(&bound))?)),
            // NOTE: the whole result is fetched at once; the walks over every message (check,
            // rebuild) are to page with a cursor before archives of a million messages are checked on
            // PostgreSQL.
            Statement::Postgres { conn, stmt } => Ok(Rows::Postgres {
                rows: conn.query(stmt, &bound)?.into_iter(),
                current: None,
            }),
        }
    }

    /// Whether the query returns a row.
    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        self.query_row(params, |_| Ok(()))
            .optional()
            .map(|r| r.is_some())
    }
}
