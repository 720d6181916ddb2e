//! A REM message as the lab's REM providers write it (ETSI EN 319 532-4 as REM-Policy-IT profiles it,
//! in the layout of the AgID kit): unsigned outer headers with the `REM-*` hints, then an S/MIME
//! `multipart/signed` (CAdES-B, SHA-256, the provider's CMS signer) around a `multipart/mixed` whose
//! parts say what they are in `REM-Section-Type`: `rem_message/introduction` (words for the reader),
//! `rem_message/original` (a dispatch only: the submitted bytes, `message/rfc822`) and
//! `rem_message/xml_evidence` (the signed ERDS evidence).
//!
//! The `REM-*` headers repeat what the evidence signs; they are hints for routing, and Attesta reads
//! the evidence (docs/rem.md §2).

use chrono::{DateTime, FixedOffset, Utc};

use super::evidence::LabEvent;
use crate::LabError;
use crate::compose::{base64_lines, rfc2822_date_in};
use crate::signer::CmsSigner;

/// What one REM message carries.
#[derive(Debug, Clone)]
pub struct RemMessageSpec<'a> {
    pub event: LabEvent,
    /// The provider's service address (From, and its signing certificate's e-mail).
    pub service_address: &'a str,
    pub provider_name: &'a str,
    pub provider_domain: &'a str,
    /// The sender of the original.
    pub sender: &'a str,
    pub recipients: &'a [String],
    /// Whom this message goes to: the sender (receipts) or the recipients (dispatch, in `To`).
    pub to: &'a [String],
    pub subject: &'a str,
    /// This message's own Message-ID, without brackets.
    pub message_id: &'a str,
    /// The provider's identifier of the REM message (in the words).
    pub message_identifier: &'a str,
    /// The original's Message-ID, with brackets.
    pub ua_message_identifier: Option<&'a str>,
    pub evidence_identifier: &'a str,
    /// SHA-256 of the original (base64).
    pub digest: Option<&'a str>,
    /// The recipient a receipt is about.
    pub about: Option<&'a str>,
    /// The submitted bytes: present for a dispatch only.
    pub original: Option<&'a [u8]>,
    /// The signed evidence (XML).
    pub evidence_xml: &'a str,
    pub at: DateTime<Utc>,
    pub offset: FixedOffset,
}

const METADATA_VERSION: &str = "EN31953203V010201";

