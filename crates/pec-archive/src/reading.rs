//! Reading one message for the archive: inspection, derived facts, search text, signature verdict.
//!
//! Pure CPU work with no database access, so callers run it on as many threads as they like and hand
//! the results to [`Archive::store`](crate::Archive::store), which writes on one.

use chrono::{DateTime, Utc};
use pec_core::signature::TrustAnchors;
use pec_core::{Inspection, inspect, verify_signature};

use crate::facts::{Facts, SearchText};
use crate::verdict::Verdict;

/// Everything the archive derives from one message's bytes.
#[derive(Debug, Clone)]
pub struct Reading {
    pub inspection: Inspection,
    pub facts: Facts,
    pub search: SearchText,
    pub verdict: Verdict,
}

impl Reading {
    /// Reads `raw`, verifying its provider signature against `anchors` as of its signing time; `now`
    /// only adds "the certificate has expired since" information.
    pub fn of(raw: &[u8], anchors: &TrustAnchors, now: DateTime<Utc>) -> Reading {
        let inspection = inspect(raw);
        let report = verify_signature(raw, &inspection, anchors, Some(now));
        Reading::with_verdict(inspection, Verdict::from_report(&report))
    }

    /// A reading whose verdict was already recorded (rebuild without re-verifying).
    pub fn with_verdict(inspection: Inspection, verdict: Verdict) -> Reading {
        let facts = Facts::derive(&inspection);
        let search = facts.search_text(&inspection);
        Reading {
            inspection,
            facts,
            search,
            verdict,
        }
    }
}
