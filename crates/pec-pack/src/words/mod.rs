//! What a pack says, in Italian and in English: headings, labels, the names of kinds, states and
//! verdicts, and the findings in plain words.
//!
//! Italian first: packs are filed in Italian courts. Every label is a field of [`Words`], so a language
//! cannot miss one; enum names are exhaustive matches ([`kinds`]); findings are worded by their stable
//! code ([`findings`]), falling back to pec-core's English sentence for a code this table predates.

pub mod findings;
pub mod kinds;
pub mod verdict;

use crate::Language;

/// Every fixed phrase of a pack, in one language.
#[derive(Debug)]
pub struct Words {
    pub title: &'static str,
    pub produced_by: &'static str,
    /// The label of who exported the pack (issue 18 §3).
    pub exported_by: &'static str,
    /// Said when the desktop that exported it had no person set.
    pub not_recorded: &'static str,
    pub page: &'static str,
    pub of: &'static str,
    pub unknown: &'static str,
    pub none: &'static str,
    pub no_subject: &'static str,
    pub bytes: &'static str,
    pub times_note: &'static str,

    pub h_outcome: &'static str,
    pub h_message: &'static str,
    pub h_recipients: &'static str,
    pub h_files: &'static str,
    pub h_notes: &'static str,
    pub h_conformity: &'static str,
    pub h_verify: &'static str,

    pub recipients: &'static str,
    pub sender: &'static str,
    pub subject: &'static str,
    pub msgid: &'static str,
    pub sent_at: &'static str,
    pub accepted_at: &'static str,
    pub outcome: &'static str,
    pub recipient_type: &'static str,
    pub at: &'static str,
    pub reason: &'static str,
    pub proof: &'static str,
    pub document: &'static str,
    pub size: &'static str,
    pub signature: &'static str,
    pub provider: &'static str,
    pub signer: &'static str,
    pub signed_at: &'static str,
    pub algorithm: &'static str,
    pub chain: &'static str,
    pub trusted_ca: &'static str,
    pub observations: &'static str,
    pub identificativo: &'static str,
    pub origin: &'static str,
    pub archive_id: &'static str,
    pub sha256: &'static str,
    pub key_bits: &'static str,
    pub with: &'static str,
    /// Issue 15 §6: a message's signed attachment and what its verdict rests on.
    pub signed_attachment: &'static str,
    pub document_signature: &'static str,
    pub qualified: &'static str,
    pub qualified_yes: &'static str,
    pub qualified_no: &'static str,
    pub qualified_unknown: &'static str,
    pub judged_at: &'static str,
    pub trusted_lists: &'static str,
    pub no_trusted_list: &'static str,
    pub content_sha256: &'static str,

    pub files_intro: &'static str,
    /// The document line of a REM evidence member: what it is, before the message it belongs to.
    pub rem_evidence_of: &'static str,
    pub sent_copy_missing: &'static str,
    pub lossy_text: &'static str,
    pub verify_text: &'static str,

    pub folder_sending: &'static str,
    pub folder_deliveries: &'static str,
    pub folder_other: &'static str,
    pub undated: &'static str,
}

impl Words {
    pub fn of(language: Language) -> &'static Words {
        match language {
            Language::It => &IT,
            Language::En => &EN,
        }
    }
}

