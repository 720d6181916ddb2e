//! The app's lists (issue 6): views by kind and by IMAP folder, sorted, filtered and paged with their
//! totals, and the Sent list with its attention filters.

use chrono::{Duration, TimeZone, Utc};
use pec_archive::listing::{ListQuery, ListScope, ListSort, SentQuery, SentSort};
use pec_archive::{Archive, FolderRole, Incoming, Origin, Reading};
use pec_core::PecKind;
use pec_core::correlate::RecipientState;
use pec_core::signature::TrustAnchors;
use pec_testkit::{Pec, PecKindSpec, PlaceholderSigner, Send};

use super::{fresh, now};

fn query(scope: ListScope) -> ListQuery {
    ListQuery {
        scope,
        sort: ListSort::Date,
        descending: true,
        text: String::new(),
        problems_only: false,
        offset: 0,
        limit: 100,
    }
}

fn imap(folder: &str, role: FolderRole, uid: u32) -> Origin {
    Origin::Imap {
        account: "studio@pec.provider.example".into(),
        folder: folder.into(),
        role,
        uidvalidity: 7,
        uid,
    }
}

/// Three received envelopes in INBOX, and one send (to a certified and an external recipient) with its
/// acceptance and one delivery, the receipts also in INBOX and the sent copy in Sent.
fn mailbox() -> (tempfile::TempDir, Archive) {
    let (dir, mut archive) = fresh();
    let anchors = TrustAnchors::builtin();
    let t0 = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let mut batch = Vec::new();
    let mut uid = 0;
    let mut push = |raw: Vec<u8>, folder: &str, role| {
        uid += 1;
        batch.push(Incoming {
            reading: Some(Reading::of(
                &raw,
                &anchors,
                std::time::SystemTime::now().into(),
            )),
            raw,
            origin: imap(folder, role, uid),
            received: None,
        });
    };
    for (i, (from, subject)) in [
        ("tribunale@pec.giustizia.example", "Notifica atto 118/2026"),
        ("agenzia@pec.entrate.example", "Avviso bonario"),
        ("comune@pec.comune.example", "Convocazione assemblea"),
    ]
    .iter()
    .enumerate()
    {
        let mut send = Send::new(
            from,
            &["studio@pec.provider.example"],
            subject,
            t0 + Duration::hours(i as i64),
        );
        send.msgid = format!("in-{i}@client.example");
        push(
            Pec::new(&send, PecKindSpec::Envelope).build(&PlaceholderSigner),
            "INBOX",
            FolderRole::Inbox,
        );
    }
    let mut send = Send::new(
        "studio@pec.provider.example",
        &["ufficio@pec.altro.example"],
        "Diffida ad adempiere",
        t0 + Duration::hours(5),
    );
    send.to.push(("amico@gmail.example".into(), false));
    send.msgid = "out-1@client.example".into();
    push(send.original(), "Sent", FolderRole::Sent);
    push(
        Pec::new(&send, PecKindSpec::Acceptance).build(&PlaceholderSigner),
        "INBOX",
        FolderRole::Inbox,
    );
    let mut delivery = Pec::new(
        &send,
        PecKindSpec::Delivery {
            recipient: "ufficio@pec.altro.example".into(),
        },
    );
    delivery.at = send.sent_at + Duration::seconds(30);
    push(
        delivery.build(&PlaceholderSigner),
        "INBOX",
        FolderRole::Inbox,
    );
    archive.store(batch, now()).unwrap();
    (dir, archive)
}

#[test]
fn the_inbox_lists_received_envelopes_as_their_original_newest_first() {
    let (_dir, archive) = mailbox();
    let page = archive.list(&query(ListScope::Inbox)).unwrap();
    assert_eq!(page.total, 3);
    let subjects: Vec<_> = page
        .rows
        .iter()
        .map(|r| r.subject.clone().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            "Convocazione assemblea",
            "Avviso bonario",
            "Notifica atto 118/2026"
        ]
    );
    assert_eq!(
        page.rows[0].sender.as_deref(),
        Some("comune@pec.comune.example")
    );
    assert!(
        page.rows
            .iter()
            .all(|r| r.kind == PecKind::TransportEnvelope)
    );
}

