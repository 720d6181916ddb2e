//! The append-only hash chain: one entry per message archived, per further origin recorded and per
//! verdict recorded. Entry `n`'s hash is SHA-256 over entry `n-1`'s hash and entry `n`'s exact text, so
//! editing, removing or inserting any entry breaks every hash after it; the chain's end is also kept
//! outside the database (the head file), so cutting entries off the end shows too.
//!
//! The entries say what each archived thing *was* (its SHA-256 and size, where it came from, which
//! verdict was recorded), which is how `archive check` can tell the user what was changed, and — since
//! issue 18 §3 — who did it: the person the desktop acts as (`by`, see [`crate::Person`]), in the
//! entry's text and so in its hash. An evidence pack exported is an entry too ([`Event::Exported`]).

use crate::db::{Db, OptionalExtension, params};
use chrono::{DateTime, SecondsFormat, Utc};
use pec_core::signature::SignatureStatus;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::origin::Origin;
use crate::person::Person;

/// The hash before the first entry.
pub const GENESIS: [u8; 32] = [0; 32];

/// A verdict, as the chain remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictDigest {
    pub status: SignatureStatus,
    pub signed_at: Option<String>,
    /// SHA-256 of the stored report text.
    pub report_sha256: String,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// A message's raw bytes entered the archive.
    Archived {
        sha256: String,
        size: u64,
        origin: Origin,
        /// The mailbox server's INTERNALDATE of this arrival (absent in entries written before it was
        /// kept, and for files).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        received: Option<String>,
        verdict: VerdictDigest,
    },
    /// A message already archived arrived again from somewhere else.
    Origin {
        sha256: String,
        origin: Origin,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        received: Option<String>,
    },
    /// A new verdict was recorded for a message (e.g. after trust anchors changed).
    Verdict {
        sha256: String,
        verdict: VerdictDigest,
    },
    /// A signed attachment's verdict was recorded (issue 15 §6): when its message was archived, and
    /// again whenever a re-verification says something else (e.g. after a Trusted List import).
    Document {
        /// The message's SHA-256.
        sha256: String,
        /// The attachment's position in the letter.
        part: u32,
        /// The attachment's SHA-256.
        file_sha256: String,
        verdict: crate::documents::DocumentDigest,
        /// The Trusted Lists and directories it was judged against.
        trust: crate::documents::TrustUsed,
    },
    /// An evidence pack of a send was written (issue 18 §3): the archive's own word that this pack,
    /// with exactly these bytes, was made from it — and, in the entry's `by`, by whom. The pack
    /// itself is outside the archive; nothing here is compared with a row.
    Exported {
        /// The send's Message-ID, with brackets (its link key).
        msgid: String,
        /// The SHA-256 of every message the pack holds, in the pack's order.
        messages: Vec<String>,
        /// The pack's file name as written.
        file: String,
        /// The SHA-256 of the pack (the ZIP) as written.
        pack_sha256: String,
    },
}

/// One entry of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    /// Who did it: the person the desktop that wrote the entry acts as. Absent when none was set, and
    /// in every entry written before people were recorded (so their text, hence their hash, is
    /// unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Person>,
    #[serde(flatten)]
    pub event: Event,
}

/// The end of the chain: the last entry's number and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: [u8; 32],
}

impl Head {
    pub const EMPTY: Head = Head {
        seq: 0,
        hash: GENESIS,
    };

    pub fn hash_hex(&self) -> String {
        hex(&self.hash)
    }
}

/// The chain's rule: the hash of an entry from the previous hash and the entry's text.
pub fn chain_hash(previous: &[u8; 32], text: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(previous);
    h.update(text.as_bytes());
    h.finalize().into()
}

/// A time as the archive writes it: RFC 3339, UTC, whole seconds.
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads a time written by [`time`].
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The current end of the chain in the database.
pub fn head(conn: &Db) -> crate::db::Result<Head> {
    let last = conn
        .query_row(
            "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)),
        )
        .optional()?;
    Ok(match last {
        Some((seq, hash)) => Head {
            seq,
            hash: hash.try_into().unwrap_or(GENESIS),
        },
        None => Head::EMPTY,
    })
}

/// Appends events after `head`, each done `by` that person (inside the caller's transaction); returns
/// the new head.
pub fn append(
    conn: &Db,
    mut head: Head,
    at: DateTime<Utc>,
    by: Option<&Person>,
    events: Vec<Event>,
) -> crate::db::Result<Head> {
    let at = time(at);
    let mut rows = crate::db::RowsIn::new(
        "INSERT INTO journal (seq, entry, hash) VALUES",
        "(?1, ?2, ?3)",
        "",
    );
    for event in events {
        let entry = Entry {
            seq: head.seq + 1,
            at: at.clone(),
            by: by.cloned(),
            event,
        };
        let text = serde_json::to_string(&entry)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let hash = chain_hash(&head.hash, &text);
        rows.push(params![entry.seq, text, hash.as_slice()]);
        head = Head {
            seq: entry.seq,
            hash,
        };
    }
    rows.flush(conn)?;
    Ok(head)
}

