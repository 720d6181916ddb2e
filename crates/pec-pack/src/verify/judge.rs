//! After every member was read and hashed: what the signatures prove. Each receipt is bound to the
//! pack's send by its signed daticert ([`binding`](super::binding)), the sent copy is compared with the
//! signed facts ([`sent_copy`](super::sent_copy)), `report.pdf` with the manifest printed again, and
//! each member gets its [`Assurance`]. Only the receipts of this send go on to the outcomes.
//!
//! Used by [`verify_pack`](crate::verify_pack) (issue 13 §2).

use pec_core::PecKind;
use pec_core::correlate::Evidence;
use pec_core::signature::SignatureStatus;

use super::assurance::Assurance;
use super::binding::{Binding, bind, signed_daticert};
use super::problem::PackProblem;
use super::sent_copy::{self, SignedFacts};
use crate::collect::Reading;
use crate::manifest::{Manifest, REPORT};
use crate::outcome;
use crate::sums::sha256_hex;

/// One message member as read.
pub struct Message {
    pub path: String,
    pub raw: Vec<u8>,
    pub reading: Reading,
}

/// What the signatures prove about the pack's members.
pub struct Judgement {
    /// (member path, assurance).
    pub assurances: Vec<(String, Assurance)>,
    /// The members that are evidence of this send, for the outcomes.
    pub evidence: Vec<Evidence>,
}

/// Judges `messages` (and the report's `report` bytes, when read) against `manifest`.
pub fn judge(
    manifest: &Manifest,
    messages: &[Message],
    report: Option<&[u8]>,
    problems: &mut Vec<PackProblem>,
) -> Judgement {
    let msgid = manifest.send.msgid.as_str();
    // The sender is the manifest's word; a manifest that names none is held to its first signed
    // receipt's, so that all receipts at least agree with each other.
    let sender = manifest.send.sender.clone().or_else(|| {
        messages
            .iter()
            .filter_map(|m| signed_daticert(&m.reading.inspection))
            .find_map(|d| d.mittente.clone())
    });
    let bindings: Vec<Binding> = messages
        .iter()
        .map(|m| {
            bind(
                &m.path,
                &m.reading.inspection,
                msgid,
                sender.as_deref(),
                problems,
            )
        })
        .collect();
    let valid = |m: &Message| m.reading.report.status == SignatureStatus::Valid;
    let ours = || {
        messages
            .iter()
            .zip(&bindings)
            .filter(|(_, b)| **b == Binding::Signed)
            .map(|(m, _)| m)
    };

    // The signed facts of the send: a valid acceptance's, else any valid receipt's, else any bound one's.
    let source = ours()
        .find(|m| valid(m) && m.reading.inspection.kind == PecKind::Acceptance)
        .or_else(|| ours().find(|m| valid(m)))
        .or_else(|| ours().next());
    let originals: Vec<(&str, Vec<u8>)> = ours()
        .filter(|m| valid(m) && m.reading.inspection.kind == PecKind::Delivery)
        .filter_map(|m| {
            sent_copy::enclosed_original(&m.raw, &m.reading.inspection)
                .map(|o| (m.path.as_str(), o))
        })
        .collect();

    let mut assurances = Vec::with_capacity(messages.len() + 1);
    let mut evidence = Vec::with_capacity(messages.len());
    for (m, binding) in messages.iter().zip(&bindings) {
        let status = m.reading.report.status;
        let assurance = match binding {
            Binding::Foreign => Assurance::PackHashOnly,
            Binding::Signed if status == SignatureStatus::Valid => Assurance::ProviderSignature,
            Binding::Signed => Assurance::PackHashOnly,
            Binding::Unsigned if m.reading.inspection.kind == PecKind::NotPec => {
                match source.and_then(|s| {
                    let d = signed_daticert(&s.reading.inspection)?;
                    Some((s, d))
                }) {
                    Some((s, daticert)) => {
                        let signed = SignedFacts {
                            daticert,
                            originals: originals.clone(),
                        };
                        let agreement = sent_copy::check(
                            &m.path,
                            &m.raw,
                            &m.reading.inspection,
                            &signed,
                            problems,
                        );
                        if agreement.facts && valid(s) {
                            Assurance::AgreesWithSignedData {
                                original: agreement.original,
                            }
                        } else {
                            Assurance::PackHashOnly
                        }
                    }
                    None => Assurance::PackHashOnly,
                }
            }
            Binding::Unsigned => Assurance::PackHashOnly,
        };
        if *binding != Binding::Foreign {
            evidence.push(outcome::evidence(evidence.len(), &m.reading.facts, status));
        }
        assurances.push((m.path.clone(), assurance));
    }

    if let Some(found) = report {
        let rebuilt = crate::report::rebuild(manifest);
        let assurance = if rebuilt == found {
            Assurance::RebuiltFromManifest
        } else {
            problems.push(PackProblem::ReportDiffers {
                rebuilt_sha256: sha256_hex(&rebuilt),
                found_sha256: sha256_hex(found),
            });
            Assurance::PackHashOnly
        };
        assurances.push((REPORT.to_owned(), assurance));
    }
    Judgement {
        assurances,
        evidence,
    }
}
