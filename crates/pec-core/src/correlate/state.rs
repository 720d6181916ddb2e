//! Per-recipient state of a send, folded from its evidence in any order (PEC rules §1, §7).
//!
//! Only receipts with a valid provider signature move a state; anything else is listed and flagged.
//! The acceptance is the authority on who the recipients are and which are certified; without it the
//! receipts (which repeat the `destinatari`) and the sent copy say who they are.

use serde::{Deserialize, Serialize};

use crate::daticert::{Errore, RecipientType};
use crate::ids::normal_address;
use crate::kind::PecKind;

use super::evidence::{Evidence, EvidenceRole};
use super::link::{LinkBasis, LinkKey};
use super::outcome::{RecipientOutcome, SentFinding, SentFindingCode, SentOutcome, SentSummary};

/// Where one recipient stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecipientState {
    /// No delivery or failure certified yet.
    Pending,
    /// The recipient's provider certified delivery into the mailbox.
    Delivered,
    /// The recipient's provider certified that delivery failed.
    Failed,
    /// The 12-hour warning arrived: not delivered yet.
    #[serde(rename = "warned-12h")]
    Warned12h,
    /// The final 24-hour notice arrived: not delivered, and no longer expected.
    #[serde(rename = "timed-out-24h")]
    TimedOut24h,
    /// Not a certified mailbox: no delivery receipt will ever come.
    External,
    /// The sender's provider refused the message.
    NotAccepted,
}

