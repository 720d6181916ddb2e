//! The names of closed sets — message kinds, recipient states, send outcomes, signature verdicts,
//! origins — in each language. Exhaustive matches: a new variant does not compile until it is named.

use pec_archive::Origin;
use pec_core::PecKind;
use pec_core::correlate::{RecipientState, SentSummary};
use pec_core::daticert::RecipientType;
use pec_core::signature::SignatureStatus;

use crate::Language;

/// What a file is, as a title: "Ricevuta di avvenuta consegna".
pub fn document(language: Language, kind: PecKind) -> &'static str {
    match language {
        Language::It => match kind {
            PecKind::NotPec => "Messaggio inviato (copia del mittente)",
            PecKind::Acceptance => "Ricevuta di accettazione",
            PecKind::NonAcceptance => "Avviso di non accettazione",
            PecKind::TakenInCharge => "Ricevuta di presa in carico",
            PecKind::Delivery => "Ricevuta di avvenuta consegna",
            PecKind::DeliveryFailure => "Avviso di mancata consegna",
            PecKind::DeliveryWarning12h => {
                "Preavviso di mancata consegna (12 ore dall'accettazione)"
            }
            PecKind::DeliveryTimeout24h => {
                "Avviso di mancata consegna per superamento del tempo massimo (24 ore, definitivo)"
            }
            PecKind::VirusDetected => "Avviso di rilevazione virus",
            PecKind::TransportEnvelope => "Busta di trasporto (messaggio certificato ricevuto)",
            PecKind::AnomalyEnvelope => "Busta di anomalia (posta ordinaria, senza valore legale)",
        },
        Language::En => match kind {
            PecKind::NotPec => "Sent message (the sender's copy)",
            PecKind::Acceptance => "Acceptance receipt",
            PecKind::NonAcceptance => "Non-acceptance notice",
            PecKind::TakenInCharge => "Taken-in-charge receipt",
            PecKind::Delivery => "Delivery receipt",
            PecKind::DeliveryFailure => "Delivery failure notice",
            PecKind::DeliveryWarning12h => "Non-delivery warning (12 hours after acceptance)",
            PecKind::DeliveryTimeout24h => {
                "Non-delivery notice, maximum time exceeded (24 hours, final)"
            }
            PecKind::VirusDetected => "Virus detection notice",
            PecKind::TransportEnvelope => "Transport envelope (certified message received)",
            PecKind::AnomalyEnvelope => "Anomaly envelope (ordinary mail, no legal value)",
        },
    }
}

/// What a file is, in its file name: `consegna`, `mancata-consegna`, ….
pub fn file_label(language: Language, kind: PecKind) -> &'static str {
    match language {
        Language::It => match kind {
            PecKind::NotPec => "messaggio-inviato",
            PecKind::Acceptance => "accettazione",
            PecKind::NonAcceptance => "non-accettazione",
            PecKind::TakenInCharge => "presa-in-carico",
            PecKind::Delivery => "consegna",
            PecKind::DeliveryFailure => "mancata-consegna",
            PecKind::DeliveryWarning12h => "preavviso-mancata-consegna-12h",
            PecKind::DeliveryTimeout24h => "mancata-consegna-24h",
            PecKind::VirusDetected => "rilevazione-virus",
            PecKind::TransportEnvelope => "busta-di-trasporto",
            PecKind::AnomalyEnvelope => "busta-di-anomalia",
        },
        Language::En => match kind {
            PecKind::NotPec => "sent-message",
            PecKind::Acceptance => "acceptance",
            PecKind::NonAcceptance => "non-acceptance",
            PecKind::TakenInCharge => "taken-in-charge",
            PecKind::Delivery => "delivery",
            PecKind::DeliveryFailure => "delivery-failure",
            PecKind::DeliveryWarning12h => "non-delivery-warning-12h",
            PecKind::DeliveryTimeout24h => "non-delivery-24h",
            PecKind::VirusDetected => "virus-detected",
            PecKind::TransportEnvelope => "transport-envelope",
            PecKind::AnomalyEnvelope => "anomaly-envelope",
        },
    }
}

/// Where one recipient stands.
pub fn state(language: Language, state: RecipientState) -> &'static str {
    match language {
        Language::It => match state {
            RecipientState::Pending => "In attesa di consegna",
            RecipientState::Delivered => "Consegnato",
            RecipientState::Failed => "Mancata consegna",
            RecipientState::Warned12h => "Non ancora consegnato (preavviso dopo 12 ore)",
            RecipientState::TimedOut24h => "Non consegnato entro 24 ore (definitivo)",
            RecipientState::External => "Destinatario esterno: consegna non certificabile",
            RecipientState::NotAccepted => "Non accettato dal gestore del mittente",
            RecipientState::Disputed => {
                "Esito contestato: una ricevuta certifica la consegna, un'altra la mancata consegna"
            }
        },
        Language::En => match state {
            RecipientState::Pending => "Waiting for delivery",
            RecipientState::Delivered => "Delivered",
            RecipientState::Failed => "Delivery failed",
            RecipientState::Warned12h => "Not delivered yet (12-hour warning)",
            RecipientState::TimedOut24h => "Not delivered within 24 hours (final)",
            RecipientState::External => "External recipient: delivery cannot be certified",
            RecipientState::NotAccepted => "Not accepted by the sender's provider",
            RecipientState::Disputed => {
                "Disputed: one receipt certifies delivery, another a delivery failure"
            }
        },
    }
}

