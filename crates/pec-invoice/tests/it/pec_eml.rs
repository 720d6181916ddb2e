//! The SdI exchanges of the corpus as PEC messages: every XML attachment (inside `postacert.eml` too)
//! is pulled out with mail-parser and recognised; the invoices and notifications they carry read.

use mail_parser::{Message, MessageParser, MimeHeaders};
use pec_invoice::{DocumentKind, NotificationKind, read_invoice, read_notification, recognise};

use super::{corpus_file, manifest_rows};

/// Every attachment of a message and of the messages it carries: (name, decoded bytes).
pub fn attachments(message: &Message<'_>) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for part in message.attachments() {
        if let Some(inner) = part.message() {
            out.extend(attachments(inner));
        } else {
            let name = part.attachment_name().unwrap_or_default().to_owned();
            out.push((name, part.contents().to_vec()));
        }
    }
    out
}

/// The XML attachments of a corpus PEC message, by name (daticert.xml left out: it is PEC's own).
pub fn sdi_attachments(file: &str) -> Vec<(String, Vec<u8>)> {
    let Some(raw) = corpus_file(file) else {
        return Vec::new();
    };
    let message = MessageParser::default().parse(&raw).unwrap();
    attachments(&message)
        .into_iter()
        .filter(|(name, _)| name.to_ascii_lowercase().contains(".xml") && name != "daticert.xml")
        .collect()
}

/// Each SdI attachment of the PEC messages and what it is (the `.p7m` invoice is CAdES: not XML here).
const EXPECTED: [(&str, &str, Option<DocumentKind>); 7] = [
    (
        "oca_pec_CONSEGNA_IT03339130126_00009.eml",
        "IT03339130126_00009.xml",
        Some(DocumentKind::Invoice),
    ),
    (
        "oca_pec_SdI_InvioFile_7339338.eml",
        "IT02652600210_00007_MT_002.xml",
        Some(DocumentKind::Notification(NotificationKind::Metadata)),
    ),
    (
        "oca_pec_SdI_InvioFile_7339338.eml",
        "IT02652600210_00007.xml",
        Some(DocumentKind::Invoice),
    ),
    (
        "oca_pec_SdI_InvioFile_7339338_base64.eml",
        "IT02652600210_00007_MT_002.xml",
        Some(DocumentKind::Notification(NotificationKind::Metadata)),
    ),
    (
        "oca_pec_SdI_InvioFile_7339338_base64.eml",
        "IT01234567890_FPR04.xml.p7m",
        None,
    ),
    (
        "oca_pec_SdI_MC_141107829.eml",
        "IT14627831002_02621_MC_001.xml",
        Some(DocumentKind::Notification(NotificationKind::NotDelivered)),
    ),
    (
        "oca_pec_SdI_RC_6782414.eml",
        "IT03339130126_00009_RC_003.xml",
        Some(DocumentKind::Notification(NotificationKind::Delivered)),
    ),
];

#[test]
fn every_sdi_attachment_of_the_pec_messages_is_recognised() {
    let mut seen = Vec::new();
    for (file, _) in manifest_rows("pec-eml") {
        for (name, bytes) in sdi_attachments(&file) {
            let eml = file.rsplit('/').next().unwrap().to_owned();
            seen.push((eml, name, recognise(&bytes)));
        }
    }
    if seen.is_empty() {
        return;
    }
    let expected: Vec<(String, String, Option<DocumentKind>)> = EXPECTED
        .iter()
        .map(|(f, n, k)| (f.to_string(), n.to_string(), *k))
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn the_notifications_inside_the_pec_messages_are_the_corpus_derived_files_and_read_alike() {
    for (eml, name, derived) in [
        (
            "pec-eml/oca_pec_SdI_RC_6782414.eml",
            "IT03339130126_00009_RC_003.xml",
            "sdi-notification/oca_pecextract_IT03339130126_00009_RC_003.xml",
        ),
        (
            "pec-eml/oca_pec_SdI_MC_141107829.eml",
            "IT14627831002_02621_MC_001.xml",
            "sdi-notification/oca_pecextract_IT14627831002_02621_MC_001.xml",
        ),
        (
            "pec-eml/oca_pec_SdI_InvioFile_7339338.eml",
            "IT02652600210_00007_MT_002.xml",
            "sdi-notification/oca_pecextract_IT02652600210_00007_MT_002.xml",
        ),
    ] {
        let Some(derived) = corpus_file(derived) else {
            return;
        };
        let attached = sdi_attachments(eml)
            .into_iter()
            .find(|(n, _)| n == name)
            .unwrap()
            .1;
        assert_eq!(attached, derived, "{name}");
        assert_eq!(read_notification(&attached), read_notification(&derived));
    }
}

#[test]
fn the_invoices_inside_the_pec_messages_read() {
    let consegna = sdi_attachments("pec-eml/oca_pec_CONSEGNA_IT03339130126_00009.eml");
    let Some((_, xml)) = consegna
        .iter()
        .find(|(n, _)| n == "IT03339130126_00009.xml")
    else {
        return;
    };
    let invoice = read_invoice(xml).unwrap();
    assert_eq!(
        invoice.transmission.progressivo_invio.as_deref(),
        Some("00009")
    );
    assert_eq!(invoice.bodies.len(), 1);

    let invio = sdi_attachments("pec-eml/oca_pec_SdI_InvioFile_7339338.eml");
    let (_, xml) = invio
        .iter()
        .find(|(n, _)| n == "IT02652600210_00007.xml")
        .unwrap();
    let invoice = read_invoice(xml).unwrap();
    assert_eq!(
        invoice.transmission.progressivo_invio.as_deref(),
        Some("00007")
    );
}
