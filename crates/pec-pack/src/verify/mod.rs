//! Checking a pack, offline, with nothing but the pack and the trust anchors: does every file still
//! hold? The verdict names each member that does not and says how: changed, missing, unexpected,
//! unreadable, too large, or whose signature verdict is no longer the one the pack states — and whether
//! the outcomes the pack states per recipient are still what its signed receipts certify.
//!
//! With a document checker ([`verify_pack_with`]) each message's signed attachments are found again
//! in the message's own bytes and verified again (issue 15 §6).
//!
//! Total on hostile input (see [`reader`](crate::reader)): a pack that is not a ZIP, a ZIP bomb, `../`
//! names, a manifest that is not one — each is a verdict, never a panic or a file written anywhere.

pub mod assurance;
pub mod binding;
mod judge;
pub mod problem;
pub mod sent_copy;

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};
use std::path::Path;

use chrono::{DateTime, Utc};
use pec_archive::{DocumentChecker, DocumentVerdict, Person};
use pec_core::signature::{SignatureStatus, TrustAnchors};
use serde::Serialize;

pub use assurance::Assurance;
pub use problem::{PackProblem, SentCopyField};

use crate::collect::Reading;
use crate::manifest::{MANIFEST, Manifest, REPORT, SUMS};
use crate::names::is_safe_path;
use crate::reader::{self, Content, Limits};
use crate::sums::{self, sha256_hex};
use crate::{PackError, outcome};

/// What was found for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberCheck {
    pub path: String,
    /// Its bytes are the ones the pack was made with, and its verdict is the one stated.
    pub holds: bool,
    /// The SHA-256 found (when it could be read).
    pub sha256: Option<String>,
    /// The signature verdict found now (messages).
    pub signature: Option<SignatureStatus>,
    /// What its facts are proven by (see [`Assurance`]).
    pub assurance: Assurance,
}

/// The verdict on a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackVerdict {
    /// Nothing is wrong.
    pub holds: bool,
    /// The send, as the manifest names it (when it could be read).
    pub msgid: Option<String>,
    pub subject: Option<String>,
    pub produced_at: Option<DateTime<Utc>>,
    pub producer: Option<String>,
    /// Who the manifest says exported the pack (issue 18 §3; see `Manifest::exported_by`): the pack's
    /// own statement, checked against nothing here. Absent for packs made before it was stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exported_by: Option<Option<Person>>,
    pub members: Vec<MemberCheck>,
    /// The signed attachments the pack states were found again in their messages' own bytes and
    /// verified again (issue 15 §6); false when this check was given no document checker.
    pub documents_checked: bool,
    /// How many signed attachments the pack states.
    pub documents: usize,
    pub problems: Vec<PackProblem>,
}

impl PackVerdict {
    fn failed(problem: PackProblem) -> PackVerdict {
        PackVerdict {
            holds: false,
            msgid: None,
            subject: None,
            produced_at: None,
            producer: None,
            exported_by: None,
            members: Vec::new(),
            documents_checked: false,
            documents: 0,
            problems: vec![problem],
        }
    }
}

/// Checks the pack read from `reader`, with `anchors`, at `checked_at` (which only adds "expired
/// since" information to signature verdicts), within `limits`. Signed attachments are not verified
/// again ([`verify_pack_with`] does).
pub fn verify_pack<R: Read + Seek>(
    reader: R,
    anchors: &TrustAnchors,
    checked_at: DateTime<Utc>,
    limits: &Limits,
) -> PackVerdict {
    verify_pack_with(reader, anchors, None, checked_at, limits)
}

