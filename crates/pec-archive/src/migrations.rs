//! Numbered, transactional schema migrations, on both engines.
//!
//! The archive's version is SQLite's `user_version`, or the one row of `attesta_schema` on PostgreSQL
//! (whose schema steps are in [`crate::db::postgres::schema`], numbered the same: version `n` means the
//! same tables on both). Each migration runs in its own transaction together with the version bump, so a failure leaves the file exactly at the previous version: user data is never
//! dropped or reset (evidence is not a cache). A file from a newer Attesta is refused, never "downgraded".
//! Migrations are append-only: a shipped one is never edited; changes come as a new number.

use crate::db::{Db, Engine};

/// One schema step.
pub struct Migration {
    pub version: i64,
    pub sql: &'static str,
}

/// Every migration, in order. `version` is the `user_version` after it ran.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: V1,
    },
    Migration {
        version: 2,
        sql: V2,
    },
    Migration {
        version: 3,
        sql: V3,
    },
    Migration {
        version: 4,
        sql: V4,
    },
    Migration {
        version: 5,
        sql: V5,
    },
    Migration {
        version: 6,
        sql: V6,
    },
    Migration {
        version: 7,
        sql: V7,
    },
    Migration {
        version: 8,
        sql: V8,
    },
    Migration {
        version: 9,
        sql: V9,
    },
    Migration {
        version: 10,
        sql: V10,
    },
    Migration {
        version: 11,
        sql: V11,
    },
    Migration {
        version: 12,
        sql: V12,
    },
];

/// The newest schema this build knows.
pub fn latest() -> i64 {
    latest_of(MIGRATIONS)
}

/// The archive's schema version (0: a new, empty database).
pub fn current(db: &Db) -> crate::db::Result<i64> {
    match db.engine() {
        Engine::Sqlite => db.query_row("PRAGMA user_version", [], |r| r.get(0)),
        Engine::Postgres => {
            // NOTE: read from the catalog with a query, never with `to_regclass`: the latter answers
            // from the connection's catalog cache, which keeps "no such table" for a transaction that
            // began before another desktop created the schema and committed (each step below waits
            // for the writers' lock inside its transaction), so that desktop would create it again.
            let exists: bool = db.query_row(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables \
                 WHERE schemaname = current_schema() AND tablename = 'attesta_schema')",
                [],
                |r| r.get(0),
            )?;
            if !exists {
                return Ok(0);
            }
            db.query_row("SELECT version FROM attesta_schema", [], |r| r.get(0))
        }
    }
}

/// The migrations of `db`'s engine.
pub fn of(db: &Db) -> &'static [Migration] {
    match db.engine() {
        Engine::Sqlite => MIGRATIONS,
        Engine::Postgres => crate::db::postgres::schema::MIGRATIONS,
    }
}

/// The newest version among `steps`.
pub fn latest_of(steps: &[Migration]) -> i64 {
    steps.last().map_or(0, |m| m.version)
}

/// Runs the migrations newer than the file's version. On failure, returns the version that failed
/// and the error; everything before it stays committed, that step is rolled back.
/// Version 12: a file imported for a mailbox (`attesta import --mailbox`, issue 18 §4) keeps it in
/// `origins.account`, and the same file imported for another mailbox, or for none, is another arrival.
const V12: &str = r#"
DROP INDEX origins_file;
CREATE UNIQUE INDEX origins_file ON origins(path, part, raw_id, coalesce(account, '')) WHERE source = 'file';
"#;

#[cfg(test)]
pub fn run(db: &Db) -> Result<(), (i64, crate::db::Error)> {
    run_steps(db, of(db), &mut |_, _, _| {})
}

/// Runs the `steps` newer than the file's version, telling `starting(n, of, version)` before each
/// (`n` counts from 1 among the steps this file needs). Each step checks the version again inside its
/// transaction: another Attesta sharing the server may have just taken it.
pub fn run_steps(
    db: &Db,
    steps: &[Migration],
    starting: &mut dyn FnMut(u32, u32, i64),
) -> Result<(), (i64, crate::db::Error)> {
    let have = current(db).map_err(|e| (0, e))?;
    let pending: Vec<&Migration> = steps.iter().filter(|m| m.version > have).collect();
    let of = u32::try_from(pending.len()).unwrap_or(u32::MAX);
    for (n, m) in (1..).zip(pending) {
        starting(n, of, m.version);
        let step = || -> crate::db::Result<()> {
            let tx = db.transaction()?;
            if current(&tx)? >= m.version {
                return tx.commit();
            }
            tx.execute_batch(m.sql)?;
            match tx.engine() {
                Engine::Sqlite => {
                    tx.execute_batch(&format!("PRAGMA user_version = {}", m.version))?
                }
                Engine::Postgres => {
                    tx.execute("UPDATE attesta_schema SET version = ?1", [m.version])?;
                }
            }
            tx.commit()
        };
        step().map_err(|e| (m.version, e))?;
    }
    Ok(())
}

