//! Where each file goes in a pack and what it is called, so that a person opening the ZIP understands
//! it without the report: the sending (the message and its acceptance), the deliveries (one receipt or
//! notice per recipient), anything else; each named by certified time, kind and recipient, e.g.
//! `02-consegne/2026-03-02T0915Z_consegna_mario.rossi@pec.it.eml`. Names sort chronologically.

use chrono::{DateTime, Utc};
use pec_core::PecKind;

use crate::Language;
use crate::names::{self, MAX_NAME_BYTES};
use crate::words::{Words, kinds};

/// The folder a kind of message goes in.
pub fn folder(language: Language, kind: PecKind) -> &'static str {
    let w = Words::of(language);
    match kind {
        PecKind::NotPec | PecKind::Acceptance | PecKind::NonAcceptance => w.folder_sending,
        PecKind::TakenInCharge
        | PecKind::Delivery
        | PecKind::DeliveryFailure
        | PecKind::DeliveryWarning12h
        | PecKind::DeliveryTimeout24h
        | PecKind::VirusDetected => w.folder_deliveries,
        PecKind::TransportEnvelope | PecKind::AnomalyEnvelope => w.folder_other,
    }
}

/// Hands out member paths, never the same one twice (a second receipt of the same minute, kind and
/// recipient gets `_2`).
#[derive(Debug)]
pub struct Namer {
    language: Language,
    used: Vec<String>,
}

impl Namer {
    pub fn new(language: Language) -> Namer {
        Namer {
            language,
            // The fixed members: nothing may take their names.
            used: vec![
                crate::manifest::MANIFEST.to_owned(),
                crate::manifest::REPORT.to_owned(),
                crate::manifest::SUMS.to_owned(),
            ],
        }
    }

    /// The path for a message of `kind`, certified (or sent) at `at`, about `recipient`.
    pub fn message(
        &mut self,
        kind: PecKind,
        at: Option<DateTime<Utc>>,
        recipient: Option<&str>,
    ) -> String {
        let label = kinds::file_label(self.language, kind);
        self.labelled(kind, label, at, recipient)
    }

    /// The path for the provider's copy of the sent message in the Sent folder: it goes beside the
    /// message as submitted, and its name tells the two apart.
    pub fn sent_folder_copy(&mut self, at: Option<DateTime<Utc>>) -> String {
        let label = kinds::sent_folder_copy_label(self.language);
        self.labelled(PecKind::NotPec, label, at, None)
    }

    fn labelled(
        &mut self,
        kind: PecKind,
        label: &str,
        at: Option<DateTime<Utc>>,
        recipient: Option<&str>,
    ) -> String {
        let w = Words::of(self.language);
        let when = at.map_or_else(|| w.undated.to_owned(), crate::time::for_file_name);
        let mut stem = format!("{when}_{label}");
        if let Some(r) = recipient.map(str::trim).filter(|r| !r.is_empty()) {
            stem.push('_');
            stem.push_str(r);
        }
        let dir = folder(self.language, kind);
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                stem.clone()
            } else {
                // Keep the suffix even when the stem has to be shortened.
                let suffix = format!("_{n}");
                let room = MAX_NAME_BYTES - ".eml".len() - suffix.len();
                format!("{}{suffix}", names::component(&stem, room))
            };
            let path = format!("{dir}/{}", names::file_name(&candidate, "eml"));
            if !self.used.iter().any(|u| u.eq_ignore_ascii_case(&path)) {
                self.used.push(path.clone());
                return path;
            }
            n += 1;
        }
    }
}

/// The path for the ERDS evidence of the REM message at `message_path`: beside it, named after it
/// (`…_consegna_x@y.it_evidence.xml`).
pub fn evidence_path(message_path: &str) -> String {
    let (dir, name) = message_path.rsplit_once('/').unwrap_or(("", message_path));
    let stem = name.strip_suffix(".eml").unwrap_or(name);
    let suffix = "_evidence";
    let room = MAX_NAME_BYTES - ".xml".len() - suffix.len();
    let file = names::file_name(&format!("{}{suffix}", names::component(stem, room)), "xml");
    if dir.is_empty() {
        file
    } else {
        format!("{dir}/{file}")
    }
}

