//! A REM send from the window (issue 14 §7): the first run's REM demo starts the lab with its
//! providers answering as REM services and adds its mailbox as a REM account; a message composed and
//! sent from the window to a deliverable recipient, an unregistered one and an ordinary mailbox (with
//! relay evidence asked for) ends delivered and failed in the Sent list, and external too in the
//! evidence panel, with the signed reason; each receipt opens one click away with its REM event, the
//! reason and the verdict on the evidence's own XAdES signature and timestamp. Screenshots as every
//! e2e test takes them (`rem-*.png`), and axe-core on every screen.

use std::time::Duration;

use fantoccini::Locator;

use crate::harness::{
    Driver, StopDemoLab, assert_accessible, audit, click, data_dir, shot, text_of, unavailable,
    wait_for, wait_until,
};

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rem_send_from_the_window_ends_delivered_and_failed_with_its_signed_evidence() {
    if let Some(why) = unavailable() {
        println!("SKIPPED: {why}");
        return;
    }
    let dir = data_dir();
    let _stop = StopDemoLab(dir.path());
    let driver = Driver::start(dir.path());
    let client = driver.session().await;
    let mut violations = Vec::new();
    let outcome = async {
        wait_for(&client, "[data-testid=first-run]", MINUTE).await;
        click(&client, "[data-testid=start-demo-rem]").await;
        wait_for(&client, "[data-testid=compose-button]", 2 * MINUTE).await;

        let subject = format!("Diffida REM n. {}", std::process::id());
        click(&client, "[data-testid=compose-button]").await;
        wait_for(&client, "[data-testid=compose-to]", MINUTE)
            .await
            .send_keys("anna.bianchi@beta.pec.lab, nessuno@beta.pec.lab, amico@esterno.lab")
            .await
            .unwrap();
        client
            .find(Locator::Css("[data-testid=compose-subject]"))
            .await
            .unwrap()
            .send_keys(&subject)
            .await
            .unwrap();
        client
            .find(Locator::Css("[data-testid=compose-body]"))
            .await
            .unwrap()
            .send_keys("Con la presente si invita al pagamento entro 15 giorni.")
            .await
            .unwrap();
        let title = text_of(&client, "#compose-title").await;
        assert_eq!(title, "Nuovo messaggio REM", "a REM account writes REM");
        // A REM account may ask for signed evidence of the relay to the ordinary mailbox.
        click(&client, "[data-testid=compose-rem-relay]").await;
        shot(&client, "rem-01-compose").await;
        violations.extend(audit(&client, "rem-01-compose").await);
        click(&client, "[data-testid=compose-send]").await;
        wait_until(
            MINUTE,
            "the compose window to close after sending",
            || async {
                client
                    .find(Locator::Css("dialog[data-testid=compose][open]"))
                    .await
                    .is_err()
            },
        )
        .await;

        // The Sent list: delivered, failed, external — from the signed evidence.
        click(&client, "[data-testid=folder-sent]").await;
        wait_for(&client, "[data-testid=sent-filter-text]", MINUTE)
            .await
            .send_keys(&subject)
            .await
            .unwrap();
        let state = |s: &'static str| {
            format!("[data-testid=sent-row] [data-testid=recipient][data-state={s}]")
        };
        let started = std::time::Instant::now();
        loop {
            let mut all = true;
            // NOTE: the row shows two recipients and "+1 altri"; the third is in the evidence panel.
            for s in ["delivered", "failed"] {
                all &= client.find(Locator::Css(&state(s))).await.is_ok();
            }
            if all {
                break;
            }
            if started.elapsed() > 2 * MINUTE {
                shot(&client, "rem-02-sent-timeout").await;
                panic!(
                    "the REM evidence of every recipient did not arrive: {}",
                    text_of(&client, "main").await
                );
            }
            if let Ok(sync) = client.find(Locator::Css("[data-testid=sync-button]")).await {
                let _ = sync.click().await;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let text = text_of(&client, "[data-testid=sent-row]").await;
        assert!(
            text.contains("Consegnato") && text.contains("Mancata consegna"),
            "the states in words: {text}"
        );
        shot(&client, "rem-02-sent").await;
        violations.extend(audit(&client, "rem-02-sent").await);

        // The evidence panel: the send is REM, each recipient's state, the REM flow by event.
        click(&client, "[data-testid=sent-row]").await;
        wait_for(&client, "[data-testid=evidence-tab]", MINUTE)
            .await
            .click()
            .await
            .unwrap();
        wait_for(&client, "[data-testid=send-family]", MINUTE).await;
        let recipients = text_of(&client, "[data-testid=evidence-recipients]").await;
        assert!(
            recipients.contains("RD21"),
            "the signed reason: {recipients}"
        );
        let flow = text_of(&client, "[data-testid=evidence-timeline]").await;
        assert!(
            flow.contains("Accettazione (REM)")
                && flow.contains("Consegna (REM)")
                && flow.contains("Mancata consegna (REM)")
                && flow.contains("Inoltro a casella ordinaria"),
            "{flow}"
        );
        shot(&client, "rem-03-timeline").await;
        violations.extend(audit(&client, "rem-03-timeline").await);

        // One click: the failure, with its event, reason and both verdicts.
        let failure = "[data-testid=timeline-entry][data-rem-event=content-consignment-failure] [data-testid=timeline-open]";
        click(&client, failure).await;
        wait_for(
            &client,
            "[data-testid=rem-evidence][data-event=content-consignment-failure][data-verdict=valid]",
            MINUTE,
        )
        .await;
        wait_for(
            &client,
            "[data-testid=evidence-verdict][data-verdict=valid]",
            MINUTE,
        )
        .await;
        let event = text_of(&client, "[data-testid=rem-evidence-event]").await;
        assert!(
            event.contains("Mancata consegna (REM)") && event.contains("RD21"),
            "{event}"
        );
        let stamp = text_of(&client, "[data-testid=rem-evidence-timestamp]").await;
        assert!(
            stamp.contains("Firma valida") && stamp.contains("Attesta Lab TSA"),
            "{stamp}"
        );
        shot(&client, "rem-04-failure-evidence").await;
        violations.extend(audit(&client, "rem-04-failure-evidence").await);

        // And the consignment.
        click(&client, "[data-testid=evidence-tab]").await;
        let consignment = "[data-testid=timeline-entry][data-rem-event=content-consignment] [data-testid=timeline-open]";
        wait_for(&client, consignment, MINUTE).await;
        click(&client, consignment).await;
        wait_for(
            &client,
            "[data-testid=rem-evidence][data-event=content-consignment][data-verdict=valid]",
            MINUTE,
        )
        .await;
        shot(&client, "rem-05-consignment-evidence").await;
    };
    let result = tokio::time::timeout(Duration::from_secs(600), outcome).await;
    let _ = client.close().await;
    drop(driver);
    result.expect("the REM end-to-end test took more than 10 minutes");
    assert_accessible(&violations);
}
