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
/// (including bytes that are not XML in an accepted encoding, or start with a DOCTYPE). Decodes only the
/// first 64 KiB, by the same rule as the readers.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_kind_serialises_with_its_notification_kind_beside_it() {
        let rc = DocumentKind::Notification(NotificationKind::Delivered);
        assert_eq!(
            serde_json::to_string(&rc).unwrap(),
            r#"{"kind":"notification","notification":"rc"}"#
        );
        assert_eq!(
            serde_json::to_string(&DocumentKind::SimplifiedInvoice).unwrap(),
            r#"{"kind":"simplified-invoice"}"#
        );
    }

    #[test]
    fn a_known_root_in_another_namespace_or_none_is_not_recognised() {
        assert_eq!(recognise(b"<FatturaElettronica versione='FPR12'/>"), None);
        assert_eq!(
            recognise(b"<RicevutaConsegna xmlns='http://www.fatturapa.gov.it/sdi/messaggi/v1.0'/>"),
            Some(DocumentKind::Notification(NotificationKind::Delivered))
        );
        assert_eq!(recognise(b"\x30\x82\x01\x00"), None);
    }
}