/// The pack's own file name: `2026-03-02_17_Diffida ad adempiere n. 42_2026.zip` (date sent or
/// accepted, the send's archive id, the subject). The id keeps names unique; the subject makes them
/// readable and is shortened first.
pub fn pack_file_name(
    language: Language,
    send_id: i64,
    at: Option<DateTime<Utc>>,
    subject: Option<&str>,
) -> String {
    let w = Words::of(language);
    let day = at.map_or_else(
        || w.undated.to_owned(),
        |t| t.format("%Y-%m-%d").to_string(),
    );
    let subject = subject.map(str::trim).filter(|s| !s.is_empty());
    let stem = match subject {
        Some(s) => format!("{day}_{send_id}_{}", names::component(s, 64)),
        None => format!("{day}_{send_id}"),
    };
    names::file_name(&stem, "zip")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 42).unwrap())
    }

    #[test]
    fn members_are_named_by_time_kind_and_recipient() {
        let mut n = Namer::new(Language::It);
        assert_eq!(
            n.message(PecKind::Delivery, at(), Some("mario.rossi@pec.it")),
            "02-consegne/2026-03-02T0915Z_consegna_mario.rossi@pec.it.eml"
        );
        assert_eq!(
            n.message(PecKind::NotPec, at(), None),
            "01-invio/2026-03-02T0915Z_messaggio-inviato.eml"
        );
        assert_eq!(
            n.sent_folder_copy(at()),
            "01-invio/2026-03-02T0915Z_copia-nella-posta-inviata.eml"
        );
        assert_eq!(
            n.message(PecKind::Acceptance, None, None),
            "01-invio/senza-data_accettazione.eml"
        );
        let mut e = Namer::new(Language::En);
        assert_eq!(
            e.message(PecKind::DeliveryFailure, at(), Some("x@pec.example")),
            "02-deliveries/2026-03-02T0915Z_delivery-failure_x@pec.example.eml"
        );
    }

    #[test]
    fn the_same_name_twice_gets_a_number() {
        let mut n = Namer::new(Language::It);
        let a = n.message(PecKind::Delivery, at(), Some("A@pec.it"));
        let b = n.message(PecKind::Delivery, at(), Some("a@pec.it"));
        let c = n.message(PecKind::Delivery, at(), Some("a@pec.it"));
        assert_ne!(a, b);
        assert!(b.ends_with("_2.eml"), "{b}");
        assert!(c.ends_with("_3.eml"), "{c}");
        let long = "x".repeat(300);
        let d = n.message(PecKind::Delivery, at(), Some(&long));
        let e = n.message(PecKind::Delivery, at(), Some(&long));
        assert!(e.ends_with("_2.eml"), "{e}");
        assert_ne!(d, e);
    }

    #[test]
    fn hostile_recipients_and_subjects_give_safe_names() {
        let mut n = Namer::new(Language::It);
        for hostile in [
            "../../etc/passwd",
            "CON",
            "a\r\nb@x",
            "..\\..\\boot.ini",
            &"é".repeat(300),
        ] {
            let path = n.message(PecKind::Delivery, at(), Some(hostile));
            assert!(names::is_safe_path(&path), "{hostile:?} gave {path:?}");
            assert_eq!(path.matches('/').count(), 1, "{path}");
            let zip = pack_file_name(Language::It, 7, at(), Some(hostile));
            assert!(names::is_safe_path(&zip), "{hostile:?} gave {zip:?}");
            assert!(zip.ends_with(".zip"));
        }
        assert_eq!(
            pack_file_name(
                Language::It,
                17,
                at(),
                Some("Diffida ad adempiere n. 42/2026")
            ),
            "2026-03-02_17_Diffida ad adempiere n. 42_2026.zip"
        );
        assert_eq!(pack_file_name(Language::En, 3, None, None), "undated_3.zip");
    }
}