/// Something wrong with the chain itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's stored hash does not follow from its text and the previous hash: edited.
    Edited { seq: i64 },
    /// Entries are missing between two numbers: removed.
    Missing { after: i64, before: i64 },
    /// The entry's text is not an entry at all.
    Unreadable { seq: i64 },
}

/// The chain as read back, with the breaks found.
pub struct Walk {
    pub entries: Vec<Entry>,
    pub breaks: Vec<ChainBreak>,
    pub head: Head,
}

/// Reads the whole chain, recomputing every hash.
pub fn walk(conn: &Db) -> crate::db::Result<Walk> {
    let mut stmt = conn.prepare("SELECT seq, entry, hash FROM journal ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut previous = Head::EMPTY;
    let mut entries = Vec::new();
    let mut breaks = Vec::new();
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let text: String = row.get(1)?;
        let stored: Vec<u8> = row.get(2)?;
        // NOTE: the entry after a gap cannot be checked (the hash it chains from is gone) and the chain
        // goes on from its stored hash, so one removal is reported once, not as "everything after edited".
        if seq != previous.seq + 1 {
            breaks.push(ChainBreak::Missing {
                after: previous.seq,
                before: seq,
            });
        } else if chain_hash(&previous.hash, &text).as_slice() != stored.as_slice() {
            breaks.push(ChainBreak::Edited { seq });
        }
        match serde_json::from_str::<Entry>(&text) {
            Ok(entry) if entry.seq == seq => entries.push(entry),
            _ => breaks.push(ChainBreak::Unreadable { seq }),
        }
        previous = Head {
            seq,
            hash: stored.try_into().unwrap_or(GENESIS),
        };
    }
    Ok(Walk {
        entries,
        breaks,
        head: previous,
    })
}

