//! Signature verdicts of signed attachments (issue 15 §6), recorded like PEC verdicts: typed, appended
//! (a re-verification that says something else adds a row and a journal entry; nothing is rewritten),
//! and each one in the hash chain ([`crate::journal::Event::Document`]).
//!
//! Which attachments are signed documents, and what they are judged against, is the engine's: a
//! [`DocumentChecker`] (pec-engine's reads the attachments a person reads in the letter and recognises
//! a signed file from its bytes, never its name, as the reader's badge does; its trust is the imported
//! Trusted Lists and the trusted directories). The archive asks it for every new message it stores
//! ([`Archive::checking_documents`]) and again on `archive rebuild` with verification, and keeps what
//! it says: status, qualified, signer, signing time and what it rests on, format, the SHA-256 of the
//! attachment and of its signed content, when it was checked and the trust used, and the whole
//! `pec_document::DocumentReport`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use pec_core::signature::{SignatureStatus, TimeBasis};
use pec_core::structure::Parsed;
use pec_document::{DocumentFormat, DocumentReport, Qualified, SignatureEntry, SignatureRole};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::{Db, params};
use crate::journal::{hex, parse_time, time};
use crate::open::Archive;
use crate::stored::BadStoredValue;

/// Finds and verifies the signed attachments of a message. Called on the import's worker threads and
/// by rebuild's, so it must be shareable; it never fails (a damaged attachment is a verdict).
pub trait DocumentChecker: Send + Sync {
    /// The signed attachments of the message `parsed` (`pec_core::structure::parse` of its bytes: the
    /// parse its reading inspected, [`crate::reading::understand_checking`]), each verified as of `now`.
    fn check_parsed(&self, parsed: &Parsed<'_>, now: DateTime<Utc>) -> DocumentCheck;

    /// [`DocumentChecker::check_parsed`] of the message `raw`, parsed here: for a caller that holds
    /// no reading of it.
    fn check(&self, raw: &[u8], now: DateTime<Utc>) -> DocumentCheck {
        match pec_core::structure::parse(raw) {
            Some(parsed) => self.check_parsed(&parsed, now),
            None => DocumentCheck::nothing(now),
        }
    }
}

/// What a checker says of one message.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentCheck {
    /// When it was checked.
    pub checked_at: DateTime<Utc>,
    /// What it was checked against.
    pub trust: TrustUsed,
    /// Every signed attachment, in the letter's order.
    pub attachments: Vec<SignedAttachment>,
}

impl DocumentCheck {
    /// What is said of a message with no signed attachment: nothing was checked, against nothing.
    pub fn nothing(now: DateTime<Utc>) -> DocumentCheck {
        DocumentCheck {
            checked_at: now,
            trust: TrustUsed::default(),
            attachments: Vec::new(),
        }
    }
}

/// One signed attachment as a checker found it.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedAttachment {
    /// Its position among the letter's attachments (as the reader numbers them).
    pub part: u32,
    /// Its name as the letter shows it (a hint, never used to decide anything).
    pub name: String,
    /// SHA-256 of its decoded bytes.
    pub sha256: [u8; 32],
    pub report: DocumentReport,
}

impl SignedAttachment {
    /// Attachment `part` named `name` if its bytes are a signed file (recognised from the bytes, after
    /// undoing base64/PEM, never from the name — the reader's badge's rule), verified by `verify`; `None`
    /// for anything else, and for a recognised container that holds no signature and is not damaged
    /// (an unsigned PDF).
    pub fn recognise(
        part: u32,
        name: &str,
        bytes: &[u8],
        verify: impl FnOnce() -> DocumentReport,
    ) -> Option<SignedAttachment> {
        let unwrapped = pec_document::armor::unwrap(bytes);
        pec_document::format::recognise(unwrapped.as_deref().unwrap_or(bytes))?;
        let report = verify();
        let signed = !report.signatures.is_empty() || report.status != SignatureStatus::Unsigned;
        signed.then(|| SignedAttachment {
            part,
            name: name.to_owned(),
            sha256: Sha256::digest(bytes).into(),
            report,
        })
    }
}

/// The trust a document verdict was reached with: the Trusted Lists in force (territory and sequence
/// number, `EU 332`, `IT 194`), how many anchors came from them and from trusted directories, and
/// which directories those were.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustUsed {
    pub lists: Vec<String>,
    pub from_lists: usize,
    pub from_dirs: usize,
    /// The trusted directories, each as it was given and where: the configuration's, or a command's
    /// own `--trust-dir`, trusted for that run only.
    // NOTE: left out when empty, so that the chain entries and rows written before directories were
    // named read and hash exactly as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dirs: Vec<TrustedDir>,
}

