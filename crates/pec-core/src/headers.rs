//! The unsigned top-level headers a PEC message carries (PEC rules §2): hints, never evidence.
//!
//! Anyone on the way can edit these, so [`crate::classify`] only uses them to explain a disagreement with
//! the signed daticert, or to classify what has no daticert at all (an anomaly envelope).

use mail_parser::{Address, Message};
use serde::Serialize;

/// What the outer headers say, decoded, as found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HeaderHints {
    pub subject: Option<String>,
    /// The `From` address (a provider's `posta-certificata@…` for envelopes and receipts).
    pub from: Option<String>,
    /// The display name of `From` (`Per conto di: <sender>` on envelopes).
    pub from_name: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub reply_to: Option<String>,
    pub message_id: Option<String>,
    pub date: Option<String>,
    pub x_ricevuta: Option<String>,
    pub x_trasporto: Option<String>,
    pub x_riferimento_message_id: Option<String>,
    pub x_tipo_ricevuta: Option<String>,
    pub x_verifica_sicurezza: Option<String>,
    pub x_mittente: Option<String>,
}

impl HeaderHints {
    /// Read the hints from a parsed message's top-level headers.
    pub fn from_message(message: &Message<'_>) -> HeaderHints {
        let text = |name: &str| header_text(message, name);
        HeaderHints {
            subject: message.subject().map(|s| s.trim().to_owned()),
            from: first_address(message.from()),
            from_name: message
                .from()
                .and_then(Address::first)
                .and_then(|a| a.name())
                .map(|n| n.trim().to_owned()),
            to: all_addresses(message.to()),
            cc: all_addresses(message.cc()),
            reply_to: first_address(message.reply_to()),
            message_id: message.message_id().map(crate::ids::bracketed),
            date: message.date().map(|d| d.to_rfc3339()),
            x_ricevuta: text("X-Ricevuta"),
            x_trasporto: text("X-Trasporto"),
            x_riferimento_message_id: text("X-Riferimento-Message-ID")
                .map(|id| crate::ids::bracketed(&id)),
            x_tipo_ricevuta: text("X-TipoRicevuta"),
            x_verifica_sicurezza: text("X-VerificaSicurezza"),
            x_mittente: text("X-Mittente"),
        }
    }

    /// Whether any header says this is PEC.
    pub fn claims_pec(&self) -> bool {
        self.x_ricevuta.is_some() || self.x_trasporto.is_some()
    }
}

/// A header's value as text, matched case-insensitively (one provider writes `X-Tiporicevuta`).
fn header_text(message: &Message<'_>, name: &str) -> Option<String> {
    message
        .headers()
        .iter()
        .find(|h| h.name().eq_ignore_ascii_case(name))
        .and_then(|h| match h.value() {
            mail_parser::HeaderValue::Text(t) => Some(t.trim().to_owned()),
            mail_parser::HeaderValue::TextList(list) => list.first().map(|t| t.trim().to_owned()),
            mail_parser::HeaderValue::Address(a) => first_address(Some(a)),
            _ => None,
        })
        .filter(|v| !v.is_empty())
}

fn first_address(address: Option<&Address<'_>>) -> Option<String> {
    address
        .and_then(|a| a.iter().find_map(|addr| addr.address()))
        .map(|a| a.trim().to_owned())
}

fn all_addresses(address: Option<&Address<'_>>) -> Vec<String> {
    address
        .map(|a| {
            a.iter()
                .filter_map(|addr| addr.address())
                .map(|a| a.trim().to_owned())
                .collect()
        })
        .unwrap_or_default()
}
