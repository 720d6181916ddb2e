//! The typed model of a daticert: closed enums for the closed sets, strings for free text.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::kind::Tipo;

/// The certification data a provider signed (PEC rules §4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Daticert {
    /// `postacert/@tipo`; `None` when absent or not one the PEC rules know (see `tipo_raw`).
    pub tipo: Option<Tipo>,
    /// `postacert/@tipo` exactly as written.
    pub tipo_raw: Option<String>,
    /// `postacert/@errore` (`nessuno` when absent).
    pub errore: Errore,
    /// `intestazione/mittente`: the original sender.
    pub mittente: Option<String>,
    /// `intestazione/destinatari`: every recipient with its type.
    pub destinatari: Vec<Recipient>,
    /// `intestazione/risposte`: the original Reply-To.
    pub risposte: Option<String>,
    /// `intestazione/oggetto`: the original subject.
    pub oggetto: Option<String>,
    /// `dati/gestore-emittente`: the provider that issued this data.
    pub gestore_emittente: Option<String>,
    /// `dati/data`: the certified time, as a UTC instant built from `giorno`, `ora` and `zona`.
    pub data: Option<DateTime<Utc>>,
    /// `dati/data` exactly as written: `giorno`, `ora`, `zona`.
    pub data_raw: Option<(String, String, String)>,
    /// `dati/identificativo`: the provider's id for the message.
    pub identificativo: Option<String>,
    /// `dati/msgid`: the sender client's Message-ID, as a normal `<…>` Message-ID.
    pub msgid: Option<String>,
    /// `dati/ricevuta/@tipo`: the receipt type the sender asked for.
    pub ricevuta: Option<ReceiptType>,
    /// `dati/consegna`: the recipient a delivery, failure or notice is about.
    pub consegna: Option<String>,
    /// `dati/ricezione`: recipients taken in charge (presa-in-carico).
    pub ricezione: Vec<String>,
    /// `dati/errore-esteso`: the provider's free-text reason (often an SMTP-like code).
    pub errore_esteso: Option<String>,
    /// What the lenient reader had to repair to read this file.
    pub repairs: Vec<Repair>,
}

/// One recipient of the original message as certified by the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub address: String,
    #[serde(rename = "type")]
    pub kind: RecipientType,
}

crate::closed_set! {
    /// Whether a recipient is a PEC mailbox (`certificato`) or ordinary mail (`esterno`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum RecipientType {
        /// A certified (PEC) mailbox: a delivery receipt or failure will come.
        Certificato = "certificato",
        /// An external, non-certified address: no delivery receipt will ever come.
        Esterno = "esterno",
    }
}

impl RecipientType {
    /// Parse the `tipo` attribute of `destinatari` (case-insensitive).
    pub fn parse(value: &str) -> Option<RecipientType> {
        lenient(&RecipientType::ALL, value)
    }
}

crate::closed_set! {
    /// The receipt type the sender chose (`X-TipoRicevuta`, daticert `ricevuta/@tipo`; PEC rules §5).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ReceiptType {
        /// The delivery receipt carries the whole original.
        Completa = "completa",
        /// The original with every attachment replaced by its SHA-1 (`.hash` parts).
        Breve = "breve",
        /// Text and daticert only.
        Sintetica = "sintetica",
    }
}

impl ReceiptType {
    /// Parse `completa|breve|sintetica` (case-insensitive).
    pub fn parse(value: &str) -> Option<ReceiptType> {
        lenient(&ReceiptType::ALL, value)
    }
}

crate::closed_set! {
    /// `postacert/@errore`: why a non-acceptance or failure happened.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
    pub enum Errore {
        /// No error (the default when the attribute is absent).
        #[default]
        Nessuno = "nessuno",
        /// The recipient mailbox does not exist.
        NoDest = "no-dest",
        /// The recipient domain is not a PEC domain.
        NoDominio = "no-dominio",
        /// A virus was found.
        Virus = "virus",
        /// Another error; `errore-esteso` says which.
        Altro = "altro",
    }
}

impl Errore {
    /// Parse the attribute value; unknown values read as `altro` (the reader records a repair).
    pub fn parse(value: &str) -> Option<Errore> {
        if value.trim().is_empty() {
            return Some(Errore::Nessuno);
        }
        lenient(&Errore::ALL, value)
    }
}

/// The value of `set` an attribute spells, ignoring case and surrounding blanks (daticert as providers
/// write it; stored spellings are read exactly, with `FromStr`).
fn lenient<T: crate::ClosedSet>(set: &[T], value: &str) -> Option<T> {
    let v = value.trim();
    set.iter()
        .copied()
        .find(|t| t.spelling().eq_ignore_ascii_case(v))
}

/// Something the lenient reader repaired, with a plain description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repair {
    pub what: RepairKind,
    pub detail: String,
}

crate::closed_set! {
    /// The closed set of repairs the reader knows how to make.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum RepairKind {
        /// Transcoded from UTF-16 (with or without BOM) or a legacy 8-bit charset.
        Transcoded = "transcoded",
        /// Bytes that were not valid in the declared encoding were replaced.
        InvalidEncoding = "invalid-encoding",
        /// Raw control characters, not allowed in XML, were replaced.
        ControlCharacters = "control-characters",
        /// A character reference that names no valid character was replaced.
        InvalidCharacterReference = "invalid-character-reference",
        /// An entity reference was left unexpanded (DOCTYPE entities are never expanded).
        UnexpandedEntity = "unexpanded-entity",
        /// A DOCTYPE was present and ignored.
        DoctypeIgnored = "doctype-ignored",
        /// Whitespace or line breaks inside an identifier were removed.
        WhitespaceInIdentifier = "whitespace-in-identifier",
        /// A value was escaped twice (`&amp;lt;`) and was unescaped once more.
        DoubleEscaped = "double-escaped",
        /// The document ended early or had mismatched tags; what was read before is kept.
        Truncated = "truncated",
        /// An attribute had a value outside its closed set.
        UnknownValue = "unknown-value",
    }
}

impl Repair {
    pub(crate) fn new(what: RepairKind, detail: impl Into<String>) -> Repair {
        Repair {
            what,
            detail: detail.into(),
        }
    }
}

impl Daticert {
    /// The number of certified (`certificato`) recipients.
    pub fn certified_recipients(&self) -> usize {
        self.destinatari
            .iter()
            .filter(|r| r.kind == RecipientType::Certificato)
            .count()
    }
}
