//! Findings in plain words, by their stable code (pec-core's signature and message findings, the
//! correlation's send findings, and the pack's own notes).
//!
//! English reports use pec-core's own sentences (they carry details such as dates); Italian reports use
//! the sentences here. A code this table does not know yet keeps pec-core's English sentence, so a new
//! finding is never silently dropped from a report.

use crate::Language;

/// The Italian sentence for a finding code, if this table has one.
fn italian(code: &str) -> Option<&'static str> {
    Some(match code {
        // Signature findings (pec_core::signature::FindingCode).
        "ber-normalised" => {
            "La firma era codificata in BER (come fanno alcuni gestori) ed è stata normalizzata in DER \
             per la verifica; il contenuto firmato non cambia."
        }
        "signed-attributes-reencoded" => {
            "Gli attributi firmati non erano in ordine DER; sono stati verificati riordinati."
        }
        "signer-certificate-expired-since" => {
            "Il certificato del gestore è scaduto dopo la firma; la firma resta valida, perché il \
             certificato era valido quando il gestore ha firmato."
        }
        "multiple-signers" => "Il file contiene più firme; è stata verificata la prima.",
        "received-long-after-signing" => {
            "Il messaggio è arrivato più di due giorni dopo l'ora della firma dichiarata dal gestore."
        }
        "signing-time-after-arrival" => {
            "L'ora della firma dichiarata dal gestore è successiva all'arrivo del messaggio (data di \
             ricezione del server di posta o prima acquisizione nell'archivio)."
        }
        "signing-time-disagrees-with-daticert" => {
            "L'ora della firma e l'ora certificata nei dati di certificazione (daticert.xml) \
             differiscono di più di dieci minuti."
        }
        "signing-time-in-future" => {
            "L'ora della firma dichiarata è nel futuro rispetto al momento della verifica: la firma \
             non può essere accettata."
        }
        "signing-time-contradicted" => {
            "Il certificato del gestore è valido solo all'ora della firma dichiarata dal firmatario; \
             le prove indipendenti (arrivo del messaggio, dati di certificazione) collocano la firma \
             in un momento in cui il certificato non era valido."
        }
        "certificate-extension-unusable" => {
            "Un certificato della catena ha un'estensione illeggibile o un'estensione critica \
             sconosciuta: non può essere usato."
        }
        "legacy-digest-sha1" => {
            "La firma usa SHA-1, un algoritmo ormai datato; resta accettata per i messaggi firmati in \
             passato."
        }
        "legacy-key-rsa-1024" => {
            "La chiave del gestore è RSA da 1024 bit, oggi considerata debole; resta accettata per i \
             messaggi firmati in passato."
        }
        "signer-email-mismatch" => {
            "L'indirizzo nel certificato del gestore non coincide con il mittente (From) del messaggio."
        }
        "content-digest-mismatch" => {
            "L'impronta del contenuto non coincide con quella firmata: il contenuto è stato modificato \
             dopo la firma."
        }
        "signature-mismatch" => {
            "Il valore della firma non corrisponde ai dati firmati e alla chiave del firmatario."
        }
        "ambiguous-message" => {
            "Il messaggio è stato alterato attorno alla parte firmata e si può leggere in più modi: \
             nessuna sua lettura è certificata."
        }
        "no-path-to-anchor" => {
            "Non esiste una catena dal certificato del firmatario a un'autorità di certificazione PEC \
             riconosciuta."
        }
        "certificate-not-valid-at-signing-time" => {
            "Un certificato della catena non era valido al momento della firma."
        }
        "issuer-signature-invalid" => {
            "Un certificato indica un emittente la cui chiave non lo ha firmato (un'autorità che imita \
             il nome di una riconosciuta)."
        }
        "issuer-not-a-ca" => {
            "Un certificato usato come emittente non è quello di un'autorità di certificazione."
        }
        "missing-digital-signature-key-usage" => {
            "Il certificato del firmatario non consente la firma digitale."
        }
        "missing-email-protection-eku" => {
            "Il certificato del firmatario non è abilitato alla protezione della posta elettronica."
        }
        "no-signing-time" => {
            "Manca l'ora della firma: la validità dei certificati non può essere valutata."
        }
        "malformed-cms" => "Il file di firma (smime.p7s) non è una struttura CMS ben formata.",
        "unsupported-algorithm" => "La firma usa un algoritmo che Attesta non sa verificare.",
        "signer-certificate-not-found" => {
            "Il certificato del firmatario non è incluso nella firma."
        }

        // Message findings (pec_core::FindingCode).
        "header-kind-mismatch" => {
            "L'intestazione esterna, non firmata, indica un tipo di messaggio diverso dai dati di \
             certificazione firmati; vale il dato firmato."
        }
        "header-msgid-mismatch" => {
            "L'intestazione esterna X-Riferimento-Message-ID, non firmata, differisce dal msgid \
             firmato; vale il dato firmato."
        }
        "header-subject-mismatch" => {
            "L'oggetto esterno, non firmato, differisce da quello nei dati di certificazione firmati; \
             vale il dato firmato."
        }
        "header-sender-mismatch" => {
            "Il mittente nelle intestazioni esterne, non firmate, differisce da quello firmato; vale il \
             dato firmato."
        }
        "header-claim-without-certification" => {
            "Le intestazioni dichiarano un messaggio PEC, ma il messaggio non contiene dati di \
             certificazione."
        }
        "daticert-missing" => {
            "Il messaggio firmato non contiene i dati di certificazione (daticert.xml)."
        }
        "daticert-not-signed" => {
            "Il messaggio contiene un daticert.xml che non è coperto dalla firma del gestore."
        }
        "daticert-repaired" => {
            "Il daticert.xml non era ben formato ed è stato letto con tolleranza; il file originale \
             resta invariato."
        }
        "daticert-unreadable" => "Il daticert.xml non è leggibile.",
        "daticert-unknown-tipo" => "Il daticert.xml indica un tipo non previsto dalle regole PEC.",
        "daticert-missing-field" => "Al daticert.xml manca un campo richiesto dalle regole PEC.",
        "signed-entity-nested" => {
            "La parte firmata non è al primo livello del messaggio (ad esempio perché una lista di \
             distribuzione lo ha incapsulato)."
        }
        "signed-entity-in-attachment" => "La parte firmata si trova solo in un messaggio allegato.",
        "signature-part-missing" => {
            "Il messaggio è di tipo multipart/signed ma non contiene una firma utilizzabile."
        }
        "original-missing" => "La busta non contiene il messaggio originale (postacert.eml).",
        "daticert-duplicated" => {
            "Il contenuto firmato contiene più daticert.xml: non si può stabilire quale certifichi."
        }
        "structure-ambiguous" => {
            "Una lettura rigorosa e una tollerante delle parti del messaggio non coincidono: parti non \
             firmate dal gestore potrebbero apparire come firmate."
        }
        "signed-entity-duplicated" => {
            "Il messaggio contiene più di una parte firmata: non si può stabilire quale sia quella del \
             gestore."
        }
        "signed-entity-extra-parts" => {
            "La parte firmata contiene più delle due parti ammesse (contenuto e firma)."
        }
        "mime-decoding-problem" => {
            "Una parte MIME non ha potuto essere decodificata come dichiarato."
        }

        // Send findings (pec_core::correlate::SentFindingCode).
        "linked-by-unsigned-header" => {
            "Una ricevuta non contiene un riferimento firmato al messaggio; è collegata all'invio \
             tramite l'intestazione non firmata X-Riferimento-Message-ID."
        }
        "untrusted-evidence" => {
            "Una ricevuta non è supportata da una firma valida del gestore: è conservata nel fascicolo \
             ma non è stata considerata per l'esito."
        }
        "conflicting-receipts" => {
            "Ricevute relative allo stesso destinatario si contraddicono (una certifica la consegna, \
             un'altra la mancata consegna): l'esito è contestato e nessuna delle due prevale."
        }
        "recipient-not-in-acceptance" => {
            "Una ricevuta riguarda un destinatario che la ricevuta di accettazione non elenca."
        }
        "acceptance-missing" => {
            "La ricevuta di accettazione non è nell'archivio: l'invio è noto dalle sole ricevute di \
             consegna."
        }
        "duplicate-acceptance" => {
            "Per lo stesso messaggio ci sono più ricevute di accettazione (o di non accettazione)."
        }
        "breve-hash-collision" => {
            "Le impronte SHA-1 della ricevuta breve coincidono, ma i file archiviati come inviati \
             contengono un attacco di collisione SHA-1 (rilevato con SHA-1 a rilevamento di \
             collisioni): la ricevuta potrebbe certificare altri file con la stessa impronta."
        }
        "breve-hashes-match" => {
            "La ricevuta di consegna breve elenca gli allegati per impronta; ciascuna corrisponde \
             all'allegato inviato."
        }
        "breve-hash-mismatch" => {
            "La ricevuta di consegna breve certifica allegati diversi da quelli archiviati come inviati."
        }
        "breve-original-missing" => {
            "La ricevuta di consegna breve prova la consegna degli allegati solo per impronta; \
             l'originale con gli allegati non è nell'archivio per confrontarle."
        }
        "sender-mismatch" => {
            "Una ricevuta certifica un messaggio di un altro mittente che usa lo stesso Message-ID: \
             non riguarda questo invio e non è stata considerata per l'esito."
        }
        "message-id-reused" => {
            "Un messaggio di un altro mittente riusa il Message-ID di questo invio: non è la copia \
             del messaggio inviato."
        }
        "certified-before-acceptance" => {
            "Una ricevuta è certificata prima dell'accettazione del messaggio, cosa impossibile nel \
             flusso PEC: non è stata considerata per l'esito."
        }
        "timeout-notice-too-early" => {
            "Un avviso di mancata consegna per superamento delle 24 ore è certificato meno di 22 ore \
             dopo l'accettazione: non è stato considerato per l'esito."
        }
        "delivered-despite-timeout" => {
            "Per questo destinatario ci sono sia la ricevuta di consegna sia l'avviso di mancata \
             consegna entro 24 ore: la consegna è arrivata dopo l'avviso ed è mantenuta."
        }

        // The pack's own notes (crate::manifest::NoteCode).
        "sent-copy-missing" => {
            "La copia del messaggio inviato non è nell'archivio; l'invio è certificato dalle ricevute \
             dei gestori."
        }
        "archive-state-differs" => {
            "Per questo destinatario l'archivio registra un esito diverso da quello che le ricevute, \
             verificate di nuovo ora, certificano; il rapporto riporta quanto certificato dalle \
             ricevute."
        }
        "archived-verdict-differs" => {
            "All'archiviazione la firma di questo file aveva ricevuto un giudizio diverso da quello \
             della verifica attuale (ad esempio perché da allora è cambiato l'elenco delle autorità \
             di fiducia)."
        }
        _ => return None,
    })
}

