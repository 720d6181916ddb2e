//! Synthetic lists in the TS 119 612 format, signed here with test keys: a LOTL pointing to an `IT`
//! list verifies when its test signer is pinned explicitly and is refused otherwise; the `IT` list's
//! services answer the qualified-at questions through their history.

use pec_trusted_list::{
    AdditionalInfo, ListRefused, Qualifier, ServiceStatus, ServiceType, TrustedLists,
};

use super::build::{Service, lotl, national, signers};
use super::support::utc;

const CA_SERVICES: &str = "2010-01-01T00:00:00Z";

fn italian(ca: &[u8], tsa: &[u8], rem: &[u8]) -> String {
    national(
        "IT",
        7,
        &[
            Service {
                provider: "Test CA S.p.A.",
                kind: "CA/QC",
                name: "Test Qualified CA",
                cert_der: ca,
                statuses: &[
                    ("withdrawn", "2022-01-01T00:00:00Z"),
                    ("granted", "2016-07-01T00:00:00Z"),
                    ("accredited", CA_SERVICES),
                ],
            },
            Service {
                provider: "Test TSA S.r.l.",
                kind: "TSA/QTST",
                name: "Test Qualified TSA",
                cert_der: tsa,
                statuses: &[("granted", "2017-03-01T00:00:00Z")],
            },
            Service {
                provider: "Test PEC S.p.A.",
                kind: "EDS/REM/Q",
                name: "Test Qualified REM",
                cert_der: rem,
                statuses: &[("granted", "2019-05-01T00:00:00Z")],
            },
        ],
    )
}

/// A set with the test LOTL (pinned explicitly) and the test `IT` list.
fn loaded() -> TrustedLists {
    let [eu, it, other] = signers();
    let mut set = TrustedLists::with_pinned(vec![eu.cert_der.clone()]);
    set.add_list_of_lists(eu.sign(&lotl(1, &[("IT", &it.cert_der)])).as_bytes())
        .unwrap();
    let list = italian(&eu.cert_der, &it.cert_der, &other.cert_der);
    set.add_national(it.sign(&list).as_bytes()).unwrap();
    set
}

#[test]
fn a_test_lotl_verifies_with_its_signer_pinned_explicitly() {
    let [eu, it, _] = signers();
    let signed = eu.sign(&lotl(1, &[("IT", &it.cert_der)]));
    let mut set = TrustedLists::with_pinned(vec![eu.cert_der.clone()]);
    let lotl = &set.add_list_of_lists(signed.as_bytes()).unwrap().list;
    assert_eq!(
        lotl.pointers_to("IT").next().unwrap().signing_certificates,
        vec![it.cert_der.clone()]
    );
}

#[test]
fn a_test_lotl_is_refused_by_the_default_pins() {
    let [eu, it, _] = signers();
    let signed = eu.sign(&lotl(1, &[("IT", &it.cert_der)]));
    let mut set = TrustedLists::new();
    assert!(matches!(
        set.add_list_of_lists(signed.as_bytes()).unwrap_err(),
        ListRefused::SignerNotAccepted { .. }
    ));
}

#[test]
fn a_pin_added_later_is_honoured() {
    let [eu, it, _] = signers();
    let signed = eu.sign(&lotl(1, &[("IT", &it.cert_der)]));
    let mut set = TrustedLists::new();
    set.pin(eu.cert_der.clone());
    assert!(set.add_list_of_lists(signed.as_bytes()).is_ok());
}

#[test]
fn a_national_list_signed_by_a_key_the_lotl_does_not_name_is_refused() {
    let [eu, it, other] = signers();
    let mut set = TrustedLists::with_pinned(vec![eu.cert_der.clone()]);
    set.add_list_of_lists(eu.sign(&lotl(1, &[("IT", &it.cert_der)])).as_bytes())
        .unwrap();
    let list = italian(&eu.cert_der, &it.cert_der, &other.cert_der);
    assert!(matches!(
        set.add_national(other.sign(&list).as_bytes()).unwrap_err(),
        ListRefused::SignerNotAccepted { .. }
    ));
}

#[test]
fn a_national_list_of_a_territory_the_lotl_does_not_point_to_is_refused() {
    let [eu, it, other] = signers();
    let mut set = TrustedLists::with_pinned(vec![eu.cert_der.clone()]);
    set.add_list_of_lists(eu.sign(&lotl(1, &[("IT", &it.cert_der)])).as_bytes())
        .unwrap();
    let french = national("FR", 3, &[]);
    assert_eq!(
        set.add_national(it.sign(&french).as_bytes()).unwrap_err(),
        ListRefused::NoPointerFor {
            territory: "FR".into()
        }
    );
    let _ = other;
}

#[test]
fn a_list_claiming_another_territory_is_refused_by_that_territorys_signers() {
    let [eu, it, other] = signers();
    let mut set = TrustedLists::with_pinned(vec![eu.cert_der.clone()]);
    let pointers: [(&str, &[u8]); 2] = [("IT", &it.cert_der), ("FR", &other.cert_der)];
    set.add_list_of_lists(eu.sign(&lotl(1, &pointers)).as_bytes())
        .unwrap();
    // Signed by the Italian key but claiming to be the French list.
    let forged = national("FR", 3, &[]);
    assert!(matches!(
        set.add_national(it.sign(&forged).as_bytes()).unwrap_err(),
        ListRefused::SignerNotAccepted { .. }
    ));
}

