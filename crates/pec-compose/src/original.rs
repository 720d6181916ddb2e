//! What the sender's client submitted, as the provider sees it: the facts the certification repeats
//! (sender, recipients, subject, the client's Message-ID, the receipt type asked for) and the exact bytes.
//!
//! The test kit's [`Send`](super::Send) describes a submission field by field and writes the bytes itself;
//! the lab reads the facts out of what a real client submitted over SMTP. Both end up here, and every
//! provider message is composed from an `Original` (PEC rules §2, §4, §5).

/// The receipt type a sender chose with `X-TipoRicevuta` (PEC rules §5). A closed set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReceiptType {
    /// The delivery receipt carries the whole original (the default).
    #[default]
    Completa,
    /// The original is carried with every attachment replaced by `<filename>.hash`.
    Breve,
    /// Text and daticert only.
    Sintetica,
}

impl ReceiptType {
    /// The header and daticert spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptType::Completa => "completa",
            ReceiptType::Breve => "breve",
            ReceiptType::Sintetica => "sintetica",
        }
    }

    /// Read a header value, case-insensitively; anything unknown means the default, as providers do.
    pub fn from_header(value: &str) -> ReceiptType {
        match value.trim().to_ascii_lowercase().as_str() {
            "breve" => ReceiptType::Breve,
            "sintetica" => ReceiptType::Sintetica,
            _ => ReceiptType::Completa,
        }
    }
}

/// One submitted message, with the facts a provider certifies about it.
#[derive(Debug, Clone, Default)]
pub struct Original {
    /// The `From` mailbox (the authenticated sender, once the formal checks passed).
    pub sender: String,
    /// `To` recipients, each with whether it is certified (a PEC mailbox) or external.
    pub to: Vec<(String, bool)>,
    /// `Cc` recipients, likewise.
    pub cc: Vec<(String, bool)>,
    /// The subject, decoded.
    pub subject: String,
    /// The client's Message-ID without brackets; `None` when the client gave none.
    pub msgid: Option<String>,
    /// The `X-TipoRicevuta` value as it is written into the envelope and daticert.
    pub receipt_type: String,
    /// The submitted bytes, exactly (what `postacert.eml` carries). Empty when no message built from this
    /// original carries it.
    pub raw: Vec<u8>,
    /// The bytes a `breve` delivery receipt carries (attachments replaced by hashes), when needed.
    pub breve: Option<Vec<u8>>,
}

impl Original {
    /// Every recipient, To first, with whether it is certified.
    pub fn recipients(&self) -> impl Iterator<Item = &(String, bool)> {
        self.to.iter().chain(self.cc.iter())
    }

    /// Whether `address` is a Cc recipient (Cc recipients get `sintetica` receipts, PEC rules §5).
    pub fn is_cc(&self, address: &str) -> bool {
        self.cc.iter().any(|(a, _)| a.eq_ignore_ascii_case(address))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_receipt_types_mean_completa() {
        assert_eq!(ReceiptType::from_header(" Breve "), ReceiptType::Breve);
        assert_eq!(
            ReceiptType::from_header("SINTETICA"),
            ReceiptType::Sintetica
        );
        assert_eq!(ReceiptType::from_header("whatever"), ReceiptType::Completa);
        assert_eq!(ReceiptType::Breve.as_str(), "breve");
    }
}
