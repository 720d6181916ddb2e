//! The firm's server going away and coming back, in the window (issue 18 §6): on the shared archive,
//! with the demo's mail, the server is cut off (a TCP relay between the app and the test server is
//! closed: stopping the test server would cut off the other suites). The status bar says "non
//! raggiungibile"; the Inbox and a message opened before are shown from this computer's copy, marked
//! "copia locale"; a search finds the message among those lists, marked the same; a send is queued
//! ("In coda") and listed in the Outbox. The relay opens again: the
//! status bar says "connesso" without a restart, and the queued send is in the server's outbox once,
//! submitted.
//!
//! Runs when `ATTESTA_TEST_POSTGRES` names the server; SKIPPED otherwise.

use std::path::Path;
use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use pec_testkit::relay::{Answer, Relay, server_of, through};

use super::harness::{
    Driver, StopDemoLab, click, data_dir, shot, text_of, unavailable, wait_for, wait_until,
};

const MINUTE: Duration = Duration::from_secs(60);

async fn fill(client: &Client, css: &str, text: &str) {
    let field = wait_for(client, css, MINUTE).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn status(client: &Client) -> String {
    text_of(client, "[data-testid=archive-server]").await
}

/// The sends waiting in `dir`'s queue (their descriptions).
fn queued(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_dir(dir.join("queued-sends"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .map(|e| serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap())
                .collect()
        })
        .unwrap_or_default()
}

pub async fn run() {
    if let Some(why) = unavailable() {
        println!("SKIPPED: {why}");
        return;
    }
    use pec_archive::db::postgres::Address;
    let Some(server) = Address::test_server() else {
        println!("SKIPPED: no PostgreSQL server (run inside scripts/lib/postgres-cluster)");
        return;
    };
    let address = server
        .unwrap()
        .create_fresh_database("attesta_e2e_away")
        .unwrap();
    let to = server_of(&address.shown);
    let relay = Relay::start(0, to, Answer::Relayed);
    let url = through(&address.shown, relay.port);
    let password = Address::test_password().unwrap_or_default();
    let dir = data_dir();
    let _lab = StopDemoLab(dir.path());
    let driver = Driver::start(dir.path());
    let client = driver.session().await;
    let subject = format!("Atto in coda n. {}", std::process::id());
    let mut back = None;
    let outcome = async {
        // On the firm's archive (through the relay), with the demo's mail.
        wait_for(&client, "[data-testid=shared-archive]", MINUTE).await;
        fill(&client, "[data-testid=shared-address]", &url).await;
        fill(&client, "[data-testid=shared-password]", &password).await;
        click(&client, "[data-testid=shared-use]").await;
        wait_until(MINUTE, "the firm's archive in use", || async {
            text_of(&client, "[data-testid=shared-place]")
                .await
                .contains("quello dello studio")
        })
        .await;
        click(&client, "[data-testid=start-demo]").await;
        wait_for(&client, "[data-testid=message-row]", 2 * MINUTE).await;
        wait_until(MINUTE, "connected", || async {
            status(&client).await == "Archivio dello studio: connesso"
        })
        .await;
        click(&client, "[data-testid=message-row]").await;
        let read = wait_for(&client, "[data-testid=reader-subject]", MINUTE)
            .await
            .text()
            .await
            .unwrap();

        // The server goes away: said so, and what was read is still there, marked as a copy.
        relay.cut();
        wait_until(2 * MINUTE, "the status bar to say unreachable", || async {
            status(&client).await == "Archivio dello studio: non raggiungibile"
        })
        .await;
        click(&client, "[data-testid=folder-sent]").await;
        click(&client, "[data-testid=folder-inbox]").await;
        wait_for(&client, "[data-testid=list-local-copy]", MINUTE).await;
        click(&client, "[data-testid=message-row]").await;
        wait_for(&client, "[data-testid=reader-local-copy]", MINUTE).await;
        assert_eq!(text_of(&client, "[data-testid=reader-subject]").await, read);
        shot(&client, "40-server-away-local-copy").await;

        // A search while it is away: found among the lists kept here, marked as a copy.
        let word = read
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| w.chars().count() > 3)
            .expect("a word in the subject read")
            .to_owned();
        let search = wait_for(&client, "[data-testid=search-input]", MINUTE).await;
        search.clear().await.unwrap();
        search
            .send_keys(&format!("{word}{}", char::from(Key::Enter)))
            .await
            .unwrap();
        wait_for(&client, "[data-testid=search-local-copy]", MINUTE).await;
        wait_for(&client, "[data-testid=search-hit]", MINUTE).await;
        let hits = text_of(&client, "[data-testid=search-list]").await;
        assert!(hits.contains(&read), "{word:?} finds {read:?}: {hits}");
        shot(&client, "43-server-away-search").await;

        // A send while it is away: queued on this computer, listed in the Outbox.
        click(&client, "[data-testid=compose-button]").await;
        fill(
            &client,
            "[data-testid=compose-to]",
            "anna.bianchi@beta.pec.lab",
        )
        .await;
        fill(&client, "[data-testid=compose-subject]", &subject).await;
        fill(
            &client,
            "[data-testid=compose-body]",
            "Da inviare appena possibile.",
        )
        .await;
        click(&client, "[data-testid=compose-send]").await;
        wait_until(MINUTE, "the compose window to close", || async {
            client
                .find(Locator::Css("dialog[data-testid=compose][open]"))
                .await
                .is_err()
        })
        .await;
        let waiting = queued(dir.path());
        assert_eq!(waiting.len(), 1, "{waiting:?}");
        assert_eq!(waiting[0]["subject"], subject.as_str());
        click(&client, "[data-testid=folder-outbox]").await;
        let listed = wait_for(&client, "[data-testid=queued-sends]", MINUTE)
            .await
            .text()
            .await
            .unwrap();
        assert!(listed.contains(&subject), "{listed}");
        assert!(listed.contains("In coda"), "{listed}");
        shot(&client, "41-server-away-send-queued").await;

        // Back: connected again without a restart, and the queued send goes.
        back = Some(Relay::start(relay.port, to, Answer::Relayed));
        wait_until(
            2 * MINUTE,
            "the status bar to say connected again",
            || async { status(&client).await == "Archivio dello studio: connesso" },
        )
        .await;
        wait_until(2 * MINUTE, "the queue to empty", || async {
            queued(dir.path()).is_empty()
        })
        .await;
        shot(&client, "42-server-back").await;
        waiting[0]["msgid"].as_str().unwrap().to_owned()
    };
    let result = tokio::time::timeout(Duration::from_secs(480), outcome).await;
    let _ = client.close().await;
    drop(driver);
    let msgid = result.expect("the test took more than 8 minutes");
    drop(back);

    // On the server: the queued send, once, handed to the provider.
    let elsewhere = tempfile::tempdir().unwrap();
    let archive = pec_archive::Archive::open_postgres(&address, elsewhere.path()).unwrap();
    let entries: Vec<_> = archive
        .outbox(None)
        .unwrap()
        .into_iter()
        .filter(|e| e.msgid == msgid)
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(
        entries[0].state,
        pec_archive::outbox::OutboxState::Submitted,
        "{entries:?}"
    );
    assert_eq!(entries[0].attempts, 1);
    let report = archive.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
}
