//! The imported Trusted Lists as the document verifier asks them: which CAs are qualified when,
//! and which certificates paths may end at.
//!
//! Issue 15 §2–§3. A list names CA/QC services by their certificates; every such certificate is an
//! anchor for document signatures (a path that ends there is trusted; whether it was *qualified* at
//! the signing time is the separate [`QualifiedServices`] answer, from the service's history), and
//! every TSA/QTST certificate is an anchor for timestamps.

use chrono::{DateTime, Utc};
use pec_core::signature::TrustAnchors;
use pec_trusted_list::{Qualifier, ServiceType, TrustedLists};

use crate::qualified::{CaStatus, QualifiedServices};

impl QualifiedServices for TrustedLists {
    fn ca_status(&self, ca_der: &[u8], at: DateTime<Utc>) -> CaStatus {
        let Some(service) = self.qualified_ca_at(ca_der, at) else {
            return CaStatus::NotListed;
        };
        let says = |q: &Qualifier| {
            service
                .qualifications
                .iter()
                .any(|qualification| qualification.qualifiers.contains(q))
        };
        CaStatus::InForce {
            qualifies: says(&Qualifier::QcStatement),
            not_qualified: says(&Qualifier::NotQualified),
        }
    }

    fn qualified_tsa(&self, cert_der: &[u8], at: DateTime<Utc>) -> bool {
        self.qualified_tsa_at(cert_der, at).is_some()
    }
}

/// Adds to `anchors` every certificate of the lists' CA/QC and TSA/QTST services; returns how many
/// were added (a certificate that does not decode is skipped: the list is signed, but a path can
/// only be built to a certificate that reads).
pub fn add_list_anchors(anchors: &mut TrustAnchors, lists: &TrustedLists) -> usize {
    let mut added = 0;
    for kind in [ServiceType::CaQc, ServiceType::TsaQtst] {
        for anchor in lists.anchors(&kind) {
            if anchors.add_der(&anchor.certificate).is_ok() {
                added += 1;
            }
        }
    }
    added
}