/// A trusted directory a document verdict was reached with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedDir {
    /// The directory as given.
    pub path: String,
    pub given: TrustedDirGiven,
}

/// Where a trusted directory was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrustedDirGiven {
    /// Kept in the configuration (`attesta trust add`).
    Configured,
    /// On the command line (`--trust-dir`), for that run only.
    CommandLine,
}

impl TrustUsed {
    /// `no Trusted List; 0 anchors from the lists, 2 from trusted directories (/ca, /tmp/ca
    /// (--trust-dir))`, `EU 332, IT 194; …`.
    pub fn describe(&self) -> String {
        let lists = if self.lists.is_empty() {
            "no Trusted List".to_owned()
        } else {
            self.lists.join(", ")
        };
        let dirs = if self.dirs.is_empty() {
            String::new()
        } else {
            let named: Vec<String> = self
                .dirs
                .iter()
                .map(|d| match d.given {
                    TrustedDirGiven::Configured => d.path.clone(),
                    TrustedDirGiven::CommandLine => format!("{} (--trust-dir)", d.path),
                })
                .collect();
            format!(" ({})", named.join(", "))
        };
        format!(
            "{lists}; {} anchors from the lists, {} from trusted directories{dirs}",
            self.from_lists, self.from_dirs
        )
    }
}

/// One document verdict as the archive records it (and `attesta show --json` prints it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentVerdict {
    pub part: u32,
    pub name: String,
    /// SHA-256 of the attachment's bytes, lowercase hex.
    pub file_sha256: String,
    pub format: Option<DocumentFormat>,
    /// The worst of its signatures.
    pub status: SignatureStatus,
    /// The first signer's (a valid signature the Trusted Lists show qualified at its time).
    pub qualified: Qualified,
    /// The first signer's name (common name, else subject).
    pub signer: Option<String>,
    /// The time the first signer wrote, the time its verdict rests on, and what that time is.
    pub signed_at: Option<DateTime<Utc>>,
    pub judged_at: Option<DateTime<Utc>>,
    pub time_basis: TimeBasis,
    /// SHA-256 of the innermost signed content, lowercase hex.
    pub content_sha256: Option<String>,
    pub checked_at: DateTime<Utc>,
    pub trust: TrustUsed,
    pub report: DocumentReport,
}

/// A document verdict, as the chain remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDigest {
    pub status: SignatureStatus,
    pub qualified: Qualified,
    pub signed_at: Option<String>,
    /// SHA-256 of the stored report text.
    pub report_sha256: String,
}

/// The signer a verdict is summarised by: the first signature, else the first entry (a bare timestamp).
pub fn first_signer(report: &DocumentReport) -> Option<&SignatureEntry> {
    report
        .signatures
        .iter()
        .find(|s| s.role == SignatureRole::Signature)
        .or_else(|| report.signatures.first())
}

impl DocumentVerdict {
    /// The verdict of one signed attachment, checked at `checked_at` against `trust`.
    pub fn of(found: &SignedAttachment, checked_at: DateTime<Utc>, trust: &TrustUsed) -> Self {
        let first = first_signer(&found.report);
        DocumentVerdict {
            part: found.part,
            name: found.name.clone(),
            file_sha256: hex(&found.sha256),
            format: found.report.format,
            status: found.report.status,
            qualified: first.map_or(Qualified::Unknown, |s| s.qualified),
            signer: first.and_then(|s| {
                s.signer
                    .as_ref()
                    .map(|i| i.common_name.clone().unwrap_or_else(|| i.subject.clone()))
            }),
            signed_at: first.and_then(|s| s.signed_at),
            judged_at: first.and_then(|s| s.judged_at),
            time_basis: first.map_or(TimeBasis::None, |s| s.time_basis),
            content_sha256: found.report.content_sha256.clone(),
            checked_at,
            trust: trust.clone(),
            report: found.report.clone(),
        }
    }

    /// Every verdict of a check.
    pub fn all_of(check: &DocumentCheck) -> Vec<DocumentVerdict> {
        check
            .attachments
            .iter()
            .map(|a| DocumentVerdict::of(a, check.checked_at, &check.trust))
            .collect()
    }

    /// The stored text of the report (its serde form, keys sorted) and its SHA-256.
    pub fn text(&self) -> (String, [u8; 32]) {
        report_text(&self.report)
    }

    /// What the journal records of it.
    pub fn digest(&self) -> DocumentDigest {
        DocumentDigest {
            status: self.status,
            qualified: self.qualified,
            signed_at: self.signed_at.map(time),
            report_sha256: hex(&self.text().1),
        }
    }

