//! `breve` delivery receipts checked against the archived original's attachments (PEC rules §5).

use super::evidence::{Evidence, EvidenceRole};
use super::outcome::{SentFinding, SentFindingCode};

/// Checks every trustworthy `breve` receipt's hashes against the archived original (PEC rules §5).
pub(super) fn breve_findings(
    items: &[&Evidence],
    trusted: &[&Evidence],
    findings: &mut Vec<SentFinding>,
) {
    let sent: Vec<&Evidence> = items
        .iter()
        .copied()
        .filter(|e| e.role == EvidenceRole::SentCopy)
        .collect();
    for e in trusted.iter().filter(|e| !e.stand_ins.is_empty()) {
        let who = e.consegna.as_deref().unwrap_or("a recipient");
        let Some(original) = sent.iter().find(|s| !s.attachments.is_empty()) else {
            findings.push(SentFinding {
                code: SentFindingCode::BreveOriginalMissing,
                evidence: Some(e.id),
                message: format!(
                    "The short (breve) receipt for {who} proves delivery of attachments only by their hashes; the original with its attachments is not in the archive to match them."
                ),
            });
            continue;
        };
        let check = crate::breve::compare(&e.stand_ins, &original.attachments);
        if check.mismatched.is_empty() {
            findings.push(SentFinding {
                code: SentFindingCode::BreveHashesMatch,
                evidence: Some(e.id),
                message: format!(
                    "The short (breve) receipt for {who} lists {} attachment(s) by hash; each matches the attachment sent: {}.",
                    check.matched.len(),
                    check.matched.join(", ")
                ),
            });
        } else {
            findings.push(SentFinding {
                code: SentFindingCode::BreveHashMismatch,
                evidence: Some(e.id),
                message: format!(
                    "The short (breve) receipt for {who} certifies attachments that are not the ones archived as sent: {}.",
                    check.mismatched.join(", ")
                ),
            });
        }
    }
}
