//! Linking SdI notifications to an invoice file, and the invoice's SdI status. Pure: a function of the
//! file name and the notifications the caller has seen, in any order.
//!
//! **Which notifications are about the invoice.**
//! 1. By `NomeFile`: SdI names the file as it received it (`IT01234567890_FPR04.xml.p7m`). Names are
//!    compared by [`file_key`]: without the signature wrappers (`.p7m`, any number of them) and the
//!    `.xml` extension, ignoring ASCII case (the corpus has `.XML`). Every notification so linked gives
//!    its `IdentificativoSdI` to the invoice.
//! 2. By `IdentificativoSdI`: a notification **without** `NomeFile` (EC, SE; an NE whose SdI omitted
//!    it) links when its identifier is one the invoice got by rule 1.
//! 3. A notification naming another file never links, even with a matching identifier; one with
//!    neither name nor identifier never links.
//!
//! **Which one decides.** Each linked notification proposes a status with a rank (the SdI flow's
//! order): MT (received) and MC (not delivered) rank 1; RC (delivered) and AT (transmitted, not
//! deliverable) rank 2; NE / EC (accepted, refused) and DT (terms expired) rank 3; NS (rejected) rank
//! 4. An EC that an SE discarded (same `IdentificativoSdI`, and same `MessageIdCommittente` when both
//! carry one) proposes nothing. The highest rank wins, whatever the order the notifications arrived
//! in. Two different statuses at that rank (EC01 and EC02, DT and an outcome, RC and AT) make the
//! status `contradictory`, never resolved; so does an NS next to any notification SdI only sends for a
//! file it accepted (RC, MC, AT, NE, DT, EC): SdI never delivers a file it discarded, and a corrected
//! file must be re-sent under a new name.
//!
//! **Trust.** The status is only as good as the notifications: until their XAdES signature is verified
//! (the `signature` span of each [`Notification`]), it is a hint, not a fact.

use serde::{Deserialize, Serialize};

use crate::notification::{Notification, NotificationKind, Outcome, SdiError};

pec_closed_set::closed_set! {
    /// Where an invoice stands with SdI.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum InvoiceStatus {
        /// No notification yet: sent (or about to be), nothing heard.
        Submitted = "submitted",
        /// SdI delivered it to us (MT): we are the recipient.
        Received = "received",
        /// SdI could not deliver it (MC); a B2B invoice is then in the recipient's reserved area.
        NotDelivered = "not-delivered",
        /// Delivered to the recipient (RC).
        Delivered = "delivered",
        /// Transmitted to a PA that could not be reached (AT): the invoice counts as issued.
        TransmittedUndeliverable = "transmitted-undeliverable",
        /// The PA customer accepted it (NE or EC with EC01).
        Accepted = "accepted",
        /// The PA customer refused it (NE or EC with EC02).
        Refused = "refused",
        /// The PA did not answer within 15 days (DT).
        TermsExpired = "terms-expired",
        /// SdI discarded the file (NS): it was never issued.
        Rejected = "rejected",
        /// Linked notifications disagree; see `decided_by`.
        Contradictory = "contradictory",
    }
}

pec_closed_set::closed_set! {
    /// How a notification was linked to the invoice.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum LinkBasis {
        NomeFile = "nome-file",
        IdentificativoSdi = "identificativo-sdi",
    }
}

/// One notification linked to the invoice: its index in the slice given, its kind, how it linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LinkedNotification {
    pub index: u32,
    pub kind: NotificationKind,
    pub basis: LinkBasis,
    /// An EC discarded by a linked SE: listed, but it decides nothing.
    pub discarded: bool,
}

/// An invoice's standing with SdI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SdiState {
    pub status: InvoiceStatus,
    /// The `IdentificativoSdI`s the invoice's notifications carry (more than one: re-sent or odd).
    pub identificativi_sdi: Vec<String>,
    /// Every linked notification, in the order given.
    pub linked: Vec<LinkedNotification>,
    /// The indices of the notifications that decided the status (all of them when contradictory).
    pub decided_by: Vec<u32>,
    /// The errors of the linked NS notifications.
    pub errors: Vec<SdiError>,
}

/// The name SdI's `NomeFile` is compared by: no `.p7m` wrappers, no `.xml`, ASCII lower case.
pub fn file_key(name: &str) -> String {
    let mut key = name.trim().to_ascii_lowercase();
    while let Some(stripped) = key.strip_suffix(".p7m") {
        key = stripped.to_owned();
    }
    if let Some(stripped) = key.strip_suffix(".xml") {
        key = stripped.to_owned();
    }
    key
}

