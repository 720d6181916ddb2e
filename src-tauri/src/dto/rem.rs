//! A REM message's own evidence in the evidence panel (issue 14 §7): what the signed ERDS evidence
//! states (event, reason, issuer, the recipient it is about) and the verdict on its own XAdES-B-T
//! signature — signing time, the RFC 3161 signature timestamp and its authority — checked again when
//! the message is opened, with the anchors of the account it came from (a lab account's lab CA; the
//! general ones for a file opened from disk), never more (docs/rem.md §3, §4).

use chrono::{DateTime, Utc};
use pec_core::signature::{TimeWitnesses, TrustAnchors};
use serde::{Deserialize, Serialize};

use super::when;
use super::words::{RemEvent, SignatureStatus};

/// The evidence a REM message carries, read and verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RemEvidence {
    /// The event the evidence certifies (`None`: not one ETSI defines).
    pub event: Option<RemEvent>,
    /// REM-Policy-IT's code (`RD01`), else the ETSI reason's last segment.
    pub reason: Option<String>,
    /// The words after the code in the evidence's `Details`.
    pub reason_text: Option<String>,
    /// The provider that issued it (`LegalName`).
    pub issuer: Option<String>,
    /// The recipient it is about.
    pub recipient: Option<String>,
    pub event_time: Option<String>,
    /// The evidence's own XAdES signature.
    pub verdict: SignatureStatus,
    /// The signing time the signer states (XAdES `SigningTime`).
    pub signed_at: Option<String>,
    /// The signature timestamp's time and its verdict, when it carries one.
    pub timestamp_at: Option<String>,
    pub timestamp_verdict: Option<SignatureStatus>,
    /// The timestamping authority (its certificate's common name).
    pub tsa: Option<String>,
    /// For a dispatch: whether the attached original is the one the evidence's digest names.
    pub digest_matches: Option<bool>,
}

impl RemEvidence {
    /// The evidence of `raw` (a REM message) at `now` under `anchors`; `None` when `raw` is not REM
    /// or carries no readable evidence.
    pub fn of(raw: &[u8], anchors: &TrustAnchors, now: DateTime<Utc>) -> Option<RemEvidence> {
        let verdict = pec_rem::verify_message(raw, anchors, &TimeWitnesses::at(now))?;
        let facts = verdict.message.evidence.as_ref()?;
        let xades = verdict.evidence_signature.as_ref();
        let stamp = xades.and_then(|x| x.timestamp.as_ref());
        let code = facts.reason_code();
        Some(RemEvidence {
            event: facts.event,
            reason_text: facts
                .reasons
                .iter()
                .flat_map(|r| r.details.iter())
                .find(|d| Some(d.as_str()) != code.as_deref())
                .cloned(),
            reason: code,
            issuer: facts.issuer.clone(),
            recipient: facts.recipient().and_then(|p| p.address.clone()),
            event_time: when(facts.event_time),
            verdict: xades.map_or(SignatureStatus::Unsigned, |x| x.status),
            signed_at: when(xades.and_then(|x| x.signed_at)),
            timestamp_at: when(stamp.and_then(|s| s.time)),
            timestamp_verdict: stamp.map(|s| {
                if s.is_usable() || s.status != SignatureStatus::Valid {
                    s.status
                } else {
                    // A good token over other bytes is no timestamp of this signature.
                    SignatureStatus::Invalid
                }
            }),
            tsa: stamp
                .and_then(|s| s.tsa.as_ref())
                .map(|t| t.common_name.clone().unwrap_or_else(|| t.subject.clone())),
            digest_matches: verdict.message.digest_matches,
        })
    }
}
