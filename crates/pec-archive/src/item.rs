//! One archived item in full: its facts, its verdict (and earlier ones), where it came from, the send
//! it belongs to, and its exact bytes.

use crate::db::OptionalExtension;
use chrono::{DateTime, Utc};
use pec_core::FindingCode;
use pec_core::daticert::{Errore, ReceiptType, Recipient};
use pec_core::signature::SignatureReport;
use serde::Serialize;

use crate::error::ArchiveError;
use crate::journal::{hex, parse_time};
use crate::open::Archive;
use crate::origin::{Origin, Source};
use crate::person::Person;
use crate::query::{SentStatus, StatusFilter};
use crate::rows::{FACT_COLUMNS, FactsRow, VERDICT_COLUMNS, read_verdict};
use crate::stored::Cell;

/// A recorded verdict, as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedVerdict {
    pub status: pec_core::signature::SignatureStatus,
    pub signed_at: Option<DateTime<Utc>>,
    pub recorded_at: Option<DateTime<Utc>>,
    /// The verifier's whole report (signer, algorithms, chain, findings), typed.
    pub report: SignatureReport,
}

/// One archived message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: i64,
    pub sha256: String,
    pub size: u64,
    pub archived_at: Option<DateTime<Utc>>,
    /// PEC, REM or neither.
    pub family: pec_core::Family,
    pub kind: pec_core::PecKind,
    /// REM: `dispatch` or the signed evidence's event.
    pub rem_kind: Option<String>,
    /// REM: the reason code (`RD01`).
    pub rem_reason: Option<String>,
    pub provider: Option<String>,
    pub sender: Option<String>,
    pub subject: Option<String>,
    pub identificativo: Option<String>,
    pub msgid: Option<String>,
    pub message_id: Option<String>,
    pub consegna: Option<String>,
    pub certified_at: Option<DateTime<Utc>>,
    pub receipt_type: Option<ReceiptType>,
    pub errore: Errore,
    pub errore_esteso: Option<String>,
    /// daticert `destinatari`.
    pub recipients: Vec<Recipient>,
    /// Codes of what the reading of the message noticed.
    pub findings: Vec<FindingCode>,
    /// Newest first.
    pub verdicts: Vec<RecordedVerdict>,
    pub origins: Vec<Origin>,
    /// The latest recorded verdict of each signed attachment (issue 15 §6), in attachment order.
    pub documents: Vec<crate::documents::DocumentVerdict>,
    /// The send this item is evidence of.
    pub send: Option<SentStatus>,
}

impl Archive {
    /// The item with archive id `id`, judged at `now` (for its send's overdue state).
    pub fn item(&self, id: i64, now: DateTime<Utc>) -> Result<Item, ArchiveError> {
        let sql = format!(
            "SELECT r.sha256, r.size, r.archived_at, {FACT_COLUMNS} FROM raw r JOIN messages m ON m.id = r.id \
             WHERE r.id = ?1"
        );
        let found = self
            .conn
            .query_row(&sql, [id], |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    FactsRow::read(r)?,
                ))
            })
            .optional()?;
        let Some((sha, size, archived_at, f)) = found else {
            return Err(ArchiveError::NoSuchItem(id.to_string()));
        };
        let send = match &f.link_key {
            Some(key) => self
                .status(
                    &StatusFilter {
                        msgid: Some(key.clone()),
                        ..StatusFilter::default()
                    },
                    now,
                )?
                .into_iter()
                .next(),
            None => None,
        };
        let cell = |column| Cell::new("messages", column, id);
        Ok(Item {
            id,
            sha256: hex(&sha),
            size: size as u64,
            archived_at: parse_time(&archived_at),
            family: cell("family").read(&f.family)?,
            kind: f.kind(id)?,
            rem_kind: f.rem_kind,
            rem_reason: f.rem_reason,
            provider: f.provider,
            sender: f.sender,
            subject: f.subject,
            identificativo: f.identificativo,
            msgid: f.msgid,
            message_id: f.message_id,
            consegna: f.consegna,
            certified_at: f.certified_at.as_deref().and_then(parse_time),
            receipt_type: cell("receipt_type").read_opt(f.receipt_type.as_deref())?,
            errore: cell("errore").read(&f.errore)?,
            errore_esteso: f.errore_esteso,
            recipients: cell("recipients").json(&f.recipients)?,
            findings: cell("findings").json(&f.findings)?,
            verdicts: self.verdicts(id)?,
            origins: self.origins(id)?,
            documents: self.document_verdicts(id)?,
            send,
        })
    }

    /// The exact bytes archived under `id`.
    pub fn raw(&self, id: i64) -> Result<Vec<u8>, ArchiveError> {
        crate::blob::read(&self.conn, id)
    }

    /// Every verdict recorded for `id`, newest first.
    pub fn verdicts(&self, id: i64) -> Result<Vec<RecordedVerdict>, ArchiveError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {VERDICT_COLUMNS} FROM verdicts v \
             JOIN verdict_texts t ON t.id = v.text_id WHERE v.raw_id = ?1 ORDER BY v.id DESC"
        ))?;
        let rows = stmt.query_map([id], |r| {
            let (v, recorded_at) = read_verdict(r)?;
            Ok(RecordedVerdict {
                status: v.status,
                signed_at: v.signed_at,
                recorded_at: parse_time(&recorded_at),
                report: v.report,
            })
        })?;
        Ok(rows.collect::<crate::db::Result<Vec<_>>>()?)
    }

    /// Every recorded origin of `id`, oldest first.
    pub fn origins(&self, id: i64) -> Result<Vec<Origin>, ArchiveError> {
        Ok(origins_of(&self.conn, id)?)
    }
}

/// The columns [`read_origin`] reads, in its order.
pub(crate) const ORIGIN_COLUMNS: &str = "source, account, folder, folder_role, uidvalidity, uid, path, part, id, sent_by, sent_by_email";

/// Every recorded origin of raw message `id`, oldest first.
pub(crate) fn origins_of(conn: &crate::db::Db, id: i64) -> crate::db::Result<Vec<Origin>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ORIGIN_COLUMNS} FROM origins WHERE raw_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([id], read_origin)?;
    rows.collect()
}

/// An origin from its row (the first columns are [`ORIGIN_COLUMNS`]).
pub(crate) fn read_origin(r: &crate::db::Row<'_>) -> crate::db::Result<Origin> {
    let row: i64 = r.get(8)?;
    let text = |i: usize| -> crate::db::Result<String> {
        Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
    };
    let source: Source = Cell::new("origins", "source", row).read(&r.get::<_, String>(0)?)?;
    Ok(match source {
        Source::Imap => Origin::Imap {
            account: text(1)?,
            folder: text(2)?,
            role: Cell::new("origins", "folder_role", row).read(&text(3)?)?,
            uidvalidity: r.get::<_, Option<u32>>(4)?.unwrap_or(0),
            uid: r.get::<_, Option<u32>>(5)?.unwrap_or(0),
        },
        Source::Submitted => Origin::Submitted {
            account: text(1)?,
            // A person is free text: read as written (a name alone when no e-mail was recorded).
            by: r
                .get::<_, Option<String>>(9)?
                .map(|name| -> crate::db::Result<Person> {
                    Ok(Person {
                        name,
                        email: r.get(10)?,
                    })
                })
                .transpose()?,
        },
        Source::File => Origin::File {
            path: text(6)?,
            part: r.get::<_, Option<u32>>(7)?.unwrap_or(0),
            mailbox: r.get(1)?,
        },
    })
}
