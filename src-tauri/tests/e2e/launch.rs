//! Launched by the desktop (issue 17), in the real window: the app started with a real PEC message
//! of the shared corpus on its command line shows it in the reader with its evidence panel, the
//! archive still empty; a second launch with another file hands it to the running window and exits;
//! "Archivia" archives the message and shows the archived one with the same verdict; the same file
//! opened again shows the archived message. A `.p7m`
//! opens its signature panel; a `mailto:` link opens compose prefilled, and nothing is sent.
//! Screenshots and axe-core audits as in the demo test. None of these needs the demo lab.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::Client;
use pec_engine::DataDir;

use super::harness::{
    Driver, application, assert_accessible, attribute_of, audit, click, data_dir, desktop_command,
    shot, text_of, value_of, wait_for, wait_until, window_unavailable,
};

const MINUTE: Duration = Duration::from_secs(60);

fn corpus() -> Option<PathBuf> {
    let dir = pec_testkit::corpus::dir()?;
    dir.join("real").is_dir().then_some(dir)
}

/// The shared corpus, when the window can run here and the corpus is beside the repository; `None`
/// (the test skipped, and why printed) otherwise.
fn window_and_corpus() -> Option<PathBuf> {
    if let Some(why) = window_unavailable() {
        println!("SKIPPED: {why}");
        return None;
    }
    let corpus = corpus();
    if corpus.is_none() {
        println!("SKIPPED: no shared corpus");
    }
    corpus
}

/// A delivery receipt and a transport envelope, real, from two years.
const RECEIPT: &str = "real/aruba_avvenuta-consegna_2014_oca-pec-messages.eml";
const ENVELOPE: &str = "real/aruba_transport_2023_fabioportieri.eml";

/// The subject the reader shows for `file` (the letter the engine unwraps).
fn subject_of(file: &Path) -> String {
    let raw = std::fs::read(file).unwrap();
    pec_engine::letter::letter(&raw).subject.unwrap()
}

/// How many messages the archive of `dir` holds, read from the file itself.
fn archived(dir: &Path) -> u64 {
    let file = DataDir::resolve(Some(dir)).unwrap().archive_file();
    if !file.exists() {
        return 0;
    }
    pec_archive::Archive::open_read_only(&file)
        .unwrap()
        .message_count()
        .unwrap()
}

/// The verdict the evidence panel shows, after opening its tab.
async fn evidence_verdict(client: &Client) -> String {
    click(client, "[data-testid=evidence-tab]").await;
    wait_for(client, "[data-testid=evidence-verdict]", MINUTE).await;
    let verdict = attribute_of(client, "[data-testid=evidence-verdict]", "data-verdict").await;
    assert!(!verdict.is_empty(), "the evidence panel shows no verdict");
    verdict
}

/// Waits for the "from disk" banner to go: the opened message was archived.
async fn banner_gone(client: &Client) {
    wait_until(MINUTE, "the banner to go once archived", || async {
        text_of(client, "[data-testid=opened-banner]")
            .await
            .is_empty()
    })
    .await;
}

/// Closes the mailbox question with "Annulla" and waits for it to go.
async fn close_question(client: &Client) {
    click(client, "[data-testid=import-cancel]").await;
    wait_until(MINUTE, "the question to close", || async {
        text_of(client, "[data-testid=import-dialog]")
            .await
            .is_empty()
    })
    .await;
}

