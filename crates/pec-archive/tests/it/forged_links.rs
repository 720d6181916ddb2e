//! Issue 13 §3, "only signed facts move a recipient's state": receipts really signed by the test CA,
//! bent the ways a forger can bend them without breaking the signature, stored as an import stores
//! them, and the state the archive then reports.

use chrono::{Duration, TimeZone, Utc};
use pec_archive::Archive;
use pec_archive::query::{SentStatus, StatusFilter};
use pec_core::correlate::{RecipientState, SentFindingCode};
use pec_testkit::pki::TestPki;
use pec_testkit::{Pec, PecKindSpec, Send};

use super::{fresh, now, pki, store_files, trusting};

const A: &str = "a@pec.altro.example";

fn send(msgid: &str) -> Send {
    let mut send = Send::new(
        "studio.rossi@pec.provider.example",
        &[A],
        "Diffida ad adempiere n. 42/2026",
        Utc.with_ymd_and_hms(2021, 12, 14, 14, 54, 0).unwrap(),
    );
    send.msgid = msgid.into();
    send
}

fn delivery(send: &Send) -> Pec {
    Pec::new(
        send,
        PecKindSpec::Delivery {
            recipient: A.into(),
        },
    )
}

/// Stores each message in its own batch, in order: the archive's ids are 1, 2, 3…
fn archive_of(pki: &TestPki, messages: &[Vec<u8>]) -> (tempfile::TempDir, Archive) {
    let (dir, mut archive) = fresh();
    for (i, raw) in messages.iter().enumerate() {
        store_files(
            &mut archive,
            &trusting(pki),
            &[(format!("/in/{i}.eml"), raw.clone())],
        );
    }
    (dir, archive)
}

fn status_of(archive: &Archive, msgid: &str) -> SentStatus {
    archive
        .status(&StatusFilter::default(), now())
        .unwrap()
        .into_iter()
        .find(|s| s.msgid.trim_matches(['<', '>']) == msgid)
        .unwrap_or_else(|| panic!("no send {msgid}"))
}

fn flagged(s: &SentStatus, code: SentFindingCode) -> Vec<Option<i64>> {
    s.findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.evidence)
        .collect()
}

#[test]
fn issue_13_a_genuine_delivery_retargeted_by_x_riferimento_still_certifies_only_its_own_send() {
    let Some(pki) = pki() else { return };
    let ours = send("ours@client.example");
    let theirs = send("theirs@client.example");
    let mut retargeted = delivery(&theirs);
    retargeted.header_overrides = vec![(
        "X-Riferimento-Message-ID".into(),
        "<ours@client.example>".into(),
    )];
    let (_dir, archive) = archive_of(
        pki,
        &[
            Pec::new(&ours, PecKindSpec::Acceptance).build(pki),
            retargeted.build(pki),
        ],
    );
    let s = status_of(&archive, "ours@client.example");
    assert_eq!(s.recipients[0].state, RecipientState::Pending);
    assert_eq!(
        s.evidence,
        [1],
        "the receipt is filed under its signed msgid"
    );
    let other = status_of(&archive, "theirs@client.example");
    assert_eq!(other.recipients[0].state, RecipientState::Delivered);
}

#[test]
fn issue_13_a_receipt_without_a_signed_msgid_linked_by_x_riferimento_is_shown_but_delivers_nobody()
{
    let Some(pki) = pki() else { return };
    let ours = send("ours@client.example");
    let mut unsigned_link = delivery(&ours);
    unsigned_link.daticert_edit = Some(|d| d.msgid = None);
    let (_dir, archive) = archive_of(
        pki,
        &[
            Pec::new(&ours, PecKindSpec::Acceptance).build(pki),
            unsigned_link.build(pki),
        ],
    );
    let s = status_of(&archive, "ours@client.example");
    assert_eq!(s.evidence, [1, 2], "the receipt is shown with the send");
    assert_eq!(s.recipients[0].state, RecipientState::Pending);
    assert_eq!(
        flagged(&s, SentFindingCode::LinkedByUnsignedHeader),
        [Some(2)]
    );
}

#[test]
fn issue_13_a_provider_signed_delivery_for_another_sender_with_our_msgid_moves_nothing() {
    let Some(pki) = pki() else { return };
    let ours = send("ours@client.example");
    let mut forger = ours.clone();
    forger.sender = "forger@pec.provider.example".into();
    let (_dir, archive) = archive_of(
        pki,
        &[
            Pec::new(&ours, PecKindSpec::Acceptance).build(pki),
            delivery(&forger).build(pki),
        ],
    );
    let s = status_of(&archive, "ours@client.example");
    assert_eq!(s.recipients[0].state, RecipientState::Pending);
    assert_eq!(flagged(&s, SentFindingCode::SenderMismatch), [Some(2)]);
}

