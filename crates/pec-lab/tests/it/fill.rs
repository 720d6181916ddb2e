//! `fill`: a mailbox full of signed PEC mail that a client can read.

use std::collections::BTreeMap;

use super::support::{count, fetch, lab, verified};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filled_mailbox_holds_signed_envelopes_and_receipts() {
    let Some(lab) = lab("fill") else { return };
    let info = &lab.info;
    let start = std::time::Instant::now();
    assert_eq!(lab.fill("giulia.verdi@alfa.pec.lab", 300).unwrap(), 300);
    eprintln!("fill of 300 messages: {:?}", start.elapsed());
    assert_eq!(
        count(info, "giulia.verdi@alfa.pec.lab", "INBOX")
            .await
            .unwrap(),
        300
    );
    let messages = fetch(info, "giulia.verdi@alfa.pec.lab", "INBOX")
        .await
        .unwrap();
    let mut kinds = BTreeMap::new();
    for m in messages.iter().step_by(3) {
        *kinds
            .entry(format!("{:?}", verified(info, m).unwrap().kind))
            .or_insert(0) += 1;
    }
    for kind in ["TransportEnvelope", "Acceptance", "Delivery"] {
        assert!(kinds.contains_key(kind), "{kinds:?}");
    }
    assert!(lab.fill("nessuno@beta.pec.lab", 1).is_err());
}
