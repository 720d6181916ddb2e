//! Submissions over implicit-TLS SMTP get what a real provider does (PEC rules §1–§5, §8), read back over
//! IMAPS and judged by pec-core.

use pec_core::{Errore, PecKind, RecipientType};

use super::support::{fetch, kinds, lab, message, postacert, submit, verified};

const MARIO: &str = "mario.rossi@alfa.pec.lab";
const GIULIA: &str = "giulia.verdi@alfa.pec.lab";
const ANNA: &str = "anna.bianchi@beta.pec.lab";
const PAOLO: &str = "paolo.neri@beta.pec.lab";
const EXTERNAL: &str = "cliente@esterno.lab";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_gets_one_acceptance_one_delivery_per_certified_recipient_and_nothing_for_an_external_one()
 {
    let Some(lab) = lab("submission") else { return };
    let info = &lab.info;
    let raw = message(
        MARIO,
        &[ANNA, GIULIA, EXTERNAL],
        &[PAOLO],
        "Atto di citazione",
        "",
        "In allegato l'atto.\r\n.una riga che inizia con un punto",
    );
    submit(info, MARIO, MARIO, &[ANNA, GIULIA, EXTERNAL, PAOLO], &raw)
        .await
        .unwrap();

    let inbox = fetch(info, MARIO, "INBOX").await.unwrap();
    let mut got = kinds(info, &inbox).unwrap();
    got.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(
        got,
        [
            PecKind::Acceptance,
            PecKind::Delivery,
            PecKind::Delivery,
            PecKind::Delivery
        ]
    );

    for m in &inbox {
        let i = verified(info, m).unwrap();
        let d = i.daticert.as_ref().unwrap();
        assert_eq!(d.msgid.as_deref(), Some("<Atto.di.citazione@client.test>"));
        assert_eq!(
            i.headers.x_riferimento_message_id.as_deref(),
            Some("<Atto.di.citazione@client.test>")
        );
        assert_ne!(
            i.headers.message_id.as_deref(),
            Some("<Atto.di.citazione@client.test>")
        );
        let external = d
            .destinatari
            .iter()
            .find(|r| r.address == EXTERNAL)
            .unwrap();
        assert_eq!(external.kind, RecipientType::Esterno);
        assert!(
            d.destinatari
                .iter()
                .filter(|r| r.address != EXTERNAL)
                .all(|r| r.kind == RecipientType::Certificato)
        );
        if i.kind == PecKind::Delivery {
            let consegna = d.consegna.clone().unwrap();
            // Receipts come from the recipient's provider; the Cc recipient's is sintetica.
            let provider = if consegna.ends_with("beta.pec.lab") {
                "Lab PEC Beta"
            } else {
                "Lab PEC Alfa"
            };
            assert_eq!(d.gestore_emittente.as_deref(), Some(provider));
            let carries = postacert(m, &i).is_some();
            assert_eq!(carries, consegna != PAOLO, "{consegna}");
            assert_ne!(consegna, EXTERNAL);
        }
    }

    // The recipient gets the transport envelope with the exact submitted bytes inside.
    let envelopes = fetch(info, ANNA, "INBOX").await.unwrap();
    assert_eq!(envelopes.len(), 1);
    let i = verified(info, &envelopes[0]).unwrap();
    assert_eq!(i.kind, PecKind::TransportEnvelope);
    assert_eq!(
        i.headers.from.as_deref(),
        Some("posta-certificata@alfa.pec.lab")
    );
    assert_eq!(i.headers.reply_to.as_deref(), Some(MARIO));
    let inner = postacert(&envelopes[0], &i).unwrap();
    assert!(
        inner.starts_with(&raw),
        "postacert.eml is the submitted message, byte for byte"
    );
    assert!(inner.len() - raw.len() <= 2);
    assert_eq!(fetch(info, GIULIA, "INBOX").await.unwrap().len(), 1);
    assert_eq!(fetch(info, PAOLO, "INBOX").await.unwrap().len(), 1);

    // Provider alfa keeps the sent copy; beta does not.
    let sent = fetch(info, MARIO, "Sent").await.unwrap();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].starts_with(&raw) && sent[0].len() - raw.len() <= 2,
        "the sent copy is the submitted bytes"
    );
    let reply = message(ANNA, &[MARIO], &[], "Risposta", "", "Ricevuto.");
    submit(info, ANNA, ANNA, &[MARIO], &reply).await.unwrap();
    assert!(fetch(info, ANNA, "Sent").await.unwrap().is_empty());
    assert_eq!(
        kinds(info, &fetch(info, ANNA, "INBOX").await.unwrap())
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_mailbox_gets_a_delivery_failure() {
    let Some(lab) = lab("unknown mailbox") else {
        return;
    };
    let info = &lab.info;
    let unknown = info.unknown_example.clone();
    let raw = message(MARIO, &[&unknown], &[], "Sollecito", "", "Testo.");
    submit(info, MARIO, MARIO, &[&unknown], &raw).await.unwrap();
    let inbox = fetch(info, MARIO, "INBOX").await.unwrap();
    assert_eq!(
        kinds(info, &inbox).unwrap(),
        [PecKind::Acceptance, PecKind::DeliveryFailure]
    );
    let failure = verified(info, &inbox[1]).unwrap();
    let d = failure.daticert.unwrap();
    assert_eq!(d.errore, Errore::NoDest);
    assert_eq!(d.consegna.as_deref(), Some(unknown.as_str()));
    assert!(d.errore_esteso.unwrap().starts_with("5.1.1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_from_other_than_the_account_or_a_bcc_gets_a_non_acceptance_and_nothing_else() {
    let Some(lab) = lab("non-acceptance") else {
        return;
    };
    let info = &lab.info;
    let forged = message(GIULIA, &[ANNA], &[], "Firma altrui", "", "Testo.");
    submit(info, MARIO, MARIO, &[ANNA], &forged).await.unwrap();
    let blind = message(MARIO, &[ANNA], &[], "Copia nascosta", "", "Testo.");
    submit(info, MARIO, MARIO, &[ANNA, PAOLO], &blind)
        .await
        .unwrap();

    let inbox = fetch(info, MARIO, "INBOX").await.unwrap();
    assert_eq!(
        kinds(info, &inbox).unwrap(),
        [PecKind::NonAcceptance, PecKind::NonAcceptance]
    );
    let reasons: Vec<String> = inbox
        .iter()
        .map(|m| {
            verified(info, m)
                .unwrap()
                .daticert
                .unwrap()
                .errore_esteso
                .unwrap()
        })
        .collect();
    assert!(
        reasons[0].contains("non corrisponde all'utente autenticato"),
        "{}",
        reasons[0]
    );
    assert!(reasons[1].contains(PAOLO), "{}", reasons[1]);
    assert!(fetch(info, ANNA, "INBOX").await.unwrap().is_empty());
    assert!(fetch(info, PAOLO, "INBOX").await.unwrap().is_empty());
    assert!(fetch(info, MARIO, "Sent").await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_refused_at_auth() {
    let Some(lab) = lab("wrong password") else {
        return;
    };
    let mut info = lab.info.clone();
    for a in &mut info.accounts {
        a.password = "sbagliata".into();
    }
    let raw = message(MARIO, &[ANNA], &[], "Prova", "", "Testo.");
    let err = submit(&info, MARIO, MARIO, &[ANNA], &raw)
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("535"), "{err:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn breve_receipts_carry_the_sha1_of_each_attachment_as_transmitted() {
    let Some(lab) = lab("breve") else { return };
    let info = &lab.info;
    let attachment = "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURl\r\nY29kZT4+CnN0cmVhbQp4nDPQM1Qo5ypUMFAw0DNVKErlCtdSyOMK5AIAPDYFPQplbmRzdHJlYW0K\r\n";
    let raw = format!(
        "From: {MARIO}\r\nTo: {ANNA}\r\nSubject: Contratto\r\nMessage-ID: <breve.1@client.test>\r\n\
         X-TipoRicevuta: breve\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIn allegato il contratto.\r\n\
         --b1\r\nContent-Type: application/pdf; name=\"contratto.pdf\"\r\n\
         Content-Disposition: attachment; filename=\"contratto.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
         {attachment}--b1--\r\n"
    )
    .into_bytes();
    submit(info, MARIO, MARIO, &[ANNA], &raw).await.unwrap();
    let inbox = fetch(info, MARIO, "INBOX").await.unwrap();
    assert_eq!(
        kinds(info, &inbox).unwrap(),
        [PecKind::Acceptance, PecKind::Delivery]
    );
    let delivery = verified(info, &inbox[1]).unwrap();
    let original = delivery.original.as_ref().unwrap();
    assert_eq!(original.attachments.len(), 1);
    assert_eq!(original.attachments[0].name, "contratto.pdf.hash");
    assert!(original.attachments[0].is_hash_stand_in);
    let carried = String::from_utf8_lossy(postacert(&inbox[1], &delivery).unwrap()).into_owned();
    let expected = pec_lab::compose::attachment_hash(attachment.as_bytes());
    assert!(carried.contains(&expected), "{carried}");
    assert!(
        !carried.contains("JVBERi0x"),
        "the attachment itself is not carried"
    );
    // The recipient still gets the whole message.
    let envelope = &fetch(info, ANNA, "INBOX").await.unwrap()[0];
    let i = verified(info, envelope).unwrap();
    assert!(postacert(envelope, &i).unwrap().starts_with(&raw));
}