#[test]
fn issue_13_a_delivery_and_a_failure_for_one_recipient_are_disputed_with_both_receipts() {
    let Some(pki) = pki() else { return };
    let ours = send("ours@client.example");
    let failure = Pec::new(
        &ours,
        PecKindSpec::Failure {
            recipient: A.into(),
            virus: false,
            reason: "5.1.1 - indirizzo non valido".into(),
        },
    );
    let (_dir, archive) = archive_of(
        pki,
        &[
            Pec::new(&ours, PecKindSpec::Acceptance).build(pki),
            failure.build(pki),
            delivery(&ours).build(pki),
        ],
    );
    let s = status_of(&archive, "ours@client.example");
    let a = &s.recipients[0];
    assert_eq!(a.state, RecipientState::Disputed);
    assert_eq!((a.evidence, a.disputed_by), (Some(3), Some(2)));
    assert!(!flagged(&s, SentFindingCode::ConflictingReceipts).is_empty());
    // The whole send says so, instead of "pending" (or either receipt's side).
    assert_eq!(s.summary, pec_core::correlate::SentSummary::Disputed);
}

#[test]
fn issue_13_a_plain_message_sharing_the_message_id_is_not_the_sent_copy() {
    let Some(pki) = pki() else { return };
    let ours = send("ours@client.example");
    let mut stranger = ours.clone();
    stranger.sender = "someone@else.example".into();
    stranger.sent_at = ours.sent_at - Duration::days(3);
    let (_dir, archive) = archive_of(
        pki,
        &[
            Pec::new(&ours, PecKindSpec::Acceptance).build(pki),
            stranger.original(),
        ],
    );
    let s = status_of(&archive, "ours@client.example");
    assert_eq!(s.sent_at, None, "the stranger's Date is not our send's");
    assert_eq!(flagged(&s, SentFindingCode::MessageIdReused), [Some(2)]);
}

#[test]
fn issue_13_a_message_in_the_inbox_forging_our_from_and_message_id_is_not_the_sent_copy() {
    // Anyone can mail the user a plain message with the user's own From and the send's Message-ID.
    // It arrived: it is not what the user sent, whatever its unsigned headers say.
    let Some(pki) = pki() else { return };
    let ours = send("ours@client.example");
    let mut forged = ours.clone();
    forged.subject = "Revoca della diffida".into();
    forged.sent_at = ours.sent_at - Duration::days(3);
    let (_dir, mut archive) =
        archive_of(pki, &[Pec::new(&ours, PecKindSpec::Acceptance).build(pki)]);
    let raw = forged.original();
    archive
        .store(
            vec![pec_archive::Incoming {
                reading: Some(pec_archive::Reading::of(&raw, &trusting(pki), now())),
                raw,
                origin: pec_archive::Origin::Imap {
                    account: "studio.rossi@pec.provider.example".into(),
                    folder: "INBOX".into(),
                    role: pec_archive::FolderRole::Inbox,
                    uidvalidity: 1,
                    uid: 9,
                },
                received: None,
            }],
            now(),
        )
        .unwrap();
    let s = status_of(&archive, "ours@client.example");
    assert_eq!(s.sent_at, None, "the forged Date is not our send's");
    assert_eq!(
        s.subject.as_deref(),
        Some("Diffida ad adempiere n. 42/2026")
    );
    assert_eq!(flagged(&s, SentFindingCode::MessageIdReused), [Some(2)]);
}

#[test]
fn issue_13_a_delivery_certified_before_the_acceptance_moves_nothing() {
    // Seen on a forged re-wrap: "delivered at 2021-01-12" for a message accepted on 2021-12-14.
    let Some(pki) = pki() else { return };
    let ours = send("ours@client.example");
    let mut early = delivery(&ours);
    early.at = Utc.with_ymd_and_hms(2021, 1, 12, 10, 0, 0).unwrap();
    let (_dir, archive) = archive_of(
        pki,
        &[
            Pec::new(&ours, PecKindSpec::Acceptance).build(pki),
            early.build(pki),
        ],
    );
    let s = status_of(&archive, "ours@client.example");
    assert_eq!(s.recipients[0].state, RecipientState::Pending);
    assert_eq!(
        flagged(&s, SentFindingCode::CertifiedBeforeAcceptance),
        [Some(2)]
    );
}