    /// Whether two verdicts say the same (when and with what trust they were reached aside): only a
    /// verdict that says something else is recorded again.
    pub fn same_as(&self, other: &DocumentVerdict) -> bool {
        self.file_sha256 == other.file_sha256 && self.digest() == other.digest()
    }
}

/// A report's stored text: its serde form through `Value` (a sorted map), so the same report always
/// gives the same text and hash.
pub(crate) fn report_text(report: &DocumentReport) -> (String, [u8; 32]) {
    let text = serde_json::to_value(report)
        .unwrap_or(Value::Null)
        .to_string();
    let hash = Sha256::digest(text.as_bytes()).into();
    (text, hash)
}

/// The columns of `document_verdicts`, in the order [`insert`] writes them.
const COLUMNS: &str = "raw_id, part, name, file_sha256, format, status, qualified, signer, signed_at, \
    judged_at, time_basis, content_sha256, checked_at, trust, report, report_sha256";

/// Appends `verdict` for message `raw_id` (inside the caller's transaction).
pub(crate) fn insert(conn: &Db, raw_id: i64, verdict: &DocumentVerdict) -> crate::db::Result<()> {
    let (text, hash) = verdict.text();
    let trust = serde_json::to_string(&verdict.trust).unwrap_or_default();
    conn.prepare_cached(&format!(
        "INSERT INTO document_verdicts ({COLUMNS}) VALUES \
         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    ))?
    .execute(params![
        raw_id,
        i64::from(verdict.part),
        verdict.name,
        verdict.file_sha256,
        verdict.format.map(DocumentFormat::as_str),
        verdict.status.as_str(),
        verdict.qualified.as_str(),
        verdict.signer,
        verdict.signed_at.map(time),
        verdict.judged_at.map(time),
        verdict.time_basis.as_str(),
        verdict.content_sha256,
        time(verdict.checked_at),
        trust,
        text,
        hash.as_slice()
    ])?;
    Ok(())
}

/// A stored row as read, before its closed sets are read back.
struct Row {
    id: i64,
    part: i64,
    name: String,
    file_sha256: String,
    format: Option<String>,
    status: String,
    qualified: String,
    signer: Option<String>,
    signed_at: Option<String>,
    judged_at: Option<String>,
    time_basis: String,
    content_sha256: Option<String>,
    checked_at: String,
    trust: String,
    report: String,
}

impl Row {
    fn typed(self) -> Result<DocumentVerdict, BadStoredValue> {
        let bad = |column: &'static str, set: &'static str, value: String| BadStoredValue {
            table: "document_verdicts",
            column,
            row: self.id,
            set,
            value,
        };
        let format = match &self.format {
            Some(f) => Some(
                f.parse::<DocumentFormat>()
                    .map_err(|_| bad("format", "DocumentFormat", f.clone()))?,
            ),
            None => None,
        };
        let report: DocumentReport = serde_json::from_str(&self.report)
            .map_err(|e| bad("report", "DocumentReport", e.to_string()))?;
        let at = |column: &'static str, v: &Option<String>| match v {
            Some(t) => parse_time(t)
                .map(Some)
                .ok_or_else(|| bad(column, "time", t.clone())),
            None => Ok(None),
        };
        Ok(DocumentVerdict {
            part: u32::try_from(self.part)
                .map_err(|_| bad("part", "u32", self.part.to_string()))?,
            status: self
                .status
                .parse()
                .map_err(|_| bad("status", "SignatureStatus", self.status.clone()))?,
            qualified: self
                .qualified
                .parse()
                .map_err(|_| bad("qualified", "Qualified", self.qualified.clone()))?,
            time_basis: self
                .time_basis
                .parse()
                .map_err(|_| bad("time_basis", "TimeBasis", self.time_basis.clone()))?,
            signed_at: at("signed_at", &self.signed_at)?,
            judged_at: at("judged_at", &self.judged_at)?,
            checked_at: parse_time(&self.checked_at)
                .ok_or_else(|| bad("checked_at", "time", self.checked_at.clone()))?,
            trust: serde_json::from_str(&self.trust)
                .map_err(|e| bad("trust", "TrustUsed", e.to_string()))?,
            format,
            report,
            name: self.name,
            file_sha256: self.file_sha256,
            signer: self.signer,
            content_sha256: self.content_sha256,
        })
    }
}

/// Reads one row of `SELECT id, {COLUMNS}`.
fn read_row(r: &crate::db::Row<'_>) -> crate::db::Result<Row> {
    Ok(Row {
        id: r.get("id")?,
        part: r.get("part")?,
        name: r.get("name")?,
        file_sha256: r.get("file_sha256")?,
        format: r.get("format")?,
        status: r.get("status")?,
        qualified: r.get("qualified")?,
        signer: r.get("signer")?,
        signed_at: r.get("signed_at")?,
        judged_at: r.get("judged_at")?,
        time_basis: r.get("time_basis")?,
        content_sha256: r.get("content_sha256")?,
        checked_at: r.get("checked_at")?,
        trust: r.get("trust")?,
        report: r.get("report")?,
    })
}

/// A stored row with its stored report hash, for `archive check`.
pub(crate) struct StoredDocument {
    pub id: i64,
    /// The attachment's position as stored (also when the rest does not read).
    pub part: i64,
    pub verdict: Result<DocumentVerdict, BadStoredValue>,
    /// The report text's SHA-256 as computed now, and as stored beside it.
    pub text_sha256: String,
    pub stored_sha256: String,
}

/// The latest recorded verdict of each signed attachment of message `raw_id`, by part.
pub(crate) fn latest(conn: &Db, raw_id: i64) -> crate::db::Result<Vec<StoredDocument>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, {COLUMNS} FROM document_verdicts d WHERE raw_id = ?1 \
         AND id = (SELECT max(id) FROM document_verdicts e WHERE e.raw_id = d.raw_id AND e.part = d.part) \
         ORDER BY part"
    ))?;
    let rows = stmt.query_map([raw_id], |r| {
        let row = read_row(r)?;
        let stored: Vec<u8> = r.get("report_sha256")?;
        Ok((row, stored))
    })?;
    rows.map(|row| {
        let (row, stored) = row?;
        Ok(StoredDocument {
            id: row.id,
            part: row.part,
            text_sha256: hex(&Sha256::digest(row.report.as_bytes())),
            stored_sha256: hex(&stored),
            verdict: row.typed(),
        })
    })
    .collect()
}

