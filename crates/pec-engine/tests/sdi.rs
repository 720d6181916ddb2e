//! An e-invoice's SdI standing from the real SdI PEC messages of the shared set (issue 15 §4): the
//! delivery receipt (RC) marks its invoice delivered, the "impossibilità di recapito" (MC) marks its
//! invoice not delivered, and an invoice no notification names has no standing.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use pec_archive::Archive;
use pec_core::signature::TrustAnchors;
use pec_invoice::{InvoiceStatus, NotificationKind};

fn pec_messages() -> Option<PathBuf> {
    let dir = pec_testkit::corpus::dir()?.join("signed/pec-eml");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("SKIPPED: no signed/pec-eml in the shared set");
        None
    }
}

fn now() -> DateTime<Utc> {
    std::time::SystemTime::now().into()
}

fn archive_of(files: &[PathBuf]) -> (tempfile::TempDir, Archive) {
    let tmp = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(&tmp.path().join("archive.sqlite")).unwrap();
    let summary = pec_engine::import::import(
        &mut archive,
        files,
        None,
        &TrustAnchors::builtin(),
        now(),
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(summary.new as usize, files.len(), "{summary:?}");
    (tmp, archive)
}

#[test]
fn sdi_notifications_in_the_archive_give_each_invoice_its_standing() {
    let Some(dir) = pec_messages() else { return };
    let (_tmp, archive) = archive_of(&[
        dir.join("oca_pec_SdI_RC_6782414.eml"),
        dir.join("oca_pec_SdI_MC_141107829.eml"),
        dir.join("oca_pec_SdI_InvioFile_7339338.eml"),
    ]);
    let now = now();

    let delivered = pec_engine::sdi::sdi_status(&archive, "IT03339130126_00009.xml", now)
        .unwrap()
        .expect("the RC names this invoice");
    assert_eq!(delivered.status, InvoiceStatus::Delivered);
    assert_eq!(delivered.notices.len(), 1);
    assert_eq!(delivered.notices[0].kind, NotificationKind::Delivered);
    // The Sogei messages of the set were edited by their publishers: their PEC signature fails, so the
    // standing is only a hint.
    assert!(!delivered.all_certified);

    let undelivered = pec_engine::sdi::sdi_status(&archive, "IT14627831002_02621.xml.p7m", now)
        .unwrap()
        .expect("the MC names this invoice");
    assert_eq!(undelivered.status, InvoiceStatus::NotDelivered);
    assert_eq!(undelivered.notices[0].kind, NotificationKind::NotDelivered);

    let received = pec_engine::sdi::sdi_status(&archive, "IT02652600210_00007.xml", now)
        .unwrap()
        .expect("the MT names this invoice");
    assert_eq!(received.status, InvoiceStatus::Received);

    assert_eq!(
        pec_engine::sdi::sdi_status(&archive, "IT09999999999_00001.xml", now).unwrap(),
        None
    );
}

#[test]
fn the_invoice_a_delivery_receipt_encloses_is_an_attachment_the_rc_marks_delivered() {
    let Some(dir) = pec_messages() else { return };
    let consegna = dir.join("oca_pec_CONSEGNA_IT03339130126_00009.eml");
    let raw = std::fs::read(&consegna).unwrap();
    let names: Vec<String> = pec_engine::letter::letter(&raw)
        .attachments
        .into_iter()
        .map(|a| a.name.as_str().to_owned())
        .collect();
    assert!(
        names.iter().any(|n| n == "IT03339130126_00009.xml"),
        "{names:?}"
    );
    let (_tmp, archive) = archive_of(&[consegna, dir.join("oca_pec_SdI_RC_6782414.eml")]);
    let standing = pec_engine::sdi::sdi_status(&archive, "IT03339130126_00009.xml", now())
        .unwrap()
        .unwrap();
    assert_eq!(standing.status, InvoiceStatus::Delivered);
}
