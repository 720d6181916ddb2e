//! Findings in plain words, by their stable code (pec-core's signature and message findings, the
//! correlation's send findings, and the pack's own notes).
//!
//! English reports use pec-core's own sentences (they carry details such as dates); Italian reports use
//! the sentences here, one exhaustive `match` per closed set, so a new code without its Italian sentence
//! does not compile (issue 16 §2). A code no set knows (a pack from a newer Attesta) keeps the
//! pack's English sentence, so a finding is never silently dropped from a report.

use pec_core::correlate::SentFindingCode;

use crate::Language;
use crate::manifest::NoteCode;

/// Any finding code a pack states. The four sets never share a spelling (tested), so a stated code
/// names one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Signature(pec_core::signature::FindingCode),
    Message(pec_core::FindingCode),
    Sent(SentFindingCode),
    Note(NoteCode),
}

impl Code {
    /// The code spelled `text`, if a set knows it.
    pub fn parse(text: &str) -> Option<Code> {
        text.parse()
            .ok()
            .map(Code::Signature)
            .or_else(|| text.parse().ok().map(Code::Message))
            .or_else(|| text.parse().ok().map(Code::Sent))
            .or_else(|| text.parse().ok().map(Code::Note))
    }

    /// The Italian sentence.
    pub fn italian(self) -> &'static str {
        match self {
            Code::Signature(c) => signature(c),
            Code::Message(c) => message(c),
            Code::Sent(c) => sent(c),
            Code::Note(c) => note(c),
        }
    }
}

