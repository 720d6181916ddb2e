//! Composing one provider message about an [`Original`]: the transport envelope, the anomaly envelope, and
//! every receipt and notice, as `multipart/signed` with a detached CMS signature (PEC rules §1–§5).
//!
//! Both the test kit's [`Pec`](super::Pec) and the lab's providers compose through here, so there is one
//! writer of PEC structure in the project. The layout follows real providers (Aruba): unsigned outer
//! headers, then `multipart/signed` whose first part is a `multipart/mixed` with the human-readable text,
//! `daticert.xml` and (envelopes, `completa`/`breve` receipts) `postacert.eml`.

use chrono::{DateTime, FixedOffset, Utc};

use super::daticert::DaticertSpec;
use super::mime::{base64_lines, rfc2822_date_in};
use super::original::Original;
use super::zone::zona;

/// Makes the detached signature over the signed content (already CRLF).
pub trait Signer {
    /// The DER or BER bytes of a detached CMS SignedData over `content`.
    fn sign(&self, content: &[u8]) -> Vec<u8>;
    /// The `micalg` parameter to write.
    fn micalg(&self) -> &str {
        "sha-256"
    }
}

/// A signer that writes bytes which are not a signature: for tests about structure, not trust.
pub struct PlaceholderSigner;

impl Signer for PlaceholderSigner {
    fn sign(&self, content: &[u8]) -> Vec<u8> {
        format!("placeholder signature over {} bytes", content.len()).into_bytes()
    }
}

/// What the provider is producing; receipts about one recipient name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PecKindSpec {
    Envelope,
    Anomaly,
    Acceptance,
    NonAcceptance {
        virus: bool,
        reason: String,
    },
    TakenInCharge,
    Delivery {
        recipient: String,
    },
    Failure {
        recipient: String,
        virus: bool,
        reason: String,
    },
    Warning12h {
        recipient: String,
    },
    Timeout24h {
        recipient: String,
    },
    VirusDetected {
        recipient: String,
    },
}

impl PecKindSpec {
    /// The recipient a receipt or notice is about (daticert `consegna`).
    pub fn recipient(&self) -> Option<&str> {
        match self {
            PecKindSpec::Delivery { recipient }
            | PecKindSpec::Failure { recipient, .. }
            | PecKindSpec::Warning12h { recipient }
            | PecKindSpec::Timeout24h { recipient }
            | PecKindSpec::VirusDetected { recipient } => Some(recipient),
            _ => None,
        }
    }

    /// Daticert `tipo` (PEC rules §2; the anomaly envelope has no daticert).
    pub fn tipo(&self) -> &'static str {
        match self {
            PecKindSpec::Envelope | PecKindSpec::Anomaly => "posta-certificata",
            PecKindSpec::Acceptance => "accettazione",
            PecKindSpec::NonAcceptance { .. } => "non-accettazione",
            PecKindSpec::TakenInCharge => "presa-in-carico",
            PecKindSpec::Delivery { .. } => "avvenuta-consegna",
            PecKindSpec::Failure { .. } => "errore-consegna",
            PecKindSpec::Warning12h { .. } | PecKindSpec::Timeout24h { .. } => {
                "preavviso-errore-consegna"
            }
            PecKindSpec::VirusDetected { .. } => "rilevazione-virus",
        }
    }

    /// The subject prefix before the original subject (PEC rules §2).
    pub fn subject_prefix(&self) -> &'static str {
        match self {
            PecKindSpec::Envelope => "POSTA CERTIFICATA: ",
            PecKindSpec::Anomaly => "ANOMALIA MESSAGGIO: ",
            PecKindSpec::Acceptance => "ACCETTAZIONE: ",
            PecKindSpec::NonAcceptance { virus: true, .. } => {
                "AVVISO DI NON ACCETTAZIONE PER VIRUS: "
            }
            PecKindSpec::NonAcceptance { .. } => "AVVISO DI NON ACCETTAZIONE: ",
            PecKindSpec::TakenInCharge => "PRESA IN CARICO: ",
            PecKindSpec::Delivery { .. } => "CONSEGNA: ",
            PecKindSpec::Failure { virus: true, .. } => "AVVISO DI MANCATA CONSEGNA PER VIRUS: ",
            PecKindSpec::Failure { .. } => "AVVISO DI MANCATA CONSEGNA: ",
            PecKindSpec::Warning12h { .. } | PecKindSpec::Timeout24h { .. } => {
                "AVVISO DI MANCATA CONSEGNA PER SUP. TEMPO MASSIMO: "
            }
            PecKindSpec::VirusDetected { .. } => "PROBLEMA DI SICUREZZA: ",
        }
    }

    fn is_envelope(&self) -> bool {
        matches!(self, PecKindSpec::Envelope | PecKindSpec::Anomaly)
    }
}

