//! The reader: the letter (the original unwrapped from `postacert.eml`), and the evidence panel —
//! verdict, provider, signed-at, algorithm, chain, findings — with the timeline of every linked receipt.

use pec_archive::item::{Item, RecordedVerdict};
use pec_archive::listing::ListRow;
use pec_archive::origin::Origin;
use pec_core::FindingCode as MessageFindingCode;
use pec_core::daticert::{Errore, ReceiptType};
use pec_core::signature::FindingCode as SignatureFindingCode;
use pec_engine::letter::{Letter as EngineLetter, LetterSource};
use serde::{Deserialize, Serialize};

use super::sent::SentRow;
use super::timeline::{TimelineEntry, copy_of, timeline};
use super::words::{
    AttachmentRisk, Family, PecKind, RemEvent, SentCopy, Severity, SignatureStatus,
};
use super::{id, when};

/// One attachment of the letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Attachment {
    pub index: u32,
    /// Cleaned of invisible and direction-changing characters; the name saved files get.
    pub name: String,
    /// The real extension, lowercase, without its dot: what the system would open it with.
    pub extension: Option<String>,
    pub content_type: String,
    /// What opening it could do: anything but `safe` asks first (issue 13 §5).
    pub risk: AttachmentRisk,
    #[specta(type = u32)]
    pub size: f64,
    /// A `breve` receipt's `.hash` stand-in, not the file itself (PEC rules §5).
    pub hash_stand_in: bool,
    /// A signed document (p7m, m7m, tsd, tsr, signed PDF): its verdict at a glance (issue 15 §5).
    pub signed: Option<super::document::SignatureBadge>,
    /// A FatturaPA invoice (plain, or inside the signature): shown as a page.
    pub invoice: bool,
}

/// Where the letter's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum LetterFrom {
    Original,
    Message,
    ProviderText,
}

/// What a person reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Letter {
    pub source: LetterFrom,
    pub subject: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub date: Option<String>,
    pub message_id: Option<String>,
    /// Text only: nothing remote is ever loaded.
    pub text: String,
    pub from_html: bool,
    pub attachments: Vec<Attachment>,
}

impl From<EngineLetter> for Letter {
    fn from(l: EngineLetter) -> Letter {
        Letter {
            source: match l.source {
                LetterSource::Original => LetterFrom::Original,
                LetterSource::Message => LetterFrom::Message,
                LetterSource::ProviderText => LetterFrom::ProviderText,
            },
            subject: l.subject,
            from: l.from,
            to: l.to,
            cc: l.cc,
            date: l.date,
            message_id: l.message_id,
            text: l.text,
            from_html: l.from_html,
            attachments: l
                .attachments
                .into_iter()
                .map(|a| Attachment {
                    index: u32::try_from(a.index).unwrap_or(u32::MAX),
                    name: a.name,
                    extension: a.extension,
                    content_type: a.content_type,
                    risk: a.risk,
                    size: a.size as f64,
                    hash_stand_in: a.hash_stand_in,
                    signed: None,
                    invoice: false,
                })
                .collect(),
        }
    }
}

/// One reason behind a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Finding {
    /// A stable code, worded by the window (a missing sentence fails the UI's type check).
    pub code: SignatureFindingCode,
    pub severity: Severity,
    /// The engine's English sentence (details such as dates), beside the UI's own wording.
    pub message: String,
}

/// The signer's certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Signer {
    pub subject: String,
    pub organization: Option<String>,
    pub common_name: Option<String>,
    pub email: Option<String>,
    pub issuer: String,
    pub serial: String,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
}

/// One certificate of the path to the trust anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ChainLink {
    pub subject: String,
    pub issuer: String,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    pub sha256: String,
    pub is_anchor: bool,
}

impl Signer {
    pub fn of(s: &pec_core::signature::SignerInfo) -> Signer {
        Signer {
            subject: s.subject.clone(),
            organization: s.organization.clone(),
            common_name: s.common_name.clone(),
            email: s.email.clone(),
            issuer: s.issuer.clone(),
            serial: s.serial.clone(),
            not_before: when(s.not_before),
            not_after: when(s.not_after),
        }
    }
}

impl ChainLink {
    pub fn of(c: &pec_core::signature::ChainLink) -> ChainLink {
        ChainLink {
            subject: c.subject.clone(),
            issuer: c.issuer.clone(),
            not_before: when(c.not_before),
            not_after: when(c.not_after),
            sha256: c.sha256.clone(),
            is_anchor: c.is_anchor,
        }
    }
}

impl Finding {
    pub fn of(f: &pec_core::signature::SignatureFinding) -> Finding {
        Finding {
            code: f.code,
            severity: f.severity.into(),
            message: f.message.clone(),
        }
    }
}

/// The provider signature, as last verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Evidence {
    pub verdict: SignatureStatus,
    pub signed_at: Option<String>,
    pub verified_at: Option<String>,
    pub signer: Option<Signer>,
    /// e.g. `sha256`.
    pub digest: Option<String>,
    /// e.g. `rsa-pkcs1v15`.
    pub algorithm: Option<String>,
    pub key_bits: Option<u32>,
    pub chain: Vec<ChainLink>,
    pub findings: Vec<Finding>,
    /// Verdicts recorded before this one (a re-verification appends).
    pub earlier: u32,
}

