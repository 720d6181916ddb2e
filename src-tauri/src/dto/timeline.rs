//! A send's timeline in the evidence panel: every linked item in the PEC order the evidence pack uses too
//! (`pec_core::correlate::flow_place`: the sender's copies, then by certified time, the flow within a
//! second), the sender's own copies told apart from the provider's receipts.

use pec_archive::listing::ListRow;
use pec_core::PecKind;
use pec_core::correlate::{FlowStep, flow_place};
use serde::{Deserialize, Serialize};

use super::words::{Family, RemEvent, SentCopy, SignatureStatus};
use super::{id, when};

/// Which copy of the sender's own message item `id` of a send is, given the ids of the items
/// Attesta submitted itself (the rule the evidence pack names its files by).
pub fn copy_of(kind: PecKind, id: i64, submitted: &[i64]) -> Option<SentCopy> {
    pec_archive::SentCopy::of(kind, submitted.contains(&id), !submitted.is_empty())
}

/// One item of a send's timeline (the sent copies, the acceptance, each delivery or notice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct TimelineEntry {
    pub id: u32,
    pub kind: PecKind,
    /// `rem` for a REM message, which the window names by its event.
    pub family: Family,
    /// REM: the signed evidence's event (`None` for a dispatch).
    pub rem_event: Option<RemEvent>,
    /// Set for the sender's own copies, which the window names instead of "ordinary message".
    pub copy: Option<SentCopy>,
    pub at: Option<String>,
    pub consegna: Option<String>,
    pub verdict: SignatureStatus,
    pub provider: Option<String>,
    pub errore_esteso: Option<String>,
}

/// The timeline of `rows` (a send's evidence), `submitted` naming those Attesta submitted.
pub fn timeline(rows: &[ListRow], submitted: &[i64]) -> Vec<TimelineEntry> {
    let mut rows: Vec<(&ListRow, Option<SentCopy>)> = rows
        .iter()
        .map(|r| (r, copy_of(r.kind, r.id, submitted)))
        .collect();
    // The submitted message is archived when it is sent, so it precedes the Sent-folder copy by id.
    rows.sort_by_key(|&(r, copy)| flow_place(FlowStep::of(r.kind, copy.is_some()), r.at, r.id));
    rows.into_iter()
        .map(|(r, copy)| TimelineEntry {
            id: id(r.id),
            kind: r.kind,
            family: r.family,
            rem_event: r.rem_kind.as_deref().and_then(|k| k.parse().ok()),
            copy,
            at: when(r.at),
            consegna: r.consegna.clone(),
            verdict: r.signature,
            provider: r.provider.clone(),
            errore_esteso: r.errore_esteso.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use pec_core::signature::SignatureStatus;

    use super::*;

    fn row(id: i64, kind: PecKind, second: u32) -> ListRow {
        ListRow {
            id,
            kind,
            subject: None,
            sender: None,
            at: Some(Utc.with_ymd_and_hms(2026, 12, 3, 6, 45, second).unwrap()),
            signature: if kind == PecKind::NotPec {
                SignatureStatus::Unsigned
            } else {
                SignatureStatus::Valid
            },
            provider: None,
            consegna: None,
            link_key: Some("k".into()),
            errore_esteso: None,
            family: if kind == PecKind::NotPec {
                pec_core::Family::None
            } else {
                pec_core::Family::Pec
            },
            rem_kind: None,
        }
    }

    fn steps(entries: &[TimelineEntry]) -> Vec<(u32, PecKind, Option<SentCopy>)> {
        entries.iter().map(|e| (e.id, e.kind, e.copy)).collect()
    }

    #[test]
    fn items_of_the_same_second_follow_the_pec_flow_and_the_copies_are_named() {
        // Archived in the order a sync happened to fetch them: delivery, Sent copy, acceptance;
        // the bytes Attesta submitted were archived first (id 1).
        let rows = [
            row(4, PecKind::Delivery, 30),
            row(2, PecKind::NotPec, 30),
            row(3, PecKind::Acceptance, 30),
            row(1, PecKind::NotPec, 30),
            row(5, PecKind::DeliveryFailure, 31),
        ];
        assert_eq!(
            steps(&timeline(&rows, &[1])),
            [
                (1, PecKind::NotPec, Some(SentCopy::Sent)),
                (2, PecKind::NotPec, Some(SentCopy::SentFolder)),
                (3, PecKind::Acceptance, None),
                (4, PecKind::Delivery, None),
                (5, PecKind::DeliveryFailure, None),
            ]
        );
        // Synced from the Sent folder only (sent from another client): that copy is the sent message.
        assert_eq!(
            steps(&timeline(&rows[..3], &[])),
            [
                (2, PecKind::NotPec, Some(SentCopy::Sent)),
                (3, PecKind::Acceptance, None),
                (4, PecKind::Delivery, None),
            ]
        );
    }

    #[test]
    fn issue_16_the_sent_copy_comes_first_as_in_the_evidence_pack_even_dated_after_its_receipts() {
        // The sender's clock was ahead; receipts then follow their certified times.
        let rows = [
            row(3, PecKind::Delivery, 33),
            row(1, PecKind::Acceptance, 31),
            row(2, PecKind::NotPec, 40),
        ];
        assert_eq!(
            steps(&timeline(&rows, &[])),
            [
                (2, PecKind::NotPec, Some(SentCopy::Sent)),
                (1, PecKind::Acceptance, None),
                (3, PecKind::Delivery, None),
            ]
        );
    }
}