/// Version 1: raw bytes, origins, verdicts, derived facts, sends, search, journal.
const V1: &str = r#"
-- The evidence itself: each message's exact bytes, stored once, addressed by SHA-256 (of the original
-- bytes; `bytes` holds them losslessly compressed as `codec` says, see blob.rs).
CREATE TABLE raw (
    id          INTEGER PRIMARY KEY,
    sha256      BLOB NOT NULL UNIQUE,
    size        INTEGER NOT NULL,
    codec       TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    archived_at TEXT NOT NULL
);
CREATE TRIGGER raw_is_immutable BEFORE UPDATE ON raw
BEGIN SELECT RAISE(ABORT, 'archived messages are never modified'); END;
CREATE TRIGGER raw_is_permanent BEFORE DELETE ON raw
BEGIN SELECT RAISE(ABORT, 'archived messages are never deleted'); END;

-- Where each message came from: recorded facts, one row per distinct arrival.
CREATE TABLE origins (
    id          INTEGER PRIMARY KEY,
    raw_id      INTEGER NOT NULL REFERENCES raw(id),
    source      TEXT NOT NULL,
    account     TEXT,
    folder      TEXT,
    folder_role TEXT,
    uidvalidity INTEGER,
    uid         INTEGER,
    path        TEXT,
    part        INTEGER,
    seen_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX origins_imap ON origins(account, folder, uidvalidity, uid) WHERE source = 'imap';
CREATE UNIQUE INDEX origins_file ON origins(path, part, raw_id) WHERE source = 'file';
CREATE UNIQUE INDEX origins_submitted ON origins(account, raw_id) WHERE source = 'submitted';
CREATE INDEX origins_raw ON origins(raw_id);
CREATE TRIGGER origins_are_permanent BEFORE DELETE ON origins
BEGIN SELECT RAISE(ABORT, 'origins are never deleted'); END;

-- Signature verdicts as recorded (a re-verification appends). Report texts are shared: receipts of one
-- provider differ mostly by their signing time, which has its own column.
CREATE TABLE verdict_texts (
    id     INTEGER PRIMARY KEY,
    sha256 BLOB NOT NULL UNIQUE,
    report TEXT NOT NULL
);
CREATE TABLE verdicts (
    id          INTEGER PRIMARY KEY,
    raw_id      INTEGER NOT NULL REFERENCES raw(id),
    status      TEXT NOT NULL,
    signed_at   TEXT,
    text_id     INTEGER NOT NULL REFERENCES verdict_texts(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX verdicts_raw ON verdicts(raw_id, id);

-- Derived facts, one row per raw message; `attesta archive rebuild` recomputes them.
CREATE TABLE messages (
    id                 INTEGER PRIMARY KEY REFERENCES raw(id),
    kind               TEXT NOT NULL,
    virus              INTEGER NOT NULL,
    provider           TEXT,
    sender             TEXT,
    subject            TEXT,
    identificativo     TEXT,
    msgid              TEXT,
    message_id         TEXT,
    link_key           TEXT,
    link_basis         TEXT,
    consegna           TEXT,
    certified_at       TEXT,
    receipt_type       TEXT,
    errore             TEXT,
    errore_esteso      TEXT,
    recipients         TEXT NOT NULL,
    untyped_recipients TEXT NOT NULL,
    date               TEXT,
    findings           TEXT NOT NULL,
    attachments        TEXT NOT NULL,
    sig_status         TEXT NOT NULL,
    signed_at          TEXT
);
CREATE INDEX messages_link ON messages(link_key);

-- Sends, derived by correlation (PEC rules §7); rebuilt from messages.
CREATE TABLE sent (
    id          INTEGER PRIMARY KEY,
    link_key    TEXT NOT NULL UNIQUE,
    subject     TEXT,
    sender      TEXT,
    sent_at     TEXT,
    accepted_at TEXT,
    sort_at     TEXT,
    summary     TEXT NOT NULL,
    evidence    TEXT NOT NULL,
    findings    TEXT NOT NULL
);
CREATE INDEX sent_sort ON sent(sort_at);
CREATE TABLE sent_recipients (
    sent_id    INTEGER NOT NULL REFERENCES sent(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    address    TEXT NOT NULL,
    type       TEXT,
    state      TEXT NOT NULL,
    at         TEXT,
    reason     TEXT,
    decided_by INTEGER,
    PRIMARY KEY (sent_id, position)
) WITHOUT ROWID;
CREATE INDEX sent_recipients_state ON sent_recipients(state, sent_id);

-- Search over subject, parties, body text and attachment names. Contentless: the index only.
CREATE VIRTUAL TABLE search USING fts5(
    subject, parties, body, attachments,
    content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

-- The append-only hash chain over everything archived and every verdict recorded.
CREATE TABLE journal (
    seq   INTEGER PRIMARY KEY,
    entry TEXT NOT NULL,
    hash  BLOB NOT NULL
);
CREATE TRIGGER journal_is_append_only_u BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_is_append_only_d BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
"#;

/// Version 2: the outbox (submissions in flight) and the IMAP sync state. Operational records, not
/// evidence: the submitted bytes themselves are archived in `raw` before any submission.
const V2: &str = r#"
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    raw_id      INTEGER NOT NULL UNIQUE REFERENCES raw(id),
    account     TEXT NOT NULL,
    msgid       TEXT NOT NULL,
    recipients  TEXT NOT NULL,
    state       TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    detail      TEXT,
    sent_copy   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX outbox_state ON outbox(account, state);

CREATE TABLE sync_state (
    account        TEXT NOT NULL,
    folder         TEXT NOT NULL,
    uidvalidity    INTEGER NOT NULL,
    uid_next       INTEGER,
    exists_count   INTEGER NOT NULL,
    highest_modseq INTEGER,
    synced_at      TEXT NOT NULL,
    PRIMARY KEY (account, folder)
) WITHOUT ROWID;
"#;

/// Version 3: indexes for the app's lists (`listing.rs`), so a page of 100,000 messages is an index walk.
/// `coalesce(certified_at, date)` is the list's date, spelled exactly as the queries spell it.
const V3: &str = r#"
CREATE INDEX messages_kind_at ON messages(kind, coalesce(certified_at, date), id);
CREATE INDEX messages_receipts_at ON messages(coalesce(certified_at, date), id)
    WHERE kind IN ('acceptance', 'non-acceptance', 'taken-in-charge', 'delivery', 'delivery-failure', 'delivery-warning12h', 'delivery-timeout24h', 'virus-detected');
CREATE INDEX sent_subject ON sent(subject COLLATE NOCASE);
"#;

/// Version 4: a `disputed` recipient (issue 13 §3) keeps both receipts: `decided_by` the delivery,
/// `disputed_by` the failure that contradicts it. Existing rows get NULL; `archive rebuild` recomputes.
const V4: &str = r#"
ALTER TABLE sent_recipients ADD COLUMN disputed_by INTEGER;
"#;

/// Version 5: the IMAP INTERNALDATE of each arrival (issue 13 §4), a time the signer does not choose,
/// kept so that `archive rebuild` judges a synced signature with the same witnesses as the sync did.
/// Recorded in the journal with the origin. Earlier arrivals get NULL (it was not kept).
const V5: &str = r#"
ALTER TABLE origins ADD COLUMN received_at TEXT;
"#;

/// Version 6: the lists sorted by sender or subject walk an index too, in either direction and at any
/// depth (issue 16 §4: sorting 25,000 envelopes by sender took 60–160 ms and grew with the archive; a
/// page from the index takes a few). The receipt kinds are those of version 3's partial index.
const V6: &str = r#"
CREATE INDEX messages_kind_sender ON messages(kind, sender COLLATE NOCASE, coalesce(certified_at, date), id);
CREATE INDEX messages_kind_subject ON messages(kind, subject COLLATE NOCASE, coalesce(certified_at, date), id);
CREATE INDEX messages_receipts_sender ON messages(sender COLLATE NOCASE, coalesce(certified_at, date), id)
    WHERE kind IN ('acceptance', 'non-acceptance', 'taken-in-charge', 'delivery', 'delivery-failure', 'delivery-warning12h', 'delivery-timeout24h', 'virus-detected');
CREATE INDEX messages_receipts_subject ON messages(subject COLLATE NOCASE, coalesce(certified_at, date), id)
    WHERE kind IN ('acceptance', 'non-acceptance', 'taken-in-charge', 'delivery', 'delivery-failure', 'delivery-warning12h', 'delivery-timeout24h', 'virus-detected');
"#;

/// Version 7: REM beside PEC (issue 14). `family` says which certified-mail family a message's signed
/// data belongs to; a REM message keeps its own event and reason beside the PEC kind it is correlated
/// as (`docs/rem.md` §5). Rows written before are PEC or plain mail, as their kind says.
const V7: &str = r#"
ALTER TABLE messages ADD COLUMN family TEXT NOT NULL DEFAULT 'pec';
UPDATE messages SET family = 'none' WHERE kind = 'not-pec';
ALTER TABLE messages ADD COLUMN rem_kind TEXT;
ALTER TABLE messages ADD COLUMN rem_reason TEXT;
ALTER TABLE sent ADD COLUMN family TEXT NOT NULL DEFAULT 'pec';
"#;

/// Version 8: who sent a submission (issue 18 §3), on its origin row — the name and e-mail of the
/// person the desktop acted as, exactly as the journal entry that recorded the submission says.
/// Submissions recorded before get NULL: no one was recorded.
const V8: &str = r#"
ALTER TABLE origins ADD COLUMN sent_by TEXT;
ALTER TABLE origins ADD COLUMN sent_by_email TEXT;
"#;

/// Version 9: a message's link key up to its first `@` (`local@`), when the local part is long enough to
/// match on (12 characters, `links::MIN_LOCAL_PART`), computed by the database and indexed: REM's loose
/// match looks its siblings up by it instead of reading every message (issue 18: imports stayed fast
/// only while archives were small).
const V9: &str = r#"
ALTER TABLE messages ADD COLUMN link_local TEXT GENERATED ALWAYS AS (
    CASE WHEN instr(link_key, '@') > 12 THEN substr(link_key, 1, instr(link_key, '@')) END
) VIRTUAL;
CREATE INDEX messages_link_local ON messages(link_local) WHERE link_local IS NOT NULL;
"#;

// NOTE: mailbox grants are the shared archive's (row-level security, `access.rs`); a file archive is its
// owner's. The table is here too, empty, so that version 10 holds the same tables on both engines.
const V10: &str = r#"
CREATE TABLE mailbox_grants (
    role    TEXT NOT NULL,
    mailbox TEXT NOT NULL,
    PRIMARY KEY (role, mailbox)
);
CREATE INDEX verdicts_text ON verdicts(text_id);
CREATE INDEX origins_mailbox ON origins(lower(account), raw_id);
"#;

/// Version 11: the verdicts of signed attachments (issue 15 §6, `documents.rs`), appended like the
/// message verdicts (a re-verification that says something else adds a row; the journal has an entry
/// for each) and never changed. Archives from before hold none until `archive rebuild` checks them.
const V11: &str = r#"
CREATE TABLE document_verdicts (
    id             INTEGER PRIMARY KEY,
    raw_id         INTEGER NOT NULL REFERENCES raw(id),
    part           INTEGER NOT NULL,
    name           TEXT NOT NULL,
    file_sha256    TEXT NOT NULL,
    format         TEXT,
    status         TEXT NOT NULL,
    qualified      TEXT NOT NULL,
    signer         TEXT,
    signed_at      TEXT,
    judged_at      TEXT,
    time_basis     TEXT NOT NULL,
    content_sha256 TEXT,
    checked_at     TEXT NOT NULL,
    trust          TEXT NOT NULL,
    report         TEXT NOT NULL,
    report_sha256  BLOB NOT NULL
);
CREATE INDEX document_verdicts_raw ON document_verdicts(raw_id, part, id);
CREATE TRIGGER document_verdicts_are_immutable BEFORE UPDATE ON document_verdicts
BEGIN SELECT RAISE(ABORT, 'recorded verdicts are never modified'); END;
CREATE TRIGGER document_verdicts_are_permanent BEFORE DELETE ON document_verdicts
BEGIN SELECT RAISE(ABORT, 'recorded verdicts are never deleted'); END;
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_one_by_one_and_alike_on_both_engines() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
        }
        let postgres: Vec<i64> = crate::db::postgres::schema::MIGRATIONS
            .iter()
            .map(|m| m.version)
            .collect();
        let sqlite: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
        assert_eq!(postgres, sqlite);
    }

    #[test]
    fn a_failed_migration_rolls_back_and_keeps_the_data_at_the_previous_version() {
        let conn = Db::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        run(&conn).unwrap();
        conn.execute(
            "INSERT INTO raw (sha256, size, codec, bytes, archived_at) VALUES (x'00', 1, 'identity', x'41', 'now')",
            [],
        )
        .unwrap();
        let broken = [Migration {
            version: latest() + 1,
            sql: "ALTER TABLE raw ADD COLUMN extra TEXT; THIS IS NOT SQL;",
        }];
        let (version, _) = run_steps(&conn, &broken, &mut |_, _, _| {}).unwrap_err();
        assert_eq!(version, latest() + 1);
        assert_eq!(current(&conn).unwrap(), latest());
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM raw", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
        assert!(
            conn.prepare("SELECT extra FROM raw").is_err(),
            "the half step was rolled back"
        );
    }

    #[test]
    fn a_fresh_database_reaches_the_latest_version() {
        let conn = Db::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        run(&conn).unwrap();
        assert_eq!(current(&conn).unwrap(), latest());
        run(&conn).unwrap();
        assert_eq!(current(&conn).unwrap(), latest());
    }
}
