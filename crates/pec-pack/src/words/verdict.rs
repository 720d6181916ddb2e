//! The verdict on a pack in words, Italian and English, saying apart what a provider's signature proves
//! and what only the pack's own hashes carry — which anyone can recompute after changing a file — so
//! that no sentence claims more than was checked (issue 13 §2).
//!
//! Used by `attesta verify-pack` (and any UI that shows a [`PackVerdict`]).

use crate::Language;
use crate::manifest::{MANIFEST, SUMS};
use crate::verify::{Assurance, PackVerdict};

/// The verdict's sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictWords {
    /// `HOLDS: …` / `DOES NOT HOLD: …`.
    pub headline: String,
    /// What provider signatures prove, member by member (empty when nothing is).
    pub by_signatures: Vec<String>,
    /// What rests only on the pack's own hashes, member by member.
    pub by_hashes_only: Vec<String>,
    /// The heading of each list.
    pub signatures_heading: &'static str,
    pub hashes_heading: &'static str,
}

/// Says `verdict` in `language`.
pub fn words(language: Language, verdict: &PackVerdict) -> VerdictWords {
    let it = language == Language::It;
    let headline = match (verdict.holds, it) {
        (true, true) => "REGGE: ogni file corrisponde alle impronte del fascicolo; ogni ricevuta riguarda \
                         questo invio, e le firme e gli esiti dichiarati sono quelli che i file certificano \
                         oggi"
            .to_owned(),
        (true, false) => "HOLDS: every file matches the pack's hashes; every receipt is about this send, \
                          and the signatures and outcomes it states are what its files certify now"
            .to_owned(),
        (false, true) => format!("NON REGGE: {} problemi", verdict.problems.len()),
        (false, false) => format!("DOES NOT HOLD: {} problem(s)", verdict.problems.len()),
    };
    let mut by_signatures = Vec::new();
    let mut by_hashes_only = Vec::new();
    for m in &verdict.members {
        let (list, text) = match (m.assurance, it) {
            (Assurance::ProviderSignature, true) => (
                &mut by_signatures,
                "firmato da un gestore PEC riconosciuto: contenuto, ora certificata ed esito"
                    .to_owned(),
            ),
            (Assurance::ProviderSignature, false) => (
                &mut by_signatures,
                "signed by a recognised PEC provider: its content, certified time and outcome"
                    .to_owned(),
            ),
            (Assurance::AgreesWithSignedData { original }, true) => (
                &mut by_signatures,
                if original {
                    "mittente, destinatari, oggetto e Message-ID concordano con i dati firmati \
                     dal gestore, e il messaggio è identico all'originale racchiuso in una ricevuta \
                     completa firmata; le altre intestazioni (come la data) no"
                        .to_owned()
                } else {
                    "mittente, destinatari, oggetto e Message-ID concordano con i dati firmati \
                     dal gestore; testo, allegati e data no"
                        .to_owned()
                },
            ),
            (Assurance::AgreesWithSignedData { original }, false) => (
                &mut by_signatures,
                if original {
                    "sender, recipients, subject and Message-ID agree with the provider's signed data, \
                     and it is identical to the original a signed completa receipt encloses; its other \
                     headers (such as the date) are not"
                        .to_owned()
                } else {
                    "sender, recipients, subject and Message-ID agree with the provider's signed data; \
                     its text, attachments and date are not"
                        .to_owned()
                },
            ),
            (Assurance::RebuiltFromManifest, true) => (
                &mut by_hashes_only,
                format!(
                    "identico al {MANIFEST} stampato di nuovo; dice ciò che dice il {MANIFEST}"
                ),
            ),
            (Assurance::RebuiltFromManifest, false) => (
                &mut by_hashes_only,
                format!("identical to {MANIFEST} printed again; it says what {MANIFEST} says"),
            ),
            (Assurance::PackHashOnly, true) => (
                &mut by_hashes_only,
                "solo l'impronta del fascicolo".to_owned(),
            ),
            (Assurance::PackHashOnly, false) => {
                (&mut by_hashes_only, "only the pack's hash".to_owned())
            }
        };
        list.push(format!("{}: {text}", m.path));
    }
    // Issue 15 §6: signed attachments, found again in their messages and verified again, or not.
    let n = verdict.documents;
    if n > 0 {
        match (verdict.documents_checked, it) {
            (true, true) => by_signatures.push(format!(
                "{n} allegati firmati: ritrovati nei messaggi del fascicolo e verificati di nuovo; la \
                 loro firma prova contenuto e firmatario, la qualifica quanto dicono gli elenchi di \
                 fiducia importati qui"
            )),
            (true, false) => by_signatures.push(format!(
                "{n} signed attachment(s): found again in the pack's messages and verified again; their \
                 signatures prove their content and signer, their qualified status what the Trusted \
                 Lists imported here say"
            )),
            (false, true) => by_hashes_only.push(format!(
                "{n} allegati firmati: i giudizi dichiarati dal fascicolo, non verificati di nuovo"
            )),
            (false, false) => by_hashes_only.push(format!(
                "{n} signed attachment(s): the verdicts the pack states, not verified again"
            )),
        }
    }
    by_hashes_only.push(if it {
        format!(
            "{MANIFEST}, {SUMS}: la propria impronta, e gli esiti dichiarati solo in quanto \
             ricalcolati dalle ricevute firmate"
        )
    } else {
        format!(
            "{MANIFEST}, {SUMS}: their own hashes; the outcomes they state only as far as they were \
             recomputed from the signed receipts"
        )
    });
    // Issue 18 §3: who exported the pack is a statement of the pack, never of a signature.
    if let Some(exported_by) = &verdict.exported_by {
        let who = exported_by.as_ref().map(pec_archive::Person::describe);
        by_hashes_only.push(match (who, it) {
            (Some(p), true) => format!(
                "chi lo ha esportato ({p}): una dichiarazione del fascicolo, confermata solo dalla \
                 registrazione dell'esportazione nel giornale dell'archivio"
            ),
            (Some(p), false) => format!(
                "who exported it ({p}): the pack's own statement, confirmed only by the archive's \
                 journal record of the export"
            ),
            (None, true) => "chi lo ha esportato: non registrato".to_owned(),
            (None, false) => "who exported it: not recorded".to_owned(),
        });
    }
    VerdictWords {
        headline,
        by_signatures,
        by_hashes_only,
        signatures_heading: if it {
            "provato dalle firme dei gestori"
        } else {
            "proven by provider signatures"
        },
        hashes_heading: if it {
            "solo dalle impronte del fascicolo stesso (chiunque può ricalcolarle)"
        } else {
            "only by the pack's own hashes (anyone can recompute them)"
        },
    }
}
