//! Every message of the kit, as the manifest describes it: family, kind, reason, both signatures, the
//! original's digest, and no disagreement between the unsigned `REM-*` headers and the evidence.

use pec_core::signature::{SignatureStatus, TimeWitnesses};
use pec_core::{FindingCode, inspect, verify_signature};
use pec_rem::check_evidence;

use crate::kit;

/// The manifest spells `RelayToNonERDS` as `relay-to-non-e-r-d-s` (a mechanical split); Attesta spells
/// ERDS as one word, as the issue and ETSI's own kebab names do.
fn expected_kind(manifest: &str) -> String {
    manifest.replace("e-r-d-s", "erds")
}

#[test]
fn every_message_of_the_kit_reads_and_verifies_as_the_manifest_says() {
    let anchors = kit::ca_anchors();
    let rows = kit::manifest();
    assert!(rows.len() >= 117, "{} rows", rows.len());
    let mut rem = 0;
    let mut mismatched = 0;
    for row in rows {
        let raw = std::fs::read(&row.file).unwrap();
        let name = row.file.display().to_string();
        let read = pec_rem::read(&raw);
        if row.kind.starts_with("not-rem") {
            assert!(read.is_none(), "{name}: a user's plain message read as REM");
            continue;
        }
        rem += 1;
        let message = read.unwrap_or_else(|| panic!("{name}: not read as REM"));
        assert!(
            message.signed,
            "{name}: sections outside the signed content"
        );
        let summary = message.summary();
        assert_eq!(summary.kind, expected_kind(&row.kind), "{name}");
        assert_eq!(
            summary.reason.as_deref(),
            Some(row.reason.as_str()),
            "{name}"
        );
        let evidence = message.evidence.as_ref().unwrap();
        assert_eq!(
            evidence.event.map(|e| e.etsi_name()),
            Some(row.event.as_str()),
            "{name}"
        );
        // A naive oracle for the unsigned headers: a header agrees when its bare value occurs in the
        // signed evidence's text. (The kit's four Outflow relay-to-non-ERDS receipts carry the
        // Evidence-ID and DigestValue headers of another message: they must be reported.)
        let xml = String::from_utf8_lossy(message.evidence_xml.as_deref().unwrap()).into_owned();
        let disagreeing = [
            "REM-EventIdentifier",
            "REM-UAMessageIdentifier",
            "REM-Evidence-ID",
            "REM-DigestValue",
        ]
        .into_iter()
        .filter_map(|h| header(&raw, h))
        .filter(|value| !xml.contains(value.trim_start_matches('<').trim_end_matches('>')))
        .count();
        assert!(
            message
                .findings
                .iter()
                .all(|f| f.code == FindingCode::RemHeaderMismatch),
            "{name}: {:?}",
            message.findings
        );
        assert_eq!(
            message.findings.len(),
            disagreeing,
            "{name}: {:?}",
            message.findings
        );
        mismatched += usize::from(disagreeing > 0);
        if message.is_dispatch() {
            assert_eq!(message.digest_matches, Some(true), "{name}");
        }

        // The provider's S/MIME signature, as for PEC.
        let inspection = inspect(&raw);
        let smime = verify_signature(&raw, &inspection, &anchors, &TimeWitnesses::at(kit::now()));
        assert_eq!(
            smime.status,
            SignatureStatus::Valid,
            "{name}: {:?}",
            smime.findings
        );
        // The evidence's own XAdES signature.
        let checked = check_evidence(
            message.evidence_xml.as_deref().unwrap(),
            &anchors,
            kit::now(),
        );
        let xades = checked.signature.unwrap();
        assert_eq!(
            xades.status,
            SignatureStatus::Valid,
            "{name}: {:?}",
            xades.signature.findings
        );
        assert!(row.signed, "{name}");
    }
    assert_eq!(rem, 107);
    assert_eq!(mismatched, 4, "the kit's four copied headers");
}

#[test]
fn the_originals_digest_is_the_one_the_kit_measured() {
    let dispatch = kit::kit().join("Intra-REM-flow/REM_Dispatch.RA01.eml");
    let raw = std::fs::read(&dispatch).unwrap();
    let message = pec_rem::read(&raw).unwrap();
    let original = message.original.unwrap().slice(&raw).unwrap();
    let digest = {
        use sha2::Digest as _;
        sha2::Sha256::digest(original)
    };
    let evidence = message.evidence.unwrap();
    assert_eq!(evidence.parts[0].value, digest.to_vec());
    assert_eq!(message.digest_matches, Some(true));
}

/// The first top-level header `name` of a raw message (unfolded), read without mail-parser.
fn header(raw: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    let head = head.split("\n\n").next().unwrap_or("");
    let prefix = format!("{}:", name.to_ascii_lowercase());
    head.replace("\r\n ", " ")
        .replace("\n ", " ")
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
        .map(|l| l[prefix.len()..].trim().to_owned())
}
