//! The `messages` row of a message: its derived facts as stored columns, written and read back the same
//! way by storing, rebuilding and checking, so a stored row and a fresh derivation compare exactly.

use crate::db::{Db, Row, params};
use chrono::{DateTime, Utc};
use pec_core::PecKind;
use pec_core::correlate::{Evidence, EvidenceRole, LinkBasis};
use pec_core::daticert::Recipient;
use pec_core::signature::SignatureStatus;

use crate::facts::{Facts, SearchText};
use crate::journal::{VerdictDigest, hex, parse_time, time};
use crate::pending::Pending;
use crate::stored::{BadStoredValue, Cell};
use crate::verdict::Verdict;

/// The derived columns of one `messages` row, as plain values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsRow {
    pub family: String,
    pub kind: String,
    pub rem_kind: Option<String>,
    pub rem_reason: Option<String>,
    pub virus: bool,
    pub provider: Option<String>,
    pub sender: Option<String>,
    pub subject: Option<String>,
    pub identificativo: Option<String>,
    pub msgid: Option<String>,
    pub message_id: Option<String>,
    pub link_key: Option<String>,
    pub link_basis: Option<String>,
    pub consegna: Option<String>,
    pub certified_at: Option<String>,
    pub receipt_type: Option<String>,
    pub errore: String,
    pub errore_esteso: Option<String>,
    pub recipients: String,
    pub untyped_recipients: String,
    pub date: Option<String>,
    pub findings: String,
    /// `{"digests": [...], "stand_ins": [...]}` (breve checking).
    pub attachments: String,
}

/// How the `attachments` column is laid out.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct AttachmentsColumn {
    #[serde(default)]
    digests: Vec<pec_core::breve::AttachmentDigest>,
    #[serde(default)]
    stand_ins: Vec<pec_core::breve::HashStandIn>,
}

/// The column list, in [`FactsRow`] order.
pub const FACT_COLUMNS: &str = "family, kind, rem_kind, rem_reason, virus, provider, sender, subject, identificativo, msgid, \
    message_id, link_key, link_basis, consegna, certified_at, receipt_type, errore, errore_esteso, \
    recipients, untyped_recipients, date, findings, attachments";

impl FactsRow {
    pub fn from_facts(f: &Facts) -> FactsRow {
        FactsRow {
            family: f.family.as_str().to_owned(),
            kind: f.kind.as_str().to_owned(),
            rem_kind: f.rem_kind.clone(),
            rem_reason: f.rem_reason.clone(),
            virus: f.virus,
            provider: f.provider.clone(),
            sender: f.sender.clone(),
            subject: f.subject.clone(),
            identificativo: f.identificativo.clone(),
            msgid: f.msgid.clone(),
            message_id: f.message_id.clone(),
            link_key: f.link.as_ref().map(|(k, _)| k.0.clone()),
            link_basis: f.link.as_ref().map(|(_, b)| b.as_str().to_owned()),
            consegna: f.consegna.clone(),
            certified_at: f.certified_at.map(time),
            receipt_type: f.receipt_type.map(|r| r.as_str().to_owned()),
            errore: f.errore.as_str().to_owned(),
            errore_esteso: f.errore_esteso.clone(),
            recipients: serde_json::to_string(&f.recipients).unwrap_or_default(),
            untyped_recipients: serde_json::to_string(&f.untyped_recipients).unwrap_or_default(),
            date: f.date.map(time),
            findings: serde_json::to_string(&f.findings).unwrap_or_default(),
            attachments: serde_json::to_string(&AttachmentsColumn {
                digests: f.attachments.clone(),
                stand_ins: f.stand_ins.clone(),
            })
            .unwrap_or_default(),
        }
    }

    /// Reads the row from the [`FACT_COLUMNS`] of a query's result, by name (the query may select other
    /// columns before or after them, under other names).
    pub fn read(row: &Row<'_>) -> crate::db::Result<FactsRow> {
        Ok(FactsRow {
            family: row.get("family")?,
            kind: row.get("kind")?,
            rem_kind: row.get("rem_kind")?,
            rem_reason: row.get("rem_reason")?,
            virus: row.get("virus")?,
            provider: row.get("provider")?,
            sender: row.get("sender")?,
            subject: row.get("subject")?,
            identificativo: row.get("identificativo")?,
            msgid: row.get("msgid")?,
            message_id: row.get("message_id")?,
            link_key: row.get("link_key")?,
            link_basis: row.get("link_basis")?,
            consegna: row.get("consegna")?,
            certified_at: row.get("certified_at")?,
            receipt_type: row.get("receipt_type")?,
            errore: row.get("errore")?,
            errore_esteso: row.get("errore_esteso")?,
            recipients: row.get("recipients")?,
            untyped_recipients: row.get("untyped_recipients")?,
            date: row.get("date")?,
            findings: row.get("findings")?,
            attachments: row.get("attachments")?,
        })
    }

    /// The stored kind of message `id` (this row).
    pub fn kind(&self, id: i64) -> Result<PecKind, BadStoredValue> {
        Cell::new("messages", "kind", id).read(&self.kind)
    }

