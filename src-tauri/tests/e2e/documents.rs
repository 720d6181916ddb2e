//! A signed e-invoice received by PEC, in the real window (issue 15 §5). The EU and Italian Trusted
//! Lists are imported; a real signed FatturaPA (`IT01234567890_FPR03.xml.p7m`, InfoCert qualified
//! certificate) is mailed to the demo mailbox through the running lab provider, which delivers it
//! in a signed PEC envelope; after a sync the reader shows the attachment's badge (valid,
//! qualified), the signature panel (signer, times, chain, and the verdict Attesta recorded when it
//! archived the message, confirmed by the check made now) and the invoice as a page. Then the real
//! SdI PEC messages of the shared set (a delivery receipt enclosing invoice IT03339130126_00009 and
//! SdI's RC about it), imported, make that invoice's page say "delivered". Screenshots and axe-core
//! audits as in the demo test.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use chrono::Utc;
use fantoccini::Locator;
use fantoccini::key::Key;
use pec_core::signature::TrustAnchors;
use pec_engine::DataDir;

use super::harness::{
    Driver, StopDemoLab, assert_accessible, audit, click, data_dir, shot, text_of, unavailable,
    wait_for, wait_until,
};

const MINUTE: Duration = Duration::from_secs(60);

fn signed_set() -> Option<PathBuf> {
    let dir = pec_testkit::corpus::dir()?.join("signed");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

const INVOICE: &str = "p7m-invoice/oca_IT01234567890_FPR03.xml.p7m";

/// Ordinary mail from a supplier carrying the signed invoice, as its system sends it.
fn invoice_mail(signed: &std::path::Path) -> Vec<u8> {
    use base64::Engine as _;
    let p7m = std::fs::read(signed.join(INVOICE)).unwrap();
    let encoded = base64::engine::general_purpose::STANDARD.encode(p7m);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "From: Fornitore <fatture@fornitore.example>\r\nTo: mario.rossi@alfa.pec.lab\r\n\
         Subject: Fattura IT01234567890_FPR03\r\nMessage-ID: <fpr03-{}@fornitore.example>\r\n\
         Date: Mon, 7 Dec 2026 09:00:00 +0100\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIn allegato la fattura firmata.\r\n\
         --b1\r\nContent-Type: application/pkcs7-mime; name=\"IT01234567890_FPR03.xml.p7m\"\r\n\
         Content-Disposition: attachment; filename=\"IT01234567890_FPR03.xml.p7m\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--b1--\r\n",
        std::process::id(),
        lines.join("\r\n")
    )
    .into_bytes()
}

