//! Linking and status on real pairs: an invoice and the notifications the corpus has under its stem.

use pec_invoice::status::LinkBasis;
use pec_invoice::{InvoiceStatus, Notification, read_notification, sdi_state};

use super::corpus_file;
use super::pec_eml::sdi_attachments;

fn read(file: &str) -> Option<Notification> {
    corpus_file(&format!("sdi-notification/{file}")).map(|b| read_notification(&b).unwrap())
}

fn all(files: &[&str]) -> Option<Vec<Notification>> {
    files.iter().map(|f| read(f)).collect()
}

#[test]
fn the_invoice_delivered_by_pec_is_delivered_by_its_real_rc() {
    // IT03339130126_00009.xml travels in the CONSEGNA message; its RC in SdI's own PEC message.
    let rc = sdi_attachments("pec-eml/oca_pec_SdI_RC_6782414.eml");
    let Some((_, xml)) = rc.first() else {
        return;
    };
    let mc = read("oca_pecextract_IT14627831002_02621_MC_001.xml").unwrap();
    let notifications = vec![mc, read_notification(xml).unwrap()];
    let state = sdi_state("IT03339130126_00009.xml", &notifications);
    assert_eq!(state.status, InvoiceStatus::Delivered);
    assert_eq!(state.identificativi_sdi, ["6782414"]);
    assert_eq!(state.decided_by, [1]);
    assert_eq!(state.linked.len(), 1);
    assert_eq!(state.linked[0].basis, LinkBasis::NomeFile);
}

#[test]
fn the_real_mc_leaves_its_own_invoice_not_delivered_and_no_other() {
    let Some(mc) = read("oca_pecextract_IT14627831002_02621_MC_001.xml") else {
        return;
    };
    let notifications = [mc];
    // Signed with CAdES, the same file is `.xml.p7m`: SdI names files as received, the key drops it.
    for name in [
        "IT14627831002_02621.xml",
        "IT14627831002_02621.xml.p7m",
        "it14627831002_02621.XML",
    ] {
        assert_eq!(
            sdi_state(name, &notifications).status,
            InvoiceStatus::NotDelivered,
            "{name}"
        );
    }
    let other = sdi_state("IT14627831002_02622.xml", &notifications);
    assert_eq!(other.status, InvoiceStatus::Submitted);
    assert!(other.linked.is_empty() && other.identificativi_sdi.is_empty());
}

#[test]
fn the_pa_invoice_is_accepted_by_an_ec_that_links_by_identificativo_only() {
    // The recipient's side of IT05979361218_002.xml.p7m: SdI's MT names the file and gives
    // IdentificativoSdI 5199973; the EC01 the PA sent has no NomeFile, only that identifier.
    let Some(notifications) = all(&[
        "oca_IT05979361218_002_EC_002.xml",
        "oca_IT05979361218_002_MT_001.XML",
    ]) else {
        return;
    };
    let state = sdi_state("IT05979361218_002.xml.p7m", &notifications);
    assert_eq!(state.status, InvoiceStatus::Accepted);
    assert_eq!(state.identificativi_sdi, ["5199973"]);
    let bases: Vec<LinkBasis> = state.linked.iter().map(|l| l.basis).collect();
    assert_eq!(bases, [LinkBasis::IdentificativoSdi, LinkBasis::NomeFile]);
    assert_eq!(state.decided_by, [0]);
    // Without the MT nothing gives the identifier: the EC alone links to nothing.
    let alone = sdi_state("IT05979361218_002.xml.p7m", &notifications[..1]);
    assert_eq!(alone.status, InvoiceStatus::Submitted);
}

#[test]
fn an_invoice_received_from_sdi_is_received_and_the_other_files_mt_changes_nothing() {
    // Each of SdI's two "Invio File 7339338" messages carries an invoice and its MT: the plain one
    // names IT02652600210_00007.xml, the one with the signed invoice names IT01234567890_FPR04.xml.p7m
    // (grep of the base64 message; its MANIFEST note lists the attachment's name, not its NomeFile).
    let mt = |eml: &str| {
        sdi_attachments(eml)
            .into_iter()
            .find(|(n, _)| n.contains("_MT_"))
            .map(|(_, xml)| read_notification(&xml).unwrap())
    };
    let (Some(plain), Some(signed)) = (
        mt("pec-eml/oca_pec_SdI_InvioFile_7339338.eml"),
        mt("pec-eml/oca_pec_SdI_InvioFile_7339338_base64.eml"),
    ) else {
        return;
    };
    assert_eq!(
        signed.nome_file.as_deref(),
        Some("IT01234567890_FPR04.xml.p7m")
    );
    let notifications = [plain, signed];
    let p7m = sdi_state("IT01234567890_FPR04.xml.p7m", &notifications);
    assert_eq!(p7m.status, InvoiceStatus::Received);
    assert_eq!(p7m.decided_by, [1]);
    let xml = sdi_state("IT02652600210_00007.xml", &notifications);
    assert_eq!(xml.status, InvoiceStatus::Received);
    assert_eq!(xml.decided_by, [0]);
    assert_eq!(
        sdi_state("IT02652600210_00008.xml", &notifications).status,
        InvoiceStatus::Submitted
    );
}

