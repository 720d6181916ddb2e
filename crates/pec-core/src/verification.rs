//! The provider signature of one message, checked where the structure reader found it.
//!
//! PEC rules §6: the provider signs the whole transport envelope or receipt as a detached CMS
//! over the first part of a `multipart/signed` entity, wherever that entity sits in the MIME tree
//! (a list server may wrap it one level down). This joins the two halves of pec-core: the
//! [`Inspection`] says which bytes are signed and which `.p7s` signs them; the
//! [`signature`](crate::signature) verifier judges them. The signer's certificate e-mail is compared
//! with the `From` of the PEC message itself (the wrapped one, not the list server's).
//!
//! A message without a provider signature gets the status `unsigned`; the inspection's findings say
//! what it claimed to be (e.g. a receipt header with no certification behind it).

use crate::inspection::Inspection;
use crate::signature::{
    FindingCode, SignatureReport, TimeWitnesses, TrustAnchors, verify_detached_at,
};

/// Check the provider signature of `raw`, already read into `inspection`.
///
/// `witnesses` are the times the signer did not write (issue 13 §4, `docs/time.md`): the caller's
/// clock (pec-core has none), the arrival if known. When the caller gives no daticert time, the
/// signed daticert's `data` is used.
pub fn verify_signature(
    raw: &[u8],
    inspection: &Inspection,
    anchors: &TrustAnchors,
    witnesses: &TimeWitnesses,
) -> SignatureReport {
    let signed = inspection.signed_content(raw);
    let mut witnesses = *witnesses;
    if witnesses.daticert.is_none() {
        witnesses.daticert = inspection.daticert.as_ref().and_then(|d| d.data);
    }
    let report = match (signed, inspection.signature.as_deref()) {
        (Some(content), Some(p7s)) => verify_detached_at(
            content,
            p7s,
            anchors,
            inspection.headers.from.as_deref(),
            &witnesses,
        ),
        _ => return SignatureReport::unsigned(),
    };
    refuse_ambiguous(report, inspection)
}

/// Issue 13 §1: a message that reads in two ways is never `valid`, whatever the signature over the
/// strictly cut bytes says — a forger re-wraps a genuine receipt exactly so that it still matches.
fn refuse_ambiguous(mut report: SignatureReport, inspection: &Inspection) -> SignatureReport {
    let reasons: Vec<&str> = inspection
        .findings
        .iter()
        .filter(|f| f.code.makes_reading_ambiguous())
        .map(|f| f.message.as_str())
        .collect();
    if reasons.is_empty() {
        return report;
    }
    report.add(
        FindingCode::AmbiguousMessage,
        format!(
            "the message was altered around what the provider signed, so it can be read in more than one \
             way: {}",
            reasons.join("; ")
        ),
    );
    report.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect;
    use crate::signature::SignatureStatus;

    #[test]
    fn plain_mail_is_unsigned() {
        let raw = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nhello\r\n";
        let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
        let report = verify_signature(
            raw,
            &inspect(raw),
            &TrustAnchors::builtin(),
            &TimeWitnesses::at(now),
        );
        assert_eq!(report.status, SignatureStatus::Unsigned);
        assert!(report.signer.is_none());
    }
}
