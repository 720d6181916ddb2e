//! A batch's new rows, held until the batch is written out together (issue 18: on PostgreSQL a row a
//! statement is most of an import's cost). Stored messages, their origins, verdicts, facts and search
//! documents are gathered here and inserted table by table, many rows per statement
//! ([`crate::db::RowsIn`]), in the order their references need: raw bytes, origins, verdict texts,
//! verdicts, facts, search. Anything that reads what a batch wrote (links, the journal's checks) comes
//! after [`Pending::flush`]; everything stays inside the batch's one transaction.

use crate::db::{Db, Engine, RowsIn};

/// The rows a batch has yet to insert.
pub(crate) struct Pending {
    pub raw: RowsIn,
    pub origins: RowsIn,
    pub verdict_texts: RowsIn,
    pub verdicts: RowsIn,
    pub messages: RowsIn,
    /// PostgreSQL's search documents (SQLite's full-text table is written at once: see `put_search`).
    pub search: RowsIn,
}

/// The `messages` columns, in the order [`Pending::messages`] takes them.
const MESSAGE_COLUMNS: &str = "id, kind, virus, provider, sender, subject, identificativo, msgid, \
    message_id, link_key, link_basis, consegna, certified_at, receipt_type, errore, errore_esteso, \
    recipients, untyped_recipients, date, findings, attachments, sig_status, signed_at, \
    family, rem_kind, rem_reason";

/// A message's facts rewritten when it is derived again (rebuild).
const MESSAGE_UPDATE: &str = "ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, virus = excluded.virus, \
    family = excluded.family, rem_kind = excluded.rem_kind, rem_reason = excluded.rem_reason, \
    provider = excluded.provider, sender = excluded.sender, subject = excluded.subject, \
    identificativo = excluded.identificativo, msgid = excluded.msgid, message_id = excluded.message_id, \
    link_key = excluded.link_key, link_basis = excluded.link_basis, consegna = excluded.consegna, \
    certified_at = excluded.certified_at, receipt_type = excluded.receipt_type, errore = excluded.errore, \
    errore_esteso = excluded.errore_esteso, recipients = excluded.recipients, \
    untyped_recipients = excluded.untyped_recipients, date = excluded.date, findings = excluded.findings, \
    attachments = excluded.attachments, \
    sig_status = excluded.sig_status, signed_at = excluded.signed_at";

/// What a batch's facts and search rows are written over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rows {
    /// Messages archived in this batch: nothing can be there yet, and finding something is an error
    /// (an upsert also cost PostgreSQL a speculative insertion for every row).
    New,
    /// Messages derived again (`rebuild`): their rows are rewritten.
    Rederived,
}

impl Pending {
    pub fn new(engine: Engine, rows: Rows) -> Pending {
        let (message_tail, search_tail) = match rows {
            Rows::New => ("", ""),
            Rows::Rederived => (
                MESSAGE_UPDATE,
                "ON CONFLICT (id) DO UPDATE SET document = excluded.document",
            ),
        };
        let search = match engine {
            Engine::Postgres => format!("(?1, {})", crate::db::postgres::search::DOCUMENT),
            Engine::Sqlite => "(?1)".to_owned(),
        };
        Pending {
            raw: RowsIn::new(
                "INSERT INTO raw (id, sha256, size, codec, bytes, archived_at) VALUES",
                "(?1, ?2, ?3, ?4, ?5, ?6)",
                "",
            ),
            origins: RowsIn::new(
                "INSERT INTO origins (raw_id, source, account, folder, folder_role, uidvalidity, uid, \
                 path, part, seen_at, received_at, sent_by, sent_by_email) VALUES",
                "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                "ON CONFLICT DO NOTHING",
            ),
            verdict_texts: RowsIn::new(
                "INSERT INTO verdict_texts (sha256, report) VALUES",
                "(?1, ?2)",
                "ON CONFLICT DO NOTHING",
            ),
            // The text's id is looked up by the insert itself, so nothing waits to learn it.
            verdicts: RowsIn::new(
                "INSERT INTO verdicts (raw_id, status, signed_at, text_id, recorded_at) VALUES",
                "(?1, ?2, ?3, (SELECT id FROM verdict_texts WHERE sha256 = ?4), ?5)",
                "",
            ),
            messages: RowsIn::new(
                &format!("INSERT INTO messages ({MESSAGE_COLUMNS}) VALUES"),
                "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, \
                 ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
                message_tail,
            ),
            search: RowsIn::new(
                "INSERT INTO search (id, document) VALUES",
                &search,
                search_tail,
            ),
        }
    }

    /// Inserts everything held, in reference order (sent with the transaction's next statement at the
    /// latest).
    pub fn flush(&mut self, conn: &Db) -> crate::db::Result<()> {
        for rows in [
            &mut self.raw,
            &mut self.origins,
            &mut self.verdict_texts,
            &mut self.verdicts,
            &mut self.messages,
            &mut self.search,
        ] {
            rows.flush(conn)?;
        }
        Ok(())
    }
}
