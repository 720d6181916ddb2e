//! Reading one message for the archive: inspection, derived facts, search text, signature verdict.
//!
//! Pure CPU work with no database access, so callers run it on as many threads as they like and hand
//! the results to [`Archive::store`](crate::Archive::store), which writes on one.

use chrono::{DateTime, Utc};
use pec_core::signature::{SignatureReport, TimeWitnesses, TrustAnchors};
use pec_core::structure::parse;
use pec_core::{Inspection, inspect, inspect_parsed, verify_signature};
use pec_rem::RemMessage;

use crate::documents::{DocumentCheck, DocumentChecker, DocumentVerdict};
use crate::facts::{Facts, SearchText};
use crate::verdict::Verdict;

/// Everything the archive derives from one message's bytes.
#[derive(Debug, Clone)]
pub struct Reading {
    pub inspection: Inspection,
    pub facts: Facts,
    pub search: SearchText,
    pub verdict: Verdict,
    /// The verdicts of its signed attachments (issue 15 §6), when they were checked here (on the
    /// caller's thread, [`Reading::witnessed`]); `None` leaves it to the archive's own checker,
    /// if it has one ([`crate::Archive::checking_documents`]).
    pub documents: Option<Vec<crate::documents::DocumentVerdict>>,
    /// The stored (compressed) form, made here on the caller's thread so the single writer does not have
    /// to; used only if it is for the same bytes (by SHA-256).
    pub(crate) packed: Option<Packed>,
}

/// Raw bytes in their stored form, and whose bytes they are.
#[derive(Debug, Clone)]
pub(crate) struct Packed {
    pub sha256: [u8; 32],
    pub codec: crate::blob::Codec,
    pub bytes: Vec<u8>,
}

impl Reading {
    /// Reads `raw`, verifying its provider signature against `anchors` as of its signing time; `now`
    /// only adds "the certificate has expired since" information.
    pub fn of(raw: &[u8], anchors: &TrustAnchors, now: DateTime<Utc>) -> Reading {
        Reading::of_addressed(raw, crate::store::address(raw), anchors, now)
    }

    /// [`Reading::of`] for bytes whose SHA-256 the caller already computed.
    pub fn of_addressed(
        raw: &[u8],
        sha256: [u8; 32],
        anchors: &TrustAnchors,
        now: DateTime<Utc>,
    ) -> Reading {
        Reading::witnessed(raw, sha256, anchors, &TimeWitnesses::at(now), None)
    }

    /// [`Reading::of_addressed`] with every independent time known of the message (issue 13 §4: the
    /// IMAP INTERNALDATE of a synced message), against which the claimed signingTime is judged; with
    /// `documents`, its signed attachments are checked too, as of `witnesses.now`, on the same parse
    /// of the message (here, on the caller's thread, so that the single writer does not have to).
    pub fn witnessed(
        raw: &[u8],
        sha256: [u8; 32],
        anchors: &TrustAnchors,
        witnesses: &TimeWitnesses,
        documents: Option<&dyn DocumentChecker>,
    ) -> Reading {
        let understood = understand_checking(
            raw,
            Some((anchors, witnesses)),
            documents.map(|checker| (checker, witnesses.now)),
        );
        let report = understood.report.unwrap_or_else(SignatureReport::unsigned);
        let mut reading = Reading::with_verdict(
            understood.inspection,
            understood.rem.as_ref(),
            Verdict::from_report(&report),
        );
        reading.documents = understood.documents.as_ref().map(DocumentVerdict::all_of);
        let (codec, bytes) = crate::blob::pack(raw);
        reading.packed = Some(Packed {
            sha256,
            codec,
            bytes,
        });
        reading
    }

    /// A reading whose verdict was already recorded (rebuild without re-verifying); `rem` is the REM
    /// reading of the same bytes, if they are REM.
    pub fn with_verdict(
        inspection: Inspection,
        rem: Option<&RemMessage>,
        verdict: Verdict,
    ) -> Reading {
        let facts = Facts::derive(&inspection, rem);
        let search = facts.search_text(&inspection);
        Reading {
            inspection,
            facts,
            search,
            verdict,
            documents: None,
            packed: None,
        }
    }
}

/// The one reading of a message's bytes: pec-core's inspection, the REM reading when the bytes are REM,
/// and — given anchors and times — the verdict: for REM both signatures, the provider's and the
/// evidence's own (`pec_rem::RemVerdict::report`), from one parse of the message.
pub fn understand(
    raw: &[u8],
    verifying: Option<(&TrustAnchors, &TimeWitnesses)>,
) -> (Inspection, Option<RemMessage>, Option<SignatureReport>) {
    let understood = understand_checking(raw, verifying, None);
    (understood.inspection, understood.rem, understood.report)
}

/// What [`understand_checking`] read of one message.
#[derive(Debug, Clone)]
pub struct Understood {
    pub inspection: Inspection,
    pub rem: Option<RemMessage>,
    /// The verdict, when anchors and times were given.
    pub report: Option<SignatureReport>,
    /// The signed attachments, when a document checker was given.
    pub documents: Option<DocumentCheck>,
}

/// [`understand`], and — given a document checker and the time of checking — the message's signed
/// attachments, found on the same parse the inspection read (issue 15 §6): the message is parsed once.
pub fn understand_checking(
    raw: &[u8],
    verifying: Option<(&TrustAnchors, &TimeWitnesses)>,
    checking: Option<(&dyn DocumentChecker, DateTime<Utc>)>,
) -> Understood {
    let Some(parsed) = parse(raw) else {
        // NOTE: no message at all: nothing is signed, and there is no letter to hold attachments.
        let inspection = inspect(raw);
        let report = verifying
            .map(|(anchors, witnesses)| verify_signature(raw, &inspection, anchors, witnesses));
        return Understood {
            inspection,
            rem: None,
            report,
            documents: checking.map(|(_, now)| DocumentCheck::nothing(now)),
        };
    };
    let (inspection, rem, report) = match verifying {
        Some((anchors, witnesses)) => {
            match pec_rem::verify_parsed(raw, &parsed, anchors, witnesses) {
                Some(verdict) => {
                    let report = verdict.report();
                    (verdict.inspection, Some(verdict.message), Some(report))
                }
                None => {
                    let inspection = inspect_parsed(raw, &parsed);
                    let report = verify_signature(raw, &inspection, anchors, witnesses);
                    (inspection, None, Some(report))
                }
            }
        }
        None => {
            let (inspection, rem) = pec_rem::inspect_parsed(raw, &parsed);
            (inspection, rem, None)
        }
    };
    Understood {
        inspection,
        rem,
        report,
        documents: checking.map(|(checker, now)| checker.check_parsed(&parsed, now)),
    }
}
