//! The SQLite side of the database layer: parameters and column values as rusqlite sees them.

use rusqlite::types::{ToSqlOutput, ValueRef as SqliteValue};

use super::value::{Param, ValueRef};

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Param::Null => SqliteValue::Null,
            Param::Int(i) => SqliteValue::Integer(i),
            Param::Real(r) => SqliteValue::Real(r),
            Param::Text(t) => SqliteValue::Text(t.as_bytes()),
            Param::Blob(b) => SqliteValue::Blob(b),
        }))
    }
}

/// Bound parameters as rusqlite takes them.
pub(super) fn bind<'p>(
    bound: &'p [Param<'p>],
) -> rusqlite::ParamsFromIter<std::slice::Iter<'p, Param<'p>>> {
    rusqlite::params_from_iter(bound.iter())
}

/// A column's value; a text that is not UTF-8 is an error (the archive writes only UTF-8).
pub(super) fn value(v: SqliteValue<'_>) -> Result<ValueRef<'_>, std::str::Utf8Error> {
    Ok(match v {
        SqliteValue::Null => ValueRef::Null,
        SqliteValue::Integer(i) => ValueRef::Int(i),
        SqliteValue::Real(r) => ValueRef::Real(r),
        SqliteValue::Text(t) => ValueRef::Text(std::str::from_utf8(t)?),
        SqliteValue::Blob(b) => ValueRef::Blob(b),
    })
}