static IT: Words = Words {
    title: "Rapporto di prova dell'invio PEC",
    produced_by: "Prodotto da",
    exported_by: "Esportato da",
    not_recorded: "non registrato",
    page: "Pagina",
    of: "di",
    unknown: "non noto",
    none: "nessuna",
    no_subject: "(senza oggetto)",
    bytes: "byte",
    times_note: "Gli orari sono espressi in ora italiana, con lo scarto da UTC tra parentesi; quelli \
                 certificati sono tratti dai dati firmati dai gestori (daticert.xml).",

    h_outcome: "Esito",
    h_message: "1. Il messaggio",
    h_recipients: "2. Destinatari",
    h_files: "3. File del fascicolo",
    h_notes: "4. Osservazioni sull'invio",
    h_conformity: "Dichiarazione di conformità",
    h_verify: "Come verificare il fascicolo",

    recipients: "Destinatari",
    sender: "Mittente",
    subject: "Oggetto",
    msgid: "Message-ID",
    sent_at: "Inviato il",
    accepted_at: "Accettato il",
    outcome: "Esito",
    recipient_type: "Tipo",
    at: "Data e ora",
    reason: "Motivo",
    proof: "Prova",
    document: "Documento",
    size: "Dimensione",
    signature: "Firma del gestore",
    provider: "Gestore",
    signer: "Firmatario",
    signed_at: "Firmato il",
    algorithm: "Algoritmi",
    chain: "Catena",
    trusted_ca: "autorità di fiducia",
    observations: "Osservazioni",
    identificativo: "Identificativo",
    origin: "Provenienza",
    archive_id: "N. in archivio",
    sha256: "SHA-256",
    key_bits: "chiave da {} bit",
    with: "con",
    signed_attachment: "Allegato firmato",
    document_signature: "Firma del documento",
    qualified: "Firma qualificata",
    qualified_yes: "sì (certificato qualificato di un prestatore dell'elenco di fiducia europeo)",
    qualified_no: "no",
    qualified_unknown: "non determinabile (nessun elenco di fiducia importato, o firma non valida)",
    judged_at: "Giudicata all'ora",
    trusted_lists: "Elenchi di fiducia",
    no_trusted_list: "nessuno importato",
    content_sha256: "SHA-256 del contenuto",

    rem_evidence_of: "Evidenza REM (XML firmato XAdES) del messaggio",
    files_intro: "Ogni file è una copia byte per byte di quanto conservato nell'archivio di Attesta. \
                  Le firme sono state verificate di nuovo, senza connessione, al momento della \
                  produzione del fascicolo. Completano il fascicolo questo rapporto (report.pdf), \
                  manifest.json (gli stessi dati in forma leggibile da un programma, con l'impronta \
                  SHA-256 di ogni file) e SHA256SUMS.txt.",
    sent_copy_missing: "La copia del messaggio inviato non è nell'archivio: il fascicolo contiene le \
                        ricevute e gli avvisi dei gestori, che certificano l'invio.",
    lossy_text: "Alcuni caratteri non rappresentabili nel carattere di questo rapporto sono mostrati \
                 come «?»; il testo esatto è in manifest.json e nei file originali.",
    verify_text: "Il fascicolo si verifica senza connessione con il comando «attesta verify-pack \
                  NOME.zip», che ricalcola ogni impronta e ogni firma e indica l'eventuale file che non \
                  corrisponde più. Le impronte si possono ricalcolare anche con «sha256sum -c \
                  SHA256SUMS.txt»; ogni file .eml può essere aperto con un qualsiasi programma di posta e \
                  la sua firma S/MIME verificata con strumenti indipendenti.",

    folder_sending: "01-invio",
    folder_deliveries: "02-consegne",
    folder_other: "03-altro",
    undated: "senza-data",
};

static EN: Words = Words {
    title: "Evidence report for a certified e-mail (PEC)",
    produced_by: "Produced by",
    exported_by: "Exported by",
    not_recorded: "not recorded",
    page: "Page",
    of: "of",
    unknown: "not known",
    none: "none",
    no_subject: "(no subject)",
    bytes: "bytes",
    times_note: "Times are given in Italian time, with the offset from UTC in brackets; certified times \
                 are taken from the data the providers signed (daticert.xml).",

    h_outcome: "Outcome",
    h_message: "1. The message",
    h_recipients: "2. Recipients",
    h_files: "3. Files in this pack",
    h_notes: "4. Notes on the send",
    h_conformity: "Statement of conformity",
    h_verify: "How to verify this pack",

    recipients: "Recipients",
    sender: "Sender",
    subject: "Subject",
    msgid: "Message-ID",
    sent_at: "Sent",
    accepted_at: "Accepted",
    outcome: "Outcome",
    recipient_type: "Type",
    at: "Date and time",
    reason: "Reason",
    proof: "Evidence",
    document: "Document",
    size: "Size",
    signature: "Provider signature",
    provider: "Provider",
    signer: "Signer",
    signed_at: "Signed",
    algorithm: "Algorithms",
    chain: "Chain",
    trusted_ca: "trust anchor",
    observations: "Notes",
    identificativo: "Identifier",
    origin: "Obtained from",
    archive_id: "Archive no.",
    sha256: "SHA-256",
    key_bits: "{}-bit key",
    with: "with",
    signed_attachment: "Signed attachment",
    document_signature: "Document signature",
    qualified: "Qualified signature",
    qualified_yes: "yes (a qualified certificate of a provider on the EU Trusted Lists)",
    qualified_no: "no",
    qualified_unknown: "cannot be told (no Trusted List imported, or the signature is not valid)",
    judged_at: "Judged at",
    trusted_lists: "Trusted Lists",
    no_trusted_list: "none imported",
    content_sha256: "Content SHA-256",

    rem_evidence_of: "REM evidence (XML signed XAdES) of the message",
    files_intro: "Each file is a byte-for-byte copy of what Attesta's archive holds. The signatures were \
                  verified again, offline, when this pack was produced. This report (report.pdf), \
                  manifest.json (the same facts for programs, with every file's SHA-256) and \
                  SHA256SUMS.txt complete the pack.",
    sent_copy_missing: "The sent message itself is not in the archive: the pack holds the providers' \
                        receipts and notices, which certify the send.",
    lossy_text: "Some characters cannot be shown in this report's typeface and appear as \"?\"; the exact \
                 text is in manifest.json and in the original files.",
    verify_text: "The pack is verified offline with \"attesta verify-pack NAME.zip\", which recomputes \
                  every hash and every signature and names any file that no longer matches. The hashes \
                  can also be recomputed with \"sha256sum -c SHA256SUMS.txt\"; each .eml file opens in any \
                  mail program, and its S/MIME signature can be checked with independent tools.",

    folder_sending: "01-sending",
    folder_deliveries: "02-deliveries",
    folder_other: "03-other",
    undated: "undated",
};

