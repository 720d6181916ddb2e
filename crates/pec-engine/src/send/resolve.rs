//! Finding out what happened to a submission whose outcome is unknown — before ever submitting it again.
//!
//! The provider took the message if its acceptance (or any receipt naming the Message-ID) reaches the
//! archive, or if the message is in the Sent folder. Only when neither shows up within a grace period
//! (providers answer within seconds) is the same archived message handed over again.

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Duration, Utc};
use pec_archive::Archive;
use pec_archive::outbox::{OutboxEntry, OutboxState};
use pec_core::signature::TrustAnchors;
use serde::Serialize;

use super::sent_copy::found_in_sent;
use super::{SendOutcome, submit_entry, unresolved};
use crate::EngineError;
use crate::accounts::Account;
use crate::sync::sync_account;

/// What was found out about one entry.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "resolution", rename_all = "kebab-case")]
pub enum Resolution {
    /// The provider had taken it; it is now recorded as submitted.
    Confirmed { entry: OutboxEntry, by: String },
    /// No trace after the grace period: the same archived bytes were submitted again.
    Resubmitted { outcome: SendOutcome },
    /// No trace yet, but it is too early to conclude: nothing was submitted.
    StillUncertain {
        entry: OutboxEntry,
        until: DateTime<Utc>,
    },
}

/// Resolves every unresolved entry of `account`: syncs first, then looks in the archive and in Sent.
pub fn resolve(
    archive: &mut Archive,
    account: &Account,
    password: &str,
    anchors: &TrustAnchors,
    now: DateTime<Utc>,
    grace: Duration,
) -> Result<Vec<Resolution>, EngineError> {
    let pending = unresolved(archive, &account.address)?;
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let cancel = AtomicBool::new(false);
    sync_account(
        archive,
        account,
        password,
        anchors,
        now,
        &cancel,
        &mut |_| {},
    )?;
    let roots = account.tls()?;
    let runtime = crate::runtime::network()?;
    let mut out = Vec::new();
    for entry in pending {
        if archive.has_receipt_for(&entry.msgid)? {
            let by = "the provider's receipt is in the archive".to_owned();
            archive.outbox_set(entry.id, OutboxState::Submitted, Some(&by), now)?;
            out.push(Resolution::Confirmed {
                entry: archive.outbox_entry(entry.id)?,
                by,
            });
            continue;
        }
        if runtime.block_on(found_in_sent(account, password, &roots, &entry.msgid))? {
            let by = "the message is in the Sent folder on the server".to_owned();
            archive.outbox_set(entry.id, OutboxState::Submitted, Some(&by), now)?;
            out.push(Resolution::Confirmed {
                entry: archive.outbox_entry(entry.id)?,
                by,
            });
            continue;
        }
        let until = entry.updated_at.unwrap_or(now) + grace;
        if now < until {
            out.push(Resolution::StillUncertain { entry, until });
            continue;
        }
        let outcome = submit_entry(archive, account, password, entry, now)?;
        out.push(Resolution::Resubmitted { outcome });
    }
    Ok(out)
}
