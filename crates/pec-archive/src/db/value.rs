//! The values that cross the database boundary, the same on both engines: [`Param`] (what a query is
//! given), [`ToParam`] (what can be given), [`Params`] (a query's list of them) and [`FromColumn`]
//! (what a column can be read as). The archive stores only integers, texts and byte strings (plus
//! NULL), so these are the only values there are: a column of any other type is an error.

use std::fmt;

/// A value given to a query, borrowed from the caller.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// A value read from a column, borrowed from the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl ValueRef<'_> {
    /// The value's kind, for errors.
    pub fn kind(&self) -> &'static str {
        match self {
            ValueRef::Null => "NULL",
            ValueRef::Int(_) => "an integer",
            ValueRef::Real(_) => "a real number",
            ValueRef::Text(_) => "a text",
            ValueRef::Blob(_) => "a byte string",
        }
    }
}

/// A value owned (a parameter of a query built at run time, or on its way to the server).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<&Param<'_>> for Value {
    fn from(p: &Param<'_>) -> Value {
        match *p {
            Param::Null => Value::Null,
            Param::Int(i) => Value::Integer(i),
            Param::Real(r) => Value::Real(r),
            Param::Text(t) => Value::Text(t.to_owned()),
            Param::Blob(b) => Value::Blob(b.to_vec()),
        }
    }
}

impl ToParam for Value {
    fn to_param(&self) -> Param<'_> {
        match self {
            Value::Null => Param::Null,
            Value::Integer(i) => Param::Int(*i),
            Value::Real(r) => Param::Real(*r),
            Value::Text(t) => Param::Text(t),
            Value::Blob(b) => Param::Blob(b),
        }
    }
}

/// Something a query can be given.
pub trait ToParam {
    fn to_param(&self) -> Param<'_>;
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}

impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Param<'_> {
        self.as_ref().map_or(Param::Null, ToParam::to_param)
    }
}

impl ToParam for str {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for String {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for [u8] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}

impl ToParam for Vec<u8> {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}

impl<const N: usize> ToParam for [u8; N] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}

impl ToParam for bool {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}

impl ToParam for f64 {
    fn to_param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}

macro_rules! integer_params {
    ($($t:ty)+) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Param<'_> {
                Param::Int(i64::from(*self))
            }
        }
    )+};
}
integer_params!(i64 i32 u32 u16 u8);

impl ToParam for u64 {
    /// Sizes and counts: beyond `i64::MAX` they cannot be stored (never the case for a message).
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToParam for usize {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToParam for Param<'_> {
    fn to_param(&self) -> Param<'_> {
        *self
    }
}

/// A query's parameters: `[a, b]` of one type, [`crate::db::params!`] of mixed ones, `[]` for none, or
/// [`params_from_iter`].
pub trait Params {
    fn bind(&self) -> Vec<Param<'_>>;
}

impl Params for [&dyn ToParam; 0] {
    fn bind(&self) -> Vec<Param<'_>> {
        Vec::new()
    }
}

impl Params for &[&dyn ToParam] {
    fn bind(&self) -> Vec<Param<'_>> {
        self.iter().map(|p| p.to_param()).collect()
    }
}

macro_rules! array_params {
    ($($n:literal)+) => {$(
        impl<T: ToParam> Params for [T; $n] {
            fn bind(&self) -> Vec<Param<'_>> {
                self.iter().map(ToParam::to_param).collect()
            }
        }
    )+};
}
array_params!(1 2 3 4 5 6 7 8);

/// Parameters from an iterator (a list of unknown length in a query built at run time).
pub struct ParamsFromIter<T>(Vec<T>);

/// [`ParamsFromIter`] of `iter`.
pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I::Item>
where
    I: IntoIterator,
    I::Item: ToParam,
{
    ParamsFromIter(iter.into_iter().collect())
}

impl<T: ToParam> Params for ParamsFromIter<T> {
    fn bind(&self) -> Vec<Param<'_>> {
        self.0.iter().map(ToParam::to_param).collect()
    }
}

/// A column that cannot be read as the type asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromColumnError {
    pub wanted: &'static str,
    pub found: &'static str,
}

impl fmt::Display for FromColumnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} where {} was expected", self.found, self.wanted)
    }
}

/// What a column can be read as.
pub trait FromColumn: Sized {
    fn from_column(value: ValueRef<'_>) -> Result<Self, FromColumnError>;
}

fn wrong<T>(wanted: &'static str, value: ValueRef<'_>) -> Result<T, FromColumnError> {
    Err(FromColumnError {
        wanted,
        found: value.kind(),
    })
}

impl<T: FromColumn> FromColumn for Option<T> {
    fn from_column(value: ValueRef<'_>) -> Result<Self, FromColumnError> {
        match value {
            ValueRef::Null => Ok(None),
            v => T::from_column(v).map(Some),
        }
    }
}

impl FromColumn for i64 {
    fn from_column(value: ValueRef<'_>) -> Result<Self, FromColumnError> {
        match value {
            ValueRef::Int(i) => Ok(i),
            v => wrong("an integer", v),
        }
    }
}

macro_rules! narrow_integer_columns {
    ($($t:ty)+) => {$(
        impl FromColumn for $t {
            fn from_column(value: ValueRef<'_>) -> Result<Self, FromColumnError> {
                match value {
                    ValueRef::Int(i) => <$t>::try_from(i).map_err(|_| FromColumnError {
                        wanted: stringify!($t),
                        found: "an integer out of its range",
                    }),
                    v => wrong(stringify!($t), v),
                }
            }
        }
    )+};
}
narrow_integer_columns!(i32 u32 u64 usize u16);

impl FromColumn for bool {
    fn from_column(value: ValueRef<'_>) -> Result<Self, FromColumnError> {
        match value {
            ValueRef::Int(i) => Ok(i != 0),
            v => wrong("a boolean", v),
        }
    }
}

impl FromColumn for f64 {
    fn from_column(value: ValueRef<'_>) -> Result<Self, FromColumnError> {
        match value {
            ValueRef::Real(r) => Ok(r),
            #[allow(clippy::cast_precision_loss)]
            ValueRef::Int(i) => Ok(i as f64),
            v => wrong("a real number", v),
        }
    }
}

impl FromColumn for String {
    fn from_column(value: ValueRef<'_>) -> Result<Self, FromColumnError> {
        match value {
            ValueRef::Text(t) => Ok(t.to_owned()),
            v => wrong("a text", v),
        }
    }
}

impl FromColumn for Vec<u8> {
    fn from_column(value: ValueRef<'_>) -> Result<Self, FromColumnError> {
        match value {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            v => wrong("a byte string", v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_param_kind_binds_to_its_value() {
        let bytes = vec![1u8, 2];
        let text = String::from("x");
        let none: Option<i64> = None;
        let list: &[&dyn ToParam] = &[&7i64, &text, &bytes, &none, &true, &Some(3u32)];
        assert_eq!(
            list.bind(),
            vec![
                Param::Int(7),
                Param::Text("x"),
                Param::Blob(&[1, 2]),
                Param::Null,
                Param::Int(1),
                Param::Int(3)
            ]
        );
    }

    #[test]
    fn a_column_of_the_wrong_kind_is_an_error_not_a_default() {
        assert_eq!(i64::from_column(ValueRef::Int(5)), Ok(5));
        assert!(i64::from_column(ValueRef::Text("5")).is_err());
        assert!(String::from_column(ValueRef::Null).is_err());
        assert_eq!(Option::<String>::from_column(ValueRef::Null), Ok(None));
        assert!(u32::from_column(ValueRef::Int(-1)).is_err());
    }
}
