//! `daticert.xml`, the provider's machine-readable certification data (PEC rules §4).
//!
//! [`read`] turns the bytes of a daticert into a typed [`Daticert`]. Real files are not always well-formed,
//! so the reader is lenient and reports every repair it made; it never resolves external entities and
//! never expands entity definitions.

mod model;
mod reader;
mod text;
mod time;

pub use model::{Daticert, Errore, ReceiptType, Recipient, RecipientType, Repair, RepairKind};
pub use reader::{DaticertError, read, read_text};
pub use time::certified_instant;
