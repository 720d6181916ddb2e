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
        if !check.collided.is_empty() {
            findings.push(SentFinding {
                code: SentFindingCode::BreveHashCollision,
                evidence: Some(e.id),
                message: format!(
                    "The short (breve) receipt for {who} lists attachments whose SHA-1 matches, but the files archived as sent carry a SHA-1 collision attack (detected by collision-detecting SHA-1), so the receipt may certify other files with the same hash: {}.",
                    check.collided.join(", ")
                ),
            });
        }
        if check.mismatched.is_empty() && check.collided.is_empty() {
            findings.push(SentFinding {
                code: SentFindingCode::BreveHashesMatch,
                evidence: Some(e.id),
                message: format!(
                    "The short (breve) receipt for {who} lists {} attachment(s) by hash; each matches the attachment sent (collision-detecting SHA-1): {}.",
                    check.matched.len(),
                    check.matched.join(", ")
                ),
            });
        } else if !check.mismatched.is_empty() {
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
