//! The linking key of a message, and on what it rests (PEC rules §7).

use serde::{Deserialize, Serialize};

use crate::ids;
use crate::inspection::Inspection;
use crate::kind::PecKind;

/// A normalised Message-ID (no brackets, no surrounding space): the key a send's evidence shares.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LinkKey(pub String);

impl LinkKey {
    /// The key for a Message-ID in any spelling (`<a@b>`, ` a@b `).
    pub fn from_message_id(id: &str) -> Option<LinkKey> {
        let core = ids::unbracketed(id);
        (!core.is_empty()).then(|| LinkKey(core.to_owned()))
    }

    /// The Message-ID with its angle brackets, as shown to people.
    pub fn bracketed(&self) -> String {
        format!("<{}>", self.0)
    }
}

crate::closed_set! {
    /// On what a link rests.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum LinkBasis {
        /// The signed daticert `msgid`.
        SignedMsgid = "signed-msgid",
        /// The unsigned `X-Riferimento-Message-ID` header: the receipt carries no signed `msgid`.
        UnsignedHeader = "unsigned-header",
        /// The message's own `Message-ID` (a sent copy).
        OwnMessageId = "own-message-id",
    }
}

/// The key under which `inspection` files as evidence of a send, if it is evidence of one.
///
/// Receipts file under their **signed** `msgid` (the daticert part must lie inside what the provider
/// signed, `structure.daticert.signed`), or failing that under `X-Riferimento-Message-ID`, a link that is
/// shown but never relied on (issue 13 §3). A message
/// that is not PEC files under its own Message-ID: if the sender's client submitted it, receipts will
/// name it (a sent copy); if nothing ever names it, it simply stays unlinked. Envelopes are messages
/// *received*; they certify someone else's send and are not linked.
pub fn link_key(inspection: &Inspection) -> Option<(LinkKey, LinkBasis)> {
    let kind = inspection.kind;
    if kind.is_receipt() {
        let covered = inspection
            .structure
            .daticert
            .as_ref()
            .is_some_and(|part| part.signed);
        let signed = inspection
            .daticert
            .as_ref()
            .filter(|_| covered)
            .and_then(|d| d.msgid.as_deref());
        if let Some(key) = signed.and_then(LinkKey::from_message_id) {
            return Some((key, LinkBasis::SignedMsgid));
        }
        let header = inspection.headers.x_riferimento_message_id.as_deref();
        return header
            .and_then(LinkKey::from_message_id)
            .map(|k| (k, LinkBasis::UnsignedHeader));
    }
    if kind == PecKind::NotPec {
        let own = inspection.headers.message_id.as_deref();
        return own
            .and_then(LinkKey::from_message_id)
            .map(|k| (k, LinkBasis::OwnMessageId));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_ignores_brackets_and_space() {
        assert_eq!(
            LinkKey::from_message_id(" <abc@x.it> "),
            LinkKey::from_message_id("abc@x.it")
        );
        assert_eq!(LinkKey::from_message_id("<>"), None);
        assert_eq!(
            LinkKey::from_message_id("a@b").unwrap().bracketed(),
            "<a@b>"
        );
    }

    #[test]
    fn plain_mail_files_under_its_own_message_id() {
        let raw =
            b"From: a@x.it\r\nTo: b@y.it\r\nMessage-ID: <m1@x.it>\r\nSubject: s\r\n\r\nbody\r\n";
        let (key, basis) = link_key(&crate::inspect(raw)).unwrap();
        assert_eq!(key.0, "m1@x.it");
        assert_eq!(basis, LinkBasis::OwnMessageId);
    }
}
