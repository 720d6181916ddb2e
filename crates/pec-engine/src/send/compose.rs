//! The exact bytes Attesta submits: From the account, To/Cc, the subject, a text body, attachments,
//! `X-TipoRicevuta` (PEC rules §5) and a Message-ID Attesta chose, which every receipt will carry back
//! (PEC rules §7). Built with lettre's message builder (RFC 5322, MIME, encoded words).

use std::time::SystemTime;

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use sha2::{Digest, Sha256};

use super::draft::{Draft, SendError};

/// `X-TipoRicevuta: completa|breve|sintetica`.
#[derive(Debug, Clone)]
struct TipoRicevuta(String);

impl Header for TipoRicevuta {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-TipoRicevuta")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(TipoRicevuta(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `REM-RelayToNonERDS: evidence-required` (ETSI EN 319 532-4, REM-Policy-IT): the sender asks its REM
/// provider for signed evidence of a relay to a recipient outside REM.
#[derive(Debug, Clone)]
struct RemRelayToNonErds;

impl Header for RemRelayToNonErds {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("REM-RelayToNonERDS")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(RemRelayToNonErds)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "evidence-required".to_owned())
    }
}

fn compose_error(e: impl std::fmt::Display) -> SendError {
    SendError::Compose {
        detail: e.to_string(),
    }
}

/// A Message-ID unique to this send: time, sender, subject and fresh entropy, on the sender's domain.
pub fn message_id(from: &str, subject: &str, now: DateTime<Utc>) -> String {
    let mut h = Sha256::new();
    h.update(from.as_bytes());
    h.update(subject.as_bytes());
    h.update(now.timestamp_nanos_opt().unwrap_or_default().to_le_bytes());
    h.update(rand::random::<[u8; 16]>());
    let digest = h.finalize();
    let token: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let domain = from.rsplit('@').next().unwrap_or("attesta.invalid");
    format!("<attesta.{}.{token}@{domain}>", now.timestamp())
}

/// The message's bytes, and its Message-ID.
pub fn compose(
    from: &str,
    draft: &Draft,
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, String), SendError> {
    let mailbox = |a: &str| a.trim().parse::<Mailbox>().map_err(compose_error);
    let msgid = message_id(from, &draft.subject, now);
    let mut builder = Message::builder()
        .from(mailbox(from)?)
        .subject(draft.subject.trim())
        .message_id(Some(msgid.clone()))
        .date(SystemTime::from(now))
        .header(TipoRicevuta(draft.receipt.as_str().to_owned()));
    if draft.rem_relay_evidence {
        builder = builder.header(RemRelayToNonErds);
    }
    for to in draft.to.iter().filter(|a| !a.trim().is_empty()) {
        builder = builder.to(mailbox(to)?);
    }
    for cc in draft.cc.iter().filter(|a| !a.trim().is_empty()) {
        builder = builder.cc(mailbox(cc)?);
    }
    let text = SinglePart::plain(draft.body.clone());
    let message = if draft.attachments.is_empty() {
        builder.singlepart(text)
    } else {
        let mut mixed = MultiPart::mixed().singlepart(text);
        for a in &draft.attachments {
            let content_type = ContentType::parse(&a.content_type)
                .unwrap_or(ContentType::parse("application/octet-stream").map_err(compose_error)?);
            mixed = mixed
                .singlepart(Attachment::new(a.name.clone()).body(a.bytes.clone(), content_type));
        }
        builder.multipart(mixed)
    }
    .map_err(compose_error)?;
    Ok((message.formatted(), msgid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pec_core::daticert::ReceiptType;

    #[test]
    fn the_composed_message_carries_the_pec_headers_and_reads_back() {
        let draft = Draft {
            to: vec!["cliente@pec.altro.it".into()],
            cc: vec!["collega@pec.altro.it".into()],
            subject: "Diffida ad adempiere — n. 42".into(),
            body: "Gentile cliente,\nsi trasmette la diffida.".into(),
            attachments: vec![super::super::draft::DraftAttachment {
                name: "diffida.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: b"%PDF-1.4 fake".to_vec(),
            }],
            receipt: ReceiptType::Breve,
            rem_relay_evidence: false,
        };
        let now = DateTime::<Utc>::from_timestamp(1_764_000_000, 0).unwrap();
        let (bytes, msgid) = compose("studio@pec.it", &draft, now).unwrap();
        let i = pec_core::inspect(&bytes);
        assert_eq!(i.kind, pec_core::PecKind::NotPec);
        assert_eq!(i.headers.from.as_deref(), Some("studio@pec.it"));
        assert_eq!(i.headers.to, ["cliente@pec.altro.it"]);
        assert_eq!(i.headers.cc, ["collega@pec.altro.it"]);
        assert_eq!(
            i.headers.subject.as_deref(),
            Some("Diffida ad adempiere — n. 42")
        );
        assert_eq!(i.headers.x_tipo_ricevuta.as_deref(), Some("breve"));
        assert_eq!(i.headers.message_id.as_deref(), Some(msgid.as_str()));
        assert!(msgid.ends_with("@pec.it>"));
        assert!(i.body_text.unwrap().contains("si trasmette"));
        assert_ne!(
            message_id("a@b.it", "x", now),
            message_id("a@b.it", "x", now)
        );
    }

    #[test]
    fn a_rem_relay_evidence_request_is_one_header_and_absent_otherwise() {
        let mut draft = Draft {
            to: vec!["cliente@gmail.example".into()],
            cc: vec![],
            subject: "Diffida".into(),
            body: "Testo".into(),
            attachments: vec![],
            receipt: ReceiptType::Completa,
            rem_relay_evidence: false,
        };
        let now: DateTime<Utc> = std::time::SystemTime::now().into();
        let (plain, _) = compose("studio@rem.it", &draft, now).unwrap();
        assert!(!String::from_utf8_lossy(&plain).contains("REM-RelayToNonERDS"));
        draft.rem_relay_evidence = true;
        let (rem, _) = compose("studio@rem.it", &draft, now).unwrap();
        let text = String::from_utf8_lossy(&rem);
        assert_eq!(
            text.matches("REM-RelayToNonERDS: evidence-required\r\n")
                .count(),
            1,
            "{text}"
        );
        let parsed = mail_parser::MessageParser::new().parse(&rem).unwrap();
        assert_eq!(
            parsed
                .header("REM-RelayToNonERDS")
                .and_then(|h| h.as_text()),
            Some("evidence-required")
        );
    }
}
