//! Hostile inputs: every one gets a clear verdict — `invalid` or `indeterminate`, with a finding
//! that says why — and neither a panic, nor a stack overflow, nor a hang (issue 15: "total").
//!
//! The real signed files cut short and with single bytes flipped; CMS nested ten thousand levels
//! deep; `.p7m` inside `.p7m` past [`MAX_LEVEL`]; 64 MiB of zeros and of noise; PDFs whose byte
//! ranges overlap, leave the file, are negative or huge, or frame something that is not a hex
//! signature; a PDF with ten thousand signature dictionaries; a signed p7m pasted into a PDF.
//! Nothing here measures time: the bounds are what keeps it to a few seconds in a debug build.
//!
//! Map: [`damaged`] (the real files cut and flipped), [`nesting`] (depth), [`size`] (64 MiB),
//! [`pdf`] (forged PDFs); the verdict helpers are here.

mod damaged;
mod nesting;
mod pdf;
mod size;

use std::collections::BTreeSet;
use std::path::Path;

use pec_core::signature::{FindingCode, Severity, SignatureFinding, SignatureStatus, TrustAnchors};
use pec_document::{Checking, DocumentReport};

use super::support::{anchors, lists, now};

fn findings(report: &DocumentReport) -> impl Iterator<Item = &SignatureFinding> {
    report
        .findings
        .iter()
        .chain(report.signatures.iter().flat_map(|s| &s.findings))
}

fn codes(report: &DocumentReport) -> BTreeSet<String> {
    findings(report)
        .map(|f| f.code.as_str().to_string())
        .collect()
}

fn has(report: &DocumentReport, code: FindingCode) -> bool {
    findings(report).any(|f| f.code == code)
}

/// `invalid` or `indeterminate`, and a finding of that weight saying why.
fn refused(report: &DocumentReport) -> bool {
    matches!(
        report.status,
        SignatureStatus::Invalid | SignatureStatus::Indeterminate
    ) && findings(report).any(|f| matches!(f.severity, Severity::Invalid | Severity::Indeterminate))
}

fn assert_refused(report: &DocumentReport, case: &str) {
    assert!(
        refused(report),
        "{case}: {:?} with {:?}",
        report.status,
        codes(report)
    );
}

/// Opens bytes with no trust at all (the structure is what is tested).
fn open_untrusted(name: &str, bytes: &[u8]) -> DocumentReport {
    let anchors = TrustAnchors::empty();
    let checking = Checking {
        anchors: &anchors,
        now: now(),
        services: None,
        companion: None,
    };
    pec_document::open(name, bytes, &checking)
}

/// Opens bytes as `attesta verify-doc` would, with the Italian lists' anchors.
fn open_bytes(dir: &Path, name: &str, bytes: &[u8], companion: Option<&[u8]>) -> DocumentReport {
    let checking = Checking {
        anchors: anchors(dir),
        now: now(),
        services: Some(lists(dir)),
        companion,
    };
    pec_document::open(name, bytes, &checking)
}
