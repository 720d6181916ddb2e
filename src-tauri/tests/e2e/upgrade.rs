//! The first start of this Attesta on the data directory an earlier release left (issue 17 §4): the
//! archive made by that release's own `attesta` (`tests/fixtures/release-*`, built by
//! `scripts/make-release-fixture`) is upgraded at start, the window says it was upgraded and verified
//! and that the copy was removed, and the Sent list shows every send and every recipient in the state
//! the old release's `status --json` stated. Screenshot and axe-core audit as in the demo test.

use std::time::Duration;

use pec_testkit::release_fixture;

use super::harness::{Driver, audit, click, data_dir, shot, unavailable, wait_for, wait_until};

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_start_on_the_previous_releases_archive_upgrades_it_and_shows_every_send() {
    if let Some(why) = unavailable() {
        println!("SKIPPED: {why}");
        return;
    }
    let dir = data_dir();
    release_fixture::copy_data_dir(dir.path());
    let expected = release_fixture::recipient_states(&release_fixture::old_status());
    let driver = Driver::start(dir.path());
    let client = driver.session().await;
    let mut violations = Vec::new();
    let outcome = async {
        // The upgrade runs at start; the window says it was verified and the copy removed.
        wait_until(MINUTE, "the notice that the archive was upgraded", || async {
            let notices = client
                .execute(
                    "return [...document.querySelectorAll('[data-testid=toast]')].map(t => t.textContent).join('\\n');",
                    vec![],
                )
                .await
                .unwrap();
            let notices = notices.as_str().unwrap_or_default().to_owned();
            notices.contains("Archivio aggiornato e verificato") && notices.contains("è stata rimossa")
        })
        .await;
        shot(&client, "upgrade-01-done").await;

        // Every send of the old release, every recipient in the state it stated.
        click(&client, "[data-testid=folder-sent]").await;
        wait_for(&client, "[data-testid=sent-row]", MINUTE).await;
        wait_until(MINUTE, "every recipient of the old release's sends", || async {
            let rows = client
                .execute(
                    "return [...document.querySelectorAll('[data-testid=sent-row] [data-testid=recipient]')]\
                     .map(r => [r.textContent, r.getAttribute('data-state')]);",
                    vec![],
                )
                .await
                .unwrap();
            let rows: Vec<(String, String)> = serde_json::from_value(rows).unwrap();
            let missing: Vec<_> = expected
                .iter()
                .filter(|(address, state)| {
                    !rows
                        .iter()
                        .any(|(text, s)| text.contains(address.as_str()) && s == state)
                })
                .collect();
            if !missing.is_empty() {
                println!("not shown yet: {missing:?} among {rows:?}");
            }
            missing.is_empty()
        })
        .await;
        shot(&client, "upgrade-02-sent").await;
        violations.extend(audit(&client, "upgrade-02-sent").await);
    };
    let result = tokio::time::timeout(3 * MINUTE, outcome).await;
    let _ = client.close().await;
    drop(driver);
    result.expect("the upgrade test finished in time");
    assert!(violations.is_empty(), "axe-core: {violations:#?}");
    let copies: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("before-upgrade"))
        .collect();
    assert!(copies.is_empty(), "the copy was removed: {copies:?}");
}
