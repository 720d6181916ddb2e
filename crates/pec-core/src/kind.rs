//! The closed set of PEC message kinds (PEC rules §2) and how each is spelled.
//!
//! A kind is decided by the signed `daticert.xml` whenever there is one; the unsigned top-level headers
//! (`X-Ricevuta`, `X-Trasporto`, the subject prefix) are only hints. See [`crate::classify`].

crate::closed_set! {
    /// Which certified-mail family a message's signed data belongs to. A REM message (ETSI EN 319 532,
    /// read by `pec-rem`) is also given a PEC kind for correlation: the REM event it certifies, in PEC
    /// terms (`docs/rem.md` §5).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum Family {
        /// Italian PEC (`daticert.xml`).
        #[default]
        Pec = "pec",
        /// European registered e-mail (ERDS evidence).
        Rem = "rem",
        /// Neither: ordinary mail.
        None = "none",
    }
}

crate::closed_set! {
    /// What a message is, in PEC terms.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum PecKind {
        /// `posta-certificata`: the provider's signed envelope around the sender's original message.
        TransportEnvelope = "transport-envelope",
        /// `X-Trasporto: errore`: ordinary mail wrapped by the recipient's provider; no legal value.
        AnomalyEnvelope = "anomaly-envelope",
        /// `accettazione`: the sender's provider accepted the message.
        Acceptance = "acceptance",
        /// `non-accettazione`: the sender's provider refused the message (formal checks or virus).
        NonAcceptance = "non-acceptance",
        /// `presa-in-carico`: a provider took the message in charge (between providers).
        TakenInCharge = "taken-in-charge",
        /// `avvenuta-consegna`: delivered into one recipient's mailbox.
        Delivery = "delivery",
        /// `errore-consegna`: could not be delivered to one recipient (unknown mailbox, virus, …).
        DeliveryFailure = "delivery-failure",
        /// `preavviso-errore-consegna` after 12 hours: no delivery yet, still possible.
        DeliveryWarning12h = "delivery-warning12h",
        /// `preavviso-errore-consegna` after 24 hours: final, the recipient is considered failed.
        DeliveryTimeout24h = "delivery-timeout24h",
        /// `rilevazione-virus`: the recipient's provider found a virus.
        VirusDetected = "virus-detected",
        /// Mail that is not PEC at all.
        NotPec = "not-pec",
    }
}

impl PecKind {
    /// The kind spelled as daticert's `tipo` (`anomalia` for an anomaly envelope, `none` for non-PEC mail).
    /// Both notices spell `preavviso-errore-consegna`, as providers do.
    pub fn tipo(self) -> &'static str {
        match self {
            PecKind::TransportEnvelope => "posta-certificata",
            PecKind::AnomalyEnvelope => "anomalia",
            PecKind::Acceptance => "accettazione",
            PecKind::NonAcceptance => "non-accettazione",
            PecKind::TakenInCharge => "presa-in-carico",
            PecKind::Delivery => "avvenuta-consegna",
            PecKind::DeliveryFailure => "errore-consegna",
            PecKind::DeliveryWarning12h | PecKind::DeliveryTimeout24h => {
                "preavviso-errore-consegna"
            }
            PecKind::VirusDetected => "rilevazione-virus",
            PecKind::NotPec => "none",
        }
    }

    /// A short English label for people.
    pub fn label(self) -> &'static str {
        match self {
            PecKind::TransportEnvelope => "transport envelope (certified message)",
            PecKind::AnomalyEnvelope => "anomaly envelope (ordinary mail, no legal value)",
            PecKind::Acceptance => "acceptance receipt",
            PecKind::NonAcceptance => "non-acceptance notice",
            PecKind::TakenInCharge => "taken-in-charge receipt",
            PecKind::Delivery => "delivery receipt",
            PecKind::DeliveryFailure => "delivery failure notice",
            PecKind::DeliveryWarning12h => "12-hour non-delivery warning",
            PecKind::DeliveryTimeout24h => "24-hour non-delivery notice (final)",
            PecKind::VirusDetected => "virus detection notice",
            PecKind::NotPec => "not a PEC message",
        }
    }

    /// Whether this kind is a receipt or notice that certifies something about a sent message.
    pub fn is_receipt(self) -> bool {
        !matches!(
            self,
            PecKind::TransportEnvelope | PecKind::AnomalyEnvelope | PecKind::NotPec
        )
    }

    /// The notice stage for `preavviso-errore-consegna`, if this is one.
    pub fn notice_stage(self) -> Option<&'static str> {
        match self {
            PecKind::DeliveryWarning12h => Some("12h"),
            PecKind::DeliveryTimeout24h => Some("24h"),
            _ => None,
        }
    }
}

crate::closed_set! {
    /// Daticert `tipo`: the kind of certification data, as the signed XML spells it (PEC rules §4).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Tipo {
        PostaCertificata = "posta-certificata",
        Accettazione = "accettazione",
        NonAccettazione = "non-accettazione",
        PresaInCarico = "presa-in-carico",
        AvvenutaConsegna = "avvenuta-consegna",
        ErroreConsegna = "errore-consegna",
        PreavvisoErroreConsegna = "preavviso-errore-consegna",
        RilevazioneVirus = "rilevazione-virus",
    }
}

impl Tipo {
    /// Parse a `tipo` attribute or an `X-Ricevuta`/`X-Trasporto` header value (case-insensitive, trimmed).
    pub fn parse(value: &str) -> Option<Tipo> {
        let v = value.trim();
        Tipo::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tipo_round_trips_through_its_spelling() {
        for t in Tipo::ALL {
            assert_eq!(Tipo::parse(t.as_str()), Some(t));
            assert_eq!(
                Tipo::parse(&format!(" {} ", t.as_str().to_uppercase())),
                Some(t)
            );
        }
        assert_eq!(Tipo::parse("consegna"), None);
    }
}
