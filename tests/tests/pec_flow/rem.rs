//! A REM send through the lab's REM services (`Lab::start_with(.., LabOptions { rem: true })`, issue 14
//! §7): sent by the engine from a REM lab account, synced, and judged per recipient from the signed
//! evidence — delivered (`RD01`), failed with the reason (`RD21`), external with relay evidence
//! (`RF01`); every evidence `valid` under the account's trust (the lab CA), `untrusted` without it.

use pec_core::Family;
use pec_core::correlate::{RecipientState, SentSummary};
use pec_core::signature::{SignatureStatus, TimeWitnesses, TrustAnchors};
use pec_engine::accounts::Service;

use super::harness::{draft, rem_world, sync_until};

#[test]
fn a_rem_send_ends_delivered_for_one_recipient_failed_for_another_and_relayed_for_a_third() {
    let Some(w) = rem_world() else { return };
    let alice = w.client(&w.sender());
    assert_eq!(
        alice.account.service,
        Service::Rem,
        "a REM lab's mailbox speaks REM"
    );
    let bob = w.other_provider_mailbox();
    let unknown = w.lab.info.unknown_example.clone();
    let external = format!("qualcuno@{}", w.lab.info.external_domain);
    let mut archive = w.archive();
    let mut d = draft(&[&bob, &unknown, &external], "Diffida REM");
    d.rem_relay_evidence = true;
    let msgid = alice.send(&mut archive, &d).unwrap().entry.msgid;
    let s = sync_until(&alice, &mut archive, &msgid, |s| {
        s.recipients
            .iter()
            .all(|r| r.state != RecipientState::Pending)
    });
    assert_eq!(s.family, Family::Rem);
    assert!(s.accepted_at.is_some(), "a valid SubmissionAcceptance");
    let recipient = |a: &str| {
        s.recipients
            .iter()
            .find(|r| r.address.eq_ignore_ascii_case(a))
            .unwrap_or_else(|| panic!("{a} in {:#?}", s.recipients))
    };
    assert_eq!(recipient(&bob).state, RecipientState::Delivered);
    assert_eq!(recipient(&unknown).state, RecipientState::Failed);
    let reason = recipient(&unknown).reason.clone().unwrap_or_default();
    assert!(
        reason.starts_with("RD21"),
        "the signed reason code: {reason}"
    );
    assert_eq!(recipient(&external).state, RecipientState::External);
    assert_ne!(s.summary, SentSummary::Delivered);
    assert!(s.overdue.is_none(), "a REM send is never overdue");

    // Every linked REM message is recorded valid, and each one that decided a state is a signed
    // evidence of that event.
    let now = alice.now();
    let items: Vec<_> = s
        .evidence
        .iter()
        .map(|id| archive.item(*id, now).unwrap())
        .collect();
    let mut events: Vec<_> = items.iter().filter_map(|i| i.rem_kind.clone()).collect();
    events.sort();
    assert_eq!(
        events,
        [
            "content-consignment",
            "content-consignment-failure",
            "relay-to-non-erds",
            "submission-acceptance"
        ]
    );
    for item in items.iter().filter(|i| i.rem_kind.is_some()) {
        assert_eq!(item.verdicts[0].status.as_str(), "valid", "{item:#?}");
    }
    let decided = recipient(&unknown)
        .evidence
        .expect("the failure decided it");
    assert_eq!(
        archive.item(decided, now).unwrap().rem_reason.as_deref(),
        Some("RD21")
    );

    // The same bytes, judged without the lab CA: untrusted, both the S/MIME and the evidence.
    for id in &s.evidence {
        let raw = archive.raw(*id).unwrap();
        let Some(v) =
            pec_rem::verify_message(&raw, &TrustAnchors::builtin(), &TimeWitnesses::at(now))
        else {
            continue; // the sent copy
        };
        assert_eq!(v.report().status, SignatureStatus::Untrusted);
        assert_eq!(
            v.evidence_signature.unwrap().status,
            SignatureStatus::Untrusted
        );
    }
}
