//! The mail `scripts/make-release-fixture` has an earlier Attesta archive (issue 17, "an archive made
//! by the previous release"): three sends of a studio, each as its provider would answer it, and one
//! PEC message received, all really signed by a fresh test CA.
//!
//! `cargo run -p pec-testkit --example release_fixture_mail -- OUT` writes `OUT/mail/*.eml` and the
//! test CA's certificate in `OUT/ca/` (for `attesta trust add`). Needs the `openssl` binary.

use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone, Utc};
use pec_testkit::pki::{PkiSpec, TestPki};
use pec_testkit::{Attachment, Pec, PecKindSpec, Send};

const STUDIO: &str = "studio@pec.provider.example";

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: release_fixture_mail OUT"),
    );
    let mail = out.join("mail");
    std::fs::create_dir_all(&mail).expect("OUT/mail can be made");
    let pki = TestPki::new(&PkiSpec::provider("posta-certificata@pec.provider.example"));
    pki.ca_dir(&out);

    // Delivered to both recipients, with an attachment.
    let mut citazione = Send::new(
        STUDIO,
        &[
            "cliente@pec.altro.example",
            "tribunale@pec.giustizia.example",
        ],
        "Atto di citazione",
        Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap(),
    );
    citazione.msgid = "atto-di-citazione@studio.example".into();
    citazione.attachments.push(Attachment {
        name: "atto.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: b"%PDF-1.4\n% un atto di prova\n%%EOF\n".to_vec(),
    });
    let delivered = |to: &str| PecKindSpec::Delivery {
        recipient: to.into(),
    };
    write_flow(
        &mail,
        "1-citazione",
        &citazione,
        &[
            (PecKindSpec::Acceptance, 1),
            (delivered("cliente@pec.altro.example"), 4),
            (delivered("tribunale@pec.giustizia.example"), 7),
        ],
        &pki,
    );

    // Not delivered.
    let mut diffida = Send::new(
        STUDIO,
        &["debitore@pec.altro.example"],
        "Diffida ad adempiere",
        Utc.with_ymd_and_hms(2026, 5, 5, 9, 30, 0).unwrap(),
    );
    diffida.msgid = "diffida@studio.example".into();
    write_flow(
        &mail,
        "2-diffida",
        &diffida,
        &[
            (PecKindSpec::Acceptance, 1),
            (
                PecKindSpec::Failure {
                    recipient: "debitore@pec.altro.example".into(),
                    virus: false,
                    reason: "5.1.1 - Utente non riconosciuto".into(),
                },
                95,
            ),
        ],
        &pki,
    );

    // Accepted, then the provider's 24 h notice: no delivery receipt in time.
    let mut sollecito = Send::new(
        STUDIO,
        &["fornitore@pec.lento.example"],
        "Sollecito di pagamento",
        Utc.with_ymd_and_hms(2026, 5, 6, 8, 0, 0).unwrap(),
    );
    sollecito.msgid = "sollecito@studio.example".into();
    write_flow(
        &mail,
        "3-sollecito",
        &sollecito,
        &[
            (PecKindSpec::Acceptance, 1),
            (
                PecKindSpec::Timeout24h {
                    recipient: "fornitore@pec.lento.example".into(),
                },
                24 * 3600 + 60,
            ),
        ],
        &pki,
    );

    // Received: another studio's PEC message in the studio's inbox.
    let mut ricevuta = Send::new(
        "controparte@pec.altro.example",
        &[STUDIO],
        "Comparsa di risposta",
        Utc.with_ymd_and_hms(2026, 5, 7, 15, 45, 0).unwrap(),
    );
    ricevuta.msgid = "comparsa@controparte.example".into();
    write(
        &mail,
        "4-comparsa-busta.eml",
        &Pec::new(&ricevuta, PecKindSpec::Envelope).build(&pki),
    );
}

/// The sender's copy of `send` as `NAME-0-originale.eml`, then each answer in order, each certified
/// the given number of seconds after the send.
fn write_flow(dir: &Path, name: &str, send: &Send, answers: &[(PecKindSpec, i64)], pki: &TestPki) {
    write(dir, &format!("{name}-0-originale.eml"), &send.original());
    for (i, (kind, after)) in answers.iter().enumerate() {
        let mut answer = Pec::new(send, kind.clone());
        answer.at = send.sent_at + Duration::seconds(*after);
        write(
            dir,
            &format!("{name}-{}-ricevuta.eml", i + 1),
            &answer.build(pki),
        );
    }
}

fn write(dir: &Path, name: &str, raw: &[u8]) {
    std::fs::write(dir.join(name), raw).expect("the message can be written");
}
