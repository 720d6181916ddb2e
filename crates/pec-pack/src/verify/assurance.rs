//! What each member's facts are proven by, so that a verdict never claims more than was checked
//! (issue 13 §2): a provider's signature proves a receipt's facts to anyone; the pack's own hashes
//! (`manifest.json`'s, `SHA256SUMS.txt`) only prove that nothing changed since someone computed them —
//! and anyone can recompute them after changing a file.
//!
//! Used by [`verify_pack`](crate::verify_pack) (one per [`MemberCheck`](super::MemberCheck)) and by
//! `words::verdict`, which says it in Italian and English.

use serde::Serialize;

/// What a member's facts rest on. Ordered from strongest to weakest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "by", rename_all = "kebab-case")]
pub enum Assurance {
    /// A receipt or notice: a valid signature of a recognised PEC provider covers it, and its signed
    /// daticert names this pack's send and sender.
    ProviderSignature,
    /// The sent copy (no provider signs it): its sender, recipients, subject and Message-ID agree with
    /// the provider-signed daticert of a receipt in the pack; `original` when it is also, byte for byte,
    /// the original a signed `completa` delivery receipt encloses (then its text and attachments are
    /// proven too; its other headers, such as `Date`, are not).
    AgreesWithSignedData { original: bool },
    /// `report.pdf`: identical to the manifest printed again now; it says what the manifest says, and
    /// the manifest rests on its own hash.
    RebuiltFromManifest,
    /// Nothing but the hashes the pack itself carries.
    PackHashOnly,
}

impl Assurance {
    /// Whether a provider's signature proves (part of) the member's facts.
    pub fn rests_on_signatures(self) -> bool {
        matches!(
            self,
            Assurance::ProviderSignature | Assurance::AgreesWithSignedData { .. }
        )
    }
}