impl RemMessageSpec<'_> {
    fn is_dispatch(&self) -> bool {
        self.original.is_some()
    }

    /// The provider's words (Italian, then English, as the kit writes them).
    fn introduction(&self) -> String {
        let when = self.at.with_timezone(&self.offset);
        let (day, hour, zone) = (
            when.format("%d-%m-%Y"),
            when.format("%H:%M:%S"),
            when.format("%z"),
        );
        let list = self.recipients.join("\r\n");
        let (titolo, title, fatto, done) = match self.event {
            _ if self.is_dispatch() => (
                "Messaggio REM".to_owned(),
                "REM Dispatch".to_owned(),
                "Il messaggio originale è incluso in allegato.".to_owned(),
                "The original message is attached.".to_owned(),
            ),
            event => {
                let about = self.about.unwrap_or("");
                let code = event.code();
                let (it, en) = match event {
                    LabEvent::SubmissionAcceptance => (
                        "è stato accettato dal sistema".to_owned(),
                        "was accepted by the system".to_owned(),
                    ),
                    LabEvent::SubmissionRejection => (
                        "non è stato accettato dal sistema".to_owned(),
                        "was not accepted by the system".to_owned(),
                    ),
                    LabEvent::ContentConsignment => (
                        format!("è stato consegnato nella casella di {about}"),
                        format!("was consigned to the mailbox of {about}"),
                    ),
                    LabEvent::ConsignmentFailureUnregistered
                    | LabEvent::ConsignmentFailureNoNews => (
                        format!("non è stato consegnato a {about}"),
                        format!("was not consigned to {about}"),
                    ),
                    LabEvent::RelayToNonErds => (
                        format!("è stato inoltrato alla casella ordinaria {about}"),
                        format!("was relayed to the ordinary mailbox {about}"),
                    ),
                };
                (
                    format!("Ricevuta di {}", event.parts().0),
                    format!("Receipt of {}", event.parts().0),
                    format!("Il messaggio {it} (Codice {code})."),
                    format!("The message {en} (Code {code})."),
                )
            }
        };
        format!(
            "{titolo}\r\nIl giorno {day} alle ore {hour} ({zone})\r\nil messaggio: \"{subject}\" inviato da \"{sender}\"\r\n\
             ed indirizzato a:\r\n{list}\r\n\r\n{fatto}\r\n\r\nIdentificativo messaggio: \"{id}\"\r\n\
             REM service provider: \"{name}\"\r\n\r\n----------\r\n\r\n\
             {title}\r\nOn {day} at {hour} ({zone})\r\nthe message: \"{subject}\" sent by \"{sender}\"\r\n\
             and addressed to:\r\n{list}\r\n\r\n{done}\r\n\r\nMessage identifier: \"{id}\"\r\n\
             REM service provider: \"{name}\"\r\n",
            subject = self.subject,
            sender = self.sender,
            id = self.message_identifier,
            name = self.provider_name,
        )
    }

    /// The signed content (CRLF).
    fn signed_content(&self, tag: &str) -> Vec<u8> {
        let boundary = format!("----=_rem_content_{tag}");
        let mut c = Vec::with_capacity(8192 + self.original.map_or(0, <[u8]>::len));
        c.extend_from_slice(
            format!(
                "Content-Type: multipart/mixed;\r\n\tboundary=\"{boundary}\"\r\n\r\n--{boundary}\r\n\
                 REM-Section-Type: rem_message/introduction\r\nContent-Type: text/plain; charset=utf-8\r\n\
                 Content-Transfer-Encoding: 8bit\r\n\r\n"
            )
            .as_bytes(),
        );
        c.extend_from_slice(self.introduction().as_bytes());
        if let Some(original) = self.original {
            c.extend_from_slice(
                format!(
                    "\r\n--{boundary}\r\nContent-Type: message/rfc822; name=AttachedMimeMessage\r\n\
                     Content-Transfer-Encoding: 8bit\r\n\
                     Content-Disposition: attachment; filename=AttachedMimeMessage\r\n\
                     REM-Section-Type: rem_message/original\r\n\r\n"
                )
                .as_bytes(),
            );
            c.extend_from_slice(original);
        }
        let name = self.event.parts().0;
        c.extend_from_slice(
            format!(
                "\r\n--{boundary}\r\nContent-Type: application/xml; charset=UTF-8; name=\"{name}.xml\"\r\n\
                 Content-Transfer-Encoding: base64\r\n\
                 Content-Disposition: attachment; filename=\"{name}.xml\"\r\n\
                 REM-Section-Type: rem_message/xml_evidence\r\n\r\n"
            )
            .as_bytes(),
        );
        c.extend_from_slice(base64_lines(self.evidence_xml.as_bytes()).as_bytes());
        c.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        c
    }

    /// The whole message, signed by `signer` at the certified time.
    pub fn build(&self, signer: &CmsSigner) -> Result<Vec<u8>, LabError> {
        let tag = self
            .message_id
            .split('@')
            .next()
            .unwrap_or_default()
            .replace('.', "_");
        let content = self.signed_content(&tag);
        let signature = signer.try_sign(&content, self.at)?;
        let date = rfc2822_date_in(self.at, self.offset);
        let kind = if self.is_dispatch() {
            "dispatch"
        } else {
            "receipt"
        };
        let mut h: Vec<(&str, String)> = vec![(
            "Received",
            format!(
                "from localhost by {} with ESMTPS; {date}",
                self.provider_domain
            ),
        )];
        if self.is_dispatch() {
            h.push((
                "From",
                format!(
                    "\"Per conto di: {}\" <{}>",
                    self.sender, self.service_address
                ),
            ));
            h.push(("Reply-To", self.sender.to_owned()));
            h.push(("Subject", format!("REM Dispatch: {}", self.subject)));
        } else {
            h.push(("From", format!("<{}>", self.service_address)));
            h.push((
                "Subject",
                format!("REM {}: {}", self.event.parts().0, self.subject),
            ));
        }
        h.push(("To", self.to.join(", ")));
        h.push(("Date", date));
        h.push(("Message-ID", format!("<{}>", self.message_id)));
        h.push(("REM-MetadataVersion", METADATA_VERSION.into()));
        h.push((
            "REM-ApplicablePolicy",
            "http://uri.etsi.org/19532/v1#/REMbaseline".into(),
        ));
        h.push((
            "REM-ApplicablePolicy",
            "https://eidas.agid.gov.it/REM/rem-policy-it".into(),
        ));
        h.push((
            "REM-MessageType",
            format!("http://uri.etsi.org/19522/v1#/ERDMessageType/{kind}"),
        ));
        if let Some(digest) = self.digest {
            h.push((
                "REM-DigestAlgorithm",
                "http://www.w3.org/2001/04/xmlenc#sha256".into(),
            ));
            h.push(("REM-DigestValue", digest.to_owned()));
        }
        if let Some(id) = self.ua_message_identifier {
            h.push(("REM-UAMessageIdentifier", id.to_owned()));
        }
        h.push(("REM-EventIdentifier", self.event.event_uri()));
        h.push(("REM-Evidence-ID", format!("<{}>", self.evidence_identifier)));
        h.push(("REM-ReasonIdentifier", self.event.reason_uri()));
        h.push(("MIME-Version", "1.0".into()));
        let boundary = format!("----=_rem_signed_{tag}");
        h.push((
            "Content-Type",
            format!(
                "multipart/signed; protocol=\"application/pkcs7-signature\";\r\n\tmicalg=sha-256;\r\n\tboundary=\"{boundary}\""
            ),
        ));
        let mut out = Vec::with_capacity(content.len() + 8192);
        for (name, value) in h {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\nThis is an S/MIME signed message\r\n\r\n");
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        out.extend_from_slice(&content);
        out.extend_from_slice(
            format!(
                "\r\n--{boundary}\r\nContent-Type: application/pkcs7-signature; name=smime.p7s;\r\n\
                 \tsmime-type=signed-data\r\nContent-Transfer-Encoding: base64\r\n\
                 Content-Disposition: attachment; filename=\"smime.p7s\"\r\n\r\n"
            )
            .as_bytes(),
        );
        out.extend_from_slice(base64_lines(&signature).as_bytes());
        out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        Ok(out)
    }
}