/// What a batch or a rebuild records for one message: the verdicts that differ from the latest
/// recorded of their attachment (all of them for a new message), with their journal events.
pub(crate) fn record(
    conn: &Db,
    raw_id: i64,
    message_sha256: &[u8],
    fresh: &[DocumentVerdict],
    previous: &[DocumentVerdict],
) -> crate::db::Result<Vec<crate::journal::Event>> {
    let mut events = Vec::new();
    for verdict in fresh {
        let before = previous.iter().find(|p| p.part == verdict.part);
        if before.is_some_and(|b| b.same_as(verdict)) {
            continue;
        }
        insert(conn, raw_id, verdict)?;
        events.push(crate::journal::Event::Document {
            sha256: hex(message_sha256),
            part: verdict.part,
            file_sha256: verdict.file_sha256.clone(),
            verdict: verdict.digest(),
            trust: verdict.trust.clone(),
        });
    }
    Ok(events)
}

impl Archive {
    /// This handle, asking `checker` for the signed attachments of every new message it stores and of
    /// every message a verifying rebuild reads (issue 15 §6). Without one, no document verdict is
    /// recorded (and none is ever removed).
    pub fn checking_documents(mut self, checker: Arc<dyn DocumentChecker>) -> Archive {
        self.documents = Some(checker);
        self
    }

    /// The checker set with [`Archive::checking_documents`].
    pub fn document_checker(&self) -> Option<Arc<dyn DocumentChecker>> {
        self.documents.clone()
    }

    /// The latest recorded verdict of each signed attachment of message `id`, in attachment order.
    pub fn document_verdicts(&self, id: i64) -> Result<Vec<DocumentVerdict>, crate::ArchiveError> {
        latest(&self.conn, id)?
            .into_iter()
            .map(|d| d.verdict.map_err(crate::ArchiveError::from))
            .collect()
    }

    /// Every verdict ever recorded for attachment `part` of message `id` whose bytes have the SHA-256
    /// `file_sha256`, oldest first (the signature panel's "recorded" history, issue 15 §5).
    // NOTE: the hash as well as the position: a verdict is shown beside an attachment only if it is
    // about those very bytes, even if a later reader numbered a letter's attachments differently.
    pub fn document_history(
        &self,
        id: i64,
        part: u32,
        file_sha256: &[u8; 32],
    ) -> Result<Vec<DocumentVerdict>, crate::ArchiveError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, {COLUMNS} FROM document_verdicts \
             WHERE raw_id = ?1 AND part = ?2 AND file_sha256 = ?3 ORDER BY id"
        ))?;
        let rows: Vec<Row> = stmt
            .query_map(params![id, i64::from(part), hex(file_sha256)], read_row)?
            .collect::<crate::db::Result<_>>()?;
        rows.into_iter()
            .map(|r| r.typed().map_err(crate::ArchiveError::from))
            .collect()
    }
}
