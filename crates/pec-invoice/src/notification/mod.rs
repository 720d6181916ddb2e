//! SdI notifications (RC, NS, MC, NE, DT, AT, EC, SE, MT): the typed model and its reader.
//!
//! Used by the engine to show what SdI said about an invoice and by [`crate::status`] to decide the
//! invoice's state. Fields follow the SdI technical rules ("Specifiche tecniche operative del formato
//! della fattura del Sistema di Interscambio", allegato B, §"Messaggi"), read by local name only; times
//! stay as SdI wrote them (`xs:dateTime`, with or without an offset).

mod kind;
mod read;

pub use kind::{NOTIFICATION_NAMESPACES, NotificationKind, Outcome, ROOTS};
pub use read::read_notification;

use serde::{Deserialize, Serialize};

use crate::signature::XmlSignature;

/// One SdI message, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Notification {
    pub kind: NotificationKind,
    /// The root element's local name as written (`RicevutaImpossibilitaRecapito`, `NotificaMancataConsegna`).
    pub root: String,
    /// The root element's namespace.
    pub namespace: String,
    /// Whether the message came inside a SOAP envelope (SDICoop).
    pub soap_wrapped: bool,
    /// `versione` of the root element.
    pub version: Option<String>,
    /// `IdentificativoSdI`: SdI's number for the file it received.
    pub identificativo_sdi: Option<String>,
    /// `NomeFile`: the invoice file (or archive) the message is about, as SdI received it.
    pub nome_file: Option<String>,
    /// `Hash` / `HashFileOriginale`: SHA-256 (hex) of that file.
    pub file_hash: Option<String>,
    /// `DataOraRicezione`: when SdI received the file.
    pub received_at: Option<String>,
    /// `DataOraConsegna`: when SdI delivered it (RC).
    pub delivered_at: Option<String>,
    /// `DataMessaADisposizione`: when it became available in the recipient's reserved area (MC).
    pub made_available_on: Option<String>,
    /// `Destinatario` (RC, AT).
    pub recipient: Option<Recipient>,
    /// `ListaErrori` (NS, and SE in the current schema).
    pub errors: Vec<SdiError>,
    /// The customer's outcome (NE: `EsitoCommittente/Esito`; EC: `Esito`).
    pub outcome: Option<Outcome>,
    /// The outcome code as written (`EC01`, `EC02`, or whatever else was there).
    pub outcome_code: Option<String>,
    /// `RiferimentoFattura` (EC, NE): which invoice of the file the outcome is about.
    pub invoice_ref: Option<InvoiceRef>,
    /// `Scarto` (SE): why SdI discarded the customer's outcome (`EN00`, `EN01`).
    pub discard_code: Option<String>,
    /// `MessageIdCommittente` (EC, SE, NE's embedded outcome).
    pub message_id_committente: Option<String>,
    /// `MessageId`: SdI's identifier of this message.
    pub message_id: Option<String>,
    /// `PecMessageId` (the real MC): the PEC message SdI tried to deliver with.
    pub pec_message_id: Option<String>,
    /// `CodiceDestinatario` (MT).
    pub codice_destinatario: Option<String>,
    /// `Formato` (MT): the invoice's format (`FPR12`, `FPA12`, `SDI11`).
    pub format: Option<String>,
    /// `TentativiInvio` (MT).
    pub attempts: Option<String>,
    /// `Descrizione`.
    pub description: Option<String>,
    /// `Note`.
    pub note: Option<String>,
    /// The enveloped `ds:Signature`, if any (not verified here; spans are into the input bytes).
    pub signature: Option<XmlSignature>,
}

/// `Destinatario`: SdI's code and name for the recipient office or channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Recipient {
    pub code: Option<String>,
    pub description: Option<String>,
}

/// One `Errore` of an NS: the SdI check that failed (`00100`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SdiError {
    pub code: String,
    pub description: Option<String>,
    pub suggestion: Option<String>,
}

/// `RiferimentoFattura`: an invoice within a file, by number, year and (for a lotto) position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvoiceRef {
    pub number: Option<String>,
    pub year: Option<String>,
    pub position: Option<String>,
}