/// What the signature check found, in Italian (every code: the match is exhaustive).
fn signature(code: pec_core::signature::FindingCode) -> &'static str {
    use pec_core::signature::FindingCode as S;
    match code {
        S::BerNormalised => {
            "La firma era codificata in BER (come fanno alcuni gestori) ed è stata normalizzata in DER \
             per la verifica; il contenuto firmato non cambia."
        }
        S::SignedAttributesReencoded => {
            "Gli attributi firmati non erano in ordine DER; sono stati verificati riordinati."
        }
        S::SignerCertificateExpiredSince => {
            "Il certificato del gestore è scaduto dopo la firma; la firma resta valida, perché il \
             certificato era valido quando il gestore ha firmato."
        }
        S::MultipleSigners => "Il file contiene più firme; è stata verificata la prima.",
        S::ReceivedLongAfterSigning => {
            "Il messaggio è arrivato più di due giorni dopo l'ora della firma dichiarata dal gestore."
        }
        S::SigningTimeAfterArrival => {
            "L'ora della firma dichiarata dal gestore è successiva all'arrivo del messaggio (data di \
             ricezione del server di posta o prima acquisizione nell'archivio)."
        }
        S::SigningTimeDisagreesWithDaticert => {
            "L'ora della firma e l'ora certificata nei dati di certificazione (daticert.xml) \
             differiscono di più di dieci minuti."
        }
        S::SigningTimeInFuture => {
            "L'ora della firma dichiarata è nel futuro rispetto al momento della verifica: la firma \
             non può essere accettata."
        }
        S::SigningTimeContradicted => {
            "Il certificato del gestore è valido solo all'ora della firma dichiarata dal firmatario; \
             le prove indipendenti (arrivo del messaggio, dati di certificazione) collocano la firma \
             in un momento in cui il certificato non era valido."
        }
        S::CertificateExtensionUnusable => {
            "Un certificato della catena ha un'estensione illeggibile o un'estensione critica \
             sconosciuta: non può essere usato."
        }
        S::LegacyDigestSha1 => {
            "La firma usa SHA-1, un algoritmo ormai datato; resta accettata per i messaggi firmati in \
             passato."
        }
        S::LegacyKeyRsa1024 => {
            "La chiave del gestore è RSA da 1024 bit, oggi considerata debole; resta accettata per i \
             messaggi firmati in passato."
        }
        S::SignerEmailMismatch => {
            "L'indirizzo nel certificato del gestore non coincide con il mittente (From) del messaggio."
        }
        S::ContentDigestMismatch => {
            "L'impronta del contenuto non coincide con quella firmata: il contenuto è stato modificato \
             dopo la firma."
        }
        S::SignatureMismatch => {
            "Il valore della firma non corrisponde ai dati firmati e alla chiave del firmatario."
        }
        S::AmbiguousMessage => {
            "Il messaggio è stato alterato attorno alla parte firmata e si può leggere in più modi: \
             nessuna sua lettura è certificata."
        }
        S::NoPathToAnchor => {
            "Non esiste una catena dal certificato del firmatario a un'autorità di certificazione PEC \
             riconosciuta."
        }
        S::CertificateNotValidAtSigningTime => {
            "Un certificato della catena non era valido al momento della firma."
        }
        S::IssuerSignatureInvalid => {
            "Un certificato indica un emittente la cui chiave non lo ha firmato (un'autorità che imita \
             il nome di una riconosciuta)."
        }
        S::IssuerNotACa => {
            "Un certificato usato come emittente non è quello di un'autorità di certificazione."
        }
        S::MissingDigitalSignatureKeyUsage => {
            "Il certificato del firmatario non consente la firma digitale."
        }
        S::MissingEmailProtectionEku => {
            "Il certificato del firmatario non è abilitato alla protezione della posta elettronica."
        }
        S::NoSigningTime => {
            "Manca l'ora della firma: la validità dei certificati non può essere valutata."
        }
        S::MalformedCms => "Il file di firma (smime.p7s) non è una struttura CMS ben formata.",
        S::UnsupportedAlgorithm => "La firma usa un algoritmo che Attesta non sa verificare.",
        S::SignerCertificateNotFound => "Il certificato del firmatario non è incluso nella firma.",
        S::DigestInfoWithoutNull => {
            "La firma RSA omette i parametri nulli dell'algoritmo di impronta (come alcuni dispositivi \
             di firma del 2010–2014); l'impronta coincide."
        }
        S::NoSigningCertificateBinding => {
            "Gli attributi firmati non indicano il certificato del firmatario (firma PKCS#7, non \
             CAdES): la firma da sola non esclude un certificato sostituito con la stessa chiave."
        }
        S::RevocationNotChecked => {
            "Il file non contiene informazioni di revoca (CRL od OCSP) utilizzabili per l'ora della \
             firma: la revoca del certificato non è stata verificata."
        }
        S::RevocationChecked => {
            "Le liste di revoca (CRL) o le risposte OCSP contenute nel file mostrano che nessun \
             certificato del firmatario era revocato quando la firma è stata apposta."
        }
        S::CertificateRevokedSince => {
            "Un certificato del firmatario è stato revocato o sospeso dopo la firma; la firma resta \
             valida, perché il certificato non era revocato quando è stata apposta."
        }
        S::RevocationDataUnusable => {
            "Una lista di revoca o una risposta OCSP contenuta nel file è illeggibile o non è \
             firmata dall'autorità che la emette: è stata ignorata."
        }
        S::CertificateRevoked => {
            "Un certificato del firmatario era già revocato o sospeso quando la firma è stata \
             apposta, secondo la lista di revoca o la risposta OCSP della sua autorità contenuta nel \
             file."
        }
        S::TimestampedSignature => {
            "La firma è accompagnata da una marca temporale; il giudizio si basa sull'ora della marca."
        }
        S::WeakDigest => {
            "La firma usa un algoritmo di impronta debole (MD5 o RIPEMD-160), più debole di SHA-1."
        }
        S::TimestampNotUsable => {
            "La marca temporale presente non è utilizzabile (danneggiata, non attendibile o non \
             relativa a questa firma): il giudizio si basa sull'ora dichiarata dal firmatario."
        }
        S::LaterRevisions => {
            "Il PDF è stato esteso dopo questa firma (altre firme o modifiche): la firma copre una \
             versione precedente del file."
        }
        S::SigningCertificateMismatch => {
            "Gli attributi firmati indicano un certificato diverso da quello che verifica la firma: \
             il certificato è stato sostituito."
        }
        S::TimestampImprintMismatch => {
            "La marca temporale non riguarda i dati a cui è associata: la sua impronta è diversa."
        }
        S::ByteRangeInvalid => {
            "Gli intervalli firmati del PDF non coprono il file attorno alla firma: il file è stato \
             riscritto dopo la firma o costruito per mostrare un contenuto diverso da quello firmato."
        }
        S::MissingTimeStampingEku => {
            "Il certificato dell'autorità di marcatura temporale non è destinato alla marcatura \
             temporale."
        }
        S::NotASignedFile => "Il file non è un documento firmato di un formato noto.",
    }
}