/// A finding in `language`: the table's sentence, or `english` (pec-core's own words).
pub fn finding(language: Language, code: &str, english: &str) -> String {
    match language {
        Language::It => italian(code).map_or_else(|| english.to_owned(), str::to_owned),
        Language::En => english.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pec_core::correlate::SentFindingCode;

    fn code(value: impl serde::Serialize) -> String {
        serde_json::to_value(value)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn every_known_finding_code_has_an_italian_sentence() {
        use pec_core::signature::FindingCode as S;
        let signature = [
            S::BerNormalised,
            S::SignedAttributesReencoded,
            S::SignerCertificateExpiredSince,
            S::MultipleSigners,
            S::ReceivedLongAfterSigning,
            S::SigningTimeAfterArrival,
            S::SigningTimeDisagreesWithDaticert,
            S::SigningTimeInFuture,
            S::SigningTimeContradicted,
            S::CertificateExtensionUnusable,
            S::LegacyDigestSha1,
            S::LegacyKeyRsa1024,
            S::SignerEmailMismatch,
            S::ContentDigestMismatch,
            S::SignatureMismatch,
            S::AmbiguousMessage,
            S::NoPathToAnchor,
            S::CertificateNotValidAtSigningTime,
            S::IssuerSignatureInvalid,
            S::IssuerNotACa,
            S::MissingDigitalSignatureKeyUsage,
            S::MissingEmailProtectionEku,
            S::NoSigningTime,
            S::MalformedCms,
            S::UnsupportedAlgorithm,
            S::SignerCertificateNotFound,
        ];
        use pec_core::FindingCode as M;
        let message = [
            M::HeaderKindMismatch,
            M::HeaderMsgidMismatch,
            M::HeaderSubjectMismatch,
            M::HeaderSenderMismatch,
            M::HeaderClaimWithoutCertification,
            M::DaticertMissing,
            M::DaticertNotSigned,
            M::DaticertRepaired,
            M::DaticertUnreadable,
            M::DaticertUnknownTipo,
            M::DaticertMissingField,
            M::SignedEntityNested,
            M::SignedEntityInAttachment,
            M::SignaturePartMissing,
            M::OriginalMissing,
            M::DaticertDuplicated,
            M::MimeDecodingProblem,
            M::StructureAmbiguous,
            M::SignedEntityDuplicated,
            M::SignedEntityExtraParts,
        ];
        let sent = SentFindingCode::ALL;
        let codes: Vec<String> = signature
            .iter()
            .map(code)
            .chain(message.iter().map(code))
            .chain(sent.iter().map(code))
            .chain(crate::manifest::NoteCode::ALL.iter().map(code))
            .collect();
        for c in codes {
            assert!(italian(&c).is_some(), "no Italian sentence for {c}");
        }
    }

    #[test]
    fn an_unknown_code_keeps_the_english_sentence() {
        assert_eq!(finding(Language::It, "brand-new", "As said."), "As said.");
        assert_eq!(
            finding(Language::En, "legacy-digest-sha1", "SHA-1."),
            "SHA-1."
        );
    }
}