    /// This message (`id`) as correlation evidence (`sig` is its latest verdict; `arrived` says that
    /// every arrival of it was into an Inbox: a plain message then is one the user received, never the
    /// sent copy. Files and other folders — where users file their sent mail — stay possible sent
    /// copies, still bound by their sender).
    pub fn evidence(
        &self,
        id: i64,
        sig: SignatureStatus,
        arrived: bool,
    ) -> Result<Evidence, BadStoredValue> {
        let kind = self.kind(id)?;
        let role = match (kind, arrived) {
            (PecKind::NotPec, false) => EvidenceRole::SentCopy,
            (PecKind::NotPec, true) => EvidenceRole::Received,
            _ => EvidenceRole::Receipt,
        };
        let at = match role {
            EvidenceRole::SentCopy | EvidenceRole::Received => self.date.as_deref(),
            EvidenceRole::Receipt => self.certified_at.as_deref(),
        };
        let cell = |column| Cell::new("messages", column, id);
        let attachments: AttachmentsColumn = cell("attachments").json(&self.attachments)?;
        Ok(Evidence {
            id,
            role,
            kind,
            signature: sig,
            // NOTE: an item without a link basis has no link key and is never evidence of a send.
            basis: cell("link_basis")
                .read_opt(self.link_basis.as_deref())?
                .unwrap_or(LinkBasis::UnsignedHeader),
            at: at.and_then(parse_time),
            recipients: cell("recipients").json::<Vec<Recipient>>(&self.recipients)?,
            untyped_recipients: cell("untyped_recipients").json(&self.untyped_recipients)?,
            consegna: self.consegna.clone(),
            errore: cell("errore").read(&self.errore)?,
            errore_esteso: self.errore_esteso.clone(),
            subject: self.subject.clone(),
            sender: self.sender.clone(),
            attachments: attachments.digests,
            stand_ins: attachments.stand_ins,
            certifies: pec_rem::pec_terms::certified_by(self.rem_kind.as_deref()),
        })
    }
}

/// Writes (or rewrites) the `messages` row of raw message `id`, with the batch's other rows
/// (`pending`, flushed by the caller inside its transaction).
pub(crate) fn put_message(
    pending: &mut Pending,
    id: i64,
    facts: &FactsRow,
    status: SignatureStatus,
    signed_at: Option<DateTime<Utc>>,
) {
    let f = facts;
    pending.messages.push(params![
        id,
        f.kind,
        f.virus,
        f.provider,
        f.sender,
        f.subject,
        f.identificativo,
        f.msgid,
        f.message_id,
        f.link_key,
        f.link_basis,
        f.consegna,
        f.certified_at,
        f.receipt_type,
        f.errore,
        f.errore_esteso,
        f.recipients,
        f.untyped_recipients,
        f.date,
        f.findings,
        f.attachments,
        status.as_str(),
        signed_at.map(time),
        f.family,
        f.rem_kind,
        f.rem_reason,
    ]);
}

/// Records a verdict for raw message `id` (sharing its report text) with the batch's other rows, and
/// returns its digest.
pub(crate) fn put_verdict(
    pending: &mut Pending,
    id: i64,
    verdict: &Verdict,
    now: DateTime<Utc>,
) -> VerdictDigest {
    let (text, hash) = verdict.text();
    pending.verdict_texts.push(params![hash.as_slice(), text]);
    pending.verdicts.push(params![
        id,
        verdict.status.as_str(),
        verdict.signed_at.map(time),
        hash.as_slice(),
        time(now)
    ]);
    VerdictDigest {
        status: verdict.status,
        signed_at: verdict.signed_at.map(time),
        report_sha256: hex(&hash),
    }
}

/// The columns [`read_verdict`] reads, over `verdicts v JOIN verdict_texts t`.
pub const VERDICT_COLUMNS: &str = "v.status, v.signed_at, t.report, v.recorded_at, v.id, t.id";

/// A recorded verdict and when it was recorded, from [`VERDICT_COLUMNS`].
pub fn read_verdict(row: &Row<'_>) -> crate::db::Result<(Verdict, String)> {
    let status: String = row.get(0)?;
    let signed_at: Option<String> = row.get(1)?;
    let report: String = row.get(2)?;
    let recorded_at: String = row.get(3)?;
    let status = Cell::new("verdicts", "status", row.get(4)?).read(&status)?;
    let signed_at = signed_at.as_deref().and_then(parse_time);
    let verdict = Verdict::from_stored(status, signed_at, &report, row.get(5)?)?;
    Ok((verdict, recorded_at))
}

/// The latest verdict recorded for raw message `id`.
pub fn latest_verdict(conn: &Db, id: i64) -> crate::db::Result<Option<(Verdict, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {VERDICT_COLUMNS} FROM verdicts v \
         JOIN verdict_texts t ON t.id = v.text_id WHERE v.raw_id = ?1 ORDER BY v.id DESC LIMIT 1"
    ))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(row) => read_verdict(&row).map(Some),
        None => Ok(None),
    }
}

/// (Re)indexes raw message `id` for search: on PostgreSQL with the batch's other rows, on SQLite at once
/// (its full-text table takes no upsert; it refers to nothing, so the order does not matter).
pub(crate) fn put_search(
    conn: &Db,
    pending: &mut Pending,
    id: i64,
    text: &SearchText,
) -> crate::db::Result<()> {
    if conn.engine() == crate::db::Engine::Postgres {
        use crate::db::postgres::search::{simple_vector, words_and_prose};
        let (words, prose) = words_and_prose(text);
        // The words go to the server either as the vector they make or, where only its parser can
        // cut them, as text (see `DOCUMENT`).
        match simple_vector(&words) {
            Some(vector) => pending
                .search
                .push(params![id, vector, prose, None::<String>]),
            None => pending
                .search
                .push(params![id, None::<String>, prose, words]),
        }
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
        .execute([id])?;
    conn.prepare_cached(
        "INSERT INTO search (rowid, subject, parties, body, attachments) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        id,
        text.subject,
        text.parties,
        text.body,
        text.attachments
    ])?;
    Ok(())
}
