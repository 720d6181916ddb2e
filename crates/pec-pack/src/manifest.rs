//! `manifest.json`: everything a pack states, for programs — the send, its recipients' outcomes, and
//! every member with its SHA-256, size, kind and signature verdict. The PDF report is printed from it,
//! and [`verify_pack`](crate::verify_pack) checks a pack against it.
//!
//! The manifest lists every member except itself and `SHA256SUMS.txt` (which repeats every hash,
//! the manifest's included, for `sha256sum -c`). Its last field, `self_sha256`, is the SHA-256 of the
//! manifest file as written with that field's value replaced by 64 zeros, so a change to any byte of
//! the manifest is caught. Times are UTC (RFC 3339). Codes are the stable kebab-case spellings of
//! pec-core.

use chrono::{DateTime, Utc};
use pec_archive::{Origin, Person};
use pec_core::PecKind;
use pec_core::correlate::{RecipientState, SentSummary};
use pec_core::daticert::RecipientType;
use pec_core::signature::{SignatureReport, SignatureStatus, TimeBasis};
use pec_document::{DocumentFormat, Qualified};
use serde::{Deserialize, Serialize};

use crate::Language;

/// The format this crate writes and reads.
pub const FORMAT: &str = "attesta-evidence-pack/1";
/// The manifest's name inside a pack.
pub const MANIFEST: &str = "manifest.json";
/// The report's name inside a pack.
pub const REPORT: &str = "report.pdf";
/// The `sha256sum` list's name inside a pack.
pub const SUMS: &str = "SHA256SUMS.txt";

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// `Attesta 0.1.0`.
    pub producer: String,
    pub produced_at: DateTime<Utc>,
    /// The language of the report and of the member names.
    pub language: Language,
    /// The head of the archive's hash chain when the pack was made (`SEQ:HASH`, see
    /// `pec_archive::Anchor`): kept outside the data directory, it lets `attesta archive check
    /// --expect` prove later that the archive up to here is unchanged (issue 13 §5). Absent in packs
    /// made before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_head: Option<String>,
    /// Who exported the pack (issue 18 §3): the person the desktop that made it acted as —
    /// `Some(Some(person))`, written as the person; `Some(None)`, written `null`: no person was set
    /// (the report says "not recorded"); `None`, no field: a pack made before people were recorded
    /// (the report says nothing). The pack's own statement: it is confirmed only by the archive's
    /// journal entry of the export, which names this pack's SHA-256 (`pec_archive::exported`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub exported_by: Option<Option<Person>>,
    pub send: SendFacts,
    /// Every member but `manifest.json` and `SHA256SUMS.txt`, in the order a person reads them.
    pub members: Vec<Member>,
    /// The manifest's own SHA-256 (see the module documentation).
    pub self_sha256: String,
}

/// A field that is there, even as `null` (serde gives `None` for a field that is absent).
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// `self_sha256`'s value while the manifest's own hash is computed.
const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The sent message, as its evidence in this pack certifies it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendFacts {
    /// The send's row id in the archive it came from.
    pub archive_id: i64,
    /// The Message-ID the sender's client gave it, with brackets: the key all receipts share.
    pub msgid: String,
    pub subject: Option<String>,
    pub sender: Option<String>,
    /// The sent copy's `Date`, when the sent copy is in the pack.
    pub sent_at: Option<DateTime<Utc>>,
    /// The certified acceptance time.
    pub accepted_at: Option<DateTime<Utc>>,
    pub summary: SentSummary,
    pub recipients: Vec<RecipientFacts>,
    pub notes: Vec<Note>,
}

/// One recipient and the outcome its receipts certify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientFacts {
    pub address: String,
    #[serde(rename = "type")]
    pub kind: Option<RecipientType>,
    pub state: RecipientState,
    /// When the outcome was certified.
    pub at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    /// The member (path) whose receipt decided the outcome.
    pub evidence: Option<String>,
}

/// Something a reader of the pack should know about the send or one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// A send finding code of pec-core's correlation, or a [`NoteCode`].
    pub code: String,
    /// The member it is about.
    pub member: Option<String>,
    /// The recipient it is about.
    pub recipient: Option<String>,
    /// In English (the report words it in its own language by `code`).
    pub message: String,
}

pec_core::closed_set! {
    /// The pack's own notes.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum NoteCode {
        /// The archive has no copy of the sent message itself.
        SentCopyMissing = "sent-copy-missing",
        /// The archive's recorded outcome for a recipient differs from what the receipts certify now.
        ArchiveStateDiffers = "archive-state-differs",
        /// A member's signature verdict at archiving differs from the verdict when the pack was made.
        ArchivedVerdictDiffers = "archived-verdict-differs",
        /// A signed attachment's verdict recorded in the archive differs from the one found when the
        /// pack was made (issue 15 §6).
        ArchivedDocumentDiffers = "archived-document-differs",
    }
}

