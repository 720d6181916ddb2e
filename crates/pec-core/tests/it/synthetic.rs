//! Every kind of PEC rules §2, including those with no real sample, made by the test generator and read
//! back: kind, virus, notice stage, receipt type, recipients, and the findings a user should see.

use chrono::{TimeZone, Utc};
use pec_core::{FindingCode, PecKind, ReceiptType, RecipientType, inspect};
use pec_testkit::{Attachment, Pec, PecKindSpec, PlaceholderSigner, Send, to_lf, wrap_in_list};

fn send() -> Send {
    let mut s = Send::new(
        "studio.rossi@pec.provider.example",
        &["cliente@pec.altro.example"],
        "Diffida ad adempiere n. 42/2026",
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).unwrap(),
    );
    s.to.push(("esterno@gmail.example".into(), false));
    s.cc.push(("collega@pec.altro.example".into(), true));
    s.attachments.push(Attachment {
        name: "diffida.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: b"%PDF-1.7 fake but fine".to_vec(),
    });
    s
}

fn build(kind: PecKindSpec) -> (Vec<u8>, pec_core::Inspection) {
    let raw = Pec::new(&send(), kind).build(&PlaceholderSigner);
    let inspection = inspect(&raw);
    (raw, inspection)
}

fn codes(i: &pec_core::Inspection) -> Vec<FindingCode> {
    i.findings.iter().map(|f| f.code).collect()
}

const RCPT: &str = "cliente@pec.altro.example";

#[test]
fn every_kind_is_recognised_from_its_signed_daticert() {
    let cases = [
        (PecKindSpec::Envelope, PecKind::TransportEnvelope, false),
        (PecKindSpec::Anomaly, PecKind::AnomalyEnvelope, false),
        (PecKindSpec::Acceptance, PecKind::Acceptance, false),
        (
            PecKindSpec::NonAcceptance {
                virus: false,
                reason: "destinatario in Bcc".into(),
            },
            PecKind::NonAcceptance,
            false,
        ),
        (
            PecKindSpec::NonAcceptance {
                virus: true,
                reason: "virus rilevato".into(),
            },
            PecKind::NonAcceptance,
            true,
        ),
        (PecKindSpec::TakenInCharge, PecKind::TakenInCharge, false),
        (
            PecKindSpec::Delivery {
                recipient: RCPT.into(),
            },
            PecKind::Delivery,
            false,
        ),
        (
            PecKindSpec::Failure {
                recipient: RCPT.into(),
                virus: false,
                reason: "5.1.1 - indirizzo non valido".into(),
            },
            PecKind::DeliveryFailure,
            false,
        ),
        (
            PecKindSpec::Failure {
                recipient: RCPT.into(),
                virus: true,
                reason: "virus".into(),
            },
            PecKind::DeliveryFailure,
            true,
        ),
        (
            PecKindSpec::Warning12h {
                recipient: RCPT.into(),
            },
            PecKind::DeliveryWarning12h,
            false,
        ),
        (
            PecKindSpec::Timeout24h {
                recipient: RCPT.into(),
            },
            PecKind::DeliveryTimeout24h,
            false,
        ),
        (
            PecKindSpec::VirusDetected {
                recipient: RCPT.into(),
            },
            PecKind::VirusDetected,
            true,
        ),
    ];
    for (spec, kind, virus) in cases {
        let (_, i) = build(spec.clone());
        assert_eq!(i.kind, kind, "{spec:?}");
        assert_eq!(i.virus, virus, "{spec:?}: virus");
        assert!(
            i.findings.is_empty(),
            "{spec:?}: unexpected findings {:?}",
            i.findings
        );
        if kind != PecKind::AnomalyEnvelope {
            let d = i.daticert.as_ref().unwrap();
            assert_eq!(
                d.gestore_emittente.as_deref(),
                Some("Provider PEC di Prova S.p.A.")
            );
            assert_eq!(
                d.msgid.as_deref(),
                Some(format!("<{}>", send().msgid).as_str())
            );
            assert_eq!(
                d.data.unwrap(),
                Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 1).unwrap(),
                "certified time in UTC"
            );
        }
    }
}

