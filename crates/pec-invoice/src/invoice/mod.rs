//! FatturaPA invoices (`FatturaElettronica` 1.2.x FPA12/FPR12, 1.0/1.1, and the simplified FSM10): the
//! typed model of what a person needs to read one, and its reader.
//!
//! Used by the engine (an invoice received or sent by PEC, after the CAdES wrapper is removed) and the
//! window, which shows it as a readable page. Element names follow the FatturaPA schema 1.2.2 and its
//! "Specifiche tecniche" 1.9; amounts are exact [`Decimal`]s; dates stay as written (`YYYY-MM-DD`).

mod attachment;
mod body;
mod codes;
mod finding;
mod party;
mod read;

pub use codes::{DocumentType, InvoiceFormat, PaymentMethod, PaymentTerms};
pub use finding::{InvoiceFinding, InvoiceFindingCode};
pub use read::{FATTURAPA_NAMESPACES, SIMPLIFIED_NAMESPACE, read_invoice};

use serde::{Deserialize, Serialize};

use crate::Decimal;
use crate::signature::XmlSignature;

/// One invoice file: its header and one body per document (a "lotto" has several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Invoice {
    pub format: InvoiceFormat,
    /// The root's `versione` as written.
    pub version: String,
    pub transmission: Transmission,
    /// `CedentePrestatore`: who sells and issues the invoice.
    pub supplier: Party,
    /// `CessionarioCommittente`: who buys.
    pub customer: Party,
    pub bodies: Vec<InvoiceBody>,
    /// What was odd but did not stop the reading.
    pub findings: Vec<InvoiceFinding>,
    /// An enveloped XAdES signature, if the invoice is signed that way (not verified here).
    pub signature: Option<XmlSignature>,
}

/// `DatiTrasmissione`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Transmission {
    /// `IdTrasmittente`: who sent the file to SdI.
    pub transmitter: Option<TaxId>,
    /// `ProgressivoInvio`: the sender's file counter (the part after `_` in the file name).
    pub progressivo_invio: Option<String>,
    /// `FormatoTrasmissione` (`FPA12`, `FPR12`, `FSM10`).
    pub formato_trasmissione: Option<String>,
    /// `CodiceDestinatario`: the recipient's channel code (`0000000` when delivered by PEC or not at all).
    pub codice_destinatario: Option<String>,
    /// `PECDestinatario`: the PEC address SdI delivers to.
    pub pec_destinatario: Option<String>,
}

/// A VAT identifier: country code and number (`IdFiscaleIVA`, `IdTrasmittente`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TaxId {
    pub country: String,
    pub code: String,
}

/// A supplier or customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Party {
    /// What to call them: `Denominazione`, else `Titolo Nome Cognome`.
    pub display_name: Option<String>,
    pub denomination: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub title: Option<String>,
    /// `IdFiscaleIVA`.
    pub vat_id: Option<TaxId>,
    /// `CodiceFiscale`.
    pub fiscal_code: Option<String>,
    /// `Sede`.
    pub address: Option<Address>,
    /// `RegimeFiscale` (`RF01` ordinario … `RF19` forfettario), the supplier's only.
    pub tax_regime: Option<String>,
}

/// `Sede`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Address {
    pub street: Option<String>,
    pub number: Option<String>,
    pub postcode: Option<String>,
    pub town: Option<String>,
    pub province: Option<String>,
    pub country: Option<String>,
}

/// One document (`FatturaElettronicaBody`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvoiceBody {
    pub document_type: DocumentType,
    /// `TipoDocumento` as written.
    pub document_type_code: Option<String>,
    /// `Divisa` (ISO 4217).
    pub currency: Option<String>,
    pub date: Option<String>,
    pub number: Option<String>,
    /// `ImportoTotaleDocumento` (optional in the schema).
    pub total: Option<Decimal>,
    /// `Arrotondamento` of the document total.
    pub rounding: Option<Decimal>,
    /// `Causale`, one entry per element (each at most 200 characters).
    pub causale: Vec<String>,
    /// `DatiRitenuta` (one per withholding type since 1.2.1).
    pub withholdings: Vec<Withholding>,
    /// `DatiBollo`.
    pub stamp_duty: Option<StampDuty>,
    /// `DatiCassaPrevidenziale`.
    pub pension_funds: Vec<PensionFund>,
    /// `DettaglioLinee` (or, in a simplified invoice, `DatiBeniServizi`).
    pub lines: Vec<Line>,
    /// `DatiRiepilogo`.
    pub vat_summary: Vec<VatSummary>,
    /// `DatiPagamento`.
    pub payments: Vec<Payment>,
    /// `Allegati`.
    pub attachments: Vec<Attachment>,
}