pec_core::closed_set! {
    /// What a member is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum MemberRole {
        /// A message from the archive, byte for byte (the sent copy, a receipt, a notice).
        Message = "message",
        /// `report.pdf`.
        Report = "report",
        /// A REM message's ERDS evidence, the XML exactly as the message carries it, beside the message:
        /// verified on its own (its XAdES signature), and checked to be the one its message carries.
        Evidence = "evidence",
    }
}

/// One file of the pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// `/`-separated, relative, safe on every platform (see [`crate::names`]).
    pub path: String,
    /// Lowercase hex.
    pub sha256: String,
    pub size: u64,
    pub role: MemberRole,
    /// For messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageFacts>,
    /// For REM evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceFacts>,
}

/// A REM evidence member: whose it is, what it attests, and its own signature's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceFacts {
    /// The path of the message member that carries it.
    pub of: String,
    /// The event it attests (`content-consignment`, …).
    pub event: Option<pec_rem::RemEvent>,
    /// The verdict on its XAdES signature when the pack was made.
    pub signature: SignatureFacts,
}

/// What a message member is and what its signature says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageFacts {
    /// Its id in the archive it came from.
    pub archive_id: i64,
    pub kind: PecKind,
    /// daticert `gestore-emittente`.
    pub provider: Option<String>,
    /// daticert `identificativo`.
    pub identificativo: Option<String>,
    /// daticert `consegna`: the recipient a delivery, failure or notice is about.
    pub recipient: Option<String>,
    /// The certified time (daticert), or the sent copy's `Date`.
    pub at: Option<DateTime<Utc>>,
    /// daticert `errore-esteso`, else `errore` when not `nessuno`.
    pub error: Option<String>,
    /// The verdict when the pack was made.
    pub signature: SignatureFacts,
    /// The verdict the archive recorded when it stored the message.
    pub archived_status: Option<SignatureStatus>,
    /// What the reading of the message noticed (structure, unsigned headers).
    pub findings: Vec<FindingFacts>,
    /// Where the archive got it from.
    pub origins: Vec<Origin>,
    /// Its signed attachments, each with its verdict when the pack was made (issue 15 §6; absent when
    /// it has none, and in packs made before they were stated).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentFacts>,
}

/// A signed attachment of a message member (issue 15 §6): which one, and what its signatures say.
/// `verify-pack` finds it again in the member's own bytes (its position, its SHA-256 recomputed: the
/// stated hash is a hint) and verifies it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFacts {
    /// Its position among the attachments of the letter the message carries.
    pub part: u32,
    /// Its name in the message (a hint; the bytes decide what it is).
    pub name: String,
    /// SHA-256 of the attachment as the message carries it, decoded.
    pub sha256: String,
    pub format: Option<DocumentFormat>,
    /// The worst of its signatures, when the pack was made.
    pub status: SignatureStatus,
    /// Whether its first signature is qualified (a valid signature the Trusted Lists show qualified at
    /// its time): `true`, `false` or `"unknown"`.
    pub qualified: Qualified,
    /// The first signer's name.
    pub signer: Option<String>,
    /// The time the signer wrote.
    pub signed_at: Option<DateTime<Utc>>,
    /// The time the verdict rests on, and what that time is (a timestamp, the signer's own claim, …).
    pub judged_at: Option<DateTime<Utc>>,
    pub time_basis: TimeBasis,
    /// SHA-256 of the signed content inside.
    pub content_sha256: Option<String>,
    /// The Trusted Lists it was judged against (`IT 194`); empty: none was imported.
    pub trusted_lists: Vec<String>,
    /// The verdict the archive recorded last, when the archive holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<ArchivedDocument>,
}

/// A signed attachment's verdict as the archive recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedDocument {
    pub status: SignatureStatus,
    pub qualified: Qualified,
    pub checked_at: DateTime<Utc>,
}

impl DocumentFacts {
    /// The facts of one verdict found now, beside the one the archive recorded (if any).
    pub fn of(
        found: &pec_archive::DocumentVerdict,
        archived: Option<&pec_archive::DocumentVerdict>,
    ) -> DocumentFacts {
        DocumentFacts {
            part: found.part,
            name: found.name.clone(),
            sha256: found.file_sha256.clone(),
            format: found.format,
            status: found.status,
            qualified: found.qualified,
            signer: found.signer.clone(),
            signed_at: found.signed_at,
            judged_at: found.judged_at,
            time_basis: found.time_basis,
            content_sha256: found.content_sha256.clone(),
            trusted_lists: found.trust.lists.clone(),
            archived: archived.map(|a| ArchivedDocument {
                status: a.status,
                qualified: a.qualified,
                checked_at: a.checked_at,
            }),
        }
    }
}

/// A signature verdict, as stated in a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureFacts {
    pub status: SignatureStatus,
    pub signed_at: Option<DateTime<Utc>>,
    pub signer: Option<SignerFacts>,
    /// The digest inside the CMS (`sha1`, `sha256`, …).
    pub digest_algorithm: Option<String>,
    /// `rsa-pkcs1v15`, `rsa-pss`, `ecdsa-p256`, ….
    pub signature_algorithm: Option<String>,
    pub key_bits: Option<u32>,
    /// From the signer to the trust anchor.
    pub chain: Vec<ChainFacts>,
    pub findings: Vec<FindingFacts>,
}

