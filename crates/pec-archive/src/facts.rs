//! The facts the archive derives from a message's raw bytes: what it is, who, what, when, and under
//! which key it links to a send. Derived data: `rebuild` recomputes it from the raw bytes at any time.
//!
//! Facts used as evidence come from the signed daticert (PEC rules §3); the unsigned headers are only
//! used for mail that is not PEC (a sent copy is plain mail) and as the linking fallback.

use chrono::{DateTime, Utc};
use pec_core::breve::{AttachmentDigest, HashStandIn};
use pec_core::correlate::{LinkBasis, LinkKey, link_key};
use pec_core::daticert::{Errore, ReceiptType, Recipient};
use pec_core::{Family, FindingCode, Inspection, PecKind};
use pec_rem::RemMessage;
use serde::{Deserialize, Serialize};

/// Everything derived from one message (except its signature verdict, which is recorded separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// PEC, REM or neither. A REM message's other facts come from its signed evidence, in PEC terms
    /// (`pec_rem::PecTerms`).
    pub family: Family,
    pub kind: PecKind,
    /// REM: `dispatch` or the evidence's event (`content-consignment`, …).
    pub rem_kind: Option<String>,
    /// REM: the reason code (`RD01`).
    pub rem_reason: Option<String>,
    pub virus: bool,
    /// `gestore-emittente`.
    pub provider: Option<String>,
    /// The original sender: daticert `mittente`, or From for mail that is not PEC.
    pub sender: Option<String>,
    /// The original subject: daticert `oggetto`, or Subject for mail that is not PEC.
    pub subject: Option<String>,
    pub identificativo: Option<String>,
    /// The signed daticert `msgid` (the sender client's Message-ID).
    pub msgid: Option<String>,
    /// The message's own Message-ID header.
    pub message_id: Option<String>,
    pub link: Option<(LinkKey, LinkBasis)>,
    pub consegna: Option<String>,
    /// daticert `data` as a UTC instant.
    pub certified_at: Option<DateTime<Utc>>,
    pub receipt_type: Option<ReceiptType>,
    pub errore: Errore,
    pub errore_esteso: Option<String>,
    /// daticert `destinatari`.
    pub recipients: Vec<Recipient>,
    /// To and Cc of mail that is not PEC (a sent copy), whose certified/external type is unknown.
    pub untyped_recipients: Vec<String>,
    /// The message's own Date header.
    pub date: Option<DateTime<Utc>>,
    /// Codes of the inspection's findings.
    pub findings: Vec<FindingCode>,
    /// Attachments of mail that is not PEC (a sent copy), with their SHA-1 (PEC rules §5).
    pub attachments: Vec<AttachmentDigest>,
    /// The `.hash` stand-ins of a `breve` receipt.
    pub stand_ins: Vec<HashStandIn>,
}

/// The text search indexes for one message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchText {
    pub subject: String,
    pub parties: String,
    pub body: String,
    pub attachments: String,
}

impl Facts {
    /// Derives the facts from an inspection of the raw bytes and, for a REM message, its REM reading
    /// (`pec_rem::read` of the same bytes).
    pub fn derive(inspection: &Inspection, rem: Option<&RemMessage>) -> Facts {
        let mut facts = Facts::derive_pec(inspection);
        if let Some(rem) = rem {
            facts.findings.extend(rem.findings.iter().map(|f| f.code));
            if let Some(t) = rem.pec_terms() {
                facts.family = Family::Rem;
                facts.kind = t.kind;
                facts.rem_kind = Some(t.rem_kind.to_owned());
                facts.rem_reason = t.reason;
                facts.provider = t.provider;
                facts.sender = t.sender.or(facts.sender);
                facts.subject = t.subject.or(facts.subject);
                facts.identificativo = t.identificativo;
                facts.link = t
                    .msgid
                    .as_deref()
                    .and_then(LinkKey::from_message_id)
                    .map(|k| (k, LinkBasis::SignedMsgid));
                facts.msgid = t.msgid;
                facts.consegna = t.consegna;
                facts.certified_at = t.certified_at;
                facts.recipients = t.recipients;
                facts.untyped_recipients = Vec::new();
                facts.errore = t.errore;
                facts.errore_esteso = t.errore_esteso;
                facts.attachments = Vec::new();
            }
        }
        facts
    }