/// Whether a state is good news, bad news or neither (for the colour beside the words).
pub fn state_tone(state: RecipientState) -> Tone {
    match state {
        RecipientState::Delivered => Tone::Good,
        RecipientState::Failed
        | RecipientState::TimedOut24h
        | RecipientState::NotAccepted
        | RecipientState::Disputed => Tone::Bad,
        RecipientState::Pending | RecipientState::Warned12h | RecipientState::External => {
            Tone::Neutral
        }
    }
}

/// The outcome of the whole send.
pub fn summary(language: Language, summary: SentSummary) -> &'static str {
    match language {
        Language::It => match summary {
            SentSummary::Pending => "In attesa: non tutti i destinatari certificati hanno un esito",
            SentSummary::Delivered => "Consegnato a tutti i destinatari certificati",
            SentSummary::PartiallyDelivered => "Consegnato solo a una parte dei destinatari",
            SentSummary::Failed => "Non consegnato",
            SentSummary::NotAccepted => "Non accettato dal gestore del mittente",
            SentSummary::NotCertifiable => {
                "Accettato; nessun destinatario è una casella certificata"
            }
            SentSummary::Disputed => {
                "Esito contestato: ricevute firmate si contraddicono per almeno un destinatario"
            }
        },
        Language::En => match summary {
            SentSummary::Pending => "Pending: not every certified recipient has an outcome",
            SentSummary::Delivered => "Delivered to every certified recipient",
            SentSummary::PartiallyDelivered => "Delivered to some recipients only",
            SentSummary::Failed => "Not delivered",
            SentSummary::NotAccepted => "Not accepted by the sender's provider",
            SentSummary::NotCertifiable => "Accepted; no recipient is a certified mailbox",
            SentSummary::Disputed => {
                "Disputed: signed receipts contradict each other for at least one recipient"
            }
        },
    }
}

pub fn summary_tone(summary: SentSummary) -> Tone {
    match summary {
        SentSummary::Delivered => Tone::Good,
        SentSummary::Failed
        | SentSummary::NotAccepted
        | SentSummary::PartiallyDelivered
        | SentSummary::Disputed => Tone::Bad,
        SentSummary::Pending | SentSummary::NotCertifiable => Tone::Neutral,
    }
}

/// `certificato` / `esterno`, explained.
pub fn recipient_type(language: Language, kind: Option<RecipientType>) -> &'static str {
    match (language, kind) {
        (Language::It, Some(RecipientType::Certificato)) => "certificato (casella PEC)",
        (Language::It, Some(RecipientType::Esterno)) => "esterno (casella non PEC)",
        (Language::It, None) => "non indicato dal gestore",
        (Language::En, Some(RecipientType::Certificato)) => "certified (a PEC mailbox)",
        (Language::En, Some(RecipientType::Esterno)) => "external (not a PEC mailbox)",
        (Language::En, None) => "not stated by the provider",
    }
}

/// The verdict in one word or two, as shown beside a file.
pub fn status_word(language: Language, status: SignatureStatus) -> &'static str {
    match language {
        Language::It => match status {
            SignatureStatus::Valid => "VALIDA",
            SignatureStatus::Invalid => "NON VALIDA",
            SignatureStatus::Untrusted => "NON ATTENDIBILE",
            SignatureStatus::Unsigned => "ASSENTE",
            SignatureStatus::Indeterminate => "NON VERIFICABILE",
        },
        Language::En => match status {
            SignatureStatus::Valid => "VALID",
            SignatureStatus::Invalid => "INVALID",
            SignatureStatus::Untrusted => "UNTRUSTED",
            SignatureStatus::Unsigned => "NONE",
            SignatureStatus::Indeterminate => "CANNOT DECIDE",
        },
    }
}

/// The verdict explained, as a lawyer would want it said. `sent_copy` words an unsigned sender's copy
/// as what it is (the sender's own copy) rather than as a defect.
pub fn status_text(language: Language, status: SignatureStatus, sent_copy: bool) -> &'static str {
    match language {
        Language::It => match status {
            SignatureStatus::Valid => {
                "firmata da un gestore PEC riconosciuto; il contenuto è esattamente quello firmato"
            }
            SignatureStatus::Invalid => {
                "il contenuto è stato alterato dopo la firma del gestore, oppure la firma non corrisponde"
            }
            SignatureStatus::Untrusted => {
                "la firma corrisponde al contenuto, ma il firmatario non risale a un'autorità di \
                 certificazione PEC valida al momento della firma"
            }
            SignatureStatus::Unsigned if sent_copy => {
                "è la copia del mittente, che i gestori non firmano; l'invio è certificato dalle \
                 ricevute firmate"
            }
            SignatureStatus::Unsigned => {
                "nessuna firma del gestore: il file da solo non è una prova certificata"
            }
            SignatureStatus::Indeterminate => {
                "la firma non ha potuto essere controllata (danneggiata o di un tipo non supportato)"
            }
        },
        Language::En => match status {
            SignatureStatus::Valid => {
                "signed by a recognised PEC provider; the content is exactly what it signed"
            }
            SignatureStatus::Invalid => {
                "the content was altered after the provider signed it, or the signature does not match it"
            }
            SignatureStatus::Untrusted => {
                "the signature matches the content, but its signer cannot be traced to a PEC \
                 certification authority valid at the time of signing"
            }
            SignatureStatus::Unsigned if sent_copy => {
                "this is the sender's own copy, which providers do not sign; the send is certified by \
                 the signed receipts"
            }
            SignatureStatus::Unsigned => {
                "no provider signature: this file is not certified evidence on its own"
            }
            SignatureStatus::Indeterminate => {
                "the signature could not be checked (damaged or of an unsupported kind)"
            }
        },
    }
}

