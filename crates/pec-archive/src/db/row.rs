//! One row of a query's result, read by column position or name on either engine.

use super::error::{Error, Result};
use super::value::{FromColumn, FromColumnError, ValueRef};

/// A row of a query's result.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a tokio_postgres::Row),
}

/// A column by position (from 0) or by name.
pub trait ColumnIndex {
    fn position(&self) -> Option<usize>;
    fn name(&self) -> Option<&str>;
}

impl ColumnIndex for usize {
    fn position(&self) -> Option<usize> {
        Some(*self)
    }
    fn name(&self) -> Option<&str> {
        None
    }
}

impl ColumnIndex for &str {
    fn position(&self) -> Option<usize> {
        None
    }
    fn name(&self) -> Option<&str> {
        Some(self)
    }
}

fn label<I: ColumnIndex>(idx: &I) -> String {
    match (idx.position(), idx.name()) {
        (Some(p), _) => p.to_string(),
        (None, Some(n)) => n.to_owned(),
        (None, None) => String::new(),
    }
}

impl Row<'_> {
    /// Column `idx` read as `T`.
    pub fn get<I: ColumnIndex, T: FromColumn>(&self, idx: I) -> Result<T> {
        let bad = |detail: FromColumnError| Error::Column {
            column: label(&idx),
            detail,
        };
        self.with_value(&idx, |v| T::from_column(v).map_err(bad))
    }

    /// Column `idx` as whatever value it holds now, given to `f`.
    pub fn with_value<I: ColumnIndex, T>(
        &self,
        idx: &I,
        f: impl FnOnce(ValueRef<'_>) -> Result<T>,
    ) -> Result<T> {
        match self {
            Row::Sqlite(r) => {
                let v = match (idx.position(), idx.name()) {
                    (Some(p), _) => r.get_ref(p)?,
                    (None, Some(n)) => r.get_ref(n)?,
                    (None, None) => return Err(Error::NoRows),
                };
                let v = super::sqlite::value(v).map_err(|_| Error::Column {
                    column: label(idx),
                    detail: FromColumnError {
                        wanted: "a text",
                        found: "bytes that are not UTF-8",
                    },
                })?;
                f(v)
            }
            Row::Postgres(r) => {
                let at = match (idx.position(), idx.name()) {
                    (Some(p), _) => p,
                    (None, Some(n)) => r
                        .columns()
                        .iter()
                        .position(|c| c.name() == n)
                        .ok_or_else(|| Error::NoColumn(n.to_owned()))?,
                    (None, None) => return Err(Error::NoRows),
                };
                super::postgres::with_value(r, at, f)
            }
        }
    }
}
