//! A signature verdict as the archive records it: the status, the signing time, and the full report.
//!
//! The report is kept as JSON text with the signing time taken out (it has its own column), so the
//! thousands of receipts one provider certificate signed share a single stored text.

use chrono::{DateTime, Utc};
use pec_core::signature::{SignatureReport, SignatureStatus};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// One recorded verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub status: SignatureStatus,
    pub signed_at: Option<DateTime<Utc>>,
    /// The report without `signed_at` (signer, algorithms, chain, findings).
    pub report: Value,
}

impl Verdict {
    pub fn from_report(report: &SignatureReport) -> Verdict {
        let mut value = serde_json::to_value(report).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.remove("signed_at");
        }
        Verdict {
            status: report.status,
            signed_at: report.signed_at,
            report: value,
        }
    }

    /// The stored text of the report and its SHA-256 (the key it is shared under).
    pub(crate) fn text(&self) -> (String, [u8; 32]) {
        let text = self.report.to_string();
        let hash = Sha256::digest(text.as_bytes()).into();
        (text, hash)
    }

    /// The report as a whole again, `signed_at` included.
    pub fn full_report(&self) -> Value {
        let mut value = self.report.clone();
        if let Value::Object(map) = &mut value {
            map.insert(
                "signed_at".into(),
                self.signed_at
                    .map_or(Value::Null, |t| Value::String(crate::journal::time(t))),
            );
        }
        value
    }

    /// Whether two verdicts say the same (used by rebuild to record only real changes).
    pub fn same_as(&self, other: &Verdict) -> bool {
        self.status == other.status
            && self.signed_at == other.signed_at
            && self.text().1 == other.text().1
    }
}