impl crate::Archive {
    /// Every entry of the journal as stored, in order (entries that do not read are left out;
    /// `archive check` says which, and whether the chain holds).
    pub fn journal_entries(&self) -> Result<Vec<Entry>, crate::ArchiveError> {
        Ok(walk(&self.conn)?.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Db {
        let conn = Db::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        crate::migrations::run(&conn).unwrap();
        conn
    }

    fn event(n: u64) -> Event {
        Event::Origin {
            sha256: format!("{n:064x}"),
            origin: Origin::File {
                path: format!("/m/{n}.eml"),
                part: 0,
                mailbox: None,
            },
            received: None,
        }
    }

    #[test]
    fn entries_written_before_the_internaldate_was_kept_read_and_hash_as_they_were() {
        // An archive from before migration 5 has entries without `received`: they must still read,
        // and an entry without one must be spelled exactly as before, or old chains would break.
        let old = r#"{"seq":1,"at":"2025-01-01T00:00:00Z","event":"origin","sha256":"00","origin":{"source":"file","path":"/m.eml","part":0}}"#;
        let entry: Entry = serde_json::from_str(old).unwrap();
        assert!(matches!(entry.event, Event::Origin { received: None, .. }));
        assert_eq!(serde_json::to_string(&entry).unwrap(), old);
        let synced = Event::Origin {
            sha256: "00".into(),
            origin: Origin::File {
                path: "/m.eml".into(),
                part: 0,
                mailbox: None,
            },
            received: Some("2025-01-01T00:00:00Z".into()),
        };
        assert!(
            serde_json::to_string(&synced)
                .unwrap()
                .contains(r#""received":"2025-01-01T00:00:00Z""#)
        );
    }

    #[test]
    fn an_entry_written_before_people_were_recorded_reads_and_hashes_as_it_was() {
        // Issue 18 §3: an archive from before `by` (and before a submission named its sender) has
        // entries without either. They must read, and be spelled exactly as stored — else their hash,
        // and every hash after them, would no longer follow.
        let old = r#"{"seq":7,"at":"2026-03-02T09:15:00Z","event":"archived","sha256":"ab","size":812,"origin":{"source":"submitted","account":"studio@pec.example"},"verdict":{"status":"unsigned","signed_at":null,"report_sha256":"cd"}}"#;
        let entry: Entry = serde_json::from_str(old).unwrap();
        assert_eq!(entry.by, None);
        assert!(matches!(
            &entry.event,
            Event::Archived {
                origin: Origin::Submitted { by: None, .. },
                ..
            }
        ));
        assert_eq!(serde_json::to_string(&entry).unwrap(), old);
        let before = [7u8; 32];
        assert_eq!(
            chain_hash(&before, &serde_json::to_string(&entry).unwrap()),
            chain_hash(&before, old)
        );
    }

    #[test]
    fn who_did_it_is_in_the_entry_text_and_so_in_its_hash() {
        let maria = Person::new("Avv. Maria Rossi", Some("maria.rossi@studio.example")).unwrap();
        let at = DateTime::<Utc>::from_timestamp(1_765_000_000, 0).unwrap();
        let anonymous = db();
        let named = db();
        let a = append(&anonymous, Head::EMPTY, at, None, vec![event(1)]).unwrap();
        let n = append(&named, Head::EMPTY, at, Some(&maria), vec![event(1)]).unwrap();
        assert_ne!(a.hash, n.hash, "the person is hashed");
        let text: String = named
            .query_row("SELECT entry FROM journal WHERE seq = 1", [], |r| r.get(0))
            .unwrap();
        assert!(
            text.starts_with(
                r#"{"seq":1,"at":"2025-12-06T05:46:40Z","by":{"name":"Avv. Maria Rossi","email":"maria.rossi@studio.example"},"event":"origin""#
            ),
            "{text}"
        );
        let w = walk(&named).unwrap();
        assert!(w.breaks.is_empty());
        assert_eq!(w.entries[0].by.as_ref(), Some(&maria));
        let plain: String = anonymous
            .query_row("SELECT entry FROM journal WHERE seq = 1", [], |r| r.get(0))
            .unwrap();
        assert!(!plain.contains("\"by\""), "{plain}");

        // Someone else's name put in its place is an edit the chain shows.
        named
            .execute_batch(
                "DROP TRIGGER journal_is_append_only_u;
                 UPDATE journal SET entry = replace(entry, 'Maria Rossi', 'Luca Bianchi') WHERE seq = 1;",
            )
            .unwrap();
        assert_eq!(
            walk(&named).unwrap().breaks,
            [ChainBreak::Edited { seq: 1 }]
        );
    }

    #[test]
    fn an_export_entry_names_the_pack_and_its_messages() {
        let maria = Person::new("Avv. Maria Rossi", None).unwrap();
        let conn = db();
        let exported = Event::Exported {
            msgid: "<abc@studio.example>".into(),
            messages: vec!["aa".into(), "bb".into()],
            file: "2026-03-02_17_Diffida.zip".into(),
            pack_sha256: "cc".into(),
        };
        let at = DateTime::<Utc>::from_timestamp(1_765_000_000, 0).unwrap();
        append(&conn, Head::EMPTY, at, Some(&maria), vec![exported.clone()]).unwrap();
        let w = walk(&conn).unwrap();
        assert!(w.breaks.is_empty());
        assert_eq!(w.entries[0].event, exported);
        assert_eq!(w.entries[0].by.as_ref(), Some(&maria));
    }

    #[test]
    fn an_intact_chain_walks_clean_and_ends_at_its_head() {
        let conn = db();
        let at = DateTime::<Utc>::from_timestamp(1_765_000_000, 0).unwrap();
        let h = append(&conn, Head::EMPTY, at, None, (1..=3).map(event).collect()).unwrap();
        let h = append(&conn, h, at, None, vec![event(4)]).unwrap();
        assert_eq!(head(&conn).unwrap(), h);
        let w = walk(&conn).unwrap();
        assert!(w.breaks.is_empty());
        assert_eq!(w.entries.len(), 4);
        assert_eq!(w.head, h);
    }

    #[test]
    fn the_journal_refuses_updates_and_deletes_from_attesta_itself() {
        let conn = db();
        append(
            &conn,
            Head::EMPTY,
            DateTime::<Utc>::from_timestamp(1_765_000_000, 0).unwrap(),
            None,
            vec![event(1)],
        )
        .unwrap();
        assert!(conn.execute("UPDATE journal SET entry = 'x'", []).is_err());
        assert!(conn.execute("DELETE FROM journal", []).is_err());
    }

    #[test]
    fn an_edited_or_removed_entry_is_found() {
        let conn = db();
        append(
            &conn,
            Head::EMPTY,
            DateTime::<Utc>::from_timestamp(1_765_000_000, 0).unwrap(),
            None,
            (1..=5).map(event).collect(),
        )
        .unwrap();
        conn.execute_batch(
            "DROP TRIGGER journal_is_append_only_u; DROP TRIGGER journal_is_append_only_d;
             UPDATE journal SET entry = replace(entry, '/m/2.eml', '/m/9.eml') WHERE seq = 2;
             DELETE FROM journal WHERE seq = 4;",
        )
        .unwrap();
        let w = walk(&conn).unwrap();
        assert_eq!(
            w.breaks,
            [
                ChainBreak::Edited { seq: 2 },
                ChainBreak::Missing {
                    after: 3,
                    before: 5
                },
            ]
        );
    }
}