/// The signer certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerFacts {
    pub subject: String,
    pub organization: Option<String>,
    pub common_name: Option<String>,
    pub email: Option<String>,
    pub serial: String,
    pub not_before: Option<DateTime<Utc>>,
    pub not_after: Option<DateTime<Utc>>,
    pub issuer: String,
}

/// One certificate of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainFacts {
    pub subject: String,
    pub sha256: String,
    pub is_anchor: bool,
}

/// One finding: stable code, severity, English sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingFacts {
    pub code: String,
    pub severity: String,
    pub message: String,
}

impl SignatureFacts {
    pub fn from_report(report: &SignatureReport) -> SignatureFacts {
        SignatureFacts {
            status: report.status,
            signed_at: report.signed_at,
            signer: report.signer.as_ref().map(|s| SignerFacts {
                subject: s.subject.clone(),
                organization: s.organization.clone(),
                common_name: s.common_name.clone(),
                email: s.email.clone(),
                serial: s.serial.clone(),
                not_before: s.not_before,
                not_after: s.not_after,
                issuer: s.issuer.clone(),
            }),
            digest_algorithm: report.digest_algorithm.map(|a| a.as_str().to_owned()),
            signature_algorithm: report.signature_algorithm.map(|a| a.as_str().to_owned()),
            key_bits: report.key_bits,
            chain: report
                .chain
                .iter()
                .map(|l| ChainFacts {
                    subject: l.subject.clone(),
                    sha256: l.sha256.clone(),
                    is_anchor: l.is_anchor,
                })
                .collect(),
            findings: report
                .findings
                .iter()
                .map(|f| FindingFacts {
                    code: f.code.as_str().to_owned(),
                    severity: f.severity.as_str().to_owned(),
                    message: f.message.clone(),
                })
                .collect(),
        }
    }
}

impl Manifest {
    /// Fills in `self_sha256` and returns the manifest as written into a pack: pretty JSON, one
    /// trailing newline.
    pub fn seal(&mut self) -> Vec<u8> {
        self.self_sha256 = ZEROS.to_owned();
        let mut text = serde_json::to_vec_pretty(self).unwrap_or_default();
        text.push(b'\n');
        let own = crate::sums::sha256_hex(&text);
        replace_last(&mut text, &field(ZEROS), &field(&own));
        self.self_sha256 = own;
        text
    }

    /// Reads a manifest; `Err` says why it is not one this crate understands.
    pub fn from_json(bytes: &[u8]) -> Result<Manifest, String> {
        let manifest: Manifest = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if manifest.format != FORMAT {
            return Err(format!("format {:?} is not {FORMAT:?}", manifest.format));
        }
        Ok(manifest)
    }

    /// Whether `bytes` (this manifest as read) still hash to its `self_sha256`; `Err` gives the hash
    /// found.
    pub fn check_self_hash(&self, bytes: &[u8]) -> Result<(), String> {
        let mut blank = bytes.to_vec();
        let claimed = &self.self_sha256;
        let valid_claim = claimed.len() == 64 && claimed.bytes().all(|b| b.is_ascii_hexdigit());
        if !valid_claim || !replace_last(&mut blank, &field(claimed), &field(ZEROS)) {
            return Err(crate::sums::sha256_hex(bytes));
        }
        let found = crate::sums::sha256_hex(&blank);
        if found.eq_ignore_ascii_case(claimed) {
            Ok(())
        } else {
            Err(found)
        }
    }

    /// The REM evidence members, in order.
    pub fn evidences(&self) -> impl Iterator<Item = (&Member, &EvidenceFacts)> {
        self.members
            .iter()
            .filter_map(|m| m.evidence.as_ref().map(|facts| (m, facts)))
    }

    /// The message members, in order.
    pub fn messages(&self) -> impl Iterator<Item = (&Member, &MessageFacts)> {
        self.members
            .iter()
            .filter_map(|m| m.message.as_ref().map(|facts| (m, facts)))
    }
}

/// The bytes of the `self_sha256` field as pretty JSON writes it.
fn field(value: &str) -> Vec<u8> {
    format!("\"self_sha256\": \"{value}\"").into_bytes()
}

/// Replaces the last occurrence of `from` in `text` with `to` (same length); false when absent.
fn replace_last(text: &mut [u8], from: &[u8], to: &[u8]) -> bool {
    if from.len() != to.len() || from.is_empty() || text.len() < from.len() {
        return false;
    }
    match (0..=text.len() - from.len())
        .rev()
        .find(|&i| &text[i..i + from.len()] == from)
    {
        Some(i) => {
            text[i..i + to.len()].copy_from_slice(to);
            true
        }
        None => false,
    }
}