/// One provider message about an [`Original`], ready to be written.
#[derive(Debug, Clone)]
pub struct ProviderMessage<'a> {
    pub original: &'a Original,
    pub kind: PecKindSpec,
    pub provider_domain: String,
    pub provider_name: String,
    /// The certified time.
    pub at: DateTime<Utc>,
    /// The local offset the certified time is written in (`data zona`, `Date`).
    pub offset: FixedOffset,
    /// The provider's id for the transport message: daticert `identificativo`, the same in the envelope
    /// and in every receipt and notice about it.
    pub identificativo: String,
    /// This message's own Message-ID, without brackets (real receipts each have one); `None` writes the
    /// identificativo.
    pub message_id: Option<String>,
    /// Makes the MIME boundaries unique to this message.
    pub boundary_tag: String,
    /// More outer headers, written before `Subject` (e.g. `X-Mittente` on the lab's envelopes).
    pub extra_headers: Vec<(String, String)>,
    /// Outer headers to replace or add after the message is built (unsigned: tampering is free).
    pub header_overrides: Vec<(String, String)>,
    /// Leave out the signature entirely (a plain `multipart/mixed`).
    pub unsigned: bool,
    /// Change the daticert before it is written (inside the signed content).
    pub daticert_edit: Option<fn(&mut DaticertSpec)>,
}