/// Links `notifications` to the invoice file `invoice_file_name` and decides its status.
pub fn sdi_state(invoice_file_name: &str, notifications: &[Notification]) -> SdiState {
    let key = file_key(invoice_file_name);
    let mut linked: Vec<(usize, LinkBasis)> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for (i, n) in notifications.iter().enumerate() {
        if n.nome_file.as_deref().is_some_and(|f| file_key(f) == key) {
            linked.push((i, LinkBasis::NomeFile));
            if let Some(id) = &n.identificativo_sdi
                && !ids.contains(id)
            {
                ids.push(id.clone());
            }
        }
    }
    for (i, n) in notifications.iter().enumerate() {
        if n.nome_file.is_none()
            && n.identificativo_sdi
                .as_ref()
                .is_some_and(|id| ids.contains(id))
        {
            linked.push((i, LinkBasis::IdentificativoSdi));
        }
    }
    linked.sort_by_key(|(i, _)| *i);

    let discarded = |n: &Notification| {
        n.kind == NotificationKind::CustomerOutcome
            && linked.iter().any(|(j, _)| {
                let se = &notifications[*j];
                se.kind == NotificationKind::OutcomeDiscarded
                    && se.identificativo_sdi == n.identificativo_sdi
                    && match (&se.message_id_committente, &n.message_id_committente) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    }
            })
    };
    let proposals: Vec<(usize, u8, InvoiceStatus)> = linked
        .iter()
        .filter(|(i, _)| !discarded(&notifications[*i]))
        .filter_map(|(i, _)| proposal(&notifications[*i]).map(|(rank, s)| (*i, rank, s)))
        .collect();

    let (status, decided_by) = decide(&proposals);
    SdiState {
        status,
        identificativi_sdi: ids,
        linked: linked
            .iter()
            .map(|(i, basis)| LinkedNotification {
                index: *i as u32,
                kind: notifications[*i].kind,
                basis: *basis,
                discarded: discarded(&notifications[*i]),
            })
            .collect(),
        decided_by: decided_by.into_iter().map(|i| i as u32).collect(),
        errors: linked
            .iter()
            .filter(|(i, _)| notifications[*i].kind == NotificationKind::Rejected)
            .flat_map(|(i, _)| notifications[*i].errors.iter().cloned())
            .collect(),
    }
}

/// The status a notification proposes, with its rank; `None` for one that says nothing about it (SE).
fn proposal(n: &Notification) -> Option<(u8, InvoiceStatus)> {
    use InvoiceStatus as S;
    Some(match n.kind {
        NotificationKind::Metadata => (1, S::Received),
        NotificationKind::NotDelivered => (1, S::NotDelivered),
        NotificationKind::Delivered => (2, S::Delivered),
        NotificationKind::TransmittedUndeliverable => (2, S::TransmittedUndeliverable),
        NotificationKind::Outcome | NotificationKind::CustomerOutcome => match n.outcome? {
            Outcome::Accepted => (3, S::Accepted),
            Outcome::Refused => (3, S::Refused),
        },
        NotificationKind::TermsExpired => (3, S::TermsExpired),
        NotificationKind::Rejected => (4, S::Rejected),
        NotificationKind::OutcomeDiscarded => return None,
    })
}

fn decide(proposals: &[(usize, u8, InvoiceStatus)]) -> (InvoiceStatus, Vec<usize>) {
    let Some(top) = proposals.iter().map(|(_, rank, _)| *rank).max() else {
        return (InvoiceStatus::Submitted, Vec::new());
    };
    let winners: Vec<&(usize, u8, InvoiceStatus)> = proposals
        .iter()
        .filter(|(_, rank, _)| *rank == top)
        .collect();
    let first = winners[0].2;
    let rejected_yet_accepted = first == InvoiceStatus::Rejected
        && proposals
            .iter()
            .any(|(_, _, s)| !matches!(s, InvoiceStatus::Rejected | InvoiceStatus::Received));
    if rejected_yet_accepted {
        return (
            InvoiceStatus::Contradictory,
            proposals.iter().map(|(i, _, _)| *i).collect(),
        );
    }
    let indices = winners.iter().map(|(i, _, _)| *i).collect();
    if winners.iter().all(|(_, _, s)| *s == first) {
        (first, indices)
    } else {
        (InvoiceStatus::Contradictory, indices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closed_sets_are_soundly_spelled() {
        pec_closed_set::assert_spellings_are_sound::<InvoiceStatus>();
        pec_closed_set::assert_spellings_are_sound::<LinkBasis>();
    }

    #[test]
    fn a_file_key_drops_signature_wrappers_and_case() {
        assert_eq!(
            file_key("IT01234567890_FPR04.xml.p7m"),
            "it01234567890_fpr04"
        );
        assert_eq!(file_key("IT01234567890_FPR04.XML"), "it01234567890_fpr04");
        assert_eq!(
            file_key("IT01234567890_FPR04.xml.p7m.p7m"),
            "it01234567890_fpr04"
        );
        assert_eq!(
            file_key("IT01234567890_FPR04.zip"),
            "it01234567890_fpr04.zip"
        );
        assert_ne!(
            file_key("IT01234567890_FPR04.xml"),
            file_key("IT01234567890_FPR05.xml")
        );
    }
}
