//! Closed-set values in the archive's columns (issue 16 §1). They are written by their one spelling
//! (`pec_core::ClosedSet`, the same the engine serialises) and read back strictly: a stored value out of
//! its set is an error that names the table, the column and the row, never a default. Used by every
//! reader of the archive's tables (listing, query, search, links, item, outbox, rows).

use pec_core::ClosedSet;

/// A column holds a text that spells no value of its closed set (an edited or foreign archive).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{table}.{column} of row {row} holds `{value}`, which is not a {set}; `attesta archive check` says more"
)]
pub struct BadStoredValue {
    pub table: &'static str,
    pub column: &'static str,
    pub row: i64,
    /// The closed set's name (`PecKind`, `RecipientState`, …).
    pub set: &'static str,
    pub value: String,
}

/// Where a stored value was read: table, column, row id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell {
    pub table: &'static str,
    pub column: &'static str,
    pub row: i64,
}

impl Cell {
    pub(crate) fn new(table: &'static str, column: &'static str, row: i64) -> Cell {
        Cell { table, column, row }
    }

    /// The value `text` spells, or the error naming this cell.
    pub(crate) fn read<T: ClosedSet>(self, text: &str) -> Result<T, BadStoredValue> {
        text.parse::<T>().map_err(|e| BadStoredValue {
            table: self.table,
            column: self.column,
            row: self.row,
            set: e.set,
            value: e.value,
        })
    }

    /// A JSON column read typed; text that does not read is an error naming this cell.
    pub(crate) fn json<T: serde::de::DeserializeOwned>(
        self,
        text: &str,
    ) -> Result<T, BadStoredValue> {
        serde_json::from_str(text).map_err(|e| self.bad(e.to_string()))
    }

    /// The error for a JSON column whose text does not read (`detail`: why).
    pub(crate) fn bad(self, detail: String) -> BadStoredValue {
        BadStoredValue {
            table: self.table,
            column: self.column,
            row: self.row,
            set: "JSON value of its column",
            value: detail,
        }
    }

    /// As [`Cell::read`], for a nullable column.
    pub(crate) fn read_opt<T: ClosedSet>(
        self,
        text: Option<&str>,
    ) -> Result<Option<T>, BadStoredValue> {
        text.map(|t| self.read(t)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pec_core::PecKind;

    #[test]
    fn a_bad_stored_kind_is_an_error_naming_its_row_not_a_default() {
        let cell = Cell::new("messages", "kind", 7);
        assert_eq!(cell.read::<PecKind>("delivery"), Ok(PecKind::Delivery));
        let err = cell.read::<PecKind>("delivered").unwrap_err();
        assert_eq!(
            err.to_string(),
            "messages.kind of row 7 holds `delivered`, which is not a PecKind; `attesta archive check` says more"
        );
        let through = crate::ArchiveError::from(crate::db::Error::from(err.clone()));
        assert!(matches!(through, crate::ArchiveError::BadStoredValue(e) if e == err));
    }
}
