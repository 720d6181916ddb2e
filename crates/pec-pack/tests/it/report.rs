//! `report.pdf` read back with poppler: its text holds every recipient, outcome and hash, in Italian or
//! English; long lines wrap, long sends run to several numbered pages; page 1 is rendered to
//! `target/test-output/` for a person to look at.

use pec_core::correlate::RecipientState;
use pec_pack::manifest::REPORT;
use pec_pack::words::kinds;
use pec_pack::{Language, Pack};

use super::*;

/// pdftotext's text with all white space removed, for finding text that wrapped.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_report_states_the_pack(pack: &Pack, language: Language) -> String {
    let text = pdf_text(&member(&pack.bytes, REPORT));
    let flat = squeezed(&text);
    let send = &pack.manifest.send;
    for r in &send.recipients {
        assert!(
            flat.contains(&squeezed(&r.address)),
            "recipient {} missing",
            r.address
        );
        assert!(
            flat.contains(&squeezed(kinds::state(language, r.state))),
            "outcome {:?} of {} missing",
            r.state,
            r.address
        );
        if let Some(reason) = &r.reason {
            assert!(flat.contains(&squeezed(reason)), "reason {reason} missing");
        }
    }
    for (m, _) in pack.manifest.messages() {
        assert!(
            text.contains(&m.sha256),
            "hash of {} missing or broken across lines",
            m.path
        );
        assert!(
            flat.contains(&squeezed(&m.path)),
            "file name {} missing",
            m.path
        );
    }
    if let Some(subject) = &send.subject {
        assert!(flat.contains(&squeezed(subject)), "subject missing");
    }
    assert!(flat.contains(&squeezed(&pack.manifest.producer)));
    text
}

#[test]
fn the_report_holds_every_recipient_outcome_and_hash_in_italian() {
    let Some(pki) = pki() else { return };
    if !poppler() {
        return;
    }
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    let to = [
        "mario.rossi@pec.avvocati.example",
        "ufficio.protocollo.generale.e.archivio.storico.del.comune@pec.comune.di.esempio.example",
        "anna.bianchi@pec.notai.example",
    ];
    store(
        &mut archive,
        &anchors,
        signed_send(
            pki,
            "Diffida ad adempiere n. 42/2026 — pratica Rossi c. Bianchi",
            &to,
        ),
    );
    let send = only_send(&archive);
    let pack = pack_of(&archive, &send, &anchors, Language::It);
    let text = assert_report_states_the_pack(&pack, Language::It);
    for words in [
        "Rapporto di prova dell'invio PEC",
        "Dichiarazione di conformità",
        "VALIDA",
        "Ricevuta di avvenuta consegna",
        "ora italiana",
        "Pagina 1 di",
    ] {
        assert!(
            squeezed(&text).contains(&squeezed(words)),
            "{words:?} missing"
        );
    }
    let png = render_page(&member(&pack.bytes, REPORT), 1, "report-page1");
    println!("page 1 of the report: {}", png.display());
    render_page(&member(&pack.bytes, REPORT), 2, "report-page2");
}

#[test]
fn the_report_is_in_english_on_request() {
    let Some(pki) = pki() else { return };
    if !poppler() {
        return;
    }
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    store(
        &mut archive,
        &anchors,
        signed_send(
            pki,
            "Notice of default",
            &["a@pec.example", "b@pec.example"],
        ),
    );
    let send = only_send(&archive);
    let pack = pack_of(&archive, &send, &anchors, Language::En);
    let text = assert_report_states_the_pack(&pack, Language::En);
    for words in [
        "Evidence report",
        "Statement of conformity",
        "VALID",
        "Italian time",
        "Page 1 of",
    ] {
        assert!(text.contains(words), "{words:?} missing");
    }
    render_page(&member(&pack.bytes, REPORT), 1, "report-en-page1");
}

#[test]
fn a_send_to_many_recipients_runs_to_numbered_pages() {
    let Some(pki) = pki() else { return };
    if !poppler() {
        return;
    }
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    let to: Vec<String> = (0..12)
        .map(|i| format!("destinatario.{i}@pec.studio{i}.example"))
        .collect();
    let to: Vec<&str> = to.iter().map(String::as_str).collect();
    store(
        &mut archive,
        &anchors,
        signed_send(pki, "Convocazione assemblea", &to),
    );
    let send = only_send(&archive);
    assert_eq!(send.recipients.len(), 12);
    let pack = pack_of(&archive, &send, &anchors, Language::It);
    let text = assert_report_states_the_pack(&pack, Language::It);
    let pages = page_count(&text);
    assert!(pages >= 4, "{pages} pages");
    assert!(
        text.contains(&format!("Pagina {pages} di {pages}")),
        "last page number"
    );
    let delivered = pack
        .manifest
        .send
        .recipients
        .iter()
        .filter(|r| r.state == RecipientState::Delivered)
        .count();
    assert_eq!(delivered, 4);
}