impl Evidence {
    fn of(verdicts: &[RecordedVerdict]) -> Option<Evidence> {
        let v = verdicts.first()?;
        let r = &v.report;
        let signer = r.signer.as_ref().map(Signer::of);
        let chain = r.chain.iter().map(ChainLink::of).collect();
        let findings = r.findings.iter().map(Finding::of).collect();
        Some(Evidence {
            verdict: v.status,
            signed_at: when(v.signed_at),
            verified_at: when(v.recorded_at),
            signer,
            digest: r.digest_algorithm.map(|d| d.as_str().to_owned()),
            algorithm: r.signature_algorithm.map(|a| a.as_str().to_owned()),
            key_bits: r.key_bits,
            chain,
            findings,
            earlier: u32::try_from(verdicts.len().saturating_sub(1)).unwrap_or(u32::MAX),
        })
    }
}

/// Where the message came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum Arrival {
    Imap {
        account: String,
        folder: String,
        uid: u32,
    },
    File {
        path: String,
        /// The mailbox its import named (`attesta import --mailbox`, issue 18 §4), if any.
        mailbox: Option<String>,
    },
    Submitted {
        account: String,
        /// Who of the firm sent it (issue 18 §3), when recorded.
        by: Option<pec_archive::Person>,
    },
}

impl From<&Origin> for Arrival {
    fn from(o: &Origin) -> Arrival {
        match o {
            Origin::Imap {
                account,
                folder,
                uid,
                ..
            } => Arrival::Imap {
                account: account.clone(),
                folder: folder.clone(),
                uid: *uid,
            },
            Origin::File { path, mailbox, .. } => Arrival::File {
                path: path.clone(),
                mailbox: mailbox.clone(),
            },
            Origin::Submitted { account, by } => Arrival::Submitted {
                account: account.clone(),
                by: by.clone(),
            },
        }
    }
}

/// Everything the reader shows about one archived message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct MessageView {
    pub id: u32,
    /// `pec`, `rem` or `none`.
    pub family: Family,
    pub kind: PecKind,
    /// REM: the signed evidence's event (`None` for a dispatch, whose kind says it).
    pub rem_event: Option<RemEvent>,
    /// REM: the reason code (`RD01`, `RB21`, …).
    pub rem_reason: Option<String>,
    /// Set when the message is one of the sender's own copies of a send.
    pub copy: Option<SentCopy>,
    pub sha256: String,
    #[specta(type = u32)]
    pub size: f64,
    pub archived_at: Option<String>,
    /// daticert `gestore-emittente`.
    pub provider: Option<String>,
    pub identificativo: Option<String>,
    pub msgid: Option<String>,
    pub certified_at: Option<String>,
    /// daticert `ricevuta/@tipo`: the receipt type the sender asked for.
    pub receipt_type: Option<ReceiptType>,
    pub consegna: Option<String>,
    /// daticert `errore`: why a non-acceptance or failure happened (`nessuno` when none).
    pub errore: Errore,
    pub errore_esteso: Option<String>,
    pub letter: Letter,
    pub evidence: Option<Evidence>,
    /// Codes of what Attesta noticed about the message's structure and certification data.
    pub notices: Vec<MessageFindingCode>,
    pub arrivals: Vec<Arrival>,
    /// The send it is evidence of, with every linked item in time order.
    pub send: Option<SentRow>,
    pub timeline: Vec<TimelineEntry>,
    /// REM: the message's own evidence, verified again on opening (`None` for PEC and plain mail).
    pub rem_evidence: Option<super::rem::RemEvidence>,
    /// The copy kept on this desktop, shown while the firm's server does not answer (issue 18 §6).
    pub cached: bool,
}

impl MessageView {
    /// `rows` are the send's evidence, `submitted` the ids among them Attesta submitted itself.
    pub fn new(
        item: Item,
        letter: EngineLetter,
        rows: &[ListRow],
        submitted: &[i64],
    ) -> MessageView {
        let notices = item.findings.clone();
        let copy = item
            .send
            .as_ref()
            .and_then(|_| copy_of(item.kind, item.id, submitted));
        MessageView {
            id: id(item.id),
            family: item.family,
            kind: item.kind,
            rem_event: item.rem_kind.as_deref().and_then(|k| k.parse().ok()),
            rem_reason: item.rem_reason,
            copy,
            sha256: item.sha256,
            size: item.size as f64,
            archived_at: when(item.archived_at),
            provider: item.provider,
            identificativo: item.identificativo,
            msgid: item.msgid,
            certified_at: when(item.certified_at),
            receipt_type: item.receipt_type,
            consegna: item.consegna,
            errore: item.errore,
            errore_esteso: item.errore_esteso,
            letter: letter.into(),
            evidence: Evidence::of(&item.verdicts),
            notices,
            arrivals: item.origins.iter().map(Arrival::from).collect(),
            send: item.send.as_ref().map(SentRow::from),
            timeline: timeline(rows, submitted),
            rem_evidence: None,
            cached: false,
        }
    }
}
