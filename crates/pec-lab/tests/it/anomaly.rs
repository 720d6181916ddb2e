//! Ordinary mail reaching a PEC mailbox arrives in a signed anomaly envelope (PEC rules §1, §2).

use pec_core::PecKind;

use super::support::{fetch, lab, postacert, verified};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ordinary_mail_arrives_as_a_signed_anomaly_envelope() {
    let Some(lab) = lab("anomaly") else { return };
    let info = &lab.info;
    let raw =
        b"From: newsletter@esterno.lab\r\nTo: anna.bianchi@beta.pec.lab\r\nSubject: Offerte\r\n\
                Message-ID: <news.1@esterno.lab>\r\n\r\nNon e' posta certificata.\r\n";
    lab.inject("anna.bianchi@beta.pec.lab", raw).unwrap();
    let inbox = fetch(info, "anna.bianchi@beta.pec.lab", "INBOX")
        .await
        .unwrap();
    assert_eq!(inbox.len(), 1);
    let i = verified(info, &inbox[0]).unwrap();
    assert_eq!(i.kind, PecKind::AnomalyEnvelope);
    assert_eq!(i.headers.x_trasporto.as_deref(), Some("errore"));
    assert_eq!(
        i.headers.subject.as_deref(),
        Some("ANOMALIA MESSAGGIO: Offerte")
    );
    assert!(postacert(&inbox[0], &i).unwrap().starts_with(raw));
    assert!(lab.inject("nessuno@beta.pec.lab", raw).is_err());
}