/// `DatiRitenuta`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Withholding {
    /// `TipoRitenuta` (`RT01` persone fisiche … `RT06`).
    pub kind: Option<String>,
    pub amount: Option<Decimal>,
    pub rate: Option<Decimal>,
    /// `CausalePagamento` (the 770 form's letter).
    pub payment_reason: Option<String>,
}

/// `DatiBollo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StampDuty {
    /// `BolloVirtuale` is `SI`.
    pub virtual_stamp: bool,
    pub amount: Option<Decimal>,
}

/// `DatiCassaPrevidenziale`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PensionFund {
    /// `TipoCassa` (`TC01` …).
    pub kind: Option<String>,
    pub rate: Option<Decimal>,
    pub amount: Option<Decimal>,
    pub taxable: Option<Decimal>,
    pub vat_rate: Option<Decimal>,
}

/// `DettaglioLinee`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Line {
    /// `NumeroLinea` as written (a simplified invoice has none: its position, from 1).
    pub number: Option<String>,
    pub description: Option<String>,
    pub quantity: Option<Decimal>,
    /// `UnitaMisura`.
    pub unit: Option<String>,
    pub unit_price: Option<Decimal>,
    /// `PrezzoTotale` (a simplified invoice's `Importo`).
    pub total: Option<Decimal>,
    /// `AliquotaIVA` (a simplified invoice's `DatiIVA/Aliquota`).
    pub vat_rate: Option<Decimal>,
    /// `Natura`: why there is no VAT (`N1` … `N7`, `N2.1` …), when the rate is zero.
    pub natura: Option<String>,
}

/// `DatiRiepilogo`: one line of the VAT summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VatSummary {
    pub vat_rate: Option<Decimal>,
    pub natura: Option<String>,
    /// `ImponibileImporto`.
    pub taxable: Option<Decimal>,
    /// `Imposta`.
    pub tax: Option<Decimal>,
    /// `Arrotondamento`: the rounding the taxable amount includes (`ImponibileImporto` = lines + this).
    pub rounding: Option<Decimal>,
    /// `EsigibilitaIVA`: `I` immediate, `D` deferred, `S` split payment.
    pub vat_due: Option<String>,
    /// `RiferimentoNormativo`.
    pub legal_reference: Option<String>,
}

/// `DatiPagamento`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Payment {
    pub terms: PaymentTerms,
    /// `CondizioniPagamento` as written.
    pub terms_code: Option<String>,
    pub details: Vec<PaymentDetail>,
}

/// `DettaglioPagamento`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PaymentDetail {
    /// `Beneficiario`.
    pub beneficiary: Option<String>,
    pub method: PaymentMethod,
    /// `ModalitaPagamento` as written.
    pub method_code: Option<String>,
    /// `DataScadenzaPagamento`.
    pub due_date: Option<String>,
    /// `ImportoPagamento`.
    pub amount: Option<Decimal>,
    /// `IstitutoFinanziario`.
    pub bank: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
}

/// `Allegati`: a file carried inside the invoice. Its bytes are decoded, hashed and never interpreted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename = "InvoiceAttachment")] // a type name only (the window has its own `Attachment`)
pub struct Attachment {
    /// `NomeAttachment` as written: a hint for the user, never a path to write to.
    pub name: Option<String>,
    /// `FormatoAttachment` (`PDF`, `ZIP`, …) as written.
    pub format: Option<String>,
    /// `AlgoritmoCompressione`.
    pub compression: Option<String>,
    /// `DescrizioneAttachment`.
    pub description: Option<String>,
    /// Decoded size in bytes, when the base64 decodes.
    pub size: Option<u32>,
    /// SHA-256 (lower-case hex) of the decoded bytes.
    pub sha256: Option<String>,
    /// The decoded bytes (not serialised: the engine hands them out on demand).
    #[serde(skip)]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub data: Option<Vec<u8>>,
}
