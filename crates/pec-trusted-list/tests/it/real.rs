//! The real lists: the EU list of lists seq 332 verifies with the pinned Commission certificate, the
//! Italian lists seq 141 and 194 with the certificates its IT pointer names; their counts and dates are
//! the MANIFEST's; a real Italian CA/QC service's history answers "qualified when?".

use pec_trusted_list::{ListRefused, ListType, ServiceStatus, ServiceType, TrustedLists, verify};

use super::support::{IT_141, IT_194, LOTL, real, utc};

fn loaded() -> Option<TrustedLists> {
    let mut set = TrustedLists::new();
    set.add_list_of_lists(&real(LOTL)?).unwrap();
    set.add_national(&real(IT_141)?).unwrap();
    set.add_national(&real(IT_194)?).unwrap();
    Some(set)
}

#[test]
fn the_eu_list_of_lists_verifies_with_the_pinned_commission_certificate() {
    let Some(bytes) = real(LOTL) else { return };
    let mut set = TrustedLists::new();
    let lotl = &set.add_list_of_lists(&bytes).unwrap().list;
    assert_eq!(lotl.scheme.sequence_number, 332);
    assert_eq!(lotl.scheme.list_type, ListType::EuListOfTheLists);
    assert_eq!(lotl.scheme.territory, "EU");
    assert_eq!(lotl.scheme.issued, utc("2023-09-27T09:00:29Z"));
    assert_eq!(lotl.scheme.next_update, Some(utc("2024-03-26T10:00:29Z")));
    assert_eq!(lotl.providers.len(), 0);
    let it: Vec<_> = lotl
        .pointers_to("IT")
        .filter(|p| p.mime_type.as_deref() == Some("application/vnd.etsi.tsl+xml"))
        .collect();
    assert_eq!(it.len(), 1);
    assert_eq!(it[0].location, "https://eidas.agid.gov.it/TL/TSL-IT.xml");
    assert_eq!(it[0].signing_certificates.len(), 4);
}

#[test]
fn both_italian_lists_verify_against_the_lotl_pointer_and_read_the_manifest_counts() {
    let Some(set) = loaded() else { return };
    let lists: Vec<_> = set.history("IT").collect();
    assert_eq!(lists.len(), 2);
    let facts = [
        (141, "2019-09-04T08:00:00Z", "2020-02-27T00:00:00Z", 48, 363),
        (194, "2023-09-26T01:00:00Z", "2024-03-26T00:00:00Z", 53, 451),
    ];
    for (verified, (seq, issued, next, tsps, services)) in lists.iter().zip(facts) {
        let list = &verified.list;
        assert_eq!(list.scheme.sequence_number, seq);
        assert_eq!(list.scheme.territory, "IT");
        assert_eq!(list.scheme.list_type, ListType::EuGeneric);
        assert_eq!(list.scheme.issued, utc(issued));
        assert_eq!(list.scheme.next_update, Some(utc(next)));
        assert_eq!(list.providers.len(), tsps, "TSPs of seq {seq}");
        assert_eq!(list.services().count(), services, "services of seq {seq}");
    }
    assert_eq!(set.current("IT").unwrap().list.scheme.sequence_number, 194);
}

#[test]
fn the_later_italian_list_is_the_current_view_whatever_the_loading_order() {
    let (Some(lotl), Some(old), Some(new)) = (real(LOTL), real(IT_141), real(IT_194)) else {
        return;
    };
    let mut set = TrustedLists::new();
    set.add_list_of_lists(&lotl).unwrap();
    set.add_national(&new).unwrap();
    set.add_national(&old).unwrap();
    assert_eq!(set.current("IT").unwrap().list.scheme.sequence_number, 194);
    assert_eq!(set.history("IT").count(), 2);
}

#[test]
fn a_national_list_is_refused_before_the_list_of_lists_is_loaded() {
    let Some(bytes) = real(IT_194) else { return };
    let mut set = TrustedLists::new();
    assert_eq!(
        set.add_national(&bytes).unwrap_err(),
        ListRefused::NoListOfLists
    );
}

