//! The test kit's view of a provider message: a [`Send`] (a submission described field by field) and what
//! the provider produces for it. Composition itself is [`ProviderMessage`]'s; this keeps the test kit's
//! long-standing API (`Pec::new(&send, kind)`, public fields, `build`) and its fixed +0100 offset.

use chrono::{DateTime, Utc};

use super::daticert::DaticertSpec;
use super::message::{PecKindSpec, ProviderMessage, Signer};
use super::original::Original;
use super::send::Send;
use super::zone::cet;

/// One provider message about a send.
#[derive(Debug, Clone)]
pub struct Pec {
    pub send: Send,
    pub kind: PecKindSpec,
    pub provider_domain: String,
    pub provider_name: String,
    /// The certified time.
    pub at: DateTime<Utc>,
    /// The provider's id for the message (becomes its Message-ID and daticert `identificativo`).
    pub identificativo: String,
    /// Outer headers to replace or add after the message is built (unsigned: tampering is free).
    pub header_overrides: Vec<(String, String)>,
    /// Leave out the signature entirely (a plain `multipart/mixed`).
    pub unsigned: bool,
    /// Change the daticert before it is written (inside the signed content).
    pub daticert_edit: Option<fn(&mut DaticertSpec)>,
}

impl Pec {
    /// A provider message for `send`, certified one second after the send.
    pub fn new(send: &Send, kind: PecKindSpec) -> Pec {
        Pec {
            send: send.clone(),
            kind,
            provider_domain: "pec.provider.example".into(),
            provider_name: "Provider PEC di Prova S.p.A.".into(),
            at: send.sent_at + chrono::Duration::seconds(1),
            identificativo: format!(
                "opec.{}.{}@pec.provider.example",
                send.sent_at.timestamp(),
                send.msgid.len()
            ),
            header_overrides: Vec::new(),
            unsigned: false,
            daticert_edit: None,
        }
    }

    /// The provider's service address, which signs and sends everything.
    pub fn service_address(&self) -> String {
        format!("posta-certificata@{}", self.provider_domain)
    }

    /// The certification data this message carries.
    pub fn daticert(&self) -> DaticertSpec {
        let original = self.original(false);
        self.message(&original).daticert()
    }

    /// The signed content: a `multipart/mixed` with the summary, daticert.xml and postacert.eml (CRLF).
    pub fn signed_content(&self) -> Vec<u8> {
        let original = self.original(true);
        self.message(&original).signed_content()
    }

    /// The whole message, signed by `signer`, with CRLF line endings.
    pub fn build(&self, signer: &dyn Signer) -> Vec<u8> {
        let original = self.original(true);
        self.message(&original).build(signer)
    }

    /// The send as the provider sees it; the bytes are written only when this kind carries them.
    fn original(&self, with_bytes: bool) -> Original {
        let carries = matches!(
            self.kind,
            PecKindSpec::Envelope | PecKindSpec::Anomaly | PecKindSpec::Delivery { .. }
        );
        let mut original = self.send.facts();
        if with_bytes && carries {
            original.raw = self.send.original();
            if self.send.receipt_type == "breve" {
                original.breve = Some(self.send.original_breve());
            }
        }
        original
    }

    fn message<'a>(&self, original: &'a Original) -> ProviderMessage<'a> {
        ProviderMessage {
            original,
            kind: self.kind.clone(),
            provider_domain: self.provider_domain.clone(),
            provider_name: self.provider_name.clone(),
            at: self.at,
            offset: cet(),
            identificativo: self.identificativo.clone(),
            message_id: None,
            boundary_tag: self.at.timestamp().to_string(),
            extra_headers: Vec::new(),
            header_overrides: self.header_overrides.clone(),
            unsigned: self.unsigned,
            daticert_edit: self.daticert_edit,
        }
    }
}
