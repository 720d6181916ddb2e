//! The PostgreSQL side of the database layer: one connection to the firm's archive server, driven by
//! tokio-postgres on the archive's own runtime thread. Every call waits for its answer, like SQLite's
//! (but for inserts whose answer nobody reads: [`PgConn::execute_later`]), and may be made from
//! anywhere, inside another async runtime too (a sync's IMAP task looks the archive up while it
//! fetches). Statements are prepared once per connection and kept.

mod address;
pub mod schema;
pub mod search;
mod values;

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, OnceLock};

use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Statement};

pub use address::{Address, CONNECT_TIMEOUT};
pub(crate) use values::with_value;

use super::value::{Param, Value};
use super::{Error, Result};

/// The advisory lock every writing transaction takes first: writers queue on it, so the hash chain's
/// appends never interleave (issue 18 §2). Any fixed number: the archive's database is its own.
pub const WRITER_LOCK: i64 = 0x0041_7474_6573_7461;

/// The runtime all PostgreSQL connections of this process run on (one thread; the queries are short
/// and each caller waits for its own).
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("attesta-postgres")
            .enable_all()
            .build()
            .expect("the archive's database thread starts")
    })
}

/// A statement running on the archive's runtime, with those queued before it.
type Later = tokio::task::JoinHandle<Result<()>>;

/// A [`Later`]'s answer.
fn joined(answer: std::result::Result<Result<()>, tokio::task::JoinError>) -> Result<()> {
    answer.unwrap_or_else(|e| {
        Err(Error::Connect(format!(
            "the archive's database task stopped: {e}"
        )))
    })
}

/// Runs `fut` on the archive's runtime and waits for it (without entering the caller's runtime).
fn wait<T: Send + 'static>(fut: impl Future<Output = Result<T>> + Send + 'static) -> Result<T> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    runtime().spawn(async move {
        let _ = tx.send(fut.await);
    });
    rx.recv()
        .unwrap_or_else(|_| Err(Error::Connect("the archive's database task stopped".into())))
}

/// A PostgreSQL error worded with the server's own message and SQLSTATE, when it sent one.
pub(crate) fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

/// `?N` placeholders (and bare `?`) as PostgreSQL's `$N`, outside quoted text.
pub fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    let mut next = 1;
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                out.push('$');
                if digits.is_empty() {
                    out.push_str(&next.to_string());
                    next += 1;
                } else {
                    out.push_str(&digits);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// One open connection.
pub struct PgConn {
    client: Arc<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    /// The last of the statements whose answer nobody waits for (see [`PgConn::execute_later`]):
    /// each runs after the one before it, and ends with the first error of the chain.
    later: RefCell<Option<Later>>,
    address: String,
}

impl PgConn {
    /// Connects to `address` (TLS verified, see [`Address`]).
    pub fn connect(address: &Address) -> Result<PgConn> {
        let config = address.config.clone();
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new((*address.tls).clone());
        // NOTE: issue 18 §6: the connect timeout covers reaching the port only; a server (or a
        // middlebox) that takes the connection and then never answers would hold the handshake for
        // as long as TCP lets it. The whole handshake gets a bound too.
        let limit = config
            .get_connect_timeout()
            .copied()
            .unwrap_or(address::CONNECT_TIMEOUT)
            * 2;
        let client = wait(async move {
            let (client, connection) = tokio::time::timeout(limit, config.connect(tls))
                .await
                .map_err(|_| Error::Unreachable("the server did not answer in time".into()))??;
            // The connection's own task: it ends when the client is dropped or the server goes away
            // (the next query then says so).
            tokio::spawn(connection);
            Ok(client)
        })?;
        Ok(PgConn {
            client: Arc::new(client),
            statements: RefCell::new(HashMap::new()),
            later: RefCell::new(None),
            address: address.shown.clone(),
        })
    }

    /// The server's address, as the user gave it.
    pub fn address(&self) -> &str {
        &self.address
    }

    pub(super) fn prepare(&self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let client = Arc::clone(&self.client);
        let text = placeholders(sql);
        let stmt = wait(async move { Ok(client.prepare(&text).await?) })?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    pub(super) fn execute(&self, stmt: &Statement, params: &[Param<'_>]) -> Result<usize> {
        self.flush()?;
        let client = Arc::clone(&self.client);
        let stmt = stmt.clone();
        let values: Vec<Value> = params.iter().map(Value::from).collect();
        let n = wait(async move {
            let refs: Vec<&(dyn ToSql + Sync)> =
                values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
            Ok(client.execute(&stmt, &refs).await?)
        })?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub(super) fn query(
        &self,
        stmt: &Statement,
        params: &[Param<'_>],
    ) -> Result<Vec<tokio_postgres::Row>> {
        self.flush()?;
        let client = Arc::clone(&self.client);
        let stmt = stmt.clone();
        let values: Vec<Value> = params.iter().map(Value::from).collect();
        wait(async move {
            let refs: Vec<&(dyn ToSql + Sync)> =
                values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
            Ok(client.query(&stmt, &refs).await?)
        })
    }

    pub(super) fn batch(&self, sql: &str) -> Result<()> {
        self.flush()?;
        let client = Arc::clone(&self.client);
        let sql = sql.to_owned();
        wait(async move { Ok(client.batch_execute(&sql).await?) })
    }

    /// Runs `stmt` on the archive's runtime, after the statements queued before it and before the
    /// next statement that waits for its answer (or the commit), while the caller goes on: the server
    /// inserts a batch's first rows while Attesta prepares the next ones, instead of after (issue 18:
    /// the import's speed). Its error, if any, comes back from that next statement; the transaction
    /// is then aborted by the server, as it would be by an error here.
    pub(super) fn execute_later(&self, stmt: &Statement, params: &[Param<'_>]) -> Result<()> {
        let client = Arc::clone(&self.client);
        let stmt = stmt.clone();
        let values: Vec<Value> = params.iter().map(Value::from).collect();
        let before = self.later.borrow_mut().take();
        let next = runtime().spawn(async move {
            if let Some(before) = before {
                joined(before.await)?;
            }
            let refs: Vec<&(dyn ToSql + Sync)> =
                values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
            client.execute(&stmt, &refs).await?;
            Ok(())
        });
        *self.later.borrow_mut() = Some(next);
        Ok(())
    }

    /// Waits for the queued statements; the first error is the answer.
    pub(super) fn flush(&self) -> Result<()> {
        match self.later.borrow_mut().take() {
            Some(last) => wait(async move { joined(last.await) }),
            None => Ok(()),
        }
    }

    /// Lets the queued statements end, whatever they answer (their transaction is being rolled back).
    pub(super) fn discard_later(&self) {
        let _ = self.flush();
    }

    /// Begins a transaction holding the writer's lock (see [`WRITER_LOCK`]).
    pub(super) fn begin_writing(&self) -> Result<()> {
        self.batch(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK})"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_numbered_outside_quotes() {
        assert_eq!(
            placeholders("SELECT a FROM t WHERE b = ?1 AND c = ?12 AND d = '?2'"),
            "SELECT a FROM t WHERE b = $1 AND c = $12 AND d = '?2'"
        );
        assert_eq!(placeholders("VALUES (?, ?)"), "VALUES ($1, $2)");
    }
}