/// What the reading of a message found, in Italian (every code: the match is exhaustive).
fn message(code: pec_core::FindingCode) -> &'static str {
    use pec_core::FindingCode as M;
    match code {
        M::HeaderKindMismatch => {
            "L'intestazione esterna, non firmata, indica un tipo di messaggio diverso dai dati di \
             certificazione firmati; vale il dato firmato."
        }
        M::HeaderMsgidMismatch => {
            "L'intestazione esterna X-Riferimento-Message-ID, non firmata, differisce dal msgid \
             firmato; vale il dato firmato."
        }
        M::HeaderSubjectMismatch => {
            "L'oggetto esterno, non firmato, differisce da quello nei dati di certificazione firmati; \
             vale il dato firmato."
        }
        M::HeaderSenderMismatch => {
            "Il mittente nelle intestazioni esterne, non firmate, differisce da quello firmato; vale il \
             dato firmato."
        }
        M::HeaderClaimWithoutCertification => {
            "Le intestazioni dichiarano un messaggio PEC, ma il messaggio non contiene dati di \
             certificazione."
        }
        M::DaticertMissing => {
            "Il messaggio firmato non contiene i dati di certificazione (daticert.xml)."
        }
        M::DaticertNotSigned => {
            "Il messaggio contiene un daticert.xml che non è coperto dalla firma del gestore."
        }
        M::DaticertRepaired => {
            "Il daticert.xml non era ben formato ed è stato letto con tolleranza; il file originale \
             resta invariato."
        }
        M::DaticertUnreadable => "Il daticert.xml non è leggibile.",
        M::DaticertUnknownTipo => "Il daticert.xml indica un tipo non previsto dalle regole PEC.",
        M::DaticertMissingField => "Al daticert.xml manca un campo richiesto dalle regole PEC.",
        M::SignedEntityNested => {
            "La parte firmata non è al primo livello del messaggio (ad esempio perché una lista di \
             distribuzione lo ha incapsulato)."
        }
        M::SignedEntityInAttachment => "La parte firmata si trova solo in un messaggio allegato.",
        M::SignaturePartMissing => {
            "Il messaggio è di tipo multipart/signed ma non contiene una firma utilizzabile."
        }
        M::OriginalMissing => "La busta non contiene il messaggio originale (postacert.eml).",
        M::DaticertDuplicated => {
            "Il contenuto firmato contiene più daticert.xml: non si può stabilire quale certifichi."
        }
        M::StructureAmbiguous => {
            "Una lettura rigorosa e una tollerante delle parti del messaggio non coincidono: parti non \
             firmate dal gestore potrebbero apparire come firmate."
        }
        M::SignedEntityDuplicated => {
            "Il messaggio contiene più di una parte firmata: non si può stabilire quale sia quella del \
             gestore."
        }
        M::SignedEntityExtraParts => {
            "La parte firmata contiene più delle due parti ammesse (contenuto e firma)."
        }
        M::OriginalNotSigned => {
            "Un messaggio originale (postacert.eml) si trova fuori dalla parte firmata dal gestore: \
             Attesta lo ignora, ma un altro programma potrebbe mostrarlo come l'originale certificato."
        }
        M::RemHeaderMismatch => {
            "Un'intestazione REM esterna, non firmata, differisce dall'evidenza firmata; vale \
             l'evidenza firmata."
        }
        M::RemEvidenceMissing => {
            "Il messaggio REM non contiene l'evidenza XML: nessun dato firmato dice che cosa è \
             avvenuto."
        }
        M::RemEvidenceUnreadable => "L'evidenza XML del messaggio REM non è leggibile.",
        M::RemEvidenceDuplicated => {
            "Il messaggio REM contiene più di un'evidenza XML: non si può stabilire quale valga."
        }
        M::RemOriginalDigestMismatch => {
            "Il messaggio originale allegato non corrisponde all'impronta indicata nell'evidenza \
             firmata: è stato sostituito o alterato."
        }
        M::MimeDecodingProblem => {
            "Una parte MIME non ha potuto essere decodificata come dichiarato."
        }
    }
}

