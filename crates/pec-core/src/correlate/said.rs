//! What the unsigned and the untrusted say: shown, never relied on (issue 4, issue 13 §3).
//!
//! A receipt whose provider signature is not valid, or that is tied to the send only by the unsigned
//! `X-Riferimento-Message-ID` header (its signed daticert names no `msgid`), is listed with the send and
//! flagged, but moves no recipient's state. Used by `fold`.

use super::evidence::{Evidence, EvidenceRole};
use super::link::LinkBasis;
use super::outcome::{SentFinding, SentFindingCode};

/// The findings about receipts that are kept but not relied on.
pub(super) fn unsigned_hints(items: &[&Evidence]) -> Vec<SentFinding> {
    let mut findings = Vec::new();
    for e in items.iter().filter(|e| e.role == EvidenceRole::Receipt) {
        if e.signature != crate::signature::SignatureStatus::Valid {
            findings.push(SentFinding {
                code: SentFindingCode::UntrustedEvidence,
                evidence: Some(e.id),
                message: format!(
                    "A {} is not backed by a valid provider signature ({}); it is kept but not relied on.",
                    e.kind.label(),
                    e.signature.as_str()
                ),
            });
        }
        if e.basis == LinkBasis::UnsignedHeader {
            findings.push(SentFinding {
                code: SentFindingCode::LinkedByUnsignedHeader,
                evidence: Some(e.id),
                message: format!(
                    "A {} carries no signed reference to the message; it is linked by its unsigned X-Riferimento-Message-ID header and is not relied on.",
                    e.kind.label()
                ),
            });
        }
    }
    findings
}
