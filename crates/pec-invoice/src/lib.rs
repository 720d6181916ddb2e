//! Italian e-invoices (FatturaPA) and SdI notifications, read and linked. Pure: no files, no clock,
//! no network; every function takes bytes (or typed readings) and returns a typed result.
//!
//! Lawyers, accountants and offices receive e-invoices by PEC (`IT…_00001.xml`, or `.xml.p7m` whose
//! CAdES wrapper another crate removes) together with the Sistema di Interscambio's notifications.
//! This crate gives the engine and the window:
//! - [`read_invoice`]: a typed [`Invoice`] (header, parties, bodies, lines, VAT summary, payments,
//!   attachments decoded and hashed), amounts as exact [`Decimal`]s;
//! - [`read_notification`]: a typed [`Notification`] of any SdI kind (RC, NS, MC, NE, DT, AT, EC, SE, MT),
//!   both schema generations, plain or in a SOAP envelope, with the span of an enveloped signature;
//! - [`recognise`]: which of these an XML file is, cheaply;
//! - [`sdi_state`]: which notifications are about an invoice file, and its [`InvoiceStatus`].
//!
//! Files are read in UTF-8, ISO-8859-1 / windows-1252, ISO-8859-15 or UTF-16 with a BOM (the BOM, else
//! the XML declaration, decides; see `encoding.rs`), and byte spans always point into the bytes given.
//! Every reading is total: hostile XML (a DTD, entity bombs, deep nesting, huge files, bad or
//! unsupported encodings, bad base64) ends in a typed [`InvoiceError`] or a finding, within the bounds of [`limits`], never in a
//! panic or a hang. Used by pec-engine (reading attachments of PEC messages) and the desktop window
//! (which shows an invoice as a page); the rules cited are the FatturaPA "Specifiche tecniche" 1.9 and
//! the SdI messages' schemas.

mod decimal;
mod encoding;
mod error;
pub mod invoice;
pub mod limits;
pub mod notification;
mod recognise;
pub mod signature;
pub mod status;
mod xml;

pub use decimal::Decimal;
pub use error::InvoiceError;
pub use invoice::{Invoice, read_invoice};
pub use notification::{Notification, NotificationKind, read_notification};
pub use pec_closed_set::UnknownSpelling;
pub use recognise::{DocumentKind, recognise};
pub use signature::XmlSignature;
pub use status::{InvoiceStatus, SdiState, file_key, sdi_state};
pub use xml::ByteSpan;