/// Runs the app again as the desktop would for a second file: it must hand the file over and exit.
fn second_launch(dir: &Path, file: &Path) {
    let mut child = Command::new(application())
        .arg(file)
        .env("ATTESTA_DATA_DIR", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "the second launch failed: {status}");
            return;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let _ = child.wait();
            panic!("the second launch did not hand its file over and exit: two windows");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pec_message_opened_from_disk_is_verified_as_archived_and_archived_only_when_asked() {
    let Some(corpus) = window_and_corpus() else {
        return;
    };
    let receipt = corpus.join(RECEIPT);
    let envelope = corpus.join(ENVELOPE);
    let dir = data_dir();
    let driver = Driver::start(dir.path());
    // With an installed package, exactly as the file manager does: the desktop entry's command line.
    let client = match desktop_command(&receipt) {
        Some((program, args)) => {
            println!("launching the desktop entry's command: {program:?} {args:?}");
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            driver.session_of(&program, &args).await
        }
        None => driver.session_with(&[receipt.to_str().unwrap()]).await,
    };
    let mut violations = Vec::new();
    let outcome = async {
        // Shown in the reader, said to be from disk, with its evidence; the archive is untouched.
        wait_for(&client, "[data-testid=opened-banner]", MINUTE).await;
        let subject = text_of(&client, "[data-testid=reader-subject]").await;
        assert_eq!(subject, subject_of(&receipt));
        let banner = text_of(&client, "[data-testid=opened-banner]").await;
        assert!(
            banner.contains("non è nell’archivio") && banner.contains("Archivia"),
            "{banner}"
        );
        let shown = evidence_verdict(&client).await;
        assert!(
            text_of(&client, "[data-testid=message-row]")
                .await
                .is_empty(),
            "the inbox lists a message that was only opened"
        );
        assert_eq!(archived(dir.path()), 0, "opening the file archived it");
        shot(&client, "10-opened-from-disk").await;
        violations.extend(audit(&client, "10-opened-from-disk").await);

        // A second launch from the file manager: the running window shows the other file.
        let other = envelope.clone();
        let data = dir.path().to_path_buf();
        tokio::task::spawn_blocking(move || second_launch(&data, &other))
            .await
            .unwrap();
        let expected = subject_of(&envelope);
        wait_until(MINUTE, "the second file in the running window", || async {
            text_of(&client, "[data-testid=reader-subject]").await == expected
        })
        .await;
        wait_for(&client, "[data-testid=opened-banner]", MINUTE).await;
        assert_eq!(archived(dir.path()), 0);
        shot(&client, "11-second-launch").await;

        // "Archivia": imported, and the archived message is shown with the same verdict.
        click(&client, "[data-testid=archive-opened]").await;
        banner_gone(&client).await;
        assert_eq!(archived(dir.path()), 1);
        wait_for(&client, "[data-testid=message-row]", MINUTE).await;
        assert_eq!(
            text_of(&client, "[data-testid=reader-subject]").await,
            expected
        );
        let after = evidence_verdict(&client).await;
        shot(&client, "12-opened-archived").await;
        violations.extend(audit(&client, "12-opened-archived").await);
        (shown, after)
    };
    let result = tokio::time::timeout(Duration::from_secs(300), outcome).await;
    let _ = client.close().await;
    drop(driver);
    let (shown, after) = result.expect("the test took more than 5 minutes");
    println!("verdict opened: {shown}; archived: {after}");
    assert_accessible(&violations);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_already_archived_opens_the_archived_message_with_the_same_verdict() {
    let Some(corpus) = window_and_corpus() else {
        return;
    };
    let receipt = corpus.join(RECEIPT);
    let dir = data_dir();
    let driver = Driver::start(dir.path());
    let client = driver.session_with(&[receipt.to_str().unwrap()]).await;
    let outcome = async {
        wait_for(&client, "[data-testid=opened-banner]", MINUTE).await;
        let opened = evidence_verdict(&client).await;
        click(&client, "[data-testid=archive-opened]").await;
        // A receipt is listed under Receipts, not the Inbox.
        banner_gone(&client).await;
        assert_eq!(archived(dir.path()), 1);
        click(&client, "[data-testid=folder-receipts]").await;
        wait_for(&client, "[data-testid=message-row]", MINUTE).await;
        click(&client, "[data-testid=folder-sent]").await;
        // The same file opened again from the desktop: the archive's message, no banner.
        let again = receipt.clone();
        let data = dir.path().to_path_buf();
        tokio::task::spawn_blocking(move || second_launch(&data, &again))
            .await
            .unwrap();
        wait_until(MINUTE, "the notice that it is already archived", || async {
            text_of(&client, ".toasts")
                .await
                .contains("è già nell’archivio")
        })
        .await;
        wait_until(MINUTE, "the archived message in the reader", || async {
            text_of(&client, "[data-testid=reader-subject]").await == subject_of(&receipt)
        })
        .await;
        assert!(
            text_of(&client, "[data-testid=opened-banner]")
                .await
                .is_empty()
        );
        let archived_verdict = evidence_verdict(&client).await;
        assert_eq!(archived_verdict, opened);
        assert_eq!(archived(dir.path()), 1);
    };
    let result = tokio::time::timeout(Duration::from_secs(180), outcome).await;
    let _ = client.close().await;
    drop(driver);
    result.expect("the test took more than 3 minutes");
}

/// The firm's mailbox the e2e archive already holds mail of.
const STUDIO: &str = "studio@pec.example.it";

/// Issue 18 §4 in the window: with mail of one mailbox already archived, "Importa…" and "Archivia"
/// ask which mailbox the files belong to, that mailbox chosen for the person and "Nessuna casella"
/// offered; the opened message is archived for the mailbox chosen (its arrival in the archive names
/// it), and closing the question archives nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_imported_and_archived_for_the_mailbox_the_person_chooses() {
    let Some(corpus) = window_and_corpus() else {
        return;
    };
    let dir = data_dir();
    let data = DataDir::resolve(Some(dir.path())).unwrap();
    data.create().unwrap();
    {
        // Mail of the firm's mailbox, imported for it as `attesta import --mailbox` does.
        let mut archive = pec_archive::Archive::open(&data.archive_file()).unwrap();
        let summary = pec_engine::import::import(
            &mut archive,
            &[corpus.join(RECEIPT)],
            Some(STUDIO),
            &pec_core::signature::TrustAnchors::builtin(),
            chrono::Utc::now(),
            &std::sync::atomic::AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(summary.new, 1);
    }
    let envelope = corpus.join(ENVELOPE);
    let driver = Driver::start(dir.path());
    let client = driver.session_with(&[envelope.to_str().unwrap()]).await;
    let mut violations = Vec::new();
    let outcome = async {
        // "Importa…": the mailbox is asked first; closing the question imports nothing.
        wait_for(&client, "[data-testid=opened-banner]", MINUTE).await;
        click(&client, "[data-testid=import-button]").await;
        wait_for(&client, "[data-testid=import-dialog][open]", MINUTE).await;
        assert_eq!(
            value_of(&client, "[data-testid=import-mailbox]").await,
            STUDIO
        );
        let offered = text_of(&client, "[data-testid=import-mailbox]").await;
        assert!(offered.contains("Nessuna casella"), "{offered}");
        assert!(
            text_of(&client, "[data-testid=import-folder]")
                .await
                .contains("Maildir")
        );
        shot(&client, "15-import-mailbox").await;
        violations.extend(audit(&client, "15-import-mailbox").await);
        close_question(&client).await;

        // "Archivia" on the message opened from disk: asked, closed, nothing archived.
        click(&client, "[data-testid=archive-opened]").await;
        wait_for(&client, "[data-testid=import-dialog][open]", MINUTE).await;
        close_question(&client).await;
        assert_eq!(
            archived(dir.path()),
            1,
            "a closed question archived the file"
        );

        // Asked again and answered: archived for the firm's mailbox.
        click(&client, "[data-testid=archive-opened]").await;
        wait_for(&client, "[data-testid=import-dialog][open]", MINUTE).await;
        assert_eq!(
            value_of(&client, "[data-testid=import-mailbox]").await,
            STUDIO
        );
        click(&client, "[data-testid=import-archive]").await;
        banner_gone(&client).await;
        assert_eq!(archived(dir.path()), 2);
    };
    let result = tokio::time::timeout(Duration::from_secs(180), outcome).await;
    let _ = client.close().await;
    drop(driver);
    result.expect("the test took more than 3 minutes");
    let archive = pec_archive::Archive::open_read_only(&data.archive_file()).unwrap();
    let newest = archive.last_message_id().unwrap();
    let arrivals = archive.origins(newest).unwrap();
    assert!(
        arrivals.iter().any(|o| matches!(
            o,
            pec_archive::Origin::File { mailbox: Some(m), .. } if m == STUDIO
        )),
        "the archived file's arrival does not name {STUDIO}: {arrivals:?}"
    );
    assert_accessible(&violations);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_document_opened_from_disk_shows_its_signature_panel() {
    let Some(corpus) = window_and_corpus() else {
        return;
    };
    let p7m = corpus.join("signed/p7m-invoice/oca_IT01234567890_FPR03.xml.p7m");
    let dir = data_dir();
    let driver = Driver::start(dir.path());
    let client = driver.session_with(&[p7m.to_str().unwrap()]).await;
    let outcome = async {
        wait_for(&client, "[data-testid=opened-document-banner]", MINUTE).await;
        wait_for(&client, "[data-testid=signature-panel]", MINUTE).await;
        wait_for(&client, "[data-testid=open-content]", MINUTE).await;
        let panel = text_of(&client, "[data-testid=signature-panel]").await;
        assert!(panel.contains("oca_IT01234567890_FPR03.xml.p7m"), "{panel}");
        // Not archived: nothing recorded about it, and the panel says so (issue 15 §6).
        let recorded = text_of(&client, "[data-testid=recorded-not-archived]").await;
        assert!(
            recorded.contains("Questo file non è nell’archivio"),
            "{recorded}"
        );
        shot(&client, "13-opened-document").await;
        let found = audit(&client, "13-opened-document").await;
        assert_eq!(archived(dir.path()), 0);
        found
    };
    let result = tokio::time::timeout(Duration::from_secs(180), outcome).await;
    let _ = client.close().await;
    drop(driver);
    let violations = result.expect("the test took more than 3 minutes");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mailto_link_opens_compose_prefilled_and_sends_nothing() {
    if let Some(why) = window_unavailable() {
        println!("SKIPPED: {why}");
        return;
    }
    let dir = data_dir();
    let driver = Driver::start(dir.path());
    let link = "mailto:anna.bianchi@pec.example?cc=studio@pec.example&bcc=riservato@pec.example&subject=Diffida%20n.%207%0D%0ABcc:%20x@y.z&body=Gentile%20avvocato%2C%0D%0Asaluti";
    let client = driver.session_with(&[link]).await;
    let outcome = async {
        wait_for(&client, "dialog[data-testid=compose][open]", MINUTE).await;
        assert_eq!(
            value_of(&client, "[data-testid=compose-to]").await,
            "anna.bianchi@pec.example"
        );
        assert_eq!(
            value_of(&client, "[data-testid=compose-subject]").await,
            "Diffida n. 7  Bcc: x@y.z"
        );
        assert_eq!(
            value_of(&client, "[data-testid=compose-body]").await,
            "Gentile avvocato,\nsaluti"
        );
        let cc = value_of(&client, "[data-testid=compose-cc]").await;
        assert_eq!(cc, "studio@pec.example");
        // The link's Bcc is not in the message (PEC has none), and the person is told so, in compose.
        let notice = text_of(
            &client,
            "dialog[data-testid=compose] [data-testid=compose-notice]",
        )
        .await;
        assert!(
            notice.contains("copia nascosta") && notice.contains("riservato@pec.example"),
            "{notice}"
        );
        shot(&client, "14-mailto-compose").await;
        let found = audit(&client, "14-mailto-compose").await;
        // Still open, nothing in the outbox or the archive: a link never sends.
        tokio::time::sleep(Duration::from_secs(1)).await;
        wait_for(&client, "dialog[data-testid=compose][open]", MINUTE).await;
        assert_eq!(archived(dir.path()), 0);
        found
    };
    let result = tokio::time::timeout(Duration::from_secs(180), outcome).await;
    let _ = client.close().await;
    drop(driver);
    let violations = result.expect("the test took more than 3 minutes");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