/// [`verify_pack`], and each message member's signed attachments found again in its own bytes and
/// verified again with `documents` (issue 15 §6): a stated attachment that is not there with the
/// stated bytes, a verdict that is not the one stated, or a signed attachment the pack does not state
/// is a problem naming it.
pub fn verify_pack_with<R: Read + Seek>(
    reader: R,
    anchors: &TrustAnchors,
    documents: Option<&dyn DocumentChecker>,
    checked_at: DateTime<Utc>,
    limits: &Limits,
) -> PackVerdict {
    let opened = match reader::open(reader, limits) {
        Ok(opened) => opened,
        Err(detail) => return PackVerdict::failed(PackProblem::NotAZip { detail }),
    };
    let mut problems = Vec::new();
    if opened.skipped_entries > 0 {
        problems.push(PackProblem::TooManyEntries {
            skipped: opened.skipped_entries,
        });
    }
    if opened.duplicate_names {
        problems.push(PackProblem::DuplicateNames);
    }
    let entries: HashMap<&str, &Content> = opened
        .entries
        .iter()
        .map(|e| (e.name.as_str(), &e.content))
        .collect();
    let bytes_of = |name: &str, problems: &mut Vec<PackProblem>| -> Option<Vec<u8>> {
        match entries.get(name) {
            None => {
                problems.push(match name {
                    MANIFEST => PackProblem::ManifestMissing,
                    SUMS => PackProblem::SumsMissing,
                    _ => PackProblem::Missing {
                        member: name.to_owned(),
                    },
                });
                None
            }
            Some(Content::Bytes(b)) => Some(b.clone()),
            Some(Content::Directory) => {
                problems.push(PackProblem::Unreadable {
                    member: name.to_owned(),
                    detail: "a directory, not a file".into(),
                });
                None
            }
            Some(Content::TooLarge(limit)) => {
                problems.push(PackProblem::TooLarge {
                    member: name.to_owned(),
                    limit: *limit,
                });
                None
            }
            Some(Content::Unreadable(detail)) => {
                problems.push(PackProblem::Unreadable {
                    member: name.to_owned(),
                    detail: detail.clone(),
                });
                None
            }
        }
    };

    let manifest_bytes = bytes_of(MANIFEST, &mut problems);
    let manifest = match manifest_bytes.as_deref().map(Manifest::from_json) {
        Some(Ok(m)) => Some(m),
        Some(Err(detail)) => {
            problems.push(PackProblem::ManifestUnreadable { detail });
            None
        }
        None => None,
    };
    let sums_bytes = bytes_of(SUMS, &mut problems);

    let mut verdict = PackVerdict {
        holds: false,
        msgid: manifest.as_ref().map(|m| m.send.msgid.clone()),
        subject: manifest.as_ref().and_then(|m| m.send.subject.clone()),
        produced_at: manifest.as_ref().map(|m| m.produced_at),
        producer: manifest.as_ref().map(|m| m.producer.clone()),
        exported_by: manifest.as_ref().and_then(|m| m.exported_by.clone()),
        members: Vec::new(),
        documents_checked: documents.is_some(),
        documents: manifest
            .iter()
            .flat_map(|m| m.messages())
            .map(|(_, f)| f.documents.len())
            .sum(),
        problems: Vec::new(),
    };

    // What each member's hash should be: the manifest's word while the manifest is intact; once it
    // was changed (or is lost), the sums list's, which is what `sha256sum -c` would check.
    let listed = |sums: &Option<Vec<u8>>| -> Option<Vec<(String, String)>> {
        let text = String::from_utf8_lossy(sums.as_deref()?).into_owned();
        Some(
            sums::parse(&text)
                .into_iter()
                .map(|(hash, path)| (path, hash))
                .filter(|(path, _)| path != MANIFEST)
                .collect(),
        )
    };
    let expected: Vec<(String, String)> = match (&manifest, &manifest_bytes) {
        (Some(m), Some(bytes)) => match m.check_self_hash(bytes) {
            Ok(()) => {
                if let Some(s) = &sums_bytes
                    && s.as_slice() != sums::text(m, &sha256_hex(bytes)).as_bytes()
                {
                    problems.push(PackProblem::SumsChanged);
                }
                m.members
                    .iter()
                    .map(|x| (x.path.clone(), x.sha256.clone()))
                    .collect()
            }
            Err(found_sha256) => {
                problems.push(PackProblem::ManifestChanged { found_sha256 });
                listed(&sums_bytes).unwrap_or_else(|| {
                    m.members
                        .iter()
                        .map(|x| (x.path.clone(), x.sha256.clone()))
                        .collect()
                })
            }
        },
        _ => listed(&sums_bytes).unwrap_or_default(),
    };

    let stated: HashMap<&str, SignatureStatus> = manifest
        .iter()
        .flat_map(|m| m.messages())
        .map(|(member, facts)| (member.path.as_str(), facts.signature.status))
        .collect();
    let stated_documents: HashMap<&str, &[crate::manifest::DocumentFacts]> = manifest
        .iter()
        .flat_map(|m| m.messages())
        .map(|(member, facts)| (member.path.as_str(), facts.documents.as_slice()))
        .collect();
    let stated_evidence: HashMap<&str, &crate::manifest::EvidenceFacts> = manifest
        .iter()
        .flat_map(|m| m.evidences())
        .map(|(member, facts)| (member.path.as_str(), facts))
        .collect();
    let mut messages = Vec::new();
    let mut report = None;
    for (path, expected_sha256) in &expected {
        if !is_safe_path(path) {
            problems.push(PackProblem::UnsafeName {
                member: path.clone(),
            });
        }
        let before = problems.len();
        let bytes = bytes_of(path, &mut problems);
        let found_sha256 = bytes.as_deref().map(sha256_hex);
        if let Some(found) = &found_sha256
            && !found.eq_ignore_ascii_case(expected_sha256)
        {
            problems.push(PackProblem::Changed {
                member: path.clone(),
                expected_sha256: expected_sha256.clone(),
                found_sha256: found.clone(),
            });
        }
        let mut signature = None;
        let mut read = None;
        if let (Some(bytes), Some(stated_status)) = (&bytes, stated.get(path.as_str())) {
            let reading = Reading::of(bytes, anchors, checked_at);
            let found = reading.report.status;
            signature = Some(found);
            read = Some(reading);
            if found != *stated_status {
                problems.push(PackProblem::SignatureChanged {
                    member: path.clone(),
                    stated: *stated_status,
                    found,
                });
            }
            if let Some(checker) = documents {
                let stated = stated_documents.get(path.as_str()).copied().unwrap_or(&[]);
                let found = DocumentVerdict::all_of(&checker.check(bytes, checked_at));
                compare_documents(path, stated, &found, &mut problems);
            }
        }
        if let (Some(bytes), Some(facts)) = (&bytes, stated_evidence.get(path.as_str())) {
            signature = Some(check_rem_evidence(
                path,
                bytes,
                facts,
                &entries,
                anchors,
                checked_at,
                &mut problems,
            ));
        }
        verdict.members.push(MemberCheck {
            path: path.clone(),
            holds: problems.len() == before,
            sha256: found_sha256,
            signature,
            assurance: Assurance::PackHashOnly,
        });
        match (bytes, read) {
            (Some(raw), Some(reading)) => messages.push(judge::Message {
                path: path.clone(),
                reading,
                raw,
            }),
            (Some(raw), None) if path == REPORT => report = Some(raw),
            _ => {}
        }
    }

    for e in &opened.entries {
        let known = e.name == MANIFEST
            || e.name == SUMS
            || expected.iter().any(|(p, _)| *p == e.name)
            || (e.content == Content::Directory
                && e.name.ends_with('/')
                && expected.iter().any(|(p, _)| p.starts_with(e.name.as_str())));
        if !known {
            problems.push(PackProblem::Unexpected {
                member: e.name.clone(),
            });
        }
    }

    if let Some(m) = &manifest {
        let judged = judge::judge(m, &messages, report.as_deref(), &mut problems);
        for (path, assurance) in judged.assurances {
            if let Some(check) = verdict.members.iter_mut().find(|c| c.path == path) {
                check.assurance = assurance;
            }
        }
        compare_outcomes(m, &judged.evidence, &mut problems);
    }
    for check in &mut verdict.members {
        check.holds = !problems
            .iter()
            .any(|p| p.member() == Some(check.path.as_str()));
    }
    verdict.holds = problems.is_empty();
    verdict.problems = problems;
    verdict
}