#[test]
fn the_notices_share_a_tipo_but_not_a_stage() {
    let (_, warning) = build(PecKindSpec::Warning12h {
        recipient: RCPT.into(),
    });
    let (_, timeout) = build(PecKindSpec::Timeout24h {
        recipient: RCPT.into(),
    });
    assert_eq!(warning.kind.tipo(), "preavviso-errore-consegna");
    assert_eq!(timeout.kind.tipo(), "preavviso-errore-consegna");
    assert_eq!(warning.kind.notice_stage(), Some("12h"));
    assert_eq!(timeout.kind.notice_stage(), Some("24h"));
}

#[test]
fn an_envelope_lists_certified_and_external_recipients_and_carries_the_original() {
    let (_, i) = build(PecKindSpec::Envelope);
    let d = i.daticert.unwrap();
    let types: Vec<_> = d
        .destinatari
        .iter()
        .map(|r| (r.address.as_str(), r.kind))
        .collect();
    assert_eq!(
        types,
        vec![
            (RCPT, RecipientType::Certificato),
            ("esterno@gmail.example", RecipientType::Esterno),
            ("collega@pec.altro.example", RecipientType::Certificato),
        ]
    );
    let original = i.original.unwrap();
    assert_eq!(
        original.subject.as_deref(),
        Some("Diffida ad adempiere n. 42/2026")
    );
    assert_eq!(original.attachments.len(), 1);
    assert_eq!(original.attachments[0].name, "diffida.pdf");
}

#[test]
fn receipt_types_change_what_a_delivery_receipt_carries() {
    let mut s = send();
    for (receipt_type, carries_original, hash) in [
        ("completa", true, false),
        ("breve", true, true),
        ("sintetica", false, false),
    ] {
        s.receipt_type = receipt_type;
        let raw = Pec::new(
            &s,
            PecKindSpec::Delivery {
                recipient: RCPT.into(),
            },
        )
        .build(&PlaceholderSigner);
        let i = inspect(&raw);
        assert_eq!(
            i.daticert.as_ref().unwrap().ricevuta,
            ReceiptType::parse(receipt_type)
        );
        assert_eq!(i.original.is_some(), carries_original, "{receipt_type}");
        if let Some(o) = i.original {
            assert_eq!(o.attachments[0].is_hash_stand_in, hash, "{receipt_type}");
            if hash {
                assert_eq!(o.attachments[0].name, "diffida.pdf.hash");
                assert_eq!(o.attachments[0].size, 40);
            }
        }
    }
}

#[test]
fn a_cc_recipient_gets_a_sintetica_delivery_receipt() {
    let (_, i) = build(PecKindSpec::Delivery {
        recipient: "collega@pec.altro.example".into(),
    });
    assert_eq!(i.daticert.unwrap().ricevuta, Some(ReceiptType::Sintetica));
    assert!(i.original.is_none());
}

#[test]
fn an_acceptance_relabelled_as_a_delivery_is_still_an_acceptance() {
    let mut pec = Pec::new(&send(), PecKindSpec::Acceptance);
    pec.header_overrides = vec![
        ("X-Ricevuta".into(), "avvenuta-consegna".into()),
        (
            "Subject".into(),
            "CONSEGNA: Diffida ad adempiere n. 42/2026".into(),
        ),
    ];
    let i = inspect(&pec.build(&PlaceholderSigner));
    assert_eq!(i.kind, PecKind::Acceptance);
    assert_eq!(
        codes(&i),
        vec![
            FindingCode::HeaderKindMismatch,
            FindingCode::HeaderSubjectMismatch
        ]
    );
}

