//! The lab clock and the notices it drives: for a recipient whose provider never answers, the 12 h
//! warning and then the final 24 h notice (PEC rules §1).

use pec_core::PecKind;

use super::support::{fetch, kinds, lab, message, submit, verified};

const MARIO: &str = "mario.rossi@alfa.pec.lab";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_recipient_gets_the_12_hour_then_the_24_hour_notice_as_the_clock_advances() {
    let Some(lab) = lab("clock") else { return };
    let info = &lab.info;
    let silent = info.silent_accounts[0].clone();
    let raw = message(MARIO, &[&silent], &[], "Istanza", "", "Testo.");
    submit(info, MARIO, MARIO, &[&silent], &raw).await.unwrap();
    assert_eq!(
        kinds(info, &fetch(info, MARIO, "INBOX").await.unwrap()).unwrap(),
        [PecKind::Acceptance]
    );

    let reply = lab.advance(chrono::Duration::hours(11)).unwrap();
    assert_eq!((reply.delivered, reply.pending), (0, 1));
    let reply = lab.advance(chrono::Duration::hours(2)).unwrap();
    assert_eq!((reply.delivered, reply.pending), (1, 1));
    let inbox = fetch(info, MARIO, "INBOX").await.unwrap();
    assert_eq!(
        kinds(info, &inbox).unwrap(),
        [PecKind::Acceptance, PecKind::DeliveryWarning12h]
    );

    let reply = lab
        .advance(pec_lab::parse_duration("12h").unwrap())
        .unwrap();
    assert_eq!((reply.delivered, reply.pending), (1, 0));
    let inbox = fetch(info, MARIO, "INBOX").await.unwrap();
    assert_eq!(
        kinds(info, &inbox).unwrap(),
        [
            PecKind::Acceptance,
            PecKind::DeliveryWarning12h,
            PecKind::DeliveryTimeout24h
        ]
    );
    let accepted = verified(info, &inbox[0])
        .unwrap()
        .daticert
        .unwrap()
        .data
        .unwrap();
    let warned = verified(info, &inbox[1])
        .unwrap()
        .daticert
        .unwrap()
        .data
        .unwrap();
    let last = verified(info, &inbox[2]).unwrap().daticert.unwrap();
    assert_eq!(warned - accepted, chrono::Duration::hours(12));
    assert_eq!(last.data.unwrap() - accepted, chrono::Duration::hours(24));
    assert_eq!(last.consegna.as_deref(), Some(silent.as_str()));
    let text = last.errore_esteso.unwrap();
    assert!(
        text.starts_with("5.4.1")
            && text.contains("non è stato consegnato nelle prime ventiquattro ore")
    );

    // The clock is written back to lab.json.
    let saved = pec_lab::LabInfo::load(lab.dir()).unwrap();
    assert_eq!(saved.clock_offset_seconds, 25 * 3600);
    assert!(lab.advance(chrono::Duration::hours(30)).unwrap().delivered == 0);
}
