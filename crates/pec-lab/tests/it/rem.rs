//! The lab's REM services (`Lab::start_with(.., LabOptions { rem: true })`) answer a submission as
//! REM-Policy-IT providers do, and everything they write verifies through Attesta's own REM verifier —
//! both signatures (S/MIME and the evidence's XAdES-B-T with the lab TSA's timestamp) `valid` with the
//! lab CA trusted, `untrusted` with the built-in anchors alone — and through `xmlsec1 --verify`.

use std::process::Command;

use pec_core::signature::{SignatureStatus, TimeWitnesses, TrustAnchors};
use pec_lab::LabInfo;
use pec_rem::RemEvent;

use super::support::{fetch, message, rem_lab, submit};

const MARIO: &str = "mario.rossi@alfa.pec.lab";
const ANNA: &str = "anna.bianchi@beta.pec.lab";
const EXTERNAL: &str = "cliente@esterno.lab";

/// Attesta's reading of a lab REM message, after checking it is `valid` (both signatures, the
/// timestamp usable) with the lab CA and `untrusted` without.
fn verified(info: &LabInfo, raw: &[u8]) -> pec_rem::RemVerdict {
    let witnesses = TimeWitnesses::at(info.clock_now());
    let mut anchors = TrustAnchors::builtin();
    anchors
        .add_pem(&std::fs::read(&info.pec_ca_pem).unwrap())
        .unwrap();
    let verdict = pec_rem::verify_message(raw, &anchors, &witnesses).expect("a REM message");
    let report = verdict.report();
    assert_eq!(report.status, SignatureStatus::Valid, "{report:#?}");
    let evidence = verdict
        .evidence_signature
        .as_ref()
        .expect("evidence signed");
    assert_eq!(evidence.status, SignatureStatus::Valid, "{evidence:#?}");
    let stamp = evidence.timestamp.as_ref().expect("a signature timestamp");
    assert!(stamp.is_usable(), "{stamp:#?}");
    assert_eq!(verdict.message.findings, [], "no finding at all");

    let builtin = pec_rem::verify_message(raw, &TrustAnchors::builtin(), &witnesses).unwrap();
    assert_eq!(builtin.report().status, SignatureStatus::Untrusted);
    let evidence = builtin.evidence_signature.as_ref().unwrap();
    assert_eq!(evidence.status, SignatureStatus::Untrusted);
    assert!(!evidence.timestamp.as_ref().unwrap().is_usable());
    verdict
}

/// `xmlsec1 --verify` of an evidence, trusting the lab PEC CA only.
fn xmlsec1_accepts(info: &LabInfo, xml: &[u8], trusted: bool) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("evidence.xml");
    std::fs::write(&file, xml).unwrap();
    let mut command = Command::new("xmlsec1");
    command.arg("--verify");
    if trusted {
        command.arg("--trusted-pem").arg(&info.pec_ca_pem);
    }
    let out = command
        .args(["--id-attr:Id", "SignedProperties"])
        .arg(&file)
        .output()
        .expect("xmlsec1 is installed (scripts/test installs it)");
    out.status.success()
}