#[test]
fn a_national_list_is_not_taken_for_a_list_of_lists_even_when_its_signer_is_pinned() {
    let [eu, it, other] = signers();
    let mut set = TrustedLists::with_pinned(vec![it.cert_der.clone()]);
    let list = italian(&eu.cert_der, &it.cert_der, &other.cert_der);
    assert!(matches!(
        set.add_list_of_lists(it.sign(&list).as_bytes())
            .unwrap_err(),
        ListRefused::NotAListOfLists { .. }
    ));
}

#[test]
fn the_qualified_ca_follows_its_history_accredited_then_granted_then_withdrawn() {
    let set = loaded();
    let ca = &signers()[0].cert_der;
    assert_eq!(set.qualified_ca_at(ca, utc("2009-06-01T00:00:00Z")), None);
    let accredited = set
        .qualified_ca_at(ca, utc("2012-06-01T00:00:00Z"))
        .unwrap();
    assert_eq!(accredited.status, ServiceStatus::Accredited);
    let granted = set
        .qualified_ca_at(ca, utc("2020-06-01T00:00:00Z"))
        .unwrap();
    assert_eq!(granted.status, ServiceStatus::Granted);
    assert_eq!(granted.since, utc("2016-07-01T00:00:00Z"));
    assert_eq!(granted.provider, "Test CA S.p.A.");
    assert_eq!(granted.territory, "IT");
    assert_eq!(
        granted.qualifications[0].qualifiers,
        vec![Qualifier::QcWithQscd]
    );
    assert_eq!(granted.qualifications[0].criteria.assert, "atLeastOne");
    assert_eq!(
        granted.qualifications[0].criteria.key_usage,
        vec![vec![("nonRepudiation".to_owned(), true)]]
    );
    assert_eq!(
        granted.qualifications[0].criteria.policy_sets,
        vec![vec!["urn:oid:1.3.76.99.1".to_owned()]]
    );
    assert_eq!(
        granted.additional_info,
        vec![AdditionalInfo::ForESignatures]
    );
    assert_eq!(set.qualified_ca_at(ca, utc("2023-06-01T00:00:00Z")), None);
}

#[test]
fn a_tsa_and_a_rem_service_are_found_only_under_their_own_kind() {
    let set = loaded();
    let [_, tsa, rem] = signers();
    let at = utc("2023-06-01T00:00:00Z");
    assert_eq!(
        set.qualified_tsa_at(&tsa.cert_der, at)
            .unwrap()
            .service_type,
        ServiceType::TsaQtst
    );
    assert_eq!(
        set.qualified_rem_at(&rem.cert_der, at)
            .unwrap()
            .service_name,
        "Test Qualified REM"
    );
    assert_eq!(set.qualified_ca_at(&tsa.cert_der, at), None);
    assert_eq!(set.qualified_tsa_at(&rem.cert_der, at), None);
    assert_eq!(
        set.qualified_tsa_at(&tsa.cert_der, utc("2017-01-01T00:00:00Z")),
        None
    );
}

#[test]
fn the_anchors_carry_the_periods_their_service_was_in_force() {
    let set = loaded();
    let anchors = set.anchors(&ServiceType::CaQc);
    assert_eq!(anchors.len(), 1);
    assert_eq!(anchors[0].certificate, signers()[0].cert_der);
    assert_eq!(
        anchors[0].in_force,
        vec![
            (utc(CA_SERVICES), Some(utc("2016-07-01T00:00:00Z"))),
            (
                utc("2016-07-01T00:00:00Z"),
                Some(utc("2022-01-01T00:00:00Z"))
            ),
        ]
    );
    let tsas = set.anchors(&ServiceType::TsaQtst);
    assert_eq!(tsas.len(), 1);
    assert_eq!(tsas[0].in_force, vec![(utc("2017-03-01T00:00:00Z"), None)]);
}

#[test]
fn a_certificate_the_lists_do_not_name_is_not_qualified() {
    let set = loaded();
    let stranger = super::build::TestSigner::new("Not a CA");
    assert_eq!(
        set.qualified_ca_at(&stranger.cert_der, utc("2020-01-01T00:00:00Z")),
        None
    );
    assert_eq!(
        set.qualified_ca_at(b"not a certificate", utc("2020-01-01T00:00:00Z")),
        None
    );
}

#[test]
fn a_list_dated_outside_its_signers_validity_is_refused() {
    // The synthetic lists say they were issued on 2024-01-10.
    let expired = super::build::TestSigner::valid_during("Expired LOTL signer", 2019, 2021);
    let signed = expired.sign(&lotl(1, &[]));
    let err = pec_trusted_list::verify(signed.as_bytes(), std::slice::from_ref(&expired.cert_der))
        .unwrap_err();
    assert!(
        matches!(err, ListRefused::SignerNotValidAtIssue { .. }),
        "{err:?}"
    );
}
