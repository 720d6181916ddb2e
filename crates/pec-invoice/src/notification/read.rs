//! Reading an SdI message from its XML bytes (plain, or inside an SDICoop SOAP envelope).
//!
//! Only the root's direct children are read (an NE's embedded `EsitoCommittente` and an NS's
//! `RiferimentoArchivio` carry their own `IdentificativoSdI` / `NomeFile`, which are not the message's).

use super::{InvoiceRef, Notification, NotificationKind, Outcome, Recipient, SdiError};
use crate::InvoiceError;
use crate::signature::enveloped;
use crate::xml::{Element, is_soap, parse};

/// Reads an SdI notification. Total: any bytes give a notification or a typed error, quickly.
pub fn read_notification(xml: &[u8]) -> Result<Notification, InvoiceError> {
    let document = parse(xml)?;
    let (root, soap_wrapped) = message_root(&document)?;
    let Some(kind) = NotificationKind::of_root(&root.ns, &root.name) else {
        return Err(InvoiceError::NotANotification {
            root: root.name.clone(),
            namespace: root.ns.clone(),
        });
    };
    let text = |name: &str| root.text_at(&[name]);
    let outcome_holder = root.child("EsitoCommittente").unwrap_or(root);
    let outcome_code = outcome_holder.text_at(&["Esito"]);
    Ok(Notification {
        kind,
        root: root.name.clone(),
        namespace: root.ns.clone(),
        soap_wrapped,
        version: root.attr("versione").map(str::to_owned),
        identificativo_sdi: text("IdentificativoSdI"),
        nome_file: text("NomeFile"),
        file_hash: text("Hash").or_else(|| text("HashFileOriginale")),
        received_at: text("DataOraRicezione"),
        delivered_at: text("DataOraConsegna"),
        made_available_on: text("DataMessaADisposizione"),
        recipient: root.child("Destinatario").and_then(recipient),
        errors: root
            .at(&["ListaErrori"])
            .map(|list| list.children_named("Errore").map(sdi_error).collect())
            .unwrap_or_default(),
        outcome: outcome_code.as_deref().and_then(Outcome::of_code),
        outcome_code,
        invoice_ref: outcome_holder.child("RiferimentoFattura").map(invoice_ref),
        discard_code: text("Scarto"),
        message_id_committente: outcome_holder
            .text_at(&["MessageIdCommittente"])
            .or_else(|| text("MessageIdCommittente")),
        message_id: text("MessageId"),
        pec_message_id: text("PecMessageId"),
        codice_destinatario: text("CodiceDestinatario"),
        format: text("Formato"),
        attempts: text("TentativiInvio"),
        description: text("Descrizione"),
        note: text("Note"),
        signature: enveloped(root),
    })
}

/// The message element: the document element, or the first element of a SOAP `Body`.
fn message_root(document: &Element) -> Result<(&Element, bool), InvoiceError> {
    if !(is_soap(&document.ns) && document.name == "Envelope") {
        return Ok((document, false));
    }
    let body = document
        .children
        .iter()
        .find(|c| is_soap(&c.ns) && c.name == "Body")
        .ok_or_else(|| InvoiceError::Missing {
            element: "Body".into(),
        })?;
    let message = body.children.first().ok_or_else(|| InvoiceError::Missing {
        element: "Body/*".into(),
    })?;
    Ok((message, true))
}

/// An empty `<Destinatario/>` (the real RC has one) is no recipient.
fn recipient(el: &Element) -> Option<Recipient> {
    let r = Recipient {
        code: el.text_at(&["Codice"]),
        description: el.text_at(&["Descrizione"]),
    };
    (r.code.is_some() || r.description.is_some()).then_some(r)
}

fn sdi_error(el: &Element) -> SdiError {
    SdiError {
        code: el.text_at(&["Codice"]).unwrap_or_default(),
        description: el.text_at(&["Descrizione"]),
        suggestion: el.text_at(&["Suggerimento"]),
    }
}

fn invoice_ref(el: &Element) -> InvoiceRef {
    InvoiceRef {
        number: el.text_at(&["NumeroFattura"]),
        year: el.text_at(&["AnnoFattura"]),
        position: el.text_at(&["PosizioneFattura"]),
    }
}