#[test]
fn lists_sort_by_subject_or_sender_and_page_with_the_total() {
    let (_dir, archive) = mailbox();
    let mut q = query(ListScope::Inbox);
    q.sort = ListSort::Subject;
    q.descending = false;
    q.limit = 2;
    let first = archive.list(&q).unwrap();
    assert_eq!(first.total, 3);
    assert_eq!(first.rows.len(), 2);
    assert_eq!(first.rows[0].subject.as_deref(), Some("Avviso bonario"));
    q.offset = 2;
    let rest = archive.list(&q).unwrap();
    assert_eq!(rest.rows.len(), 1);
    assert_eq!(
        rest.rows[0].subject.as_deref(),
        Some("Notifica atto 118/2026")
    );
    // A later page without counting the list again: the same rows.
    assert_eq!(archive.list_rows(&q).unwrap(), rest.rows);
    q.offset = 0;
    assert_eq!(archive.list_rows(&q).unwrap(), first.rows);
    q.sort = ListSort::Sender;
    q.offset = 0;
    q.limit = 10;
    let senders: Vec<_> = archive
        .list(&q)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.sender.unwrap())
        .collect();
    assert_eq!(senders[0], "agenzia@pec.entrate.example");
}

#[test]
fn receipts_a_folder_and_a_text_filter_each_list_their_own() {
    let (_dir, archive) = mailbox();
    let receipts = archive.list(&query(ListScope::Receipts)).unwrap();
    assert_eq!(receipts.total, 2);
    assert_eq!(receipts.rows[0].kind, PecKind::Delivery);
    assert_eq!(
        receipts.rows[0].consegna.as_deref(),
        Some("ufficio@pec.altro.example")
    );
    assert_eq!(receipts.rows[1].kind, PecKind::Acceptance);
    let inbox_folder = archive
        .list(&query(ListScope::Folder {
            account: "studio@pec.provider.example".into(),
            folder: "INBOX".into(),
        }))
        .unwrap();
    assert_eq!(inbox_folder.total, 5, "3 envelopes and 2 receipts");
    assert_eq!(
        inbox_folder.rows[0].kind,
        PecKind::Delivery,
        "the last one received first"
    );
    let mut q = query(ListScope::Inbox);
    q.text = "bonar".into();
    let found = archive.list(&q).unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.rows[0].subject.as_deref(), Some("Avviso bonario"));
    q.text = String::new();
    q.problems_only = true;
    assert_eq!(
        archive.list(&q).unwrap().total,
        3,
        "placeholder signatures are never valid"
    );
    assert_eq!(archive.list(&query(ListScope::Anomalies)).unwrap().total, 0);
    let folders = archive.folders().unwrap();
    let names: Vec<_> = folders
        .iter()
        .map(|f| (f.folder.as_str(), f.count))
        .collect();
    assert_eq!(names, [("INBOX", 5), ("Sent", 1)]);
    assert_eq!(folders[1].role, FolderRole::Sent);
}

#[test]
fn the_sent_list_pages_sends_with_their_recipients_and_filters_what_needs_attention() {
    let (_dir, archive) = mailbox();
    let all = archive
        .sent_page(
            &SentQuery {
                limit: 50,
                descending: true,
                ..SentQuery::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!(all.total, 1);
    let send = &all.rows[0];
    assert_eq!(send.subject.as_deref(), Some("Diffida ad adempiere"));
    assert_eq!(send.recipients.len(), 2);
    let pending = SentQuery {
        pending: true,
        limit: 50,
        ..SentQuery::default()
    };
    let failed = SentQuery {
        failed: true,
        sort: SentSort::Subject,
        limit: 50,
        ..SentQuery::default()
    };
    // Placeholder signatures move no state: the recipient stays pending; and with no certified (valid)
    // acceptance there is no deadline to be past.
    assert!(
        send.recipients
            .iter()
            .any(|r| r.state == RecipientState::Pending)
    );
    assert_eq!(archive.sent_page(&pending, now()).unwrap().total, 1);
    assert_eq!(archive.sent_page(&failed, now()).unwrap().total, 0);
    let overdue = SentQuery {
        overdue: true,
        limit: 50,
        ..SentQuery::default()
    };
    assert_eq!(archive.sent_page(&overdue, now()).unwrap().total, 0);
    let counts = archive.view_counts(now()).unwrap();
    assert_eq!(
        (counts.inbox, counts.receipts, counts.anomalies, counts.sent),
        (3, 2, 0, 1)
    );
    assert_eq!(counts.overdue, 0);
    let text = SentQuery {
        text: "diffida".into(),
        limit: 50,
        ..SentQuery::default()
    };
    assert_eq!(archive.sent_page(&text, now()).unwrap().total, 1);
}
