//! The forger's moves against REM evidence, each written before the check that stops it.

use pec_core::FindingCode;
use pec_core::signature::{FindingCode as SigCode, SignatureStatus};
use pec_rem::check_evidence;

use crate::kit;

fn evidence(name: &str) -> String {
    std::fs::read_to_string(kit::kit().join("standalone-evidence").join(name)).unwrap()
}

fn verdict(xml: &str) -> pec_rem::XadesReport {
    check_evidence(xml.as_bytes(), &kit::ca_anchors(), kit::now())
        .signature
        .unwrap()
}

#[test]
fn an_altered_reason_code_makes_the_evidence_invalid() {
    let xml = evidence("ContentConsignmentFailure1.RD03.xml");
    assert_eq!(verdict(&xml).status, SignatureStatus::Valid);
    let forged = xml.replacen("<Details>RD03</Details>", "<Details>RD01</Details>", 1);
    assert_ne!(forged, xml);
    let report = verdict(&forged);
    assert_eq!(report.status, SignatureStatus::Invalid);
    assert!(
        report
            .signature
            .findings
            .iter()
            .any(|f| f.code == SigCode::ContentDigestMismatch)
    );
}

#[test]
fn an_altered_signing_time_makes_the_evidence_invalid() {
    let xml = evidence("ContentConsignmentFailure1.RD03.xml");
    let forged = xml.replacen(
        "<xades:SigningTime>2022-08-03T14:22:14Z",
        "<xades:SigningTime>2022-08-01T09:00:00Z",
        1,
    );
    assert_ne!(forged, xml);
    assert_eq!(verdict(&forged).status, SignatureStatus::Invalid);
}

#[test]
fn an_altered_signature_value_makes_the_evidence_invalid() {
    let xml = evidence("RelayFailure.RB02.xml");
    let start = xml.find("<ds:SignatureValue").unwrap();
    let at = start + xml[start..].find('>').unwrap() + 10;
    let mut bytes = xml.into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    let report = verdict(std::str::from_utf8(&bytes).unwrap());
    assert_eq!(report.status, SignatureStatus::Invalid);
}

/// Signature wrapping: a second, forged evidence body beside the signed one. One signature, but the
/// reader could read the wrong facts: refused before any value is checked.
#[test]
fn a_second_signature_or_a_moved_signature_is_refused() {
    let xml = evidence("RelayFailure.RB02.xml");
    let sig_start = xml.find("<ds:Signature ").unwrap();
    let sig_end = xml.rfind("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let signature = &xml[sig_start..sig_end];
    let twice = format!(
        "{}{}{}",
        &xml[..sig_end],
        signature.replace("Id=\"", "Id=\"x"),
        &xml[sig_end..]
    );
    assert_ne!(verdict(&twice).status, SignatureStatus::Valid);
    // The signature moved inside an extension, away from the evidence root.
    let moved = format!(
        "{}<tns:Extensions><tns:Extension isCritical=\"false\">{}</tns:Extension></tns:Extensions>{}",
        &xml[..sig_start],
        signature,
        &xml[sig_end..]
    );
    assert_ne!(verdict(&moved).status, SignatureStatus::Valid);
}

#[test]
fn a_dtd_is_refused_without_expanding_anything() {
    let xml = evidence("RelayFailure.RB02.xml");
    let body = xml.split_once("?>").unwrap().1;
    let hostile = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>{body}"
    );
    let checked = check_evidence(hostile.as_bytes(), &kit::ca_anchors(), kit::now());
    assert!(checked.signature.is_none());
    assert!(matches!(
        checked.facts,
        Err(pec_rem::EvidenceProblem::Xml(
            pec_rem::XmlError::DtdForbidden
        ))
    ));
}

/// A repeated event element: a reader taking the first and a viewer showing the second would disagree.
#[test]
fn a_repeated_event_is_refused() {
    let xml = evidence("RelayFailure.RB02.xml");
    let start = xml.find("<tns:ERDSEventId>").unwrap();
    let end = xml.find("</tns:ERDSEventId>").unwrap() + "</tns:ERDSEventId>".len();
    let repeated = format!("{}{}{}", &xml[..end], &xml[start..end], &xml[end..]);
    let checked = check_evidence(repeated.as_bytes(), &kit::ca_anchors(), kit::now());
    assert!(matches!(
        checked.facts,
        Err(pec_rem::EvidenceProblem::Evidence(
            pec_rem::EvidenceError::Repeated { .. }
        ))
    ));
}

/// Relabelled or retargeted `REM-*` headers: the signed answer stands, and each relabelling is named.
#[test]
fn relabelled_rem_headers_give_the_signed_answer_and_a_finding() {
    let path = kit::kit().join("Intra-REM-flow/REM_ContentConsignmentFailure1.RD03.eml");
    let raw = std::fs::read_to_string(path).unwrap();
    let genuine = pec_rem::read(raw.as_bytes()).unwrap();
    assert!(genuine.findings.is_empty());
    let forged = raw
        .replacen(
            "REM-EventIdentifier: http://uri.etsi.org/19522/Event/ContentConsignmentFailure",
            "REM-EventIdentifier: http://uri.etsi.org/19522/Event/ContentConsignment",
            1,
        )
        .replacen(
            "REM-UAMessageIdentifier: <",
            "REM-UAMessageIdentifier: <forged",
            1,
        );
    assert_ne!(forged, raw);
    let read = pec_rem::read(forged.as_bytes()).unwrap();
    assert_eq!(read.summary(), genuine.summary());
    assert_eq!(read.summary().kind, "content-consignment-failure");
    let mismatches: Vec<_> = read
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::RemHeaderMismatch)
        .collect();
    assert_eq!(mismatches.len(), 2, "{mismatches:?}");
    assert!(mismatches[0].message.contains("REM-EventIdentifier"));
    assert!(mismatches[1].message.contains("REM-UAMessageIdentifier"));
}

/// A dispatch whose original was swapped: the S/MIME signature fails, and the evidence's digest says
/// which part was replaced.
#[test]
fn a_swapped_original_is_named() {
    let path = kit::kit().join("Intra-REM-flow/REM_Dispatch.RA01.eml");
    let raw = std::fs::read(path).unwrap();
    let message = pec_rem::read(&raw).unwrap();
    let span = message.original.unwrap();
    let mut forged = raw.clone();
    let body = &mut forged[span.start..span.end];
    let at = body.len() - 20;
    body[at] = if body[at] == b'x' { b'y' } else { b'x' };
    let read = pec_rem::read(&forged).unwrap();
    assert_eq!(read.digest_matches, Some(false));
    assert!(
        read.findings
            .iter()
            .any(|f| f.code == FindingCode::RemOriginalDigestMismatch)
    );
}