/// A REM evidence member (issue 14 §5): its own XAdES signature verified now against the verdict the
/// pack states, and its bytes compared with the evidence its message member carries. Returns the
/// verdict found.
fn check_rem_evidence(
    path: &str,
    bytes: &[u8],
    facts: &crate::manifest::EvidenceFacts,
    entries: &HashMap<&str, &Content>,
    anchors: &TrustAnchors,
    checked_at: DateTime<Utc>,
    problems: &mut Vec<PackProblem>,
) -> SignatureStatus {
    let found = pec_rem::check_evidence(bytes, anchors, checked_at)
        .signature
        .map_or(SignatureStatus::Indeterminate, |s| s.status);
    if found != facts.signature.status {
        problems.push(PackProblem::SignatureChanged {
            member: path.to_owned(),
            stated: facts.signature.status,
            found,
        });
    }
    let carried = match entries.get(facts.of.as_str()) {
        Some(Content::Bytes(message)) => pec_rem::read(message).and_then(|r| r.evidence_xml),
        _ => None,
    };
    if carried.as_deref() != Some(bytes) {
        problems.push(PackProblem::EvidenceNotCarried {
            member: path.to_owned(),
            of: facts.of.clone(),
        });
    }
    found
}

/// The signed attachments found now in message member `path` against those the pack states: by
/// position, the SHA-256 recomputed from the member's own bytes (the stated one is a hint), then the
/// verdict and whether it is qualified.
fn compare_documents(
    path: &str,
    stated: &[crate::manifest::DocumentFacts],
    found: &[DocumentVerdict],
    problems: &mut Vec<PackProblem>,
) {
    for s in stated {
        let now = found.iter().find(|f| f.part == s.part);
        match now {
            Some(f) if f.file_sha256.eq_ignore_ascii_case(&s.sha256) => {
                if f.status != s.status || f.qualified != s.qualified {
                    problems.push(PackProblem::DocumentChanged {
                        member: path.to_owned(),
                        attachment: s.name.clone(),
                        stated: s.status,
                        found: f.status,
                        stated_qualified: s.qualified,
                        found_qualified: f.qualified,
                    });
                }
            }
            _ => problems.push(PackProblem::DocumentNotHeld {
                member: path.to_owned(),
                attachment: s.name.clone(),
                stated_sha256: s.sha256.clone(),
                found_sha256: now.map(|f| f.file_sha256.clone()),
            }),
        }
    }
    for f in found {
        if !stated.iter().any(|s| s.part == f.part) {
            problems.push(PackProblem::DocumentUnstated {
                member: path.to_owned(),
                attachment: f.name.clone(),
                status: f.status,
            });
        }
    }
}