impl ProviderMessage<'_> {
    /// The provider's service address, which signs and sends everything.
    pub fn service_address(&self) -> String {
        format!("posta-certificata@{}", self.provider_domain)
    }

    /// The receipt type this particular message carries: Cc recipients get `sintetica` (PEC rules §5).
    fn effective_receipt_type(&self) -> &str {
        match self.kind.recipient() {
            Some(r) if self.original.is_cc(r) => "sintetica",
            _ => &self.original.receipt_type,
        }
    }

    /// The certification data this message carries.
    pub fn daticert(&self) -> DaticertSpec {
        let local = self.at.with_timezone(&self.offset);
        let o = self.original;
        let mut d = DaticertSpec {
            tipo: self.kind.tipo().into(),
            errore: "nessuno".into(),
            mittente: o.sender.clone(),
            destinatari: o
                .recipients()
                .map(|(a, certified)| {
                    (
                        a.clone(),
                        if *certified { "certificato" } else { "esterno" },
                    )
                })
                .collect(),
            risposte: o.sender.clone(),
            oggetto: Some(o.subject.clone()),
            gestore: self.provider_name.clone(),
            giorno: local.format("%d/%m/%Y").to_string(),
            ora: local.format("%H:%M:%S").to_string(),
            zona: zona(self.offset),
            identificativo: self.identificativo.clone(),
            msgid: o.msgid.clone(),
            ricevuta: None,
            consegna: self.kind.recipient().map(str::to_owned),
            ricezione: Vec::new(),
            errore_esteso: None,
        };
        match &self.kind {
            PecKindSpec::Envelope => d.ricevuta = Some(o.receipt_type.clone()),
            PecKindSpec::Delivery { .. } => d.ricevuta = Some(self.effective_receipt_type().into()),
            PecKindSpec::NonAcceptance { virus, reason } => {
                d.errore = if *virus { "virus" } else { "altro" }.into();
                d.errore_esteso = Some(reason.clone());
            }
            PecKindSpec::Failure { virus, reason, .. } => {
                d.errore = if *virus { "virus" } else { "no-dest" }.into();
                d.errore_esteso = Some(reason.clone());
            }
            PecKindSpec::Warning12h { .. } => {
                d.errore_esteso = Some(
                    "4.4.7 - il messaggio non è stato consegnato nelle prime dodici ore".into(),
                );
            }
            PecKindSpec::Timeout24h { .. } => {
                d.errore = "altro".into();
                d.errore_esteso = Some(
                    "5.4.1 - il messaggio non è stato consegnato nelle prime ventiquattro ore"
                        .into(),
                );
            }
            PecKindSpec::VirusDetected { .. } => d.errore = "virus".into(),
            PecKindSpec::TakenInCharge => {
                d.ricezione = o.recipients().map(|(a, _)| a.clone()).collect();
            }
            PecKindSpec::Acceptance | PecKindSpec::Anomaly => {}
        }
        if let Some(edit) = self.daticert_edit {
            edit(&mut d);
        }
        d
    }

    /// The human-readable summary providers put first.
    fn summary_text(&self) -> String {
        let d = self.daticert();
        let what = match &self.kind {
            PecKindSpec::Envelope => "Messaggio di posta certificata".to_string(),
            PecKindSpec::Anomaly => {
                "Anomalia nel messaggio: il messaggio non è di posta certificata".into()
            }
            PecKindSpec::Acceptance => "Ricevuta di accettazione".into(),
            PecKindSpec::NonAcceptance { .. } => "Avviso di non accettazione".into(),
            PecKindSpec::TakenInCharge => "Ricevuta di presa in carico".into(),
            PecKindSpec::Delivery { recipient } => {
                format!("Ricevuta di avvenuta consegna per {recipient}")
            }
            PecKindSpec::Failure { recipient, .. } => {
                format!("Avviso di mancata consegna per {recipient}")
            }
            PecKindSpec::Warning12h { recipient } | PecKindSpec::Timeout24h { recipient } => {
                format!(
                    "Avviso di mancata consegna per superamento dei tempi massimi per {recipient}"
                )
            }
            PecKindSpec::VirusDetected { recipient } => {
                format!("Problema di sicurezza per {recipient}")
            }
        };
        format!(
            "{what}\r\n\r\nIl giorno {} alle ore {} ({}) il messaggio \"{}\" inviato da \"{}\"\r\n\
             Identificativo messaggio: {}\r\n",
            d.giorno,
            d.ora,
            d.zona,
            self.original.subject,
            self.original.sender,
            self.identificativo
        )
    }

    /// The original message carried as `postacert.eml`, if this kind carries one.
    fn carried_original(&self) -> Option<&[u8]> {
        match &self.kind {
            PecKindSpec::Envelope | PecKindSpec::Anomaly => Some(&self.original.raw),
            PecKindSpec::Delivery { .. } => match self.effective_receipt_type() {
                "completa" => Some(&self.original.raw),
                "breve" => self.original.breve.as_deref(),
                _ => None,
            },
            _ => None,
        }
    }

    /// The signed content: a `multipart/mixed` with the summary, daticert.xml and postacert.eml (CRLF).
    pub fn signed_content(&self) -> Vec<u8> {
        let boundary = format!("----=_content_{}", self.boundary_tag);
        let original = self.carried_original();
        let mut c = Vec::with_capacity(4096 + original.map_or(0, <[u8]>::len));
        let mut push = |s: &str| c.extend_from_slice(s.as_bytes());
        push(&format!(
            "Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
        ));
        push(&format!(
            "--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        ));
        push("Content-Transfer-Encoding: 8bit\r\n\r\n");
        push(&self.summary_text());
        if !matches!(self.kind, PecKindSpec::Anomaly) {
            push(&format!("\r\n--{boundary}\r\n"));
            push("Content-Type: application/xml; name=\"daticert.xml\"\r\n");
            push("Content-Disposition: inline; filename=\"daticert.xml\"\r\n");
            push("Content-Transfer-Encoding: base64\r\n\r\n");
            push(&base64_lines(self.daticert().to_xml().as_bytes()));
        }
        if let Some(original) = original {
            c.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
            c.extend_from_slice(b"Content-Type: message/rfc822; name=\"postacert.eml\"\r\n");
            c.extend_from_slice(b"Content-Disposition: inline; filename=\"postacert.eml\"\r\n\r\n");
            c.extend_from_slice(original);
        }
        c.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        c
    }

    /// The whole message, signed by `signer`, with CRLF line endings.
    pub fn build(&self, signer: &dyn Signer) -> Vec<u8> {
        let content = self.signed_content();
        let mut headers = self.outer_headers();
        let mut body = Vec::with_capacity(content.len() + 8192);
        if self.unsigned {
            // The content's own Content-Type becomes the message's.
            let split = content
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .unwrap_or(0);
            let ct = String::from_utf8_lossy(&content[..split]).into_owned();
            headers.push(("MIME-Version".into(), "1.0".into()));
            headers.push((
                "Content-Type".into(),
                ct.trim_start_matches("Content-Type: ").to_owned(),
            ));
            body.extend_from_slice(&content[split + 4..]);
        } else {
            let boundary = format!("----=_signed_{}", self.boundary_tag);
            headers.push(("MIME-Version".into(), "1.0".into()));
            headers.push((
                "Content-Type".into(),
                format!(
                    "multipart/signed; protocol=\"application/x-pkcs7-signature\"; micalg=\"{}\"; boundary=\"{boundary}\"",
                    signer.micalg()
                ),
            ));
            let signature = signer.sign(&content);
            body.extend_from_slice(b"This is an S/MIME signed message\r\n\r\n");
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            body.extend_from_slice(&content);
            body.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
            body.extend_from_slice(
                b"Content-Type: application/x-pkcs7-signature; name=\"smime.p7s\"\r\n\
                  Content-Transfer-Encoding: base64\r\n\
                  Content-Disposition: attachment; filename=\"smime.p7s\"\r\n\r\n",
            );
            body.extend_from_slice(base64_lines(&signature).as_bytes());
            body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        }
        for (name, value) in &self.header_overrides {
            match headers
                .iter_mut()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                Some(slot) => slot.1 = value.clone(),
                None => headers.insert(0, (name.clone(), value.clone())),
            }
        }
        let mut out = Vec::with_capacity(body.len() + 1024);
        for (name, value) in headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&body);
        out
    }

    fn outer_headers(&self) -> Vec<(String, String)> {
        let service = self.service_address();
        let o = self.original;
        let date = rfc2822_date_in(self.at, self.offset);
        let list = |v: &[(String, bool)]| {
            v.iter()
                .map(|(a, _)| a.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut h: Vec<(String, String)> = vec![(
            "Received".into(),
            format!(
                "from localhost by {} with ESMTPS; {date}",
                self.provider_domain
            ),
        )];
        if self.kind.is_envelope() {
            let transport = if self.kind == PecKindSpec::Anomaly {
                "errore"
            } else {
                "posta-certificata"
            };
            h.push(("X-Trasporto".into(), transport.into()));
            h.push((
                "From".into(),
                format!("\"Per conto di: {}\" <{service}>", o.sender),
            ));
            h.push(("Reply-To".into(), o.sender.clone()));
            h.push(("To".into(), list(&o.to)));
            if !o.cc.is_empty() {
                h.push(("Cc".into(), list(&o.cc)));
            }
            h.push(("X-TipoRicevuta".into(), o.receipt_type.clone()));
        } else {
            h.push(("X-Ricevuta".into(), self.kind.tipo().into()));
            if matches!(self.kind, PecKindSpec::NonAcceptance { virus: true, .. }) {
                h.push(("X-VerificaSicurezza".into(), "errore".into()));
            }
            h.push(("From".into(), service.clone()));
            h.push(("To".into(), o.sender.clone()));
        }
        h.extend(self.extra_headers.iter().cloned());
        h.push((
            "Subject".into(),
            format!("{}{}", self.kind.subject_prefix(), o.subject),
        ));
        h.push(("Date".into(), date));
        if let Some(msgid) = &o.msgid {
            h.push(("X-Riferimento-Message-ID".into(), format!("<{msgid}>")));
        }
        let message_id = self.message_id.as_deref().unwrap_or(&self.identificativo);
        h.push(("Message-ID".into(), format!("<{message_id}>")));
        h
    }
}