    /// Facts of what pec-core reads: PEC, or plain mail.
    fn derive_pec(inspection: &Inspection) -> Facts {
        let d = inspection.daticert.as_ref();
        let h = &inspection.headers;
        let pec = inspection.kind != PecKind::NotPec;
        let (sender, subject, untyped) = if pec {
            (
                d.and_then(|d| d.mittente.clone()),
                d.and_then(|d| d.oggetto.clone()),
                Vec::new(),
            )
        } else {
            let mut untyped = h.to.clone();
            untyped.extend(h.cc.iter().cloned());
            (h.from.clone(), h.subject.clone(), untyped)
        };
        Facts {
            family: if pec { Family::Pec } else { Family::None },
            kind: inspection.kind,
            rem_kind: None,
            rem_reason: None,
            virus: inspection.virus,
            provider: d.and_then(|d| d.gestore_emittente.clone()),
            sender,
            subject,
            identificativo: d.and_then(|d| d.identificativo.clone()),
            msgid: d.and_then(|d| d.msgid.clone()),
            message_id: h.message_id.clone(),
            link: link_key(inspection),
            consegna: d.and_then(|d| d.consegna.clone()),
            certified_at: d.and_then(|d| d.data),
            receipt_type: d.and_then(|d| d.ricevuta),
            errore: d.map(|d| d.errore).unwrap_or_default(),
            errore_esteso: d.and_then(|d| d.errore_esteso.clone()),
            recipients: d.map(|d| d.destinatari.clone()).unwrap_or_default(),
            untyped_recipients: untyped,
            date: h
                .date
                .as_deref()
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                .map(|d| d.with_timezone(&Utc)),
            findings: inspection.findings.iter().map(|f| f.code).collect(),
            attachments: inspection.attachment_digests.clone(),
            stand_ins: inspection.hash_stand_ins.clone(),
        }
    }

    /// The words a person would search this message by.
    pub fn search_text(&self, inspection: &Inspection) -> SearchText {
        let h = &inspection.headers;
        let mut parties: Vec<&str> = Vec::new();
        parties.extend(self.sender.as_deref());
        parties.extend(h.from.as_deref());
        parties.extend(h.from_name.as_deref());
        parties.extend(self.recipients.iter().map(|r| r.address.as_str()));
        parties.extend(self.untyped_recipients.iter().map(String::as_str));
        parties.extend(self.consegna.as_deref());
        parties.extend(self.provider.as_deref());
        let attachments: Vec<&str> = inspection
            .original
            .iter()
            .flat_map(|o| o.attachments.iter().map(|a| a.name.as_str()))
            .collect();
        SearchText {
            subject: self.subject.clone().unwrap_or_default(),
            parties: parties.join(" "),
            body: inspection.body_text.clone().unwrap_or_default(),
            attachments: attachments.join(" "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_mail_keeps_its_own_parties_and_links_by_its_message_id() {
        let raw = b"From: Studio <studio@pec.it>\r\nTo: a@pec.it, b@pec.it\r\nCc: c@x.it\r\n\
Message-ID: <m1@pec.it>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0100\r\nSubject: Diffida\r\n\r\nTesto della diffida\r\n";
        let inspection = pec_core::inspect(raw);
        let facts = Facts::derive(&inspection, None);
        assert_eq!(facts.kind, PecKind::NotPec);
        assert_eq!(facts.sender.as_deref(), Some("studio@pec.it"));
        assert_eq!(facts.untyped_recipients, ["a@pec.it", "b@pec.it", "c@x.it"]);
        assert_eq!(facts.link.as_ref().unwrap().0.0, "m1@pec.it");
        assert_eq!(
            facts.date.unwrap().to_rfc3339(),
            "2026-12-01T09:00:00+00:00"
        );
        let text = facts.search_text(&inspection);
        assert!(text.body.contains("diffida"));
        assert!(text.parties.contains("Studio"));
    }
}
