//! xmlsec1 as an oracle: on the three real lists, on synthetic lists and on every forgery of
//! `tampered.rs`, xmlsec1's verdict (embedded certificate, no chain: integrity only) agrees with ours
//! when we accept exactly the embedded certificate. Where we are stricter on purpose, the case says why.

use std::path::Path;
use std::process::Command;

use base64::Engine as _;
use pec_trusted_list::verify;

use super::build::{lotl, national, signers};
use super::support::{IT_141, IT_194, LOTL, real};
use super::tampered::cases;

fn xmlsec1_present() -> bool {
    let ok = Command::new("xmlsec1")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("\n!!! SKIPPED: xmlsec1 is not installed, the XML-DSig oracle did not run !!!\n");
    }
    ok
}

/// xmlsec1's verdict: the document's signature verifies with the certificate it embeds.
fn xmlsec1_verifies(dir: &Path, name: &str, bytes: &[u8]) -> bool {
    let file = dir.join(format!("{}.xml", name.replace(' ', "_")));
    std::fs::write(&file, bytes).unwrap();
    Command::new("xmlsec1")
        .args([
            "--verify",
            "--insecure",
            "--enabled-reference-uris",
            "empty,same-doc",
        ])
        .args([
            "--id-attr:Id",
            "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
        ])
        .arg(&file)
        .output()
        .unwrap()
        .status
        .success()
}

/// Our integrity verdict: the list verifies when the certificates it embeds are the accepted set.
fn ours_verifies(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let embedded: Vec<Vec<u8>> = text
        .split("<ds:X509Certificate>")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .filter_map(|b| {
            let compact: String = b.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .ok()
        })
        .collect();
    verify(bytes, &embedded).is_ok()
}

#[test]
fn xmlsec1_and_we_agree_on_the_real_lists() {
    if !xmlsec1_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in [LOTL, IT_141, IT_194] {
        let Some(bytes) = real(name) else { return };
        assert!(
            xmlsec1_verifies(dir.path(), name, &bytes),
            "xmlsec1 on {name}"
        );
        assert!(ours_verifies(&bytes), "ours on {name}");
    }
}

#[test]
fn xmlsec1_and_we_agree_on_every_forgery() {
    if !xmlsec1_present() {
        return;
    }
    let Some(cases) = cases() else { return };
    let dir = tempfile::tempdir().unwrap();
    for case in cases {
        let oracle = xmlsec1_verifies(dir.path(), case.name, &case.bytes);
        let ours = ours_verifies(&case.bytes);
        assert_eq!(oracle, case.oracle_ok, "xmlsec1 on {}", case.name);
        match case.stricter_than_oracle {
            None => assert_eq!(ours, oracle, "ours vs xmlsec1 on {}", case.name),
            Some(because) => assert!(oracle && !ours, "{}: stricter because {because}", case.name),
        }
    }
}

#[test]
fn xmlsec1_accepts_the_synthetic_lists_we_sign_and_refuses_them_altered() {
    if !xmlsec1_present() {
        return;
    }
    let [eu, it, other] = signers();
    let dir = tempfile::tempdir().unwrap();
    let signed_lotl = eu.sign(&lotl(9, &[("IT", &it.cert_der)]));
    let signed_it = it.sign(&national("IT", 4, &[]));
    let others = other.sign(&national("IT", 5, &[]));
    for (name, xml) in [
        ("lotl", &signed_lotl),
        ("it", &signed_it),
        ("other", &others),
    ] {
        assert!(
            xmlsec1_verifies(dir.path(), name, xml.as_bytes()),
            "xmlsec1 on {name}"
        );
        assert!(ours_verifies(xml.as_bytes()), "ours on {name}");
    }
    let altered = signed_it.replacen("<TSLSequenceNumber>4<", "<TSLSequenceNumber>5<", 1);
    assert!(!xmlsec1_verifies(dir.path(), "altered", altered.as_bytes()));
    assert!(!ours_verifies(altered.as_bytes()));
}
