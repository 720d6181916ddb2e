//! The times that vouch for when a signature was made, besides the one the signer wrote.
//!
//! Issue 13 §4 ("time that a signer cannot choose alone"): every certificate is judged at the CMS
//! signingTime, and the signer writes it. [`TimeWitnesses`] carries the independent times Attesta has —
//! the caller's clock, the IMAP INTERNALDATE, the time the archive first saw the message, the signed
//! daticert `data` — so that [`verify_detached_at`](super::verify_detached_at) can compare the claimed
//! time with them (`timing.rs`; the rule is in `docs/time.md`). pec-core has no clock: `now` is an
//! argument like the rest.

use chrono::{DateTime, Utc};

/// Independent times about one message. Only `now` is required; each other one is `None` when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWitnesses {
    /// The time of checking (the caller's clock). A signature claimed later than this is refused.
    pub now: DateTime<Utc>,
    /// When the mailbox server received the message (IMAP INTERNALDATE).
    pub received: Option<DateTime<Utc>>,
    /// When the archive first saw these bytes (recorded in its hash chain). The signature was made
    /// before it; unlike `received`, it does not say how long before.
    pub first_seen: Option<DateTime<Utc>>,
    /// The certified time of the signed daticert (`giorno` + `ora` + `zona`).
    pub daticert: Option<DateTime<Utc>>,
}

impl TimeWitnesses {
    /// Only the caller's clock.
    pub fn at(now: DateTime<Utc>) -> Self {
        TimeWitnesses {
            now,
            received: None,
            first_seen: None,
            daticert: None,
        }
    }

    /// With the IMAP INTERNALDATE.
    pub fn received(mut self, at: Option<DateTime<Utc>>) -> Self {
        self.received = at;
        self
    }

    /// With the time the archive first saw the message.
    pub fn first_seen(mut self, at: Option<DateTime<Utc>>) -> Self {
        self.first_seen = at;
        self
    }

    /// With the signed daticert's time.
    pub fn daticert(mut self, at: Option<DateTime<Utc>>) -> Self {
        self.daticert = at;
        self
    }

    /// The earliest time by which the message demonstrably existed, from outside the signature: the
    /// signature cannot have been made later than this. Only an upper bound: the archive may have
    /// first seen a file years after it was signed.
    pub fn held_by(&self) -> Option<DateTime<Utc>> {
        match (self.received, self.first_seen) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}