fn event(verdict: &pec_rem::RemVerdict) -> (Option<RemEvent>, Option<String>, Option<String>) {
    let e = verdict.message.evidence.as_ref().unwrap();
    (
        e.event,
        e.reason_code(),
        e.recipient().and_then(|p| p.address.clone()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rem_send_is_accepted_consigned_failed_and_relayed_with_signed_evidence() {
    let Some(lab) = rem_lab("rem send") else {
        return;
    };
    let info = &lab.info;
    let unknown = info.unknown_example.clone();
    let raw = message(
        MARIO,
        &[ANNA, &unknown, EXTERNAL],
        &[],
        "Diffida REM",
        "REM-RelayToNonERDS: evidence-required\r\n",
        "Testo della diffida.",
    );
    submit(info, MARIO, MARIO, &[ANNA, &unknown, EXTERNAL], &raw)
        .await
        .unwrap();

    // The sender: acceptance, one consignment, one failure (RD21), one relay evidence.
    let inbox = fetch(info, MARIO, "INBOX").await.unwrap();
    let mut got: Vec<_> = inbox.iter().map(|m| event(&verified(info, m))).collect();
    got.sort_by_key(|(e, ..)| e.map(|e| e.as_str()));
    let s = |a: &str| Some(a.to_owned());
    assert_eq!(
        got,
        [
            (Some(RemEvent::ContentConsignment), s("RD01"), s(ANNA)),
            (
                Some(RemEvent::ContentConsignmentFailure),
                s("RD21"),
                s(&unknown)
            ),
            (Some(RemEvent::RelayToNonErds), s("RF01"), s(EXTERNAL)),
            (Some(RemEvent::SubmissionAcceptance), s("RA01"), None),
        ]
    );
    for m in &inbox {
        let v = verified(info, m);
        let e = v.message.evidence.as_ref().unwrap();
        assert_eq!(
            e.app_layer_identifier.as_deref(),
            Some("<Diffida.REM@client.test>")
        );
        assert_eq!(e.sender.as_ref().unwrap().address.as_deref(), Some(MARIO));
        assert_eq!(e.recipients.len(), 3);
        let xml = v.message.evidence_xml.as_ref().unwrap();
        assert!(xmlsec1_accepts(info, xml, true), "xmlsec1 refuses it");
        assert!(
            !xmlsec1_accepts(info, xml, false),
            "xmlsec1 accepts it without the lab CA"
        );
    }

    // The deliverable recipient: the dispatch, carrying the exact submitted bytes.
    let anna = fetch(info, ANNA, "INBOX").await.unwrap();
    assert_eq!(anna.len(), 1);
    let dispatch = verified(info, &anna[0]);
    assert!(dispatch.message.is_dispatch());
    assert_eq!(dispatch.message.digest_matches, Some(true));
    let original = dispatch.message.original.unwrap().slice(&anna[0]).unwrap();
    // NOTE: as DATA received it: the client's bytes, and the line break before the terminating dot.
    assert_eq!(original, [raw.as_slice(), b"\r\n"].concat());
    assert_eq!(
        event(&dispatch).0,
        Some(RemEvent::SubmissionAcceptance),
        "the dispatch carries the acceptance's evidence"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_altered_lab_evidence_is_refused_by_attesta_and_xmlsec1() {
    let Some(lab) = rem_lab("rem forgery") else {
        return;
    };
    let info = &lab.info;
    let raw = message(MARIO, &[ANNA], &[], "Prova REM", "", "Testo.");
    submit(info, MARIO, MARIO, &[ANNA], &raw).await.unwrap();
    let inbox = fetch(info, MARIO, "INBOX").await.unwrap();
    let consignment = inbox
        .iter()
        .map(|m| verified(info, m))
        .find(|v| event(v).0 == Some(RemEvent::ContentConsignment))
        .expect("a consignment");
    let xml = consignment.message.evidence_xml.unwrap();
    // A forger turns the consignment into a failure for the same recipient.
    let text = String::from_utf8(xml).unwrap();
    let forged = text
        .replace(
            "Event/ContentConsignment<",
            "Event/ContentConsignmentFailure<",
        )
        .replace(">RD01<", ">RD21<");
    assert_ne!(forged, text);
    assert!(!xmlsec1_accepts(info, forged.as_bytes(), true));
    let mut anchors = TrustAnchors::builtin();
    anchors
        .add_pem(&std::fs::read(&info.pec_ca_pem).unwrap())
        .unwrap();
    let checked = pec_rem::check_evidence(forged.as_bytes(), &anchors, info.clock_now());
    assert_eq!(
        checked.signature.unwrap().status,
        SignatureStatus::Invalid,
        "the forged evidence is invalid"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_recipient_gets_the_senders_rd03_failure_after_a_day_and_no_12h_warning() {
    let Some(lab) = rem_lab("rem silent") else {
        return;
    };
    let info = &lab.info;
    let silent = info.silent_accounts[0].clone();
    let raw = message(MARIO, &[&silent], &[], "Sollecito REM", "", "Testo.");
    submit(info, MARIO, MARIO, &[&silent], &raw).await.unwrap();
    lab.advance(chrono::Duration::hours(13)).unwrap();
    assert_eq!(
        fetch(info, MARIO, "INBOX").await.unwrap().len(),
        1,
        "the acceptance only: REM has no 12 h warning"
    );
    lab.advance(chrono::Duration::hours(12)).unwrap();
    let inbox = fetch(info, MARIO, "INBOX").await.unwrap();
    let mut got: Vec<_> = inbox.iter().map(|m| event(&verified(info, m))).collect();
    got.sort_by_key(|(e, ..)| e.map(|e| e.as_str()));
    assert_eq!(
        got,
        [
            (
                Some(RemEvent::ContentConsignmentFailure),
                Some("RD03".to_owned()),
                Some(silent.clone())
            ),
            (
                Some(RemEvent::SubmissionAcceptance),
                Some("RA01".to_owned()),
                Some(silent.clone()),
            ),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relabelled_rem_header_is_a_finding_and_the_signed_evidence_still_decides() {
    let Some(lab) = rem_lab("rem headers") else {
        return;
    };
    let info = &lab.info;
    let unknown = info.unknown_example.clone();
    let raw = message(MARIO, &[&unknown], &[], "Prova intestazioni", "", "Testo.");
    submit(info, MARIO, MARIO, &[&unknown], &raw).await.unwrap();
    let inbox = fetch(info, MARIO, "INBOX").await.unwrap();
    let failure = inbox
        .iter()
        .find(|m| event(&verified(info, m)).0 == Some(RemEvent::ContentConsignmentFailure))
        .expect("a failure");
    // A forger relabels the unsigned outer header as a consignment.
    let text = String::from_utf8(failure.clone()).unwrap();
    let forged = text.replacen(
        "REM-EventIdentifier: http://uri.etsi.org/19522/Event/ContentConsignmentFailure",
        "REM-EventIdentifier: http://uri.etsi.org/19522/Event/ContentConsignment",
        1,
    );
    assert_ne!(forged, text);
    let mut anchors = TrustAnchors::builtin();
    anchors
        .add_pem(&std::fs::read(&info.pec_ca_pem).unwrap())
        .unwrap();
    let v = pec_rem::verify_message(
        forged.as_bytes(),
        &anchors,
        &TimeWitnesses::at(info.clock_now()),
    )
    .unwrap();
    assert_eq!(event(&v).0, Some(RemEvent::ContentConsignmentFailure));
    assert!(
        v.message
            .findings
            .iter()
            .any(|f| f.code == pec_core::FindingCode::RemHeaderMismatch),
        "{:#?}",
        v.message.findings
    );
}