/// The archive's head when the pack was made (issue 13 §5): what it is and how to use it.
pub fn archive_head(language: Language, head: &str) -> String {
    match language {
        Language::It => format!(
            "Stato dell'archivio alla produzione del fascicolo (testa della catena di integrità): {head}. \
             Conservato fuori dall'archivio, permette di verificare in seguito con \
             «attesta archive check --expect {head}» che l'archivio fino a quel punto non è stato modificato."
        ),
        Language::En => format!(
            "The archive's state when this pack was produced (the head of its integrity chain): {head}. \
             Kept outside the archive, it lets «attesta archive check --expect {head}» confirm later that \
             the archive up to that point is unchanged."
        ),
    }
}

/// Who exported the pack (issue 18 §3), and what that statement is worth: the pack's own word, which
/// the archive's journal entry of the export confirms or not.
pub fn exporter(language: Language, person: Option<&str>) -> String {
    match (language, person) {
        (Language::It, Some(p)) => format!(
            "Il fascicolo è stato esportato da {p}, come configurato sulla postazione che lo ha \
             prodotto («attesta user»). È una dichiarazione del fascicolo stesso e da sola non lo prova: \
             lo conferma la registrazione dell'esportazione nel giornale dell'archivio (la catena di \
             integrità), che riporta la persona e l'impronta SHA-256 di questo file ZIP («attesta \
             verify-pack» la cerca nell'archivio della postazione)."
        ),
        (Language::En, Some(p)) => format!(
            "This pack was exported by {p}, as configured on the desktop that produced it (\"attesta \
             user\"). That is the pack's own statement and proves nothing by itself: what confirms it is \
             the archive's record of the export in its journal (the integrity chain), which names the \
             person and the SHA-256 of this ZIP file (\"attesta verify-pack\" looks for it in the \
             desktop's archive)."
        ),
        (Language::It, None) => {
            "Non è registrato chi ha esportato il fascicolo: sulla postazione che lo \
                                 ha prodotto non era configurata alcuna persona («attesta user»)."
                .to_owned()
        }
        (Language::En, None) => {
            "Who exported this pack is not recorded: no person was configured on the \
                                 desktop that produced it (\"attesta user\")."
                .to_owned()
        }
    }
}

/// The statement of conformity: what Attesta itself can attest about the files (not a lawyer's
/// attestation, which the paragraph says it does not replace).
pub fn conformity(language: Language, files: usize, producer: &str, produced_at: &str) -> String {
    match language {
        Language::It => format!(
            "Si dichiara che i {files} file di messaggio elencati nella sezione 3 sono copie identiche, \
             byte per byte, dei messaggi conservati nell'archivio di Attesta, nel quale ciascun messaggio \
             è registrato una sola volta con la sua impronta SHA-256 e non può essere modificato. Le \
             impronte riportate sono state calcolate sui file di questo fascicolo al momento della sua \
             produzione ({produced_at}, {producer}). La presente dichiarazione è generata \
             automaticamente dal programma e non sostituisce l'attestazione di conformità del difensore \
             o del pubblico ufficiale, ove richiesta."
        ),
        Language::En => format!(
            "The {files} message files listed in section 3 are identical, byte for byte, to the messages \
             held in Attesta's archive, where each message is recorded once with its SHA-256 and cannot \
             be modified. The hashes given were computed over the files of this pack when it was \
             produced ({produced_at}, {producer}). This statement is generated by the program; it does \
             not replace a lawyer's or a public officer's attestation of conformity where one is \
             required."
        ),
    }
}
