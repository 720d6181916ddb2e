//! Checking a pack, offline, with nothing but the pack and the trust anchors: does every file still
//! hold? The verdict names each member that does not and says how: changed, missing, unexpected,
//! unreadable, too large, or whose signature verdict is no longer the one the pack states — and whether
//! the outcomes the pack states per recipient are still what its signed receipts certify.
//!
//! Total on hostile input (see [`reader`](crate::reader)): a pack that is not a ZIP, a ZIP bomb, `../`
//! names, a manifest that is not one — each is a verdict, never a panic or a file written anywhere.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};
use std::path::Path;

use chrono::{DateTime, Utc};
use pec_core::correlate::{RecipientState, SentSummary};
use pec_core::signature::{SignatureStatus, TrustAnchors};
use serde::Serialize;

use crate::collect::Reading;
use crate::manifest::{MANIFEST, Manifest, SUMS};
use crate::names::is_safe_path;
use crate::reader::{self, Content, Limits};
use crate::sums::{self, sha256_hex};
use crate::{PackError, outcome};

/// One thing about a pack that does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum PackProblem {
    /// The file is not a readable ZIP.
    NotAZip {
        detail: String,
    },
    /// More entries than the limit; the rest were not read.
    TooManyEntries {
        skipped: usize,
    },
    /// Two entries share one name.
    DuplicateNames,
    ManifestMissing,
    /// `manifest.json` is not a manifest this version reads.
    ManifestUnreadable {
        detail: String,
    },
    /// `manifest.json` was changed after the pack was made (its own hash no longer matches).
    ManifestChanged {
        found_sha256: String,
    },
    SumsMissing,
    /// `SHA256SUMS.txt` no longer lists exactly the pack's hashes.
    SumsChanged,
    /// A member the manifest lists is not in the ZIP.
    Missing {
        member: String,
    },
    /// A member's bytes are not the ones the pack was made with.
    Changed {
        member: String,
        expected_sha256: String,
        found_sha256: String,
    },
    /// An entry the manifest does not list.
    Unexpected {
        member: String,
    },
    /// A member that could not be read (encrypted, damaged, bad checksum, unsupported compression).
    Unreadable {
        member: String,
        detail: String,
    },
    /// A member larger than the reading limit.
    TooLarge {
        member: String,
        limit: u64,
    },
    /// The manifest lists a name that is not safe on every platform (a hand-made manifest).
    UnsafeName {
        member: String,
    },
    /// The member's signature verdict is not the one the pack states.
    SignatureChanged {
        member: String,
        stated: SignatureStatus,
        found: SignatureStatus,
    },
    /// The pack states an outcome for a recipient that its receipts no longer certify.
    OutcomeChanged {
        recipient: String,
        stated: RecipientState,
        found: Option<RecipientState>,
        stated_at: Option<DateTime<Utc>>,
        found_at: Option<DateTime<Utc>>,
    },
    /// The receipts certify a recipient the pack does not list.
    RecipientUnstated {
        recipient: String,
    },
    /// The pack states an overall outcome its receipts no longer certify.
    SummaryChanged {
        stated: SentSummary,
        found: SentSummary,
    },
}

impl PackProblem {
    /// The member (file in the pack) this problem is about, if one.
    pub fn member(&self) -> Option<&str> {
        match self {
            PackProblem::Missing { member }
            | PackProblem::Changed { member, .. }
            | PackProblem::Unexpected { member }
            | PackProblem::Unreadable { member, .. }
            | PackProblem::TooLarge { member, .. }
            | PackProblem::UnsafeName { member }
            | PackProblem::SignatureChanged { member, .. } => Some(member),
            PackProblem::ManifestMissing
            | PackProblem::ManifestUnreadable { .. }
            | PackProblem::ManifestChanged { .. } => Some(MANIFEST),
            PackProblem::SumsMissing | PackProblem::SumsChanged => Some(SUMS),
            PackProblem::NotAZip { .. }
            | PackProblem::TooManyEntries { .. }
            | PackProblem::DuplicateNames
            | PackProblem::OutcomeChanged { .. }
            | PackProblem::RecipientUnstated { .. }
            | PackProblem::SummaryChanged { .. } => None,
        }
    }

