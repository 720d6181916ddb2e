//! What a sender sees after sending: acceptance, deliveries, external recipients, failures, notices.

use pec_core::PecKind;
use pec_core::correlate::{RecipientState, SentSummary};

use super::harness::{draft, send_status, sync_until, world};

#[test]
fn a_send_to_one_certified_and_one_external_recipient_is_accepted_delivered_and_external() {
    let Some(w) = world() else { return };
    let alice = w.client(&w.sender());
    let bob_address = w.other_provider_mailbox();
    let external = format!("qualcuno@{}", w.lab.info.external_domain);
    let mut archive = w.archive();
    let sent = alice
        .send(
            &mut archive,
            &draft(&[&bob_address, &external], "Diffida ad adempiere"),
        )
        .unwrap();
    let msgid = sent.entry.msgid.clone();
    let s = sync_until(&alice, &mut archive, &msgid, |s| {
        s.recipients
            .iter()
            .all(|r| r.state != RecipientState::Pending)
    });
    let state = |a: &str| {
        s.recipients
            .iter()
            .find(|r| r.address.eq_ignore_ascii_case(a))
            .unwrap()
            .state
    };
    assert_eq!(state(&bob_address), RecipientState::Delivered);
    assert_eq!(state(&external), RecipientState::External);
    assert_eq!(s.summary, SentSummary::Delivered);
    assert!(s.accepted_at.is_some(), "a valid acceptance");
    // The sent copy, one acceptance, one delivery: the external recipient gets no receipt.
    let kinds: Vec<PecKind> = s
        .evidence
        .iter()
        .map(|id| archive.item(*id, chrono::Utc::now()).unwrap().kind)
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == PecKind::Acceptance).count(),
        1
    );
    assert_eq!(kinds.iter().filter(|k| **k == PecKind::Delivery).count(), 1);
    // The recipient got the transport envelope, verified valid under the lab CA (trusted for that account).
    let bob = w.client(&bob_address);
    let mut bob_archive = pec_archive::Archive::open(&w.data.path().join("bob.sqlite3")).unwrap();
    bob.sync(&mut bob_archive).unwrap();
    let hits = bob_archive.search("Diffida ad adempiere", 10).unwrap();
    let envelope = hits
        .iter()
        .find(|h| h.kind == PecKind::TransportEnvelope)
        .expect("an envelope");
    let item = bob_archive.item(envelope.id, chrono::Utc::now()).unwrap();
    assert_eq!(item.verdicts[0].status.as_str(), "valid");
}

#[test]
fn a_send_to_an_unknown_mailbox_fails_with_the_providers_reason() {
    let Some(w) = world() else { return };
    let alice = w.client(&w.sender());
    let unknown = w.lab.info.unknown_example.clone();
    let mut archive = w.archive();
    let msgid = alice
        .send(&mut archive, &draft(&[&unknown], "Atto"))
        .unwrap()
        .entry
        .msgid;
    let s = sync_until(&alice, &mut archive, &msgid, |s| {
        s.recipients[0].state != RecipientState::Pending
    });
    assert_eq!(s.recipients[0].state, RecipientState::Failed);
    let reason = s.recipients[0].reason.clone().unwrap_or_default();
    assert!(
        reason.starts_with("5.1.1"),
        "the provider's errore-esteso: {reason}"
    );
    assert_eq!(s.summary, SentSummary::Failed);
}

#[test]
fn a_provider_that_never_answers_gives_the_12h_warning_then_the_final_24h_notice() {
    let Some(w) = world() else { return };
    let alice = w.client(&w.sender());
    let silent = w.lab.info.silent_accounts[0].clone();
    let mut archive = w.archive();
    let msgid = alice
        .send(&mut archive, &draft(&[&silent], "Ricorso"))
        .unwrap()
        .entry
        .msgid;
    let s = sync_until(&alice, &mut archive, &msgid, |s| s.accepted_at.is_some());
    assert_eq!(s.recipients[0].state, RecipientState::Pending);
    let accepted = s.accepted_at.unwrap();
    // Overdue is visible from the acceptance time, before any notice comes.
    let later = send_status(&archive, &msgid, accepted + chrono::Duration::hours(13));
    assert_eq!(
        later.recipients[0].overdue,
        Some(pec_core::correlate::Overdue::After12h)
    );

    w.lab.advance(chrono::Duration::hours(13)).unwrap();
    let s = sync_until(&alice, &mut archive, &msgid, |s| {
        s.recipients[0].state == RecipientState::Warned12h
    });
    assert!(s.recipients[0].at.is_some());
    w.lab.advance(chrono::Duration::hours(12)).unwrap();
    let s = sync_until(&alice, &mut archive, &msgid, |s| {
        s.recipients[0].state == RecipientState::TimedOut24h
    });
    assert_eq!(s.summary, SentSummary::Failed);
    let notice_at = s.recipients[0].at.unwrap();
    assert!(
        notice_at - accepted >= chrono::Duration::hours(22),
        "not before 22 h (PEC rules §1)"
    );

    // Exported right away, at real time, the pack judges the lab's notices at the lab's clock: the
    // 24 h notice the lab signed a day "ahead" is valid there, not "signed in the future" (issue 13 §4).
    let out = tempfile::tempdir().unwrap();
    let config = pec_engine::EngineConfig {
        accounts: vec![alice.account.clone()],
        ..pec_engine::EngineConfig::default()
    };
    let request = pec_engine::export::ExportRequest {
        selection: pec_engine::export::Selection::Sends(vec![pec_engine::export::SendRef::MsgId(
            msgid.clone(),
        )]),
        out_dir: out.path().to_owned(),
        language: pec_pack::Language::It,
        produced_at: chrono::Utc::now(),
        producer: pec_pack::producer(),
    };
    let exported = pec_engine::export::export(
        &mut archive,
        &request,
        &pec_engine::TrustBook::load(&config, &[]).unwrap(),
        &std::sync::atomic::AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(exported.packs[0].summary, SentSummary::Failed);
    assert_eq!(
        exported.packs[0].recipients[0].state,
        RecipientState::TimedOut24h
    );
}

#[test]
fn a_breve_receipt_is_checked_against_the_attachments_attesta_sent() {
    use pec_core::correlate::SentFindingCode;
    let Some(w) = world() else { return };
    let alice = w.client(&w.sender());
    let bob = w.other_provider_mailbox();
    let mut archive = w.archive();
    let mut d = draft(&[&bob], "Deposito atti");
    d.receipt = pec_core::daticert::ReceiptType::Breve;
    d.attachments = vec![
        super::harness::attachment("atto.pdf", b"%PDF-1.4 atto di citazione"),
        super::harness::attachment("procura.pdf", &vec![b'x'; 5000]),
    ];
    let msgid = alice.send(&mut archive, &d).unwrap().entry.msgid;
    let s = sync_until(&alice, &mut archive, &msgid, |s| {
        s.recipients[0].state == RecipientState::Delivered
    });
    let check = s
        .findings
        .iter()
        .find(|f| f.code == SentFindingCode::BreveHashesMatch)
        .unwrap_or_else(|| panic!("no breve check among {:?}", s.findings));
    assert!(
        check.message.contains("atto.pdf") && check.message.contains("procura.pdf"),
        "{}",
        check.message
    );
    assert!(
        !s.findings
            .iter()
            .any(|f| f.code == SentFindingCode::BreveHashMismatch)
    );
}
