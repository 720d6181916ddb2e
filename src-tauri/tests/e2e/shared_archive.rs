//! The firm's shared archive from the window (issue 18 §6), against the real PostgreSQL server the test
//! command starts (`scripts/lib/postgres-cluster`): on the first run, a wrong password is refused in
//! words and nothing is saved; the right one finds an empty database; "Usa l'archivio dello studio"
//! switches the running app to it; the demo's mail then goes into the firm's archive on the server
//! (checked there, and `archive check` clean), and the status bar says the server is connected.
//!
//! Runs when `ATTESTA_TEST_POSTGRES` names the server (`scripts/test` runs the end-to-end step inside
//! the wrapper); SKIPPED otherwise.

use std::path::Path;
use std::time::Duration;

use fantoccini::Client;

use super::harness::{
    Driver, StopDemoLab, assert_accessible, audit, click, data_dir, shot, text_of, unavailable,
    wait_for, wait_until,
};

const MINUTE: Duration = Duration::from_secs(60);

async fn fill(client: &Client, css: &str, text: &str) {
    let field = wait_for(client, css, MINUTE).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

fn config(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("config.toml")).unwrap_or_default()
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
        .create_fresh_database("attesta_e2e")
        .unwrap();
    let url = address.shown.clone();
    let password = Address::test_password().unwrap_or_default();
    let dir = data_dir();
    let _lab = StopDemoLab(dir.path());
    let driver = Driver::start(dir.path());
    let client = driver.session().await;
    let mut violations = Vec::new();
    let outcome = async {
        wait_for(&client, "[data-testid=first-run]", MINUTE).await;
        wait_for(&client, "[data-testid=shared-archive]", MINUTE).await;
        assert!(
            text_of(&client, "[data-testid=shared-place]")
                .await
                .contains("questo computer")
        );

        // A wrong password: refused in words, nothing saved.
        fill(&client, "[data-testid=shared-address]", &url).await;
        fill(&client, "[data-testid=shared-password]", "non-la-password").await;
        click(&client, "[data-testid=shared-test]").await;
        wait_for(&client, "[data-testid=shared-error]", MINUTE).await;
        let error = text_of(&client, "[data-testid=shared-error]").await;
        assert!(error.contains("non è utilizzabile"), "{error}");
        assert!(
            !error.contains("non-la-password"),
            "the password is never shown: {error}"
        );
        click(&client, "[data-testid=shared-use]").await;
        wait_for(&client, "[data-testid=shared-error]", MINUTE).await;
        assert!(
            !config(dir.path()).contains("shared_archive"),
            "a failed address was saved"
        );
        shot(&client, "30-shared-archive-refused").await;

        // The right one: an empty database, then used at once.
        fill(&client, "[data-testid=shared-password]", &password).await;
        click(&client, "[data-testid=shared-test]").await;
        wait_for(&client, "[data-testid=shared-found]", MINUTE).await;
        let found = text_of(&client, "[data-testid=shared-found]").await;
        assert!(found.contains("vuoto"), "{found}");
        shot(&client, "31-shared-archive-found").await;
        violations.extend(audit(&client, "31-shared-archive-found").await);
        click(&client, "[data-testid=shared-use]").await;
        wait_until(MINUTE, "the firm's archive in use", || async {
            text_of(&client, "[data-testid=shared-place]")
                .await
                .contains("quello dello studio")
        })
        .await;
        let saved = config(dir.path());
        assert!(
            saved.contains(&format!("shared_archive = \"{url}\"")),
            "{saved}"
        );
        assert!(!saved.contains(&password), "no password in config.toml");

        // The demo's mail goes into the firm's archive; the status bar says the server answers.
        click(&client, "[data-testid=start-demo]").await;
        wait_for(&client, "[data-testid=message-row]", 2 * MINUTE).await;
        wait_until(MINUTE, "the server's state in the status bar", || async {
            text_of(&client, "[data-testid=archive-server]").await
                == "Archivio dello studio: connesso"
        })
        .await;
        shot(&client, "32-shared-archive-in-use").await;
        violations.extend(audit(&client, "32-shared-archive-in-use").await);
    };
    let result = tokio::time::timeout(Duration::from_secs(300), outcome).await;
    let _ = client.close().await;
    drop(driver);
    result.expect("the test took more than 5 minutes");

    // On the server: the demo's messages, in an archive that checks clean, and nothing on this computer.
    let elsewhere = tempfile::tempdir().unwrap();
    let archive = pec_archive::Archive::open_postgres(&address, elsewhere.path()).unwrap();
    let messages = archive.message_count().unwrap();
    assert!(
        messages > 0,
        "the demo's mail did not reach the firm's archive"
    );
    let report = archive.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert!(
        !dir.path().join("archive.sqlite3").exists()
            || pec_archive::Archive::open(&dir.path().join("archive.sqlite3"))
                .unwrap()
                .message_count()
                .unwrap()
                == 0,
        "the demo's mail went to this computer's file"
    );
    println!("the firm's archive holds {messages} messages, check clean");
    assert_accessible(&violations);
}
