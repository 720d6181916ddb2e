//! What an XML file is, cheaply: a FatturaPA invoice, a simplified invoice, an SdI notification, or
//! none of these. Reads only up to the first element (through a SOAP envelope), so the engine can sort
//! a PEC message's attachments before reading any of them in full.

use serde::{Deserialize, Serialize};

use crate::invoice::{FATTURAPA_NAMESPACES, SIMPLIFIED_NAMESPACE};
use crate::notification::NotificationKind;
use crate::xml::first_element;

/// The kind of document an XML file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "notification", rename_all = "kebab-case")]
pub enum DocumentKind {
    /// `FatturaElettronica` (FatturaPA 1.0, 1.1, 1.2.x).
    Invoice,
    /// `FatturaElettronicaSemplificata` (FSM10).
    SimplifiedInvoice,
    /// An SdI message, plain or in a SOAP envelope.
    Notification(NotificationKind),
}

/// The kind of `xml`, from its first element's name and namespace; `None` for anything else
/// (including bytes that are not UTF-8 XML, or start with a DOCTYPE).
pub fn recognise(xml: &[u8]) -> Option<DocumentKind> {
    let (ns, name) = first_element(xml, true)?;
    match name.as_str() {
        "FatturaElettronica" if FATTURAPA_NAMESPACES.contains(&ns.as_str()) => {
            Some(DocumentKind::Invoice)
        }
        "FatturaElettronicaSemplificata" if ns == SIMPLIFIED_NAMESPACE => {
            Some(DocumentKind::SimplifiedInvoice)
        }
        _ => NotificationKind::of_root(&ns, &name).map(DocumentKind::Notification),
    }
}
