//! A signed e-invoice received by PEC, in the real window (issue 15 §5): the SdI's real PEC message
//! carrying `IT01234567890_FPR04.xml.p7m` (base64 inside base64) is in the archive, the EU and
//! Italian Trusted Lists are imported; the reader shows the attachment's badge (valid, qualified),
//! the signature panel (signer, times, chain) and the invoice as a page. Screenshots and axe-core
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
    Driver, audit, click, data_dir, shot, stop_demo_lab, text_of, unavailable, wait_for,
};

const MINUTE: Duration = Duration::from_secs(60);

fn signed_set() -> Option<PathBuf> {
    let dir = pec_testkit::corpus::dir()?.join("signed");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// The supplier's name and the document number as pec-invoice reads the signed invoice.
fn expected_invoice(signed: &std::path::Path) -> (String, String) {
    let bytes =
        std::fs::read(signed.join("p7m-base64/oca_IT01234567890_FPR04.base64.xml.p7m")).unwrap();
    let anchors = TrustAnchors::empty();
    let checking = pec_document::Checking {
        anchors: &anchors,
        now: Utc::now(),
        services: None,
        companion: None,
    };
    let report = pec_document::open("FPR04", &bytes, &checking);
    let invoice = pec_invoice::read_invoice(report.content.as_deref().unwrap()).unwrap();
    (
        invoice.supplier.display_name.clone().unwrap(),
        invoice.bodies[0].number.clone().unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_invoice_received_by_pec_shows_its_qualified_badge_signatures_and_page() {
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
                signed.join("pec-eml/oca_pec_SdI_InvioFile_7339338_base64.eml"),
                signed.join("pec-eml/oca_pec_CONSEGNA_IT03339130126_00009.eml"),
                signed.join("pec-eml/oca_pec_SdI_RC_6782414.eml"),
            ],
            &TrustAnchors::builtin(),
            Utc::now(),
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(summary.new, 3);
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
        wait_for(&client, "[data-testid=search-input]", MINUTE)
            .await
            .send_keys(&format!("7339338{}", char::from(Key::Enter)))
            .await
            .unwrap();
        wait_for(&client, "[data-testid=search-hit]", MINUTE).await;
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
    stop_demo_lab(dir.path());
    result.expect("the signed-invoice test took more than 5 minutes");
    assert!(
        violations.is_empty(),
        "axe-core found {} accessibility problems:\n{}",
        violations.len(),
        violations.join("\n")
    );
}
