//! Building one evidence pack for one sent message: read its evidence from the archive, verify every
//! signature again, name the files, state the facts, print the report, zip it all.
//!
//! Read-only on the archive. Deterministic: the same archive, anchors and options give the same bytes.

use chrono::{DateTime, Utc};
use pec_archive::query::SentStatus;
use pec_archive::{Archive, Origin, Person, SentCopy};
use pec_core::PecKind;
use pec_core::signature::{SignatureReport, SignatureStatus, TrustAnchors};

use crate::collect::{Collected, collect};
use crate::layout::{Namer, pack_file_name};
use crate::manifest::{
    DocumentFacts, EvidenceFacts, FORMAT, FindingFacts, MANIFEST, Manifest, Member, MemberRole,
    MessageFacts, Note, NoteCode, REPORT, RecipientFacts, SUMS, SendFacts, SignatureFacts,
};
use crate::sums::sha256_hex;
use crate::{Language, PackError, outcome, report, sums};

/// How to make a pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackOptions {
    pub language: Language,
    /// When the pack is made (stated in it).
    pub produced_at: DateTime<Utc>,
    /// The clock signatures are checked at: `produced_at`, or a lab account's clock when it runs
    /// ahead of real time (its provider signs then).
    pub checked_at: DateTime<Utc>,
    /// `Attesta 0.1.0` (see [`crate::producer`]).
    pub producer: String,
    /// Who exports it (issue 18 §3): the person the desktop acts as, stated in the pack (`None`: no
    /// person was set, and the pack says so).
    pub exported_by: Option<Person>,
}

impl PackOptions {
    pub fn new(language: Language, produced_at: DateTime<Utc>) -> PackOptions {
        PackOptions {
            language,
            produced_at,
            checked_at: produced_at,
            producer: crate::producer(),
            exported_by: None,
        }
    }
}

/// A pack, made.
#[derive(Debug, Clone)]
pub struct Pack {
    /// A safe file name for it (`2026-03-02_17_Diffida….zip`).
    pub file_name: String,
    /// The ZIP.
    pub bytes: Vec<u8>,
    /// SHA-256 of the ZIP.
    pub sha256: String,
    pub manifest: Manifest,
}

/// Makes the pack of `send` (as listed by [`Archive::status`]).
pub fn build_pack(
    archive: &Archive,
    send: &SentStatus,
    anchors: &TrustAnchors,
    options: &PackOptions,
) -> Result<Pack, PackError> {
    let items = collect(archive, send, anchors, options.checked_at)?;
    let mut manifest = state(send, &items, options);
    let evidences = rem_evidences(&mut manifest, &items, anchors, options.checked_at);
    manifest.archive_head = Some(archive.chain_head()?.to_string());
    let report = report::render(&manifest);
    manifest.members.insert(
        0,
        Member {
            path: REPORT.to_owned(),
            sha256: sha256_hex(&report),
            size: report.len() as u64,
            role: MemberRole::Report,
            message: None,
            evidence: None,
        },
    );
    let manifest_json = manifest.seal();
    let sums = sums::text(&manifest, &sha256_hex(&manifest_json));
    let mut members: Vec<(&str, &[u8])> = vec![
        (REPORT, &report),
        (MANIFEST, &manifest_json),
        (SUMS, sums.as_bytes()),
    ];
    let paths: Vec<&str> = manifest.messages().map(|(m, _)| m.path.as_str()).collect();
    for (path, item) in paths.iter().zip(&items) {
        members.push((path, &item.raw));
    }
    for (path, xml) in &evidences {
        members.push((path, xml));
    }
    let bytes = crate::container::write(&members, options.produced_at)?;
    // Named by the day it was sent, else accepted, else of its first certified receipt.
    let at = manifest
        .send
        .sent_at
        .or(manifest.send.accepted_at)
        .or_else(|| manifest.messages().filter_map(|(_, f)| f.at).min());
    Ok(Pack {
        file_name: pack_file_name(options.language, send.id, at, send.subject.as_deref()),
        sha256: sha256_hex(&bytes),
        bytes,
        manifest,
    })
}

/// The ERDS evidence of each REM message member, as a member of its own beside it (issue 14 §5): the
/// XML exactly as the message carries it, its XAdES signature verified now. Returns the paths and bytes
/// to zip.
fn rem_evidences(
    manifest: &mut Manifest,
    items: &[Collected],
    anchors: &TrustAnchors,
    checked_at: DateTime<Utc>,
) -> Vec<(String, Vec<u8>)> {
    let message_paths: Vec<String> = manifest.messages().map(|(m, _)| m.path.clone()).collect();
    let mut out = Vec::new();
    for (of, item) in message_paths.into_iter().zip(items) {
        let Some(xml) = pec_rem::read(&item.raw).and_then(|rem| rem.evidence_xml) else {
            continue;
        };
        let checked = pec_rem::check_evidence(&xml, anchors, checked_at);
        let report = checked.signature.map_or_else(
            || SignatureReport::with_status(SignatureStatus::Indeterminate),
            |x| x.signature,
        );
        let path = crate::layout::evidence_path(&of);
        manifest.members.push(Member {
            path: path.clone(),
            sha256: sha256_hex(&xml),
            size: xml.len() as u64,
            role: MemberRole::Evidence,
            message: None,
            evidence: Some(EvidenceFacts {
                of,
                event: checked.facts.ok().and_then(|f| f.event),
                signature: SignatureFacts::from_report(&report),
            }),
        });
        out.push((path, xml));
    }
    out
}

/// Whether Attesta itself submitted this message (these are the bytes handed to the provider).
fn submitted(item: &Collected) -> bool {
    item.origins.iter().any(Origin::is_submission)
}