/// The supplier's name and the document number as pec-invoice reads the signed invoice.
fn expected_invoice(signed: &std::path::Path) -> (String, String) {
    let bytes = std::fs::read(signed.join(INVOICE)).unwrap();
    let anchors = TrustAnchors::empty();
    let checking = pec_document::Checking {
        anchors: &anchors,
        now: Utc::now(),
        services: None,
        companion: None,
    };
    let report = pec_document::open("FPR03", &bytes, &checking);
    let invoice = pec_invoice::read_invoice(report.content.as_deref().unwrap()).unwrap();
    (
        invoice.supplier.display_name.clone().unwrap(),
        invoice.bodies[0].number.clone().unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_invoice_received_by_pec_in_the_lab_shows_its_qualified_badge_signatures_and_page()
{
    if let Some(why) = unavailable() {
        println!("SKIPPED: {why}");
        return;
    }
    let Some(signed) = signed_set() else {
        println!("SKIPPED: no shared signed-document set");
        return;
    };
    let (supplier, number) = expected_invoice(&signed);
    let dir = data_dir();
    let _lab = StopDemoLab(dir.path());
    let data = DataDir::resolve(Some(dir.path())).unwrap();
    data.create().unwrap();
    let tl = signed.join("trusted-list");
    pec_engine::trusted_lists::import(
        &data,
        &[
            tl.join("EU-LOTL_seq332_2023-09-27.xml"),
            tl.join("TSL-IT_seq194_2023-09-26.xml"),
            tl.join("TSL-IT_seq141_2019-09-04.xml"),
        ],
    )
    .unwrap();
    {
        let mut archive = pec_archive::Archive::open(&data.archive_file()).unwrap();
        let summary = pec_engine::import::import(
            &mut archive,
            &[
                signed.join("pec-eml/oca_pec_CONSEGNA_IT03339130126_00009.eml"),
                signed.join("pec-eml/oca_pec_SdI_RC_6782414.eml"),
            ],
            None,
            &TrustAnchors::builtin(),
            Utc::now(),
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(summary.new, 2);
    }

    let driver = Driver::start(dir.path());
    let client = driver.session().await;
    let mut violations = Vec::new();
    let outcome = async {
        // A mailbox first (the demo's), then the invoice's message, found by search.
        wait_for(&client, "[data-testid=start-demo]", MINUTE)
            .await
            .click()
            .await
            .unwrap();
        wait_for(&client, "[data-testid=compose-button]", 2 * MINUTE).await;
        // The supplier's mail reaches the demo mailbox through the lab provider (a signed envelope).
        let lab = dir.path().join("demo-lab");
        let mail = invoice_mail(&signed);
        tokio::task::spawn_blocking(move || {
            pec_lab::lab::inject(&lab, "mario.rossi@alfa.pec.lab", &mail).unwrap()
        })
        .await
        .unwrap();
        // Sync (the button is disabled while a sync runs), then search; the query alternates its
        // case because the results only reload when the text changes.
        let rounds = std::sync::atomic::AtomicU32::new(0);
        wait_until(
            3 * MINUTE,
            "the invoice's message, synced from the lab",
            || async {
                let round = rounds.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if let Ok(sync) = client.find(Locator::Css("[data-testid=sync-button]")).await {
                    let _ = sync.click().await;
                }
                let Ok(search) = client
                    .find(Locator::Css("[data-testid=search-input]"))
                    .await
                else {
                    return false;
                };
                let query = if round.is_multiple_of(2) {
                    "FPR03"
                } else {
                    "fpr03"
                };
                let _ = search.clear().await;
                let _ = search
                    .send_keys(&format!("{query}{}", char::from(Key::Enter)))
                    .await;
                tokio::time::sleep(Duration::from_secs(2)).await;
                client
                    .find(Locator::Css("[data-testid=search-hit]"))
                    .await
                    .is_ok()
            },
        )
        .await;
        shot(&client, "19-invoice-synced").await;
        click(&client, "[data-testid=search-hit]").await;
        let badge = wait_for(&client, "[data-testid=signature-badge]", MINUTE).await;
        let said = badge.text().await.unwrap();
        assert!(said.contains("Firma valida"), "{said}");
        assert!(said.contains("Firma qualificata"), "{said}");
        assert!(said.contains("CORATO SERGIO"), "{said}");
        shot(&client, "20-signed-invoice").await;
        violations.extend(audit(&client, "20-signed-invoice").await);

        badge.click().await.unwrap();
        wait_for(&client, "[data-testid=signature-panel]", MINUTE).await;
        let panel = text_of(&client, "[data-testid=signature-panel]").await;
        assert!(panel.contains("CORATO SERGIO"), "{panel}");
        assert!(panel.contains("InfoCert Firma Qualificata 2"), "{panel}");
        assert!(panel.contains("ora dichiarata dal firmatario"), "{panel}");
        assert!(
            panel.contains("revoca"),
            "revocation not checked is said: {panel}"
        );
        assert!(
            client
                .find(Locator::Css("[data-testid=open-content]"))
                .await
                .is_ok(),
            "the signed document can be opened"
        );
        shot(&client, "21-signature-panel").await;
        violations.extend(audit(&client, "21-signature-panel").await);

        // What Attesta recorded when the sync archived it (issue 15 §6): one verdict, reached with
        // the lists imported above, which the check made now confirms.
        let recorded = wait_for(&client, "[data-testid=recorded-verdict]", MINUTE).await;
        let line = recorded.text().await.unwrap();
        assert!(line.starts_with("Registrato il "), "{line}");
        assert!(line.contains("valida, qualificata"), "{line}");
        assert!(line.contains("elenchi di fiducia EU 332"), "{line}");
        let lines = client
            .find_all(Locator::Css("[data-testid=recorded-verdict]"))
            .await
            .unwrap();
        assert_eq!(lines.len(), 1, "one verdict recorded at archiving");
        let agreement = text_of(&client, "[data-testid=recorded-agreement]").await;
        assert!(
            agreement.contains("conferma l’ultimo esito registrato"),
            "{agreement}"
        );
        client
            .execute(
                "document.querySelector('[data-testid=recorded]').scrollIntoView({block: 'center'})",
                vec![],
            )
            .await
            .unwrap();
        shot(&client, "21-recorded-verdicts").await;
        violations.extend(audit(&client, "21-recorded-verdicts").await);

        click(&client, "[data-testid=show-invoice]").await;
        wait_for(&client, "[data-testid=invoice-page]", MINUTE).await;
        let page = text_of(&client, "[data-testid=invoice-page]").await;
        assert!(page.contains(&supplier), "{supplier} in {page}");
        assert!(page.contains(&number), "{number} in {page}");
        assert!(page.contains("Firma qualificata"), "{page}");
        client
            .execute(
                "document.querySelector('[data-testid=invoice-page]').scrollIntoView({block: 'start'})",
                vec![],
            )
            .await
            .unwrap();
        shot(&client, "22-invoice-page").await;
        violations.extend(audit(&client, "22-invoice-page").await);

        // Another invoice, enclosed in the delivery receipt of its sending (the hit whose kind reads
        // "Avvenuta consegna"): SdI's RC in the archive marks it delivered.
        let search = client
            .find(Locator::Css("[data-testid=search-input]"))
            .await
            .unwrap();
        search.clear().await.unwrap();
        search
            .send_keys(&format!("IT03339130126{}", char::from(Key::Enter)))
            .await
            .unwrap();
        wait_for(&client, "[data-testid=search-hit]", MINUTE).await;
        client
            .execute(
                "for (const hit of document.querySelectorAll('[data-testid=search-hit]')) \
                 { if (hit.textContent.includes('Avvenuta consegna')) { hit.click(); return; } }",
                vec![],
            )
            .await
            .unwrap();
        wait_for(&client, "[data-testid=show-invoice]", MINUTE).await;
        click(&client, "[data-testid=show-invoice]").await;
        let sdi = wait_for(&client, "[data-testid=invoice-sdi]", MINUTE).await;
        assert_eq!(
            sdi.attr("data-status").await.unwrap().as_deref(),
            Some("delivered")
        );
        let said = sdi.text().await.unwrap();
        assert!(said.contains("Consegnata"), "{said}");
        shot(&client, "23-invoice-delivered").await;
        violations.extend(audit(&client, "23-invoice-delivered").await);
    };
    let result = tokio::time::timeout(Duration::from_secs(300), outcome).await;
    let _ = client.close().await;
    drop(driver);
    result.expect("the signed-invoice test took more than 5 minutes");
    assert_accessible(&violations);
}
