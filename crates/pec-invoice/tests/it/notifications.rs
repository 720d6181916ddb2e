//! Every `sdi-notification` file of the corpus is recognised with its kind and root (as MANIFEST notes
//! them) and reads with the `IdentificativoSdI` and `NomeFile` written in it (read with grep).

use pec_invoice::notification::Outcome;
use pec_invoice::{DocumentKind, NotificationKind, read_notification, recognise};

use super::{corpus_file, manifest_rows};

/// SdI's code (`RC`) from a manifest note (`notification_type=RC (root <RicevutaConsegna>)`), and the root.
fn noted(notes: &str) -> (String, String) {
    let after = notes.split("notification_type=").nth(1).unwrap();
    let code = after.split_whitespace().next().unwrap().to_owned();
    let root = after
        .split("<")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap()
        .to_owned();
    (code, root)
}

#[test]
fn every_corpus_notification_is_recognised_with_the_kind_and_root_its_manifest_notes() {
    let rows = manifest_rows("sdi-notification");
    let mut kinds = std::collections::HashSet::new();
    for (file, notes) in &rows {
        let bytes = corpus_file(file).unwrap();
        let (code, root) = noted(notes);
        let n = read_notification(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(n.kind.code(), code, "{file}");
        assert_eq!(n.root, root, "{file}");
        assert_eq!(
            recognise(&bytes),
            Some(DocumentKind::Notification(n.kind)),
            "{file}"
        );
        assert_eq!(n.soap_wrapped, notes.contains("SOAP envelope"), "{file}");
        kinds.insert(n.kind);
    }
    if !rows.is_empty() {
        assert_eq!(
            kinds.len(),
            NotificationKind::ALL.len(),
            "every kind occurs: {kinds:?}"
        );
    }
}

/// (file, kind, IdentificativoSdI, NomeFile), as `grep -o '<IdentificativoSdI>[^<]*\|<NomeFile>[^<]*'` shows them.
const WRITTEN: [(&str, NotificationKind, &str, Option<&str>); 18] = {
    use NotificationKind::*;
    const T: Option<&str> = Some("IT01234567890_11111.xml.p7m");
    const ESB: Option<&str> = Some("ESB85905495_00010.xml");
    [
        (
            "fephp_IT00484960588_ERKHK_MT_001.xml",
            Metadata,
            "133550463",
            Some("IT00484960588_ERKHK.xml.p7m"),
        ),
        (
            "gobl_soap_ESB85905495_00010_MT_001.xml",
            Metadata,
            "29218239",
            ESB,
        ),
        (
            "gobl_soap_ESB85905495_00010_MT_004.xml",
            NotDelivered,
            "29218239",
            ESB,
        ),
        (
            "gobl_soap_ESB85905495_00010_MT_005.xml",
            TransmittedUndeliverable,
            "29218239",
            ESB,
        ),
        (
            "oca_IT05979361218_002_EC_002.xml",
            CustomerOutcome,
            "5199973",
            None,
        ),
        (
            "oca_IT05979361218_002_MT_001.XML",
            Metadata,
            "5199973",
            Some("IT05979361218_002.xml.p7m"),
        ),
        (
            "oca_pecextract_IT02652600210_00007_MT_002.xml",
            Metadata,
            "7339338",
            Some("IT02652600210_00007.xml"),
        ),
        (
            "oca_pecextract_IT03339130126_00009_RC_003.xml",
            Delivered,
            "6782414",
            Some("IT03339130126_00009.xml"),
        ),
        (
            "oca_pecextract_IT14627831002_02621_MC_001.xml",
            NotDelivered,
            "141107829",
            Some("IT14627831002_02621.xml"),
        ),
        (
            "testsdi_IT01234567890_11111_AT_001.xml",
            TransmittedUndeliverable,
            "111",
            T,
        ),
        (
            "testsdi_IT01234567890_11111_DT_001.xml",
            TermsExpired,
            "111",
            T,
        ),
        (
            "testsdi_IT01234567890_11111_EC_001.xml",
            CustomerOutcome,
            "111",
            None,
        ),
        (
            "testsdi_IT01234567890_11111_MC_001.xml",
            NotDelivered,
            "111",
            T,
        ),
        ("testsdi_IT01234567890_11111_MT_001.xml", Metadata, "111", T),
        ("testsdi_IT01234567890_11111_NE_001.xml", Outcome, "111", T),
        ("testsdi_IT01234567890_11111_NS_001.xml", Rejected, "111", T),
        (
            "testsdi_IT01234567890_11111_RC_001.xml",
            Delivered,
            "111",
            T,
        ),
        (
            "testsdi_IT01234567890_11111_SE_001.xml",
            OutcomeDiscarded,
            "111",
            None,
        ),
    ]
};

#[test]
fn every_corpus_notification_reads_the_identificativo_and_nome_file_written_in_it() {
    for (file, kind, id, name) in WRITTEN {
        let Some(bytes) = corpus_file(&format!("sdi-notification/{file}")) else {
            return;
        };
        let n = read_notification(&bytes).unwrap();
        assert_eq!(n.kind, kind, "{file}");
        assert_eq!(n.identificativo_sdi.as_deref(), Some(id), "{file}");
        assert_eq!(n.nome_file.as_deref(), name, "{file}");
    }
    let rows = manifest_rows("sdi-notification").len();
    assert!(
        rows == 0 || rows == WRITTEN.len(),
        "every corpus notification is in the table"
    );
}

fn read(file: &str) -> Option<pec_invoice::Notification> {
    corpus_file(&format!("sdi-notification/{file}")).map(|b| read_notification(&b).unwrap())
}

#[test]
fn the_real_mc_is_a_ricevuta_impossibilita_recapito_with_its_date_of_availability() {
    let Some(n) = read("oca_pecextract_IT14627831002_02621_MC_001.xml") else {
        return;
    };
    assert_eq!(n.kind, NotificationKind::NotDelivered);
    assert_eq!(n.root, "RicevutaImpossibilitaRecapito");
    assert_eq!(
        n.namespace,
        "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fattura/messaggi/v1.0"
    );
    assert_eq!(n.made_available_on.as_deref(), Some("2019-01-05"));
    assert_eq!(
        n.received_at.as_deref(),
        Some("2019-01-04T20:01:05.000+01:00")
    );
    assert_eq!(n.message_id.as_deref(), Some("1122874802"));
    assert_eq!(
        n.pec_message_id.as_deref(),
        Some("opec2891.20190104200105.26626.212.1.62@pec.aruba.it")
    );
    assert_eq!(
        n.file_hash.as_deref(),
        Some("91e8b555478dfe9b2ea8fe6223e63ebcbc15f4f95a123d908de14fdb97228c1f")
    );
    assert!(
        n.description
            .unwrap()
            .contains("Codice Destinatario: 0000000")
    );
}

#[test]
fn the_signed_notifications_hand_over_the_exact_signature_and_signed_element_spans() {
    for (file, root) in [
        (
            "oca_pecextract_IT03339130126_00009_RC_003.xml",
            "ns3:RicevutaConsegna",
        ),
        (
            "oca_pecextract_IT14627831002_02621_MC_001.xml",
            "ns3:RicevutaImpossibilitaRecapito",
        ),
    ] {
        let Some(bytes) = corpus_file(&format!("sdi-notification/{file}")) else {
            return;
        };
        let sig = read_notification(&bytes).unwrap().signature.unwrap();
        assert_eq!(sig.count, 1);
        let signature = sig.signature.slice(&bytes).unwrap();
        assert!(signature.starts_with(b"<ds:Signature "), "{file}");
        assert!(signature.ends_with(b"</ds:Signature>"), "{file}");
        let signed = sig.signed_element.slice(&bytes).unwrap();
        assert!(signed.starts_with(format!("<{root} ").as_bytes()), "{file}");
        assert!(signed.ends_with(format!("</{root}>").as_bytes()), "{file}");
    }
    // The samples are unsigned.
    let Some(n) = read("testsdi_IT01234567890_11111_RC_001.xml") else {
        return;
    };
    assert_eq!(n.signature, None);
}

#[test]
fn an_ns_lists_its_errors_and_not_its_archives_identifiers() {
    let Some(n) = read("testsdi_IT01234567890_11111_NS_001.xml") else {
        return;
    };
    assert_eq!(n.errors.len(), 1);
    assert_eq!(n.errors[0].code, "00100");
    assert_eq!(
        n.errors[0].description.as_deref(),
        Some("Certificato di firma scaduto")
    );
    // `RiferimentoArchivio` carries IdentificativoSdI 100 and a .zip: not the message's own.
    assert_eq!(n.identificativo_sdi.as_deref(), Some("111"));
    assert_eq!(n.nome_file.as_deref(), Some("IT01234567890_11111.xml.p7m"));
}

#[test]
fn outcomes_are_read_from_the_ec_and_from_the_ne_that_forwards_it() {
    let (Some(ne), Some(ec), Some(real_ec)) = (
        read("testsdi_IT01234567890_11111_NE_001.xml"),
        read("testsdi_IT01234567890_11111_EC_001.xml"),
        read("oca_IT05979361218_002_EC_002.xml"),
    ) else {
        return;
    };
    for n in [&ne, &ec] {
        assert_eq!(n.outcome, Some(Outcome::Accepted));
        assert_eq!(n.outcome_code.as_deref(), Some("EC01"));
        let r = n.invoice_ref.as_ref().unwrap();
        assert_eq!(
            (
                r.number.as_deref(),
                r.year.as_deref(),
                r.position.as_deref()
            ),
            (Some("1111"), Some("2013"), Some("2"))
        );
    }
    assert_eq!(ne.message_id_committente.as_deref(), Some("123456"));
    assert_eq!(real_ec.outcome, Some(Outcome::Accepted));
    assert_eq!(
        real_ec.invoice_ref.unwrap().number.as_deref(),
        Some("FT/2015/0007")
    );
}

#[test]
fn the_soap_wrapped_messages_read_their_recipient_and_notes() {
    let Some(at) = read("gobl_soap_ESB85905495_00010_MT_005.xml") else {
        return;
    };
    assert!(at.soap_wrapped);
    let r = at.recipient.unwrap();
    assert_eq!(r.code.as_deref(), Some("WSBKWM"));
    assert_eq!(
        r.description.as_deref(),
        Some("Amministrazione di test - Ufficio_test")
    );
    assert_eq!(at.note.as_deref(), Some("Fattura"));
    let se = read("testsdi_IT01234567890_11111_SE_001.xml").unwrap();
    assert_eq!(se.discard_code.as_deref(), Some("EN00"));
}
