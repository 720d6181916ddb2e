//! Issue 13 §5: the chain alone catches edits by a program that does not recompute it; a rewrite of
//! the whole journal (and the head file) with fresh hashes is caught only by a head noted down outside
//! the data directory, which `check_anchor` holds the chain to.

use std::path::Path;

use pec_archive::check::ProblemCode;
use pec_archive::journal::{chain_hash, hex};
use pec_archive::{Anchor, AnchorCheck, Archive};
use rusqlite::Connection;

use super::{fresh, signed, store_files};

/// An archive with a signed send stored in two batches, and the anchor noted after the first.
fn anchored() -> Option<(tempfile::TempDir, Archive, Anchor)> {
    let signed = signed()?;
    if super::on_postgres() {
        println!("SKIPPED on PostgreSQL: this forger edits the SQLite file directly");
        return None;
    }
    let (dir, mut archive) = fresh();
    store_files(&mut archive, &signed.anchors, &signed.files[..2]);
    let anchor = archive.chain_head().unwrap();
    store_files(&mut archive, &signed.anchors, &signed.files[2..]);
    Some((dir, archive, anchor))
}

fn unlocked(db: &Path) -> Connection {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER journal_is_append_only_u; DROP TRIGGER journal_is_append_only_d;",
    )
    .unwrap();
    conn
}

/// Rewrites entry 1's origin path and recomputes every stored hash and the head file, as a forger
/// who knows the chain's rule would.
fn rewrite_whole_chain(db: &Path) {
    let conn = unlocked(db);
    let entries: Vec<(i64, String)> = conn
        .prepare("SELECT seq, entry FROM journal ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut previous = [0u8; 32];
    let mut last = 0;
    for (seq, text) in entries {
        let text = if seq == 1 {
            text.replace("/in/sent.eml", "/in/forged.eml")
        } else {
            text
        };
        previous = chain_hash(&previous, &text);
        last = seq;
        conn.execute(
            "UPDATE journal SET entry = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![text, previous.as_slice(), seq],
        )
        .unwrap();
    }
    conn.execute(
        "UPDATE origins SET path = '/in/forged.eml' WHERE path = '/in/sent.eml'",
        [],
    )
    .ok();
    let mut head = db.as_os_str().to_owned();
    head.push(".head");
    std::fs::write(
        head,
        format!(
            "attesta-archive-head 1\ncommitted {last} {}\n",
            hex(&previous)
        ),
    )
    .unwrap();
}

#[test]
fn issue_13_a_chain_that_grew_past_the_anchor_holds_and_says_how_much_came_after() {
    let Some((_dir, archive, anchor)) = anchored() else {
        return;
    };
    let head = archive.chain_head().unwrap();
    assert!(head.seq > anchor.seq);
    assert_eq!(
        archive.check_anchor(&anchor).unwrap(),
        AnchorCheck::Holds {
            since: (head.seq - anchor.seq) as u64
        }
    );
    assert_eq!(
        archive.check_anchor(&head).unwrap(),
        AnchorCheck::Holds { since: 0 }
    );
}

#[test]
fn issue_13_an_entry_edited_without_recomputing_the_chain_fails_the_anchor_and_the_check() {
    let Some((_dir, archive, anchor)) = anchored() else {
        return;
    };
    let db = archive.path().to_owned();
    drop(archive);
    unlocked(&db)
        .execute(
            "UPDATE journal SET entry = replace(entry, '/in/sent.eml', '/in/forged.eml') WHERE seq = 1",
            [],
        )
        .unwrap();
    let archive = Archive::open(&db).unwrap();
    assert!(!archive.check().unwrap().is_clean());
    assert_eq!(
        archive.check_anchor(&anchor).unwrap(),
        AnchorCheck::Differs { seq: anchor.seq }
    );
}

#[test]
fn issue_13_a_rewrite_of_the_whole_chain_passes_the_chain_but_not_the_anchor() {
    let Some((_dir, archive, anchor)) = anchored() else {
        return;
    };
    let db = archive.path().to_owned();
    drop(archive);
    rewrite_whole_chain(&db);
    let archive = Archive::open(&db).unwrap();
    let journal_problems: Vec<_> = archive
        .check()
        .unwrap()
        .problems
        .into_iter()
        .filter(|p| {
            matches!(
                p.code,
                ProblemCode::JournalEdited
                    | ProblemCode::JournalGap
                    | ProblemCode::JournalUnreadable
                    | ProblemCode::JournalTruncated
                    | ProblemCode::HeadFile
            )
        })
        .collect();
    assert!(
        journal_problems.is_empty(),
        "the chain is consistent again: {journal_problems:?}"
    );
    assert_eq!(
        archive.check_anchor(&anchor).unwrap(),
        AnchorCheck::Differs { seq: anchor.seq }
    );
}

#[test]
fn issue_13_entries_cut_off_before_the_anchor_leave_the_chain_short_of_it() {
    let Some((_dir, archive, _)) = anchored() else {
        return;
    };
    let head = archive.chain_head().unwrap();
    let db = archive.path().to_owned();
    drop(archive);
    unlocked(&db)
        .execute("DELETE FROM journal WHERE seq >= ?1", [head.seq - 1])
        .unwrap();
    let archive = Archive::open(&db).unwrap();
    assert_eq!(
        archive.check_anchor(&head).unwrap(),
        AnchorCheck::Short {
            missing: head.seq - 1,
            last: head.seq - 2
        }
    );
}
