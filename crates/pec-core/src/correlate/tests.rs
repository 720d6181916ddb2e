//! Correlation as a whole: receipts in any order, untrusted and unbound evidence, disputes (issue 13 §3).

use super::*;
use crate::PecKind;
use crate::daticert::{Errore, Recipient, RecipientType};
use crate::signature::SignatureStatus;
use chrono::{DateTime, Duration, Utc};

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
        certifies: None,
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
    let mut copy = sent_copy(9, "studio@pec.it");
    copy.untyped_recipients = vec!["a@pec.it".into()];
    copy.subject = Some("Diffida".into());
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
    let mut copy = sent_copy(9, "studio@pec.it");
    copy.untyped_recipients = vec!["a@pec.it".into()];
    copy.subject = None;
    copy.attachments = vec![AttachmentDigest {
        name: "atto.pdf".into(),
        sha1: vec!["a".repeat(40), "b".repeat(40)],
        collision: false,
    }];
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

fn codes(o: &SentOutcome) -> Vec<(SentFindingCode, Option<i64>)> {
    o.findings.iter().map(|f| (f.code, f.evidence)).collect()
}

fn sent_copy(id: i64, from: &str) -> Evidence {
    Evidence {
        id,
        role: EvidenceRole::SentCopy,
        kind: PecKind::NotPec,
        signature: SignatureStatus::Unsigned,
        basis: LinkBasis::OwnMessageId,
        at: t(-1),
        recipients: vec![],
        untyped_recipients: vec!["a@pec.it".into(), "x@pec.it".into()],
        consegna: None,
        errore: Errore::Nessuno,
        errore_esteso: None,
        subject: Some("Offerta".into()),
        sender: Some(from.into()),
        attachments: vec![],
        stand_ins: vec![],
        certifies: None,
    }
}

#[test]
fn issue_13_a_delivery_and_a_failure_for_one_recipient_are_disputed_with_both_receipts() {
    let mut failure = receipt(2, PecKind::DeliveryFailure, 2, Some("a@pec.it"));
    failure.errore = Errore::NoDest;
    let all = [
        receipt(1, PecKind::Acceptance, 0, None),
        failure,
        receipt(3, PecKind::Delivery, 1, Some("a@pec.it")),
    ];
    let o = correlate(&key(), &all);
    let a = &o.recipients[0];
    assert_eq!(a.state, RecipientState::Disputed);
    assert_eq!((a.decided_by, a.disputed_by), (Some(3), Some(2)));
    assert_eq!(a.reason.as_deref(), Some("no-dest: unknown recipient"));
    assert!(codes(&o).contains(&(SentFindingCode::ConflictingReceipts, Some(2))));
    assert_eq!(o.summary, SentSummary::Disputed, "neither side is taken");
    let mut reversed = all.to_vec();
    reversed.reverse();
    assert_eq!(
        correlate(&key(), &reversed),
        o,
        "the order of arrival does not matter"
    );
}

#[test]
fn issue_13_a_delivery_after_the_24h_notice_is_kept_and_noted() {
    let o = correlate(
        &key(),
        &[
            receipt(1, PecKind::Acceptance, 0, None),
            receipt(2, PecKind::DeliveryTimeout24h, 24, Some("a@pec.it")),
            receipt(3, PecKind::Delivery, 25, Some("a@pec.it")),
        ],
    );
    assert_eq!(o.recipients[0].state, RecipientState::Delivered);
    assert_eq!(o.recipients[0].decided_by, Some(3));
    assert!(codes(&o).contains(&(SentFindingCode::DeliveredDespiteTimeout, Some(3))));
}

#[test]
fn issue_13_a_receipt_linked_only_by_the_unsigned_header_never_delivers() {
    let mut retargeted = receipt(2, PecKind::Delivery, 1, Some("a@pec.it"));
    retargeted.basis = LinkBasis::UnsignedHeader;
    let o = correlate(
        &key(),
        &[receipt(1, PecKind::Acceptance, 0, None), retargeted],
    );
    assert_eq!(o.recipients[0].state, RecipientState::Pending);
    assert_eq!(o.recipients[0].decided_by, None);
    assert!(codes(&o).contains(&(SentFindingCode::LinkedByUnsignedHeader, Some(2))));
    assert_eq!(o.evidence, [1, 2], "it is still shown with the send");
}