/// The manifest of the message members (the report is added once it is printed).
fn state(send: &SentStatus, items: &[Collected], options: &PackOptions) -> Manifest {
    let mut namer = Namer::new(options.language);
    let any_submitted = items.iter().any(submitted);
    let mut members = Vec::with_capacity(items.len() + 1);
    let mut evidence = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let facts = &item.reading.facts;
        let at = if facts.kind == PecKind::NotPec {
            facts.date
        } else {
            facts.certified_at
        };
        // Beside the bytes Attesta submitted, the provider's own copy in Sent is named as such.
        let path = match SentCopy::of(facts.kind, submitted(item), any_submitted) {
            Some(SentCopy::SentFolder) => namer.sent_folder_copy(at),
            _ => namer.message(facts.kind, at, facts.consegna.as_deref()),
        };
        evidence.push(outcome::evidence(i, facts, item.reading.report.status));
        let error = facts.errore_esteso.clone().or_else(|| {
            (facts.errore != pec_core::Errore::Nessuno).then(|| facts.errore.as_str().to_owned())
        });
        members.push(Member {
            path,
            sha256: sha256_hex(&item.raw),
            size: item.raw.len() as u64,
            role: MemberRole::Message,
            evidence: None,
            message: Some(MessageFacts {
                archive_id: item.archive_id,
                kind: facts.kind,
                provider: facts.provider.clone(),
                identificativo: facts.identificativo.clone(),
                recipient: facts.consegna.clone(),
                at,
                error,
                signature: SignatureFacts::from_report(&item.reading.report),
                archived_status: item.archived_status,
                findings: item
                    .reading
                    .inspection
                    .findings
                    .iter()
                    .map(|f| FindingFacts {
                        code: f.code.as_str().to_owned(),
                        severity: f.severity.as_str().to_owned(),
                        message: f.message.clone(),
                    })
                    .collect(),
                origins: item.origins.clone(),
                documents: item
                    .documents
                    .iter()
                    .map(|d| {
                        let archived = item.archived_documents.iter().find(|a| a.part == d.part);
                        DocumentFacts::of(d, archived)
                    })
                    .collect(),
            }),
        });
    }
    let certified = outcome::certify(&send.msgid, &evidence);
    let path_of = |index: Option<i64>| {
        index
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| members.get(i))
            .map(|m: &Member| m.path.clone())
    };
    let recipients: Vec<RecipientFacts> = certified
        .recipients
        .iter()
        .map(|r| RecipientFacts {
            address: r.address.clone(),
            kind: r.kind,
            state: r.state,
            at: r.at,
            reason: r.reason.clone(),
            evidence: path_of(r.decided_by),
        })
        .collect();
    let mut notes: Vec<Note> = certified
        .findings
        .iter()
        .map(|f| Note {
            code: f.code.as_str().to_owned(),
            member: path_of(f.evidence),
            recipient: None,
            message: f.message.clone(),
        })
        .collect();
    if !items
        .iter()
        .any(|i| i.reading.facts.kind == PecKind::NotPec)
    {
        notes.push(Note {
            code: NoteCode::SentCopyMissing.as_str().to_owned(),
            member: None,
            recipient: None,
            message: "The sent message itself is not in the archive; the providers' receipts certify the send."
                .to_owned(),
        });
    }
    for r in &recipients {
        let archived = send
            .recipients
            .iter()
            .find(|a| pec_core::ids::same_address(&a.address, &r.address));
        if let Some(a) = archived
            && a.state != r.state
        {
            notes.push(Note {
                code: NoteCode::ArchiveStateDiffers.as_str().to_owned(),
                member: r.evidence.clone(),
                recipient: Some(r.address.clone()),
                message: format!(
                    "The archive records {} for this recipient; the receipts, verified now, certify {}.",
                    a.state.as_str(),
                    r.state.as_str()
                ),
            });
        }
    }
    for m in &members {
        if let Some(f) = &m.message
            && let Some(archived) = f.archived_status
            && archived != f.signature.status
        {
            notes.push(Note {
                code: NoteCode::ArchivedVerdictDiffers.as_str().to_owned(),
                member: Some(m.path.clone()),
                recipient: None,
                message: format!(
                    "The archive recorded this signature as {} when it stored the message; verified now it is {}.",
                    archived.as_str(),
                    f.signature.status.as_str()
                ),
            });
        }
    }
    for m in &members {
        let Some(f) = &m.message else { continue };
        for d in &f.documents {
            if let Some(a) = &d.archived
                && (a.status != d.status || a.qualified != d.qualified)
            {
                notes.push(Note {
                    code: NoteCode::ArchivedDocumentDiffers.as_str().to_owned(),
                    member: Some(m.path.clone()),
                    recipient: None,
                    message: format!(
                        "The archive recorded the signed attachment {} as {} (qualified: {}) on {}; verified now it is {} (qualified: {}).",
                        d.name,
                        a.status.as_str(),
                        a.qualified.as_str(),
                        a.checked_at.format("%Y-%m-%d %H:%M UTC"),
                        d.status.as_str(),
                        d.qualified.as_str()
                    ),
                });
            }
        }
    }
    Manifest {
        format: FORMAT.to_owned(),
        producer: options.producer.clone(),
        produced_at: options.produced_at,
        language: options.language,
        archive_head: None,
        exported_by: Some(options.exported_by.clone()),
        send: SendFacts {
            archive_id: send.id,
            msgid: send.msgid.clone(),
            subject: certified.subject.clone().or_else(|| send.subject.clone()),
            sender: certified.sender.clone().or_else(|| send.sender.clone()),
            sent_at: certified.sent_at,
            accepted_at: certified.accepted_at,
            summary: certified.summary,
            recipients,
            notes,
        },
        members,
        self_sha256: String::new(),
    }
}
