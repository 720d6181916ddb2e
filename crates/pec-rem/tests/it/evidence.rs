//! Every standalone evidence of the kit: its facts, and its XAdES-B-T signature.

use base64::Engine as _;
use pec_core::signature::{Imprint, SignatureStatus, TimeBasis};
use pec_rem::check_evidence;

use crate::kit;

#[test]
fn every_standalone_evidence_verifies_with_the_kit_anchors() {
    let anchors = kit::ca_anchors();
    let files = kit::standalone();
    assert!(files.len() >= 40, "{} evidence files", files.len());
    for file in files {
        let xml = std::fs::read(&file).unwrap();
        let checked = check_evidence(&xml, &anchors, kit::now());
        let facts = checked.facts.as_ref().expect("facts");
        let signature = checked.signature.as_ref().expect("a signature verdict");
        assert_eq!(
            signature.status,
            SignatureStatus::Valid,
            "{}: {:#?}",
            file.display(),
            signature.signature.findings
        );
        // The kit's timestamps come from Nowina's test TSA, whose root is not among the kit's
        // certificates: the token is sound and covers the signature value, but nobody vouches for
        // the TSA, so the verdict rests on the signed SigningTime.
        let ts = signature.timestamp.as_ref().expect("a signature timestamp");
        assert_eq!(ts.imprint, Imprint::Matches, "{}", file.display());
        assert_eq!(ts.status, SignatureStatus::Untrusted, "{}", file.display());
        assert_eq!(signature.time_basis, TimeBasis::SigningTime);
        assert_eq!(signature.judged_at, signature.signed_at);
        assert!(
            facts.event.is_some(),
            "{}: {}",
            file.display(),
            facts.event_uri
        );
        // The file name says event and reason: `ContentConsignmentFailure1.RD03.xml`.
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let mut segments = name.split('.');
        let event = segments.next().unwrap();
        let reason = segments.next().unwrap();
        let event = event.trim_end_matches(|c: char| c.is_ascii_digit());
        let event = event.strip_suffix("Ext").unwrap_or(event);
        // NOTE: one file of the kit is misspelt `ContentConsignmentt1.RD01.xml`.
        let read = facts.event.unwrap().etsi_name();
        assert!(
            event == read || event == format!("{read}t"),
            "{name}: {read}"
        );
        assert_eq!(facts.reason_code().as_deref(), Some(reason), "{name}");
    }
}

#[test]
fn without_the_kit_anchors_the_evidence_is_untrusted() {
    let anchors = pec_core::signature::TrustAnchors::builtin();
    let file = &kit::standalone()[0];
    let checked = check_evidence(&std::fs::read(file).unwrap(), &anchors, kit::now());
    assert_eq!(
        checked.signature.unwrap().status,
        SignatureStatus::Untrusted
    );
}

/// A user who trusts the kit's test TSA (its root, taken from a token) gets timestamped verdicts: the
/// certificates are judged at the TSA's time, not the signer's.
#[test]
fn with_the_tsa_trusted_the_verdict_rests_on_the_timestamp() {
    let mut anchors = kit::ca_anchors();
    let file = &kit::standalone()[0];
    let xml = std::fs::read(file).unwrap();
    let tsa_root = tsa_root_of(&xml);
    assert_eq!(anchors.add_pem(&tsa_root).unwrap(), 1);
    let signature = check_evidence(&xml, &anchors, kit::now())
        .signature
        .unwrap();
    let ts = signature.timestamp.as_ref().unwrap();
    assert!(ts.is_usable(), "{:?}", ts.findings);
    assert_eq!(signature.status, SignatureStatus::Valid);
    assert_eq!(signature.time_basis, TimeBasis::Timestamp);
    assert_eq!(signature.judged_at, ts.time);
    assert!(
        ts.time > signature.signed_at,
        "the TSA stamped after signing"
    );
}

/// The self-signed certificate inside the evidence's timestamp token (PEM), found with openssl.
fn tsa_root_of(xml: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(xml).unwrap();
    let start = text.find("EncapsulatedTimeStamp Id=").unwrap();
    let start = start + text[start..].find('>').unwrap() + 1;
    let end = start + text[start..].find('<').unwrap();
    let compact: String = text[start..end].split_ascii_whitespace().collect();
    let token = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let der = dir.path().join("token.der");
    std::fs::write(&der, token).unwrap();
    let pems = std::process::Command::new("openssl")
        .args(["pkcs7", "-inform", "DER", "-print_certs", "-in"])
        .arg(&der)
        .output()
        .unwrap();
    let listing = String::from_utf8(pems.stdout).unwrap();
    listing
        .split("\n\n")
        .find(|block| {
            let subject = block.lines().find_map(|l| l.strip_prefix("subject="));
            let issuer = block.lines().find_map(|l| l.strip_prefix("issuer="));
            subject.is_some() && subject == issuer
        })
        .map(|block| block.as_bytes().to_vec())
        .expect("a self-signed root in the token")
}