#[test]
fn the_sdicoop_exchange_ends_transmitted_though_undeliverable() {
    let Some(notifications) = all(&[
        "gobl_soap_ESB85905495_00010_MT_005.xml",
        "gobl_soap_ESB85905495_00010_MT_004.xml",
        "gobl_soap_ESB85905495_00010_MT_001.xml",
    ]) else {
        return;
    };
    let state = sdi_state("ESB85905495_00010.xml", &notifications);
    assert_eq!(state.status, InvoiceStatus::TransmittedUndeliverable);
    assert_eq!(state.decided_by, [0]);
    assert_eq!(state.linked.len(), 3);
}

#[test]
fn the_later_notification_wins_whatever_the_order_they_arrive_in() {
    const NAME: &str = "IT01234567890_11111.xml.p7m";
    let Some(mut n) = all(&[
        "testsdi_IT01234567890_11111_RC_001.xml",
        "testsdi_IT01234567890_11111_NE_001.xml",
    ]) else {
        return;
    };
    assert_eq!(sdi_state(NAME, &n).status, InvoiceStatus::Accepted);
    n.reverse();
    assert_eq!(sdi_state(NAME, &n).status, InvoiceStatus::Accepted);

    let n = all(&[
        "testsdi_IT01234567890_11111_MC_001.xml",
        "testsdi_IT01234567890_11111_DT_001.xml",
    ])
    .unwrap();
    assert_eq!(sdi_state(NAME, &n).status, InvoiceStatus::TermsExpired);
    let n = all(&[
        "testsdi_IT01234567890_11111_MC_001.xml",
        "testsdi_IT01234567890_11111_AT_001.xml",
    ])
    .unwrap();
    assert_eq!(
        sdi_state(NAME, &n).status,
        InvoiceStatus::TransmittedUndeliverable
    );
}

#[test]
fn a_rejection_lists_its_error_codes_and_contradicts_any_later_acceptance() {
    const NAME: &str = "IT01234567890_11111.xml";
    let Some(ns) = all(&["testsdi_IT01234567890_11111_NS_001.xml"]) else {
        return;
    };
    let state = sdi_state(NAME, &ns);
    assert_eq!(state.status, InvoiceStatus::Rejected);
    assert_eq!(state.errors[0].code, "00100");
    let mixed = all(&[
        "testsdi_IT01234567890_11111_NS_001.xml",
        "testsdi_IT01234567890_11111_RC_001.xml",
    ])
    .unwrap();
    let state = sdi_state(NAME, &mixed);
    assert_eq!(state.status, InvoiceStatus::Contradictory);
    assert_eq!(state.decided_by, [0, 1]);
}

#[test]
fn an_outcome_discarded_by_sdi_decides_nothing_and_two_outcomes_that_disagree_contradict() {
    const NAME: &str = "IT01234567890_11111.xml.p7m";
    let Some(n) = all(&[
        "testsdi_IT01234567890_11111_RC_001.xml",
        "testsdi_IT01234567890_11111_EC_001.xml",
        "testsdi_IT01234567890_11111_SE_001.xml",
    ]) else {
        return;
    };
    let state = sdi_state(NAME, &n);
    assert_eq!(state.status, InvoiceStatus::Delivered);
    assert!(state.linked.iter().any(|l| l.index == 1 && l.discarded));

    let mut refused = n[1].clone();
    refused.outcome = Some(pec_invoice::notification::Outcome::Refused);
    refused.outcome_code = Some("EC02".into());
    let both = [n[0].clone(), n[1].clone(), refused];
    let state = sdi_state(NAME, &both);
    assert_eq!(state.status, InvoiceStatus::Contradictory);
    assert_eq!(state.decided_by, [1, 2]);
}
