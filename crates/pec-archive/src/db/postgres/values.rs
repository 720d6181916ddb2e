//! Values on the PostgreSQL wire: a parameter is written as the type the server inferred for its place
//! (an integer into `bigint`, `integer` or `boolean`; a text into `text`), and a column is read by its
//! type into the archive's few kinds of value. Any other column type is an error, never a guess.

use std::error::Error as StdError;

use bytes::BytesMut;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use crate::db::value::{FromColumnError, Value, ValueRef};
use crate::db::{Error, Result};

type WireResult = std::result::Result<IsNull, Box<dyn StdError + Sync + Send>>;

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> WireResult {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                #[allow(clippy::cast_precision_loss)]
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => Err(format!("an integer was given where {ty} is expected").into()),
            },
            Value::Real(r) => match *ty {
                Type::FLOAT8 => r.to_sql(ty, out),
                _ => Err(format!("a real number was given where {ty} is expected").into()),
            },
            Value::Text(t) => t.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Column `at` of `row` as an archive value, given to `f`.
pub(crate) fn with_value<T>(
    row: &tokio_postgres::Row,
    at: usize,
    f: impl FnOnce(ValueRef<'_>) -> Result<T>,
) -> Result<T> {
    let column = row
        .columns()
        .get(at)
        .ok_or_else(|| Error::NoColumn(at.to_string()))?;
    let v = match *column.type_() {
        Type::INT8 => row.try_get::<_, Option<i64>>(at)?.map(ValueRef::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(at)?
            .map(|i| ValueRef::Int(i.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(at)?
            .map(|i| ValueRef::Int(i.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(at)?
            .map(|b| ValueRef::Int(b.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(at)?.map(ValueRef::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(at)?
            .map(|r| ValueRef::Real(r.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
            row.try_get::<_, Option<&str>>(at)?.map(ValueRef::Text)
        }
        Type::BYTEA => row.try_get::<_, Option<&[u8]>>(at)?.map(ValueRef::Blob),
        _ => {
            return Err(Error::Column {
                column: column.name().to_owned(),
                detail: FromColumnError {
                    wanted: "an integer, a text or a byte string",
                    found: "a value of another PostgreSQL type",
                },
            });
        }
    };
    f(v.unwrap_or(ValueRef::Null))
}
