//! Step 2 of `archive check`: what the journal says was recorded for each message (by SHA-256): its
//! size and time when archived, every origin (a submission's with its sender), the latest verdict, the
//! latest verdict of each signed attachment.

use std::collections::{BTreeMap, HashMap};

use crate::documents::DocumentDigest;
use crate::journal::{Entry, Event, VerdictDigest};
use crate::origin::Origin;

/// What the journal says was recorded for one message.
#[derive(Default)]
pub(super) struct Recorded {
    pub size: u64,
    pub at: String,
    /// Each recorded arrival with its INTERNALDATE (as the journal spells it).
    pub origins: Vec<(Origin, Option<String>)>,
    pub verdict: Option<VerdictDigest>,
    /// The latest verdict of each signed attachment, by its position: the attachment's SHA-256 and
    /// the verdict (issue 15 §6).
    pub documents: BTreeMap<u32, (String, DocumentDigest)>,
    /// Recorded only from mailboxes the checking role does not read ([`super::scope`]).
    pub outside: bool,
}

/// The record of every message the chain names, by the hex SHA-256 of its bytes.
pub(super) fn from_journal(entries: &[Entry]) -> HashMap<String, Recorded> {
    let mut recorded: HashMap<String, Recorded> = HashMap::new();
    for entry in entries {
        match &entry.event {
            Event::Archived {
                sha256,
                size,
                origin,
                received,
                verdict,
            } => {
                let r = recorded.entry(sha256.clone()).or_default();
                r.size = *size;
                r.at.clone_from(&entry.at);
                r.origins.push((origin.clone(), received.clone()));
                r.verdict = Some(verdict.clone());
            }
            Event::Origin {
                sha256,
                origin,
                received,
            } => {
                recorded
                    .entry(sha256.clone())
                    .or_default()
                    .origins
                    .push((origin.clone(), received.clone()));
            }
            Event::Verdict { sha256, verdict } => {
                recorded.entry(sha256.clone()).or_default().verdict = Some(verdict.clone());
            }
            Event::Document {
                sha256,
                part,
                file_sha256,
                verdict,
                ..
            } => {
                recorded
                    .entry(sha256.clone())
                    .or_default()
                    .documents
                    .insert(*part, (file_sha256.clone(), verdict.clone()));
            }
            // NOTE: an export changes no row (the pack is outside the archive): the entry is the
            // archive's word that the pack was made, by whom, and the chain is what keeps it.
            Event::Exported { .. } => {}
        }
    }
    recorded
}