pub fn status_tone(status: SignatureStatus, sent_copy: bool) -> Tone {
    match status {
        SignatureStatus::Valid => Tone::Good,
        SignatureStatus::Unsigned if sent_copy => Tone::Neutral,
        SignatureStatus::Invalid
        | SignatureStatus::Untrusted
        | SignatureStatus::Unsigned
        | SignatureStatus::Indeterminate => Tone::Bad,
    }
}

/// The file label of the provider's copy of a sent message, kept in the Sent folder (its bytes differ
/// from those submitted: the provider adds its own headers).
pub fn sent_folder_copy_label(language: Language) -> &'static str {
    match language {
        Language::It => "copia-nella-posta-inviata",
        Language::En => "sent-folder-copy",
    }
}

/// Where a file came from, for people.
pub fn origin(language: Language, origin: &Origin) -> String {
    match (language, origin) {
        (
            Language::It,
            Origin::Imap {
                account,
                folder,
                uid,
                ..
            },
        ) => {
            format!("cartella {folder} della casella {account} (UID {uid})")
        }
        (
            Language::En,
            Origin::Imap {
                account,
                folder,
                uid,
                ..
            },
        ) => {
            format!("folder {folder} of mailbox {account} (UID {uid})")
        }
        (
            language,
            Origin::File {
                path,
                part,
                mailbox,
            },
        ) => {
            let mut text = format!("file {path}");
            if *part != 0 {
                text.push_str(&match language {
                    Language::It => format!(", messaggio n. {part}"),
                    Language::En => format!(", message no. {part}"),
                });
            }
            if let Some(mailbox) = mailbox {
                text.push_str(&match language {
                    Language::It => format!(", importato per la casella {mailbox}"),
                    Language::En => format!(", imported for mailbox {mailbox}"),
                });
            }
            text
        }
        (Language::It, Origin::Submitted { account, by: None }) => {
            format!("inviato da Attesta con la casella {account}")
        }
        (Language::En, Origin::Submitted { account, by: None }) => {
            format!("submitted by Attesta from mailbox {account}")
        }
        (
            Language::It,
            Origin::Submitted {
                account,
                by: Some(by),
            },
        ) => format!("inviato con Attesta da {by}, casella {account}"),
        (
            Language::En,
            Origin::Submitted {
                account,
                by: Some(by),
            },
        ) => format!("submitted with Attesta by {by}, from mailbox {account}"),
    }
}

/// Good news, bad news, or neither: the report prints it in colour *and* in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Neutral,
}

/// What a signed attachment's verdict rests on (issue 15 §6), in words.
pub fn time_basis(language: Language, basis: pec_core::signature::TimeBasis) -> &'static str {
    use pec_core::signature::TimeBasis as B;
    match language {
        Language::It => match basis {
            B::Timestamp => "marca temporale",
            B::SigningTime => "ora dichiarata dal firmatario",
            B::Claimed => "ora indicata nel documento",
            B::None => "nessuna ora",
        },
        Language::En => match basis {
            B::Timestamp => "timestamp",
            B::SigningTime => "the time the signer stated",
            B::Claimed => "the time the document states",
            B::None => "no time",
        },
    }
}

/// A signed file's container, as a person names it.
pub fn document_format(format: Option<pec_document::DocumentFormat>) -> &'static str {
    use pec_document::DocumentFormat as F;
    match format {
        Some(F::Cades) => "CAdES (.p7m)",
        Some(F::Pades) => "PAdES (PDF)",
        Some(F::M7m) => ".m7m",
        Some(F::Tsd) => ".tsd",
        Some(F::Tsr) => ".tsr",
        None => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recipient_state_has_its_own_words_in_both_languages() {
        for language in [Language::It, Language::En] {
            let words: Vec<&str> = RecipientState::ALL
                .iter()
                .map(|s| state(language, *s))
                .collect();
            for (i, w) in words.iter().enumerate() {
                assert!(!w.is_empty());
                assert!(!words[..i].contains(w), "{w} names two states");
            }
        }
        assert_eq!(state_tone(RecipientState::Disputed), Tone::Bad);
    }
}
