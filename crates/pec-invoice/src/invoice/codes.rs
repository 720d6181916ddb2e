//! The closed code lists of FatturaPA a reader needs to word: the format, the document type (TD01…TD29),
//! the payment conditions (TP01…TP03) and methods (MP01…MP23).
//!
//! Source: "Specifiche tecniche operative del formato della fattura del Sistema di Interscambio",
//! version 1.9 (TD29 is new from 1 April 2025). A code outside the list reads as `Other`; the code as
//! written is always kept next to it.

pec_closed_set::closed_set! {
    /// The invoice format, from the root's `versione` (and root element).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum InvoiceFormat {
        /// FatturaPA 1.2.x to a public administration.
        Fpa12 = "fpa12",
        /// FatturaPA 1.2.x between private parties.
        Fpr12 = "fpr12",
        /// Fattura semplificata 1.0 (`FatturaElettronicaSemplificata`).
        Fsm10 = "fsm10",
        /// FatturaPA 1.1 (`versione="1.1"`, 2014–2016).
        Fpa11 = "fpa11",
        /// FatturaPA 1.0 (`versione="1.0"`).
        Fpa10 = "fpa10",
        Other = "other",
    }
}

impl InvoiceFormat {
    /// The format the `versione` attribute names.
    pub fn of_version(versione: &str) -> InvoiceFormat {
        match versione.trim() {
            "FPA12" => InvoiceFormat::Fpa12,
            "FPR12" => InvoiceFormat::Fpr12,
            "FSM10" => InvoiceFormat::Fsm10,
            "1.1" | "FPA11" => InvoiceFormat::Fpa11,
            "1.0" | "FPA10" => InvoiceFormat::Fpa10,
            _ => InvoiceFormat::Other,
        }
    }
}

/// Declares a code list: a closed set whose values are FatturaPA codes, plus `of_code`.
macro_rules! code_list {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)? }
    ) => {
        pec_closed_set::closed_set! {
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum $name {
                $( $(#[$vmeta])* $variant = $code, )+
                /// A code this version of the list does not know (the text is kept alongside).
                Other = "other",
            }
        }

        impl $name {
            /// The value a code spells, `Other` for an unknown one.
            pub fn of_code(code: &str) -> $name {
                match code.trim() {
                    $( $code => $name::$variant, )+
                    _ => $name::Other,
                }
            }
        }
    };
}

code_list! {
    /// `TipoDocumento`: what kind of document the body is. Spelled as the code itself.
    pub enum DocumentType {
        /// Fattura.
        Td01 = "TD01",
        /// Acconto/anticipo su fattura.
        Td02 = "TD02",
        /// Acconto/anticipo su parcella.
        Td03 = "TD03",
        /// Nota di credito.
        Td04 = "TD04",
        /// Nota di debito.
        Td05 = "TD05",
        /// Parcella.
        Td06 = "TD06",
        /// Fattura semplificata.
        Td07 = "TD07",
        /// Nota di credito semplificata.
        Td08 = "TD08",
        /// Nota di debito semplificata.
        Td09 = "TD09",
        /// Integrazione fattura reverse charge interno.
        Td16 = "TD16",
        /// Integrazione/autofattura per acquisto servizi dall'estero.
        Td17 = "TD17",
        /// Integrazione per acquisto di beni intracomunitari.
        Td18 = "TD18",
        /// Integrazione/autofattura per acquisto di beni ex art. 17 c. 2 DPR 633/72.
        Td19 = "TD19",
        /// Autofattura per regolarizzazione e integrazione delle fatture.
        Td20 = "TD20",
        /// Autofattura per splafonamento.
        Td21 = "TD21",
        /// Estrazione beni da deposito IVA.
        Td22 = "TD22",
        /// Estrazione beni da deposito IVA con versamento dell'IVA.
        Td23 = "TD23",
        /// Fattura differita (art. 21 c. 4 lett. a).
        Td24 = "TD24",
        /// Fattura differita (art. 21 c. 4 terzo periodo lett. b).
        Td25 = "TD25",
        /// Cessione di beni ammortizzabili e passaggi interni.
        Td26 = "TD26",
        /// Fattura per autoconsumo o cessioni gratuite senza rivalsa.
        Td27 = "TD27",
        /// Acquisti da San Marino con IVA (fattura cartacea).
        Td28 = "TD28",
        /// Comunicazione per omessa o irregolare fatturazione (from 1 April 2025).
        Td29 = "TD29",
    }
}

code_list! {
    /// `CondizioniPagamento`.
    pub enum PaymentTerms {
        /// Pagamento a rate.
        Instalments = "TP01",
        /// Pagamento completo.
        Full = "TP02",
        /// Anticipo.
        Advance = "TP03",
    }
}

code_list! {
    /// `ModalitaPagamento`.
    pub enum PaymentMethod {
        /// Contanti.
        Mp01 = "MP01",
        /// Assegno.
        Mp02 = "MP02",
        /// Assegno circolare.
        Mp03 = "MP03",
        /// Contanti presso Tesoreria.
        Mp04 = "MP04",
        /// Bonifico.
        Mp05 = "MP05",
        /// Vaglia cambiario.
        Mp06 = "MP06",
        /// Bollettino bancario.
        Mp07 = "MP07",
        /// Carta di pagamento.
        Mp08 = "MP08",
        /// RID.
        Mp09 = "MP09",
        /// RID utenze.
        Mp10 = "MP10",
        /// RID veloce.
        Mp11 = "MP11",
        /// RIBA.
        Mp12 = "MP12",
        /// MAV.
        Mp13 = "MP13",
        /// Quietanza erario.
        Mp14 = "MP14",
        /// Giroconto su conti di contabilità speciale.
        Mp15 = "MP15",
        /// Domiciliazione bancaria.
        Mp16 = "MP16",
        /// Domiciliazione postale.
        Mp17 = "MP17",
        /// Bollettino di c/c postale.
        Mp18 = "MP18",
        /// SEPA Direct Debit.
        Mp19 = "MP19",
        /// SEPA Direct Debit CORE.
        Mp20 = "MP20",
        /// SEPA Direct Debit B2B.
        Mp21 = "MP21",
        /// Trattenuta su somme già riscosse.
        Mp22 = "MP22",
        /// PagoPA.
        Mp23 = "MP23",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_lists_are_soundly_spelled() {
        pec_closed_set::assert_spellings_are_sound::<InvoiceFormat>();
        pec_closed_set::assert_spellings_are_sound::<DocumentType>();
        pec_closed_set::assert_spellings_are_sound::<PaymentTerms>();
        pec_closed_set::assert_spellings_are_sound::<PaymentMethod>();
    }

    #[test]
    fn an_unknown_code_is_other_and_a_known_one_is_itself() {
        assert_eq!(DocumentType::of_code(" TD04 "), DocumentType::Td04);
        assert_eq!(DocumentType::of_code("TD99"), DocumentType::Other);
        assert_eq!(PaymentMethod::of_code("MP05"), PaymentMethod::Mp05);
        assert_eq!(PaymentTerms::of_code("TP02"), PaymentTerms::Full);
        assert_eq!(InvoiceFormat::of_version("FPR12"), InvoiceFormat::Fpr12);
        assert_eq!(InvoiceFormat::of_version("FPX99"), InvoiceFormat::Other);
    }
}