/// What correlation found about a send, in Italian (every code: the match is exhaustive).
fn sent(code: pec_core::correlate::SentFindingCode) -> &'static str {
    use pec_core::correlate::SentFindingCode as C;
    match code {
        C::LinkedByUnsignedHeader => {
            "Una ricevuta non contiene un riferimento firmato al messaggio; è collegata all'invio \
             tramite l'intestazione non firmata X-Riferimento-Message-ID."
        }
        C::UntrustedEvidence => {
            "Una ricevuta non è supportata da una firma valida del gestore: è conservata nel fascicolo \
             ma non è stata considerata per l'esito."
        }
        C::ConflictingReceipts => {
            "Ricevute relative allo stesso destinatario si contraddicono (una certifica la consegna, \
             un'altra la mancata consegna): l'esito è contestato e nessuna delle due prevale."
        }
        C::RecipientNotInAcceptance => {
            "Una ricevuta riguarda un destinatario che la ricevuta di accettazione non elenca."
        }
        C::AcceptanceMissing => {
            "La ricevuta di accettazione non è nell'archivio: l'invio è noto dalle sole ricevute di \
             consegna."
        }
        C::DuplicateAcceptance => {
            "Per lo stesso messaggio ci sono più ricevute di accettazione (o di non accettazione)."
        }
        C::BreveHashCollision => {
            "Le impronte SHA-1 della ricevuta breve coincidono, ma i file archiviati come inviati \
             contengono un attacco di collisione SHA-1 (rilevato con SHA-1 a rilevamento di \
             collisioni): la ricevuta potrebbe certificare altri file con la stessa impronta."
        }
        C::BreveHashesMatch => {
            "La ricevuta di consegna breve elenca gli allegati per impronta; ciascuna corrisponde \
             all'allegato inviato."
        }
        C::BreveHashMismatch => {
            "La ricevuta di consegna breve certifica allegati diversi da quelli archiviati come inviati."
        }
        C::BreveOriginalMissing => {
            "La ricevuta di consegna breve prova la consegna degli allegati solo per impronta; \
             l'originale con gli allegati non è nell'archivio per confrontarle."
        }
        C::SenderMismatch => {
            "Una ricevuta certifica un messaggio di un altro mittente che usa lo stesso Message-ID: \
             non riguarda questo invio e non è stata considerata per l'esito."
        }
        C::MessageIdReused => {
            "Un messaggio di un altro mittente riusa il Message-ID di questo invio: non è la copia \
             del messaggio inviato."
        }
        C::CertifiedBeforeAcceptance => {
            "Una ricevuta è certificata prima dell'accettazione del messaggio, cosa impossibile nel \
             flusso PEC: non è stata considerata per l'esito."
        }
        C::TimeoutNoticeTooEarly => {
            "Un avviso di mancata consegna per superamento delle 24 ore è certificato meno di 22 ore \
             dopo l'accettazione: non è stato considerato per l'esito."
        }
        C::DeliveredDespiteTimeout => {
            "Per questo destinatario ci sono sia la ricevuta di consegna sia l'avviso di mancata \
             consegna entro 24 ore: la consegna è arrivata dopo l'avviso ed è mantenuta."
        }
    }
}

/// The pack's own notes, in Italian (every code: the match is exhaustive).
fn note(code: crate::manifest::NoteCode) -> &'static str {
    use crate::manifest::NoteCode as N;
    match code {
        N::SentCopyMissing => {
            "La copia del messaggio inviato non è nell'archivio; l'invio è certificato dalle ricevute \
             dei gestori."
        }
        N::ArchiveStateDiffers => {
            "Per questo destinatario l'archivio registra un esito diverso da quello che le ricevute, \
             verificate di nuovo ora, certificano; il rapporto riporta quanto certificato dalle \
             ricevute."
        }
        N::ArchivedVerdictDiffers => {
            "All'archiviazione la firma di questo file aveva ricevuto un giudizio diverso da quello \
             della verifica attuale (ad esempio perché da allora è cambiato l'elenco delle autorità \
             di fiducia)."
        }
        N::ArchivedDocumentDiffers => {
            "All'archiviazione la firma di un documento allegato a questo messaggio aveva ricevuto un \
             giudizio diverso da quello della verifica attuale (ad esempio perché da allora è stato \
             importato un elenco di fiducia europeo)."
        }
    }
}

/// A finding in `language`: the Italian sentence of its code, or `english` (pec-core's own words).
pub fn finding(language: Language, code: &str, english: &str) -> String {
    match (language, Code::parse(code)) {
        (Language::It, Some(code)) => code.italian().to_owned(),
        (Language::It, None) | (Language::En, _) => english.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pec_core::ClosedSet;

    fn every_code() -> Vec<Code> {
        let signature = pec_core::signature::FindingCode::values()
            .iter()
            .map(|&c| Code::Signature(c));
        let message = pec_core::FindingCode::values()
            .iter()
            .map(|&c| Code::Message(c));
        let sent = SentFindingCode::values().iter().map(|&c| Code::Sent(c));
        let note = NoteCode::values().iter().map(|&c| Code::Note(c));
        signature.chain(message).chain(sent).chain(note).collect()
    }

    fn spelling(code: Code) -> &'static str {
        match code {
            Code::Signature(c) => c.as_str(),
            Code::Message(c) => c.as_str(),
            Code::Sent(c) => c.as_str(),
            Code::Note(c) => c.as_str(),
        }
    }

    #[test]
    fn every_stated_code_names_one_value_and_has_its_italian_sentence() {
        for code in every_code() {
            assert_eq!(
                Code::parse(spelling(code)),
                Some(code),
                "{code:?} shares its spelling"
            );
            assert!(!code.italian().is_empty(), "{code:?}");
            assert_eq!(finding(Language::It, spelling(code), "x"), code.italian());
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