#[test]
fn the_italian_list_is_not_accepted_as_a_list_of_lists_nor_by_the_pinned_certificate() {
    let Some(bytes) = real(IT_194) else { return };
    let mut set = TrustedLists::new();
    assert!(matches!(
        set.add_list_of_lists(&bytes).unwrap_err(),
        ListRefused::SignerNotAccepted { .. }
    ));
}

#[test]
fn agids_later_certificates_do_not_sign_the_2023_list() {
    // IT_tsl5/6.crt are AgID's 2021–2031 list signers, not the one that signed seq 194.
    let (Some(bytes), Some(dir)) = (real(IT_194), super::support::trusted_list_dir()) else {
        return;
    };
    let accepted: Vec<Vec<u8>> = ["IT_tsl5.crt", "IT_tsl6.crt"]
        .iter()
        .map(|f| {
            let raw = std::fs::read(dir.join(f)).unwrap();
            pec_trusted_list::pinned::pem_to_der(&raw).unwrap_or(raw)
        })
        .collect();
    assert!(matches!(
        verify(&bytes, &accepted).unwrap_err(),
        ListRefused::SignerNotAccepted { .. }
    ));
}

/// The CA/QC with the most history entries in the 2023 Italian list, and its identity certificate.
fn ca_with_history(set: &TrustedLists, provider_part: &str) -> Option<(String, Vec<u8>)> {
    let list = &set.current("IT")?.list;
    list.services()
        .filter(|(p, s)| {
            p.name.contains(provider_part)
                && s.service_type() == &ServiceType::CaQc
                && !s.history.is_empty()
                && !s.current.identity.certificates.is_empty()
        })
        .map(|(p, s)| (p.name.clone(), s.current.identity.certificates[0].clone()))
        .next()
}

#[test]
fn infocerts_qualified_ca_was_accredited_in_2015_and_granted_in_2023() {
    let Some(set) = loaded() else { return };
    let (provider, ca) = ca_with_history(&set, "InfoCert").expect("an InfoCert CA/QC with history");
    let in_2015 = set
        .qualified_ca_at(&ca, utc("2015-06-01T00:00:00Z"))
        .unwrap();
    let in_2023 = set
        .qualified_ca_at(&ca, utc("2023-06-01T00:00:00Z"))
        .unwrap();
    assert_eq!(in_2015.provider, provider);
    assert_eq!(in_2015.status, ServiceStatus::Accredited);
    assert_eq!(in_2023.status, ServiceStatus::Granted);
    assert_eq!(in_2023.since, utc("2016-06-30T22:00:00Z"));
    assert!(!in_2023.qualifications.is_empty() || !in_2023.additional_info.is_empty());
}

#[test]
fn every_real_ca_qc_anchor_is_found_qualified_inside_its_in_force_periods() {
    let Some(set) = loaded() else { return };
    let anchors = set.anchors(&ServiceType::CaQc);
    assert!(anchors.len() > 50, "{} CA/QC anchors", anchors.len());
    for anchor in &anchors {
        for (from, until) in &anchor.in_force {
            let found = set.qualified_ca_at(&anchor.certificate, *from);
            assert!(found.is_some(), "{} at {from}", anchor.service_name);
            // Just before the period ends the same phase is still the one in force.
            if let Some(until) = until {
                let last = *until - chrono::Duration::seconds(1);
                assert!(set.qualified_ca_at(&anchor.certificate, last).is_some());
            }
        }
    }
    let tsas = set.anchors(&ServiceType::TsaQtst);
    assert!(!tsas.is_empty());
    let at = utc("2023-09-01T00:00:00Z");
    assert!(
        tsas.iter()
            .any(|t| set.qualified_tsa_at(&t.certificate, at).is_some())
    );
}

#[test]
fn the_2023_lists_were_current_on_their_issue_day_and_not_after_their_next_update() {
    let Some(set) = loaded() else { return };
    let it = &set.current("IT").unwrap().list.scheme;
    assert!(it.is_current_at(utc("2023-10-01T00:00:00Z")));
    assert!(!it.is_current_at(utc("2024-04-01T00:00:00Z")));
    assert!(!it.is_current_at(utc("2023-01-01T00:00:00Z")));
}
