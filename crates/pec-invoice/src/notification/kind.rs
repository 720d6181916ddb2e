//! The kinds of SdI message and the root elements that spell them.
//!
//! Two generations of schema are in use. The SDICoop / sample set (`MessaggiTypes_v1.x.xsd`, namespace
//! `http://www.fatturapa.gov.it/sdi/messaggi/v1.0`) and what SdI really sends by PEC today
//! (namespace `http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fattura/messaggi/v1.0`), whose roots
//! differ for three kinds: `RicevutaImpossibilitaRecapito` (MC), `FileMetadati` (MT), `RicevutaScarto`
//! (NS). Every root of the corpus (`shared/corpus/signed/sdi-notification`, and the attachments of
//! `pec-eml`) is in [`ROOTS`]; `RicevutaScarto` is from the current schema, not seen in the corpus.

pec_closed_set::closed_set! {
    /// What an SdI message says (the two-letter code SdI puts in its file names, `…_RC_001.xml`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum NotificationKind {
        /// Ricevuta di consegna: delivered to the recipient.
        Delivered = "rc",
        /// Notifica di scarto: SdI rejected the file.
        Rejected = "ns",
        /// Notifica di mancata consegna / ricevuta di impossibilità di recapito: not delivered.
        NotDelivered = "mc",
        /// Notifica di esito: the PA customer's acceptance (EC01) or refusal (EC02), forwarded.
        Outcome = "ne",
        /// Notifica di decorrenza termini: the PA did not answer within 15 days.
        TermsExpired = "dt",
        /// Attestazione di avvenuta trasmissione della fattura con impossibilità di recapito.
        TransmittedUndeliverable = "at",
        /// Notifica di esito committente: the outcome the PA customer sends.
        CustomerOutcome = "ec",
        /// Scarto esito committente: SdI discarded the customer's outcome.
        OutcomeDiscarded = "se",
        /// File dei metadati: what comes with an invoice SdI delivers to its recipient.
        Metadata = "mt",
    }
}

/// The notification namespaces: the sample/SDICoop one and the one of the messages SdI sends by PEC.
pub const NOTIFICATION_NAMESPACES: [&str; 2] = [
    "http://www.fatturapa.gov.it/sdi/messaggi/v1.0",
    "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fattura/messaggi/v1.0",
];

/// Every known root element's local name and its kind.
pub const ROOTS: [(&str, NotificationKind); 12] = [
    ("RicevutaConsegna", NotificationKind::Delivered),
    ("NotificaScarto", NotificationKind::Rejected),
    ("RicevutaScarto", NotificationKind::Rejected),
    ("NotificaMancataConsegna", NotificationKind::NotDelivered),
    (
        "RicevutaImpossibilitaRecapito",
        NotificationKind::NotDelivered,
    ),
    ("NotificaEsito", NotificationKind::Outcome),
    ("NotificaDecorrenzaTermini", NotificationKind::TermsExpired),
    (
        "AttestazioneTrasmissioneFattura",
        NotificationKind::TransmittedUndeliverable,
    ),
    (
        "NotificaEsitoCommittente",
        NotificationKind::CustomerOutcome,
    ),
    ("ScartoEsitoCommittente", NotificationKind::OutcomeDiscarded),
    ("MetadatiInvioFile", NotificationKind::Metadata),
    ("FileMetadati", NotificationKind::Metadata),
];

impl NotificationKind {
    /// The kind of a root element, when it is in one of the notification namespaces.
    pub fn of_root(namespace: &str, local_name: &str) -> Option<NotificationKind> {
        if !NOTIFICATION_NAMESPACES.contains(&namespace) {
            return None;
        }
        ROOTS
            .iter()
            .find(|(name, _)| *name == local_name)
            .map(|(_, kind)| *kind)
    }

    /// SdI's two-letter code (`RC`, `NS`, …), as in its file names.
    pub fn code(self) -> &'static str {
        match self {
            NotificationKind::Delivered => "RC",
            NotificationKind::Rejected => "NS",
            NotificationKind::NotDelivered => "MC",
            NotificationKind::Outcome => "NE",
            NotificationKind::TermsExpired => "DT",
            NotificationKind::TransmittedUndeliverable => "AT",
            NotificationKind::CustomerOutcome => "EC",
            NotificationKind::OutcomeDiscarded => "SE",
            NotificationKind::Metadata => "MT",
        }
    }
}

pec_closed_set::closed_set! {
    /// The PA customer's outcome (`Esito`): EC01 accepts the invoice, EC02 refuses it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Outcome {
        Accepted = "accepted",
        Refused = "refused",
    }
}

impl Outcome {
    /// The outcome an `Esito` code spells (`EC01`, `EC02`).
    pub fn of_code(code: &str) -> Option<Outcome> {
        match code.trim() {
            "EC01" => Some(Outcome::Accepted),
            "EC02" => Some(Outcome::Refused),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closed_sets_are_soundly_spelled() {
        pec_closed_set::assert_spellings_are_sound::<NotificationKind>();
        pec_closed_set::assert_spellings_are_sound::<Outcome>();
    }

    #[test]
    fn a_known_root_in_a_foreign_namespace_is_no_notification() {
        assert_eq!(
            NotificationKind::of_root(NOTIFICATION_NAMESPACES[1], "RicevutaImpossibilitaRecapito"),
            Some(NotificationKind::NotDelivered)
        );
        assert_eq!(
            NotificationKind::of_root("urn:other", "RicevutaConsegna"),
            None
        );
        assert_eq!(NotificationKind::of_root("", "RicevutaConsegna"), None);
    }
}