impl RecipientState {
    pub fn as_str(self) -> &'static str {
        match self {
            RecipientState::Pending => "pending",
            RecipientState::Delivered => "delivered",
            RecipientState::Failed => "failed",
            RecipientState::Warned12h => "warned-12h",
            RecipientState::TimedOut24h => "timed-out-24h",
            RecipientState::External => "external",
            RecipientState::NotAccepted => "not-accepted",
        }
    }

    pub fn parse(value: &str) -> Option<RecipientState> {
        [
            RecipientState::Pending,
            RecipientState::Delivered,
            RecipientState::Failed,
            RecipientState::Warned12h,
            RecipientState::TimedOut24h,
            RecipientState::External,
            RecipientState::NotAccepted,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    /// Whether nothing more is expected for this recipient.
    pub fn is_settled(self) -> bool {
        !matches!(self, RecipientState::Pending | RecipientState::Warned12h)
    }

    /// Which receipt wins when several speak of one recipient: proof of delivery beats everything.
    fn rank(self) -> u8 {
        match self {
            RecipientState::Pending => 0,
            RecipientState::Warned12h => 1,
            RecipientState::TimedOut24h => 2,
            RecipientState::Failed => 3,
            RecipientState::Delivered => 4,
            RecipientState::External | RecipientState::NotAccepted => 5,
        }
    }
}

/// The state a receipt about one recipient certifies, if it certifies one.
fn certified_state(kind: PecKind) -> Option<RecipientState> {
    match kind {
        PecKind::Delivery => Some(RecipientState::Delivered),
        PecKind::DeliveryFailure => Some(RecipientState::Failed),
        PecKind::DeliveryWarning12h => Some(RecipientState::Warned12h),
        PecKind::DeliveryTimeout24h => Some(RecipientState::TimedOut24h),
        _ => None,
    }
}

fn reason(e: &Evidence) -> Option<String> {
    if let Some(text) = e.errore_esteso.as_deref().map(str::trim)
        && !text.is_empty()
    {
        return Some(text.to_owned());
    }
    match e.errore {
        Errore::Nessuno => None,
        Errore::NoDest => Some("no-dest: unknown recipient".into()),
        Errore::NoDominio => Some("no-dominio: unknown domain".into()),
        Errore::Virus => Some("virus".into()),
        Errore::Altro => Some("altro: other error".into()),
    }
}

/// Correlates everything known under one key. `evidence` may be in any order.
pub fn correlate(key: &LinkKey, evidence: &[Evidence]) -> SentOutcome {
    let mut items: Vec<&Evidence> = evidence.iter().collect();
    // Sent copy first, then by certified time (the acceptance first among equals), then by id: a stable
    // order whatever the input order.
    items.sort_by_key(|e| {
        let acceptance = matches!(e.kind, PecKind::Acceptance | PecKind::NonAcceptance);
        (e.role != EvidenceRole::SentCopy, e.at, !acceptance, e.id)
    });
    let mut findings = Vec::new();

    let trusted: Vec<&Evidence> = items
        .iter()
        .copied()
        .filter(|e| e.is_trustworthy())
        .collect();
    for e in &items {
        if e.role == EvidenceRole::Receipt && !e.is_trustworthy() {
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
        if e.role == EvidenceRole::Receipt && e.basis == LinkBasis::UnsignedHeader {
            findings.push(SentFinding {
                code: SentFindingCode::LinkedByUnsignedHeader,
                evidence: Some(e.id),
                message: format!(
                    "A {} carries no signed reference to the message; it is linked by its unsigned X-Riferimento-Message-ID header.",
                    e.kind.label()
                ),
            });
        }
    }

    let acceptances: Vec<&Evidence> = trusted
        .iter()
        .copied()
        .filter(|e| matches!(e.kind, PecKind::Acceptance | PecKind::NonAcceptance))
        .collect();
    if acceptances.len() > 1 {
        findings.push(SentFinding {
            code: SentFindingCode::DuplicateAcceptance,
            evidence: acceptances.get(1).map(|e| e.id),
            message: format!(
                "{} acceptance or non-acceptance receipts name this message; the first is used.",
                acceptances.len()
            ),
        });
    }
    let acceptance = acceptances.first().copied();
    let not_accepted = acceptance.filter(|e| e.kind == PecKind::NonAcceptance);
    let has_receipts = items.iter().any(|e| e.role == EvidenceRole::Receipt);
    if acceptance.is_none() && has_receipts {
        findings.push(SentFinding {
            code: SentFindingCode::AcceptanceMissing,
            evidence: None,
            message: "The acceptance receipt is not in the archive; the message is known from its other receipts.".into(),
        });
    }

    let mut recipients = recipient_list(&items, &trusted, acceptance);

    // What each trustworthy receipt certifies about its recipient.
    for e in &trusted {
        let (Some(state), Some(consegna)) = (certified_state(e.kind), e.consegna.as_deref()) else {
            continue;
        };
        let wanted = normal_address(consegna);
        let index = match recipients
            .iter()
            .position(|r| normal_address(&r.address) == wanted)
        {
            Some(i) => i,
            None => {
                if acceptance.is_some() {
                    findings.push(SentFinding {
                        code: SentFindingCode::RecipientNotInAcceptance,
                        evidence: Some(e.id),
                        message: format!(
                            "A {} is about {consegna}, whom the acceptance does not list.",
                            e.kind.label()
                        ),
                    });
                }
                recipients.push(pending(consegna, Some(RecipientType::Certificato)));
                recipients.len() - 1
            }
        };
        let r = &mut recipients[index];
        if r.state == RecipientState::External {
            continue;
        }
        let conflicting = matches!(
            (r.state, state),
            (
                RecipientState::Delivered,
                RecipientState::Failed | RecipientState::TimedOut24h
            ) | (
                RecipientState::Failed | RecipientState::TimedOut24h,
                RecipientState::Delivered
            )
        );
        if conflicting {
            findings.push(SentFinding {
                code: SentFindingCode::ConflictingReceipts,
                evidence: Some(e.id),
                message: format!(
                    "Receipts about {} contradict each other (delivered and not delivered); the delivery receipt prevails.",
                    r.address
                ),
            });
        }
        if state.rank() > r.state.rank()
            || (state == r.state && r.at.is_some_and(|at| e.at.is_some_and(|t| t < at)))
        {
            r.state = state;
            r.at = e.at;
            r.reason = match state {
                RecipientState::Delivered => None,
                _ => reason(e),
            };
            r.decided_by = Some(e.id);
        }
    }

    if let Some(na) = not_accepted {
        for r in &mut recipients {
            r.state = RecipientState::NotAccepted;
            r.at = na.at;
            r.reason = reason(na).or_else(|| Some("non-accettazione".into()));
            r.decided_by = Some(na.id);
        }
    }

    breve_findings(&items, &trusted, &mut findings);
    let summary = summarise(&recipients, not_accepted.is_some());
    let first = |f: &dyn Fn(&Evidence) -> Option<String>| {
        acceptance
            .and_then(f)
            .or_else(|| trusted.iter().find_map(|e| f(e)))
            .or_else(|| items.iter().find_map(|e| f(e)))
    };
    SentOutcome {
        key: key.clone(),
        subject: first(&|e| e.subject.clone()),
        sender: first(&|e| e.sender.clone()),
        sent_at: items
            .iter()
            .find(|e| e.role == EvidenceRole::SentCopy)
            .and_then(|e| e.at),
        accepted_at: acceptance
            .filter(|e| e.kind == PecKind::Acceptance)
            .and_then(|e| e.at),
        recipients,
        summary,
        evidence: items.iter().map(|e| e.id).collect(),
        findings,
    }
}

/// Checks every trustworthy `breve` receipt's hashes against the archived original (PEC rules §5).
fn breve_findings(items: &[&Evidence], trusted: &[&Evidence], findings: &mut Vec<SentFinding>) {
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

fn pending(address: &str, kind: Option<RecipientType>) -> RecipientOutcome {
    let state = match kind {
        Some(RecipientType::Esterno) => RecipientState::External,
        _ => RecipientState::Pending,
    };
    RecipientOutcome {
        address: address.trim().to_owned(),
        kind,
        state,
        at: None,
        reason: None,
        decided_by: None,
    }
}

/// Who the recipients are: the acceptance's list when there is one; otherwise the union of what the
/// trustworthy receipts, the sent copy and (last) the untrusted receipts say, typed where anyone types them.
fn recipient_list(
    items: &[&Evidence],
    trusted: &[&Evidence],
    acceptance: Option<&Evidence>,
) -> Vec<RecipientOutcome> {
    let mut out: Vec<RecipientOutcome> = Vec::new();
    let add = |address: &str, kind: Option<RecipientType>, out: &mut Vec<RecipientOutcome>| {
        let wanted = normal_address(address);
        if wanted.is_empty() {
            return;
        }
        match out
            .iter_mut()
            .find(|r| normal_address(&r.address) == wanted)
        {
            Some(r) => {
                if r.kind.is_none() && kind.is_some() {
                    *r = pending(&r.address, kind);
                }
            }
            None => out.push(pending(address, kind)),
        }
    };
    if let Some(a) = acceptance {
        for r in &a.recipients {
            add(&r.address, Some(r.kind), &mut out);
        }
        return out;
    }
    for e in trusted {
        for r in &e.recipients {
            add(&r.address, Some(r.kind), &mut out);
        }
    }
    for e in items.iter().filter(|e| e.role == EvidenceRole::SentCopy) {
        for address in &e.untyped_recipients {
            add(address, None, &mut out);
        }
    }
    if out.is_empty() {
        for e in items {
            for r in &e.recipients {
                add(&r.address, Some(r.kind), &mut out);
            }
        }
    }
    out
}

fn summarise(recipients: &[RecipientOutcome], not_accepted: bool) -> SentSummary {
    if not_accepted {
        return SentSummary::NotAccepted;
    }
    let certified: Vec<&RecipientOutcome> = recipients
        .iter()
        .filter(|r| r.state != RecipientState::External)
        .collect();
    if certified.is_empty() {
        return if recipients.is_empty() {
            SentSummary::Pending
        } else {
            SentSummary::NotCertifiable
        };
    }
    if certified.iter().any(|r| !r.state.is_settled()) {
        return SentSummary::Pending;
    }
    let delivered = certified
        .iter()
        .filter(|r| r.state == RecipientState::Delivered)
        .count();
    match delivered {
        0 => SentSummary::Failed,
        n if n == certified.len() => SentSummary::Delivered,
        _ => SentSummary::PartiallyDelivered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::daticert::Recipient;
    use crate::signature::SignatureStatus;
    use chrono::{DateTime, Utc};

    fn t(h: i64) -> Option<DateTime<Utc>> {
        DateTime::<Utc>::from_timestamp(1_700_000_000 + h * 3600, 0)
    }

    fn rcpt(address: &str, kind: RecipientType) -> Recipient {
        Recipient {
            address: address.into(),
            kind,
        }
    }

    fn receipt(id: i64, kind: PecKind, at: i64, consegna: Option<&str>) -> Evidence {
        Evidence {
            id,
            role: EvidenceRole::Receipt,
            kind,
            signature: SignatureStatus::Valid,
            basis: LinkBasis::SignedMsgid,
            at: t(at),
            recipients: vec![
                rcpt("a@pec.it", RecipientType::Certificato),
                rcpt("b@pec.it", RecipientType::Certificato),
                rcpt("c@gmail.com", RecipientType::Esterno),
            ],
            untyped_recipients: vec![],
            consegna: consegna.map(Into::into),
            errore: Errore::Nessuno,
            errore_esteso: None,
            subject: Some("Diffida".into()),
            sender: Some("studio@pec.it".into()),
            attachments: vec![],
            stand_ins: vec![],
        }
    }

    fn key() -> LinkKey {
        LinkKey("m1@pec.it".into())
    }

    fn states(o: &SentOutcome) -> Vec<(&str, RecipientState)> {
        o.recipients
            .iter()
            .map(|r| (r.address.as_str(), r.state))
            .collect()
    }

    #[test]
    fn acceptance_then_one_delivery_leaves_the_other_certified_recipient_pending() {
        let o = correlate(
            &key(),
            &[
                receipt(1, PecKind::Acceptance, 0, None),
                receipt(2, PecKind::Delivery, 1, Some("A@pec.it")),
            ],
        );
        assert_eq!(
            states(&o),
            [
                ("a@pec.it", RecipientState::Delivered),
                ("b@pec.it", RecipientState::Pending),
                ("c@gmail.com", RecipientState::External),
            ]
        );
        assert_eq!(o.summary, SentSummary::Pending);
        assert_eq!(o.accepted_at, t(0));
        assert_eq!(o.recipients[0].at, t(1));
        assert_eq!(o.recipients[0].decided_by, Some(2));
    }

    #[test]
    fn order_of_arrival_does_not_matter() {
        let mut failure = receipt(3, PecKind::DeliveryFailure, 2, Some("b@pec.it"));
        failure.errore = Errore::NoDest;
        failure.errore_esteso = Some("5.1.1 - indirizzo non valido".into());
        let all = [
            receipt(1, PecKind::Acceptance, 0, None),
            receipt(2, PecKind::Delivery, 1, Some("a@pec.it")),
            failure,
        ];
        let forward = correlate(&key(), &all);
        let mut reversed = all.to_vec();
        reversed.reverse();
        assert_eq!(correlate(&key(), &reversed), forward);
        assert_eq!(forward.summary, SentSummary::PartiallyDelivered);
        assert_eq!(
            forward.recipients[1].reason.as_deref(),
            Some("5.1.1 - indirizzo non valido")
        );
        assert_eq!(forward.evidence, [1, 2, 3]);
    }

    #[test]
    fn receipts_without_the_acceptance_still_make_a_send_with_its_recipients() {
        let o = correlate(
            &key(),
            &[receipt(2, PecKind::Delivery, 1, Some("b@pec.it"))],
        );
        assert_eq!(o.accepted_at, None);
        assert_eq!(
            states(&o),
            [
                ("a@pec.it", RecipientState::Pending),
                ("b@pec.it", RecipientState::Delivered),
                ("c@gmail.com", RecipientState::External),
            ]
        );
        assert!(
            o.findings
                .iter()
                .any(|f| f.code == SentFindingCode::AcceptanceMissing)
        );
    }

    #[test]
    fn an_untrusted_delivery_receipt_never_delivers() {
        let mut forged = receipt(2, PecKind::Delivery, 1, Some("a@pec.it"));
        forged.signature = SignatureStatus::Invalid;
        let mut unsigned = receipt(3, PecKind::Delivery, 1, Some("b@pec.it"));
        unsigned.signature = SignatureStatus::Unsigned;
        let o = correlate(
            &key(),
            &[receipt(1, PecKind::Acceptance, 0, None), forged, unsigned],
        );
        assert_eq!(o.recipients[0].state, RecipientState::Pending);
        assert_eq!(o.recipients[1].state, RecipientState::Pending);
        let flagged: Vec<_> = o
            .findings
            .iter()
            .filter(|f| f.code == SentFindingCode::UntrustedEvidence)
            .map(|f| f.evidence)
            .collect();
        assert_eq!(flagged, [Some(2), Some(3)]);
        assert_eq!(o.evidence, [1, 2, 3], "untrusted evidence is still listed");
    }

    #[test]
    fn the_12h_warning_then_the_24h_notice_time_the_recipient_out() {
        let warned = correlate(
            &key(),
            &[
                receipt(1, PecKind::Acceptance, 0, None),
                receipt(2, PecKind::DeliveryWarning12h, 12, Some("a@pec.it")),
            ],
        );
        assert_eq!(warned.recipients[0].state, RecipientState::Warned12h);
        let timed_out = correlate(
            &key(),
            &[
                receipt(3, PecKind::DeliveryTimeout24h, 24, Some("a@pec.it")),
                receipt(1, PecKind::Acceptance, 0, None),
                receipt(2, PecKind::DeliveryWarning12h, 12, Some("a@pec.it")),
            ],
        );
        assert_eq!(timed_out.recipients[0].state, RecipientState::TimedOut24h);
        assert_eq!(timed_out.recipients[0].at, t(24));
    }

    #[test]
    fn a_non_acceptance_settles_every_recipient_as_not_accepted() {
        let mut na = receipt(1, PecKind::NonAcceptance, 0, None);
        na.errore_esteso = Some("destinatari in Bcc non ammessi".into());
        let o = correlate(&key(), &[na]);
        assert_eq!(o.summary, SentSummary::NotAccepted);
        assert!(
            o.recipients
                .iter()
                .all(|r| r.state == RecipientState::NotAccepted)
        );
        assert_eq!(o.accepted_at, None);
    }

    #[test]
    fn a_sent_copy_alone_is_pending_with_untyped_recipients() {
        let copy = Evidence {
            id: 9,
            role: EvidenceRole::SentCopy,
            kind: PecKind::NotPec,
            signature: SignatureStatus::Unsigned,
            basis: LinkBasis::OwnMessageId,
            at: t(-1),
            recipients: vec![],
            untyped_recipients: vec!["a@pec.it".into()],
            consegna: None,
            errore: Errore::Nessuno,
            errore_esteso: None,
            subject: Some("Diffida".into()),
            sender: Some("studio@pec.it".into()),
            attachments: vec![],
            stand_ins: vec![],
        };
        let o = correlate(&key(), std::slice::from_ref(&copy));
        assert_eq!(o.summary, SentSummary::Pending);
        assert_eq!(o.recipients[0].kind, None);
        assert_eq!(o.sent_at, t(-1));
        assert!(o.findings.is_empty(), "a sent copy is not suspicious");
        // Once the acceptance comes, it is the authority on the recipients and their types.
        let o = correlate(&key(), &[copy, receipt(1, PecKind::Acceptance, 0, None)]);
        assert_eq!(o.recipients.len(), 3);
        assert_eq!(o.evidence, [9, 1]);
    }

    #[test]
    fn delivered_and_failed_for_one_recipient_is_a_conflict_and_delivery_prevails() {
        let o = correlate(
            &key(),
            &[
                receipt(1, PecKind::Acceptance, 0, None),
                receipt(2, PecKind::DeliveryFailure, 2, Some("a@pec.it")),
                receipt(3, PecKind::Delivery, 1, Some("a@pec.it")),
            ],
        );
        assert_eq!(o.recipients[0].state, RecipientState::Delivered);
        assert!(
            o.findings
                .iter()
                .any(|f| f.code == SentFindingCode::ConflictingReceipts)
        );
    }

    #[test]
    fn only_external_recipients_make_a_send_that_cannot_be_certified() {
        let mut acc = receipt(1, PecKind::Acceptance, 0, None);
        acc.recipients = vec![rcpt("c@gmail.com", RecipientType::Esterno)];
        assert_eq!(
            correlate(&key(), &[acc]).summary,
            SentSummary::NotCertifiable
        );
    }

    #[test]
    fn a_breve_receipt_is_checked_against_the_attachments_of_the_sent_copy() {
        use crate::breve::{AttachmentDigest, HashStandIn};
        let copy = Evidence {
            id: 9,
            role: EvidenceRole::SentCopy,
            kind: PecKind::NotPec,
            signature: SignatureStatus::Unsigned,
            basis: LinkBasis::OwnMessageId,
            at: t(-1),
            recipients: vec![],
            untyped_recipients: vec!["a@pec.it".into()],
            consegna: None,
            errore: Errore::Nessuno,
            errore_esteso: None,
            subject: None,
            sender: None,
            attachments: vec![AttachmentDigest {
                name: "atto.pdf".into(),
                sha1: vec!["a".repeat(40), "b".repeat(40)],
                collision: false,
            }],
            stand_ins: vec![],
        };
        let mut good = receipt(2, PecKind::Delivery, 1, Some("a@pec.it"));
        good.stand_ins = vec![HashStandIn {
            name: "atto.pdf".into(),
            sha1: "b".repeat(40),
        }];
        let mut bad = receipt(3, PecKind::Delivery, 1, Some("b@pec.it"));
        bad.stand_ins = vec![HashStandIn {
            name: "atto.pdf".into(),
            sha1: "c".repeat(40),
        }];
        let o = correlate(&key(), &[copy, good.clone(), bad]);
        let codes: Vec<_> = o.findings.iter().map(|f| (f.code, f.evidence)).collect();
        assert!(
            codes.contains(&(SentFindingCode::BreveHashesMatch, Some(2))),
            "{codes:?}"
        );
        assert!(
            codes.contains(&(SentFindingCode::BreveHashMismatch, Some(3))),
            "{codes:?}"
        );
        let alone = correlate(&key(), &[good]);
        assert!(
            alone
                .findings
                .iter()
                .any(|f| f.code == SentFindingCode::BreveOriginalMissing)
        );
    }

    #[test]
    fn states_and_summaries_round_trip_through_their_spelling() {
        for s in [
            RecipientState::Pending,
            RecipientState::Delivered,
            RecipientState::Failed,
            RecipientState::Warned12h,
            RecipientState::TimedOut24h,
            RecipientState::External,
            RecipientState::NotAccepted,
        ] {
            assert_eq!(RecipientState::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json_plain(&s),
                format!("\"{}\"", s.as_str()),
                "serde and as_str agree"
            );
        }
    }

    fn serde_json_plain<T: Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap()
    }
}