    /// The problem in one English sentence.
    pub fn describe(&self) -> String {
        match self {
            PackProblem::NotAZip { detail } => format!("not a readable ZIP file ({detail})"),
            PackProblem::TooManyEntries { skipped } => {
                format!("too many entries: {skipped} were not read")
            }
            PackProblem::DuplicateNames => {
                "two entries have the same name (programs disagree which one they show)".into()
            }
            PackProblem::ManifestMissing => format!("{MANIFEST} is missing"),
            PackProblem::ManifestUnreadable { detail } => {
                format!("{MANIFEST} is not a readable manifest ({detail})")
            }
            PackProblem::ManifestChanged { found_sha256 } => format!(
                "{MANIFEST} was changed after the pack was made (its SHA-256 is now {found_sha256})"
            ),
            PackProblem::SumsMissing => format!("{SUMS} is missing"),
            PackProblem::SumsChanged => {
                format!("{SUMS} was changed: it no longer lists exactly the pack's hashes")
            }
            PackProblem::Missing { member } => format!("{member} is missing"),
            PackProblem::Changed {
                member,
                expected_sha256,
                found_sha256,
            } => format!(
                "{member} was changed: SHA-256 {found_sha256}, the pack was made with {expected_sha256}"
            ),
            PackProblem::Unexpected { member } => {
                format!("{member} is not part of the pack as it was made")
            }
            PackProblem::Unreadable { member, detail } => {
                format!("{member} cannot be read ({detail})")
            }
            PackProblem::TooLarge { member, limit } => {
                format!("{member} is larger than {limit} bytes and was not read")
            }
            PackProblem::UnsafeName { member } => {
                format!("{member:?} is not a file name safe on every platform")
            }
            PackProblem::SignatureChanged {
                member,
                stated,
                found,
            } => format!(
                "{member}: the provider signature is now {}, the pack states {}",
                found.as_str(),
                stated.as_str()
            ),
            PackProblem::OutcomeChanged {
                recipient,
                stated,
                found,
                ..
            } => format!(
                "{recipient}: the pack states {}, its receipts now certify {}",
                stated.as_str(),
                found.map_or("nothing", |f| f.as_str())
            ),
            PackProblem::RecipientUnstated { recipient } => {
                format!("{recipient}: certified by the receipts but not listed in the pack")
            }
            PackProblem::SummaryChanged { stated, found } => format!(
                "the pack states the send was {}, its receipts now certify {}",
                stated.as_str(),
                found.as_str()
            ),
        }
    }
}

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
    pub members: Vec<MemberCheck>,
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
            members: Vec::new(),
            problems: vec![problem],
        }
    }
}

/// Checks the pack read from `reader`, with `anchors`, at `checked_at` (which only adds "expired
/// since" information to signature verdicts), within `limits`.
pub fn verify_pack<R: Read + Seek>(
    reader: R,
    anchors: &TrustAnchors,
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
        members: Vec::new(),
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
    let mut evidence = Vec::new();
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
        if let (Some(bytes), Some(stated_status)) = (&bytes, stated.get(path.as_str())) {
            let reading = Reading::of(bytes, anchors, checked_at);
            let found = reading.report.status;
            signature = Some(found);
            if found != *stated_status {
                problems.push(PackProblem::SignatureChanged {
                    member: path.clone(),
                    stated: *stated_status,
                    found,
                });
            }
            evidence.push(outcome::evidence(evidence.len(), &reading.facts, found));
        }
        verdict.members.push(MemberCheck {
            path: path.clone(),
            holds: problems.len() == before,
            sha256: found_sha256,
            signature,
        });
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
        compare_outcomes(m, &evidence, &mut problems);
    }
    verdict.holds = problems.is_empty();
    verdict.problems = problems;
    verdict
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

/// [`verify_pack`] on a pack file, with the default limits. `Err` only when the file cannot be opened.
pub fn verify_pack_file(
    path: &Path,
    anchors: &TrustAnchors,
    checked_at: DateTime<Utc>,
) -> Result<PackVerdict, PackError> {
    let file = std::fs::File::open(path).map_err(|source| PackError::Read {
        path: path.to_owned(),
        source,
    })?;
    Ok(verify_pack(
        std::io::BufReader::new(file),
        anchors,
        checked_at,
        &Limits::default(),
    ))
}