/// Whether the outcomes the manifest states are what the pack's receipts certify now.
fn compare_outcomes(
    manifest: &Manifest,
    evidence: &[pec_core::correlate::Evidence],
    problems: &mut Vec<PackProblem>,
) {
    let found = outcome::certify(&manifest.send.msgid, evidence);
    for r in &manifest.send.recipients {
        let now = found
            .recipients
            .iter()
            .find(|f| pec_core::ids::same_address(&f.address, &r.address));
        let same = now.is_some_and(|f| f.state == r.state && f.at == r.at);
        if !same {
            problems.push(PackProblem::OutcomeChanged {
                recipient: r.address.clone(),
                stated: r.state,
                found: now.map(|f| f.state),
                stated_at: r.at,
                found_at: now.and_then(|f| f.at),
            });
        }
    }
    for f in &found.recipients {
        if !manifest
            .send
            .recipients
            .iter()
            .any(|r| pec_core::ids::same_address(&f.address, &r.address))
        {
            problems.push(PackProblem::RecipientUnstated {
                recipient: f.address.clone(),
            });
        }
    }
    if found.summary != manifest.send.summary {
        problems.push(PackProblem::SummaryChanged {
            stated: manifest.send.summary,
            found: found.summary,
        });
    }
}

/// [`verify_pack`] on a pack in memory, with the default limits.
pub fn verify_pack_bytes(
    bytes: &[u8],
    anchors: &TrustAnchors,
    checked_at: DateTime<Utc>,
) -> PackVerdict {
    verify_pack(Cursor::new(bytes), anchors, checked_at, &Limits::default())
}

/// [`verify_pack_with`] on a pack in memory, with the default limits.
pub fn verify_pack_bytes_with(
    bytes: &[u8],
    anchors: &TrustAnchors,
    documents: Option<&dyn DocumentChecker>,
    checked_at: DateTime<Utc>,
) -> PackVerdict {
    verify_pack_with(
        Cursor::new(bytes),
        anchors,
        documents,
        checked_at,
        &Limits::default(),
    )
}

/// [`verify_pack`] on a pack file, with the default limits. `Err` only when the file cannot be opened.
pub fn verify_pack_file(
    path: &Path,
    anchors: &TrustAnchors,
    checked_at: DateTime<Utc>,
) -> Result<PackVerdict, PackError> {
    verify_pack_file_with(path, anchors, None, checked_at)
}

/// [`verify_pack_with`] on a pack file, with the default limits. `Err` only when the file cannot be
/// opened.
pub fn verify_pack_file_with(
    path: &Path,
    anchors: &TrustAnchors,
    documents: Option<&dyn DocumentChecker>,
    checked_at: DateTime<Utc>,
) -> Result<PackVerdict, PackError> {
    let file = std::fs::File::open(path).map_err(|source| PackError::Read {
        path: path.to_owned(),
        source,
    })?;
    Ok(verify_pack_with(
        std::io::BufReader::new(file),
        anchors,
        documents,
        checked_at,
        &Limits::default(),
    ))
}