#[test]
fn issue_13_a_receipt_for_another_senders_message_with_the_same_msgid_moves_nothing() {
    let mut stranger = receipt(2, PecKind::Delivery, 1, Some("a@pec.it"));
    stranger.sender = Some("forger@pec.it".into());
    let o = correlate(
        &key(),
        &[receipt(1, PecKind::Acceptance, 0, None), stranger],
    );
    assert_eq!(o.recipients[0].state, RecipientState::Pending);
    assert!(codes(&o).contains(&(SentFindingCode::SenderMismatch, Some(2))));
    assert_eq!(o.sender.as_deref(), Some("studio@pec.it"));
}

#[test]
fn issue_13_without_the_acceptance_a_receipt_contradicting_the_sent_copy_moves_nothing() {
    let mut stranger = receipt(2, PecKind::Delivery, 1, Some("a@pec.it"));
    stranger.sender = Some("forger@pec.it".into());
    let o = correlate(&key(), &[sent_copy(9, "Studio@pec.it"), stranger]);
    assert_eq!(o.recipients[0].state, RecipientState::Pending);
    assert!(codes(&o).contains(&(SentFindingCode::SenderMismatch, Some(2))));
}

#[test]
fn issue_13_a_plain_message_sharing_the_message_id_is_not_the_sent_copy() {
    let o = correlate(
        &key(),
        &[
            sent_copy(9, "someone@else.it"),
            receipt(1, PecKind::Acceptance, 0, None),
        ],
    );
    assert!(codes(&o).contains(&(SentFindingCode::MessageIdReused, Some(9))));
    assert_eq!(o.sent_at, None, "its Date is not the send's");
    assert!(
        o.recipients.iter().all(|r| r.address != "x@pec.it"),
        "its recipients are not the send's"
    );
    // Without any signed sender, a receipt that confirms the copy's From makes it the sent copy.
    let o = correlate(
        &key(),
        &[
            sent_copy(8, "studio@pec.it"),
            sent_copy(9, "someone@else.it"),
            receipt(2, PecKind::Delivery, 1, Some("a@pec.it")),
        ],
    );
    assert_eq!(o.sent_at, t(-1));
    assert_eq!(
        codes(&o)
            .into_iter()
            .filter(|(c, _)| *c == SentFindingCode::MessageIdReused)
            .collect::<Vec<_>>(),
        [(SentFindingCode::MessageIdReused, Some(9))]
    );
}

#[test]
fn issue_13_a_delivery_certified_before_the_acceptance_moves_nothing() {
    // Seen on a forged re-wrap: "delivered at 2021-01-12" for a message accepted on 2021-12-14.
    let early = receipt(2, PecKind::Delivery, -8000, Some("a@pec.it"));
    let mut failure = receipt(3, PecKind::DeliveryFailure, -1, Some("b@pec.it"));
    failure.errore = Errore::NoDest;
    let o = correlate(
        &key(),
        &[receipt(1, PecKind::Acceptance, 0, None), early, failure],
    );
    assert_eq!(o.recipients[0].state, RecipientState::Pending);
    assert_eq!(o.recipients[1].state, RecipientState::Pending);
    assert!(codes(&o).contains(&(SentFindingCode::CertifiedBeforeAcceptance, Some(2))));
    assert!(codes(&o).contains(&(SentFindingCode::CertifiedBeforeAcceptance, Some(3))));
}

#[test]
fn a_delivery_within_the_clock_skew_before_the_acceptance_still_counts() {
    let mut delivery = receipt(2, PecKind::Delivery, 0, Some("a@pec.it"));
    delivery.at = t(0).map(|at| at - CLOCK_SKEW + Duration::seconds(1));
    let o = correlate(
        &key(),
        &[receipt(1, PecKind::Acceptance, 0, None), delivery],
    );
    assert_eq!(o.recipients[0].state, RecipientState::Delivered);
}

#[test]
fn issue_13_a_24h_notice_certified_too_soon_after_the_acceptance_moves_nothing() {
    let o = correlate(
        &key(),
        &[
            receipt(1, PecKind::Acceptance, 0, None),
            receipt(2, PecKind::DeliveryTimeout24h, 3, Some("a@pec.it")),
            receipt(3, PecKind::DeliveryTimeout24h, 22, Some("b@pec.it")),
        ],
    );
    assert_eq!(o.recipients[0].state, RecipientState::Pending);
    assert!(codes(&o).contains(&(SentFindingCode::TimeoutNoticeTooEarly, Some(2))));
    assert_eq!(o.recipients[1].state, RecipientState::TimedOut24h);
    assert_eq!(TIMEOUT_NOTICE_EARLIEST, Duration::hours(22));
}

#[test]
fn summaries_have_one_sound_spelling() {
    crate::closed_set::assert_spellings_are_sound::<SentSummary>();
}
