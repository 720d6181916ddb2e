//! Which sends an export covers: the ones named (by an archive item id or a Message-ID), or those a
//! filter selects (dates, account, outcome). Each send once, newest first for a filter and in the
//! order given for a list.

use chrono::{DateTime, Utc};
use pec_archive::query::{SentStatus, StatusFilter};
use pec_archive::{Archive, ArchiveError, Origin};

use super::{Selection, SendRef};
use crate::EngineError;

/// The sends `selection` names, judged at `now`. A name that matches nothing is an error, before
/// anything is written.
pub fn select(
    archive: &Archive,
    selection: &Selection,
    now: DateTime<Utc>,
) -> Result<Vec<SentStatus>, EngineError> {
    let mut sends: Vec<SentStatus> = Vec::new();
    match selection {
        Selection::Sends(refs) => {
            for r in refs {
                let send = resolve(archive, r, now)?;
                if !sends.iter().any(|s| s.id == send.id) {
                    sends.push(send);
                }
            }
        }
        Selection::Filter(filter) => {
            if let Some(account) = &filter.account {
                known_mailbox(archive, account)?;
            }
            let listed = archive.status(
                &StatusFilter {
                    since: filter.since,
                    until: filter.until,
                    ..StatusFilter::default()
                },
                now,
            )?;
            for send in listed {
                if !filter.states.is_empty() && !filter.states.contains(&send.summary) {
                    continue;
                }
                if let Some(account) = &filter.account
                    && !from_account(archive, &send, account)?
                {
                    continue;
                }
                sends.push(send);
            }
        }
    }
    Ok(sends)
}

fn resolve(archive: &Archive, r: &SendRef, now: DateTime<Utc>) -> Result<SentStatus, EngineError> {
    match r {
        SendRef::Item(id) => archive.item(*id, now)?.send.ok_or_else(|| {
            EngineError::Archive(ArchiveError::NoSuchItem(format!(
                "{id} as evidence of a sent message"
            )))
        }),
        SendRef::MsgId(msgid) => archive
            .status(
                &StatusFilter {
                    msgid: Some(msgid.clone()),
                    ..StatusFilter::default()
                },
                now,
            )?
            .into_iter()
            .next()
            .ok_or_else(|| {
                EngineError::Archive(ArchiveError::NoSuchItem(format!(
                    "{msgid} (no sent message has this Message-ID)"
                )))
            }),
    }
}

/// A mailbox filter that matches no evidence at all is a typo, not an empty selection: say so, and
/// name the mailboxes there are.
fn known_mailbox(archive: &Archive, account: &str) -> Result<(), EngineError> {
    let known = archive.mailboxes()?;
    if known
        .iter()
        .any(|m| pec_core::ids::same_address(m, account))
    {
        return Ok(());
    }
    Err(EngineError::NoEvidenceFromMailbox {
        address: account.to_owned(),
        known: if known.is_empty() {
            "none (imported files belong to no mailbox)".to_owned()
        } else {
            known.join(", ")
        },
    })
}

/// Whether any evidence of `send` came from mailbox `account`.
fn from_account(archive: &Archive, send: &SentStatus, account: &str) -> Result<bool, EngineError> {
    for id in &send.evidence {
        for origin in archive.origins(*id)? {
            let mailbox = match &origin {
                Origin::Imap { account, .. } | Origin::Submitted { account, .. } => account,
                Origin::File { .. } => continue,
            };
            if pec_core::ids::same_address(mailbox, account) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}
