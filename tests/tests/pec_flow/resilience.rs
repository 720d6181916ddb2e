//! The wire going wrong: a resync, a restarted server, a renumbered folder, a wrong certificate, a
//! wrong password. Nothing is lost, nothing is duplicated, and the user is told what happened.

use std::collections::BTreeSet;

use pec_engine::EngineError;
use pec_mail::MailError;

use super::harness::{draft, sync_until, world};

#[test]
fn syncing_again_changes_nothing() {
    let Some(w) = world() else { return };
    let alice = w.client(&w.sender());
    let mut archive = w.archive();
    let msgid = alice
        .send(
            &mut archive,
            &draft(&[&w.other_provider_mailbox()], "Prima"),
        )
        .unwrap()
        .entry
        .msgid;
    sync_until(&alice, &mut archive, &msgid, |s| {
        s.summary == pec_core::correlate::SentSummary::Delivered
    });
    let before = archive.check().unwrap();
    let again = alice.sync(&mut archive).unwrap();
    assert_eq!(again.new, 0);
    let after = archive.check().unwrap();
    assert!(after.is_clean(), "{:?}", after.problems);
    assert_eq!(
        after.journal_entries, before.journal_entries,
        "nothing recorded twice"
    );
    assert_eq!(after.messages, before.messages);
}

#[test]
fn a_dovecot_restart_in_the_middle_of_a_sync_loses_and_duplicates_nothing() {
    let Some(w) = world() else { return };
    let address = w.sender();
    let filled = w.lab.fill(&address, 3000).unwrap();
    let alice = w.client(&address);
    let mut archive = w.archive();
    let summary = std::thread::scope(|s| {
        let sync = s.spawn(|| alice.sync(&mut archive));
        std::thread::sleep(std::time::Duration::from_millis(700));
        w.lab.restart_dovecot().unwrap();
        sync.join().unwrap()
    })
    .unwrap();
    println!(
        "reconnects: {}; fetched {}",
        summary.reconnects, summary.new
    );
    let inbox = summary
        .folders
        .iter()
        .find(|f| f.folder == "INBOX")
        .unwrap();
    assert!(inbox.complete);
    let holdings = archive
        .folder_holdings(&address, "INBOX", inbox.mark_uidvalidity())
        .unwrap();
    assert_eq!(
        holdings.uids.len(),
        filled,
        "every message of INBOX archived once"
    );
    let report = archive.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(alice.sync(&mut archive).unwrap().new, 0);
}

#[test]
fn a_new_uidvalidity_resyncs_without_duplicates() {
    let Some(w) = world() else { return };
    let address = w.sender();
    w.lab.fill(&address, 40).unwrap();
    let alice = w.client(&address);
    let mut archive = w.archive();
    alice.sync(&mut archive).unwrap();
    let messages = archive.message_count().unwrap();
    w.lab
        .doveadm(&[
            "mailbox",
            "update",
            "-u",
            &address,
            "--uid-validity",
            "4242",
            "INBOX",
        ])
        .unwrap();
    let again = alice.sync(&mut archive).unwrap();
    let inbox = again.folders.iter().find(|f| f.folder == "INBOX").unwrap();
    assert!(inbox.uidvalidity_changed, "{inbox:?}");
    assert_eq!(again.new, 0, "the same bytes: nothing archived twice");
    assert_eq!(archive.message_count().unwrap(), messages);
    let renumbered: BTreeSet<u32> = archive
        .folder_holdings(&address, "INBOX", 4242)
        .unwrap()
        .uids;
    assert_eq!(
        renumbered.len() as u64,
        inbox.on_server as u64,
        "the new numbering is recorded"
    );
    assert!(archive.check().unwrap().is_clean());
}

#[test]
fn a_server_certificate_from_an_unknown_ca_is_refused_with_a_clear_error() {
    let Some(w) = world() else { return };
    let mut alice = w.client(&w.sender());
    let stranger = rcgen::CertificateParams::new(Vec::<String>::new())
        .unwrap()
        .self_signed(&rcgen::KeyPair::generate().unwrap())
        .unwrap();
    let other_ca = w.data.path().join("other-ca.pem");
    std::fs::write(&other_ca, stranger.pem()).unwrap();
    alice.account.tls_roots = vec![other_ca];
    let mut archive = w.archive();
    let err = alice.sync(&mut archive).unwrap_err();
    assert!(
        matches!(err, EngineError::Mail(MailError::Certificate { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("not trusted"), "{err}");
    assert_eq!(archive.message_count().unwrap(), 0);
}

#[test]
fn a_wrong_password_is_a_clear_error() {
    let Some(w) = world() else { return };
    let mut alice = w.client(&w.sender());
    alice.password = "not-the-password".into();
    let mut archive = w.archive();
    let err = alice.sync(&mut archive).unwrap_err();
    assert!(
        matches!(err, EngineError::Mail(MailError::Login { .. })),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("wrong user name or password"),
        "{err}"
    );
    let err = alice
        .send(&mut archive, &draft(&[&w.other_provider_mailbox()], "x"))
        .unwrap_err();
    assert!(
        matches!(err, EngineError::Mail(MailError::Login { .. })),
        "{err:?}"
    );
    let outbox = archive.outbox(None).unwrap();
    assert_eq!(
        outbox[0].state,
        pec_archive::outbox::OutboxState::Failed,
        "refused before any data"
    );
}

#[test]
fn a_copy_is_stored_in_sent_exactly_once_whether_or_not_the_provider_keeps_one() {
    let Some(w) = world() else { return };
    for provider in ["alfa", "beta"] {
        let info = &w.lab.info;
        let keeps = info
            .providers
            .iter()
            .find(|p| p.id == provider)
            .unwrap()
            .stores_sent_copy;
        let sender = info
            .accounts
            .iter()
            .find(|a| a.provider == provider)
            .unwrap()
            .address
            .clone();
        let other = info
            .accounts
            .iter()
            .find(|a| a.provider != provider)
            .unwrap()
            .address
            .clone();
        let client = w.client(&sender);
        let mut archive = w.archive();
        let outcome = client
            .send(
                &mut archive,
                &draft(&[&other], &format!("Copia da {provider}")),
            )
            .unwrap();
        let note = outcome.entry.sent_copy.clone().unwrap_or_default();
        if keeps {
            assert!(note.contains("kept by the provider"), "{provider}: {note}");
        } else {
            assert!(note.contains("stored by Attesta"), "{provider}: {note}");
        }
        let found = w
            .lab
            .doveadm(&[
                "search",
                "-u",
                &sender,
                "mailbox",
                "Sent",
                "HEADER",
                "Message-ID",
                &outcome.entry.msgid,
            ])
            .unwrap();
        assert_eq!(
            found.lines().count(),
            1,
            "{provider}: one copy in Sent: {found}"
        );
    }
}
