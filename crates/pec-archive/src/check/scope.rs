//! What `archive check` can check for a role that reads only some mailboxes (row-level security,
//! `access.rs`). The chain is readable whole, so it is walked and proven whole; but the messages,
//! origins and sends of other mailboxes are not there to compare: the record is narrowed to this
//! role's mailboxes before step 3, and step 4 is left out (a send's state comes from all its evidence,
//! some of which this role may not see). The report says so ([`Scope`]).
//!
//! NOTE: narrowed by the origins the journal recorded, never by what the database shows: a message of
//! this role's mailboxes removed or hidden behind its back is still missed as removed.

use std::collections::HashMap;

use serde::Serialize;

use super::recorded::Recorded;
use crate::access::Mailboxes;

/// What a check covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// The mailboxes checked: all of them, or this role's.
    pub mailboxes: Mailboxes,
    /// Messages the chain recorded from other mailboxes (or only from files), not compared.
    pub messages_outside: u64,
    /// Whether the sends were recomputed and compared (only with every mailbox in view).
    pub sends_checked: bool,
}

impl Scope {
    /// Whether the check covered the whole archive.
    pub fn is_whole(&self) -> bool {
        self.mailboxes == Mailboxes::All
    }
}

/// Narrows `recorded` to `mailboxes`: each message keeps the origins of those mailboxes; one with none
/// is marked outside (never missed as removed, and each origin it shows is one not recorded there).
pub(super) fn narrow(recorded: &mut HashMap<String, Recorded>, mailboxes: &Mailboxes) -> Scope {
    let mut outside = 0;
    if *mailboxes != Mailboxes::All {
        for rec in recorded.values_mut() {
            rec.origins.retain(|(origin, _)| mailboxes.covers(origin));
            if rec.origins.is_empty() {
                rec.outside = true;
                outside += u64::from(rec.size > 0);
            }
        }
    }
    Scope {
        mailboxes: mailboxes.clone(),
        messages_outside: outside,
        sends_checked: *mailboxes == Mailboxes::All,
    }
}
