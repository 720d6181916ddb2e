//! What was odd in an invoice that was still read: each finding has a closed code and says where.

use serde::{Deserialize, Serialize};

pec_closed_set::closed_set! {
    /// Why a finding was recorded.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum InvoiceFindingCode {
        /// An amount, rate or quantity that is not a plain decimal: shown as absent.
        UnreadableNumber = "unreadable-number",
        /// An attachment whose base64 does not decode: no bytes, no hash.
        AttachmentNotBase64 = "attachment-not-base64",
        /// An attachment without content.
        AttachmentEmpty = "attachment-empty",
        /// A `TipoDocumento`, `ModalitaPagamento` or `CondizioniPagamento` outside the known list.
        UnknownCode = "unknown-code",
        /// `versione` names no known format.
        UnknownVersion = "unknown-version",
    }
}

/// One finding: the code, the element's path (`FatturaElettronicaBody[2]/…/PrezzoTotale`) and the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvoiceFinding {
    pub code: InvoiceFindingCode,
    pub path: String,
    /// The offending text (cut to 80 characters) or a short explanation.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_finding_codes_are_soundly_spelled() {
        pec_closed_set::assert_spellings_are_sound::<super::InvoiceFindingCode>();
    }
}
