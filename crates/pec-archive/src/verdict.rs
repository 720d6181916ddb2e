//! A signature verdict as the archive records it: the status, the signing time, and the full report,
//! typed (`pec_core::signature::SignatureReport`, issue 16 §2) so that a rename in pec-core is a compile
//! error here, not an empty field in the window.
//!
//! The report is kept as JSON text with the signing time taken out (it has its own column), so the
//! thousands of receipts one provider certificate signed share a single stored text. The text is the
//! report's serde form with its keys sorted (as archives have always stored it): its SHA-256 is what the
//! journal records, so the same report always gives the same text.

use chrono::{DateTime, Utc};
use pec_core::signature::{SignatureReport, SignatureStatus};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::stored::BadStoredValue;

/// One recorded verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub status: SignatureStatus,
    pub signed_at: Option<DateTime<Utc>>,
    /// The whole report (signer, algorithms, chain, findings; `signed_at` as above).
    pub report: SignatureReport,
}

impl Verdict {
    pub fn from_report(report: &SignatureReport) -> Verdict {
        Verdict {
            status: report.status,
            signed_at: report.signed_at,
            report: report.clone(),
        }
    }

    /// The verdict stored as `status`, `signed_at` and report text `text` (row `text_id` of
    /// `verdict_texts`); a text that is not a report is an error naming that row.
    pub(crate) fn from_stored(
        status: SignatureStatus,
        signed_at: Option<DateTime<Utc>>,
        text: &str,
        text_id: i64,
    ) -> Result<Verdict, BadStoredValue> {
        let bad = |detail: String| BadStoredValue {
            table: "verdict_texts",
            column: "report",
            row: text_id,
            set: "SignatureReport",
            value: detail,
        };
        let mut value: Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if let Value::Object(map) = &mut value {
            map.insert(
                "signed_at".into(),
                serde_json::to_value(signed_at).unwrap_or(Value::Null),
            );
        }
        let report: SignatureReport =
            serde_json::from_value(value).map_err(|e| bad(e.to_string()))?;
        Ok(Verdict {
            status,
            signed_at,
            report,
        })
    }

    /// The stored text of the report and its SHA-256 (the key it is shared under).
    pub(crate) fn text(&self) -> (String, [u8; 32]) {
        // NOTE: through `Value` (a sorted map) and without `signed_at`: the text archives hold.
        let mut value = serde_json::to_value(&self.report).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.remove("signed_at");
        }
        let text = value.to_string();
        let hash = Sha256::digest(text.as_bytes()).into();
        (text, hash)
    }

    /// Whether two verdicts say the same (used by rebuild to record only real changes).
    pub fn same_as(&self, other: &Verdict) -> bool {
        self.status == other.status
            && self.signed_at == other.signed_at
            && self.text().1 == other.text().1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pec_core::signature::{FindingCode, Severity, SignatureFinding, SignerInfo};

    fn report() -> SignatureReport {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        let mut r = SignatureReport::with_status(SignatureStatus::Valid);
        r.signed_at = Some(at("2026-03-02T09:15:00Z"));
        r.signer = Some(SignerInfo {
            subject: "CN=Posta Certificata".into(),
            organization: Some("Gestore S.p.A.".into()),
            common_name: Some("Posta Certificata".into()),
            email: Some("posta-certificata@gestore.it".into()),
            serial: "01ab".into(),
            not_before: Some(at("2025-01-01T00:00:00Z")),
            not_after: None,
            issuer: "CN=CA".into(),
        });
        r.key_bits = Some(2048);
        r.findings = vec![SignatureFinding {
            code: FindingCode::LegacyDigestSha1,
            severity: Severity::Warning,
            message: "SHA-1.".into(),
        }];
        r
    }

    #[test]
    fn a_stored_report_reads_back_typed_and_gives_the_same_text() {
        let verdict = Verdict::from_report(&report());
        let (text, hash) = verdict.text();
        assert!(!text.contains("signed_at"), "{text}");
        let back = Verdict::from_stored(verdict.status, verdict.signed_at, &text, 1).unwrap();
        assert_eq!(back, verdict);
        assert_eq!(back.text().1, hash);
    }

    #[test]
    fn a_stored_text_that_is_not_a_report_is_an_error_naming_its_row() {
        let err = Verdict::from_stored(SignatureStatus::Valid, None, r#"{"status":"fine"}"#, 9)
            .unwrap_err();
        assert_eq!(
            (err.table, err.column, err.row),
            ("verdict_texts", "report", 9)
        );
    }
}
