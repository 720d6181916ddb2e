//! From pec-core's verdicts to report entries: a signature, its counter-signatures and its
//! timestamp, flattened outermost first with their level.

use pec_core::signature::{
    DocumentSignature, SignatureReport, SignatureStatus, TimeBasis, TimestampReport,
};

use crate::qualified::{self, QualifiedServices};
use crate::report::{SignatureEntry, SignatureRole};

/// Appends `signature` (and what hangs off it) at `level`.
pub(crate) fn push_signature(
    out: &mut Vec<SignatureEntry>,
    signature: DocumentSignature,
    level: u32,
    role: SignatureRole,
    services: Option<&dyn QualifiedServices>,
) {
    let report: SignatureReport = signature.report;
    let qualified = qualified::judge(
        services,
        report.status == SignatureStatus::Valid,
        &signature.path,
        signature.judged_at,
    );
    out.push(SignatureEntry {
        level,
        role,
        status: report.status,
        signer: report.signer,
        signed_at: report.signed_at,
        timestamp_at: signature.timestamp.as_ref().and_then(|t| t.time),
        time_basis: signature.time_basis,
        judged_at: signature.judged_at,
        qualified,
        digest_algorithm: report.digest_algorithm,
        chain: report.chain,
        findings: report.findings,
        path: signature.path,
    });
    if let Some(ts) = signature.timestamp {
        push_timestamp(out, ts, level, SignatureRole::SignatureTimestamp, services);
    }
    for counter in signature.countersignatures {
        push_signature(
            out,
            counter,
            level,
            SignatureRole::Countersignature,
            services,
        );
    }
}

/// Appends a timestamp token's verdict at `level`.
pub(crate) fn push_timestamp(
    out: &mut Vec<SignatureEntry>,
    ts: TimestampReport,
    level: u32,
    role: SignatureRole,
    services: Option<&dyn QualifiedServices>,
) {
    let qualified = qualified::judge_timestamp(
        services,
        ts.status == SignatureStatus::Valid,
        &ts.path,
        ts.time,
    );
    out.push(SignatureEntry {
        level,
        role,
        status: ts.status,
        signer: ts.tsa,
        signed_at: ts.time,
        timestamp_at: ts.time,
        time_basis: if ts.time.is_some() {
            TimeBasis::Timestamp
        } else {
            TimeBasis::None
        },
        judged_at: ts.time,
        qualified,
        digest_algorithm: ts.digest_algorithm,
        chain: ts.chain,
        findings: ts.findings,
        path: Vec::new(),
    });
}