#[test]
fn outer_ids_and_sender_pointed_elsewhere_are_findings_and_the_signed_ones_win() {
    let mut pec = Pec::new(
        &send(),
        PecKindSpec::Delivery {
            recipient: RCPT.into(),
        },
    );
    pec.header_overrides = vec![
        (
            "X-Riferimento-Message-ID".into(),
            "<another@client.example>".into(),
        ),
        ("To".into(), "intruso@pec.example".into()),
    ];
    let i = inspect(&pec.build(&PlaceholderSigner));
    assert_eq!(i.kind, PecKind::Delivery);
    assert_eq!(
        i.daticert.as_ref().unwrap().msgid.clone().unwrap(),
        format!("<{}>", send().msgid),
        "the signed msgid is kept"
    );
    assert_eq!(
        codes(&i),
        vec![
            FindingCode::HeaderMsgidMismatch,
            FindingCode::HeaderSenderMismatch
        ]
    );
}

#[test]
fn an_unsigned_receipt_is_read_but_flagged() {
    let mut pec = Pec::new(
        &send(),
        PecKindSpec::Delivery {
            recipient: RCPT.into(),
        },
    );
    pec.unsigned = true;
    let i = inspect(&pec.build(&PlaceholderSigner));
    assert_eq!(i.kind, PecKind::Delivery);
    assert!(i.structure.signed.is_none());
    assert_eq!(codes(&i), vec![FindingCode::DaticertNotSigned]);
}

#[test]
fn headers_alone_do_not_make_a_pec_message() {
    let forged = b"From: posta-certificata@pec.provider.example\r\nTo: a@b.example\r\n\
                   X-Ricevuta: avvenuta-consegna\r\nSubject: CONSEGNA: fattura\r\n\r\nConsegnato.\r\n";
    let i = inspect(forged);
    assert_eq!(i.kind, PecKind::NotPec);
    assert_eq!(
        codes(&i),
        vec![FindingCode::HeaderClaimWithoutCertification]
    );
}

#[test]
fn a_receipt_wrapped_by_a_list_server_is_found_one_level_down() {
    let raw = Pec::new(
        &send(),
        PecKindSpec::Delivery {
            recipient: RCPT.into(),
        },
    )
    .build(&PlaceholderSigner);
    let wrapped = wrap_in_list(&raw, "lista@example.org");
    let i = inspect(&wrapped);
    assert_eq!(i.kind, PecKind::Delivery);
    assert_eq!(i.structure.signed.as_ref().unwrap().depth, 1);
    assert!(codes(&i).contains(&FindingCode::SignedEntityNested));
    // The signed span is byte-identical to the one in the unwrapped message.
    let direct = inspect(&raw);
    assert_eq!(i.signed_content(&wrapped), direct.signed_content(&raw));
}

#[test]
fn line_endings_converted_to_lf_keep_every_fact_and_the_signed_span() {
    let raw = Pec::new(&send(), PecKindSpec::Envelope).build(&PlaceholderSigner);
    let lf = to_lf(&raw);
    let (a, b) = (inspect(&raw), inspect(&lf));
    assert_eq!(a.kind, b.kind);
    assert_eq!(a.daticert, b.daticert);
    assert_eq!(
        to_lf(a.signed_content(&raw).unwrap()),
        b.signed_content(&lf).unwrap(),
        "the same signed bytes, modulo line endings"
    );
}

#[test]
fn an_anomaly_envelope_has_no_daticert_and_carries_the_ordinary_mail() {
    let (_, i) = build(PecKindSpec::Anomaly);
    assert_eq!(i.kind, PecKind::AnomalyEnvelope);
    assert!(i.daticert.is_none());
    assert!(i.original.is_some());
}

#[test]
fn the_json_kind_is_spelled_as_daticert_tipo() {
    assert_eq!(PecKind::AnomalyEnvelope.tipo(), "anomalia");
    assert_eq!(PecKind::NotPec.tipo(), "none");
    let (_, i) = build(PecKindSpec::Delivery {
        recipient: RCPT.into(),
    });
    assert_eq!(i.kind.tipo(), "avvenuta-consegna");
}
