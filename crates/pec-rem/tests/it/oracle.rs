//! Differential test against `xmlsec1 --verify` (libxmlsec1, the reference XML-DSig implementation)
//! over every standalone evidence of the kit and altered copies of each: Attesta's verdict on the
//! references and the signature value must be xmlsec1's. (xmlsec1 knows nothing of XAdES times or
//! the signing-certificate binding; those are tested in `forgery.rs`.)

use std::path::Path;
use std::process::Command;

use pec_core::signature::SignatureStatus;
use pec_rem::check_evidence;

use crate::kit;

fn xmlsec1_accepts(file: &Path) -> bool {
    let certs = kit::kit().join("certificates");
    let out = Command::new("xmlsec1")
        .arg("--verify")
        .arg("--trusted-pem")
        .arg(certs.join("REM-ROOT-CA.crt"))
        .args(["--id-attr:Id", "SignedProperties"])
        .arg(file)
        .output()
        .expect("xmlsec1 is installed (scripts/test installs it)");
    out.status.success()
}

/// Positions inside element text or attribute values to alter, picked deterministically per file.
fn alterations(xml: &[u8], count: usize) -> Vec<usize> {
    let candidates: Vec<usize> = (0..xml.len())
        .filter(|&i| xml[i].is_ascii_alphanumeric())
        .collect();
    let mut seed = xml.len() as u64;
    (0..count)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            candidates[(seed >> 33) as usize % candidates.len()]
        })
        .collect()
}

#[test]
fn attesta_and_xmlsec1_agree_on_every_evidence_and_every_alteration() {
    // The same trust on both sides: the root alone; the intermediate comes from the evidence.
    let anchors = kit::root_anchor();
    let dir = tempfile::tempdir().unwrap();
    let mut cases = 0;
    let mut rejected = 0;
    for file in kit::standalone() {
        let xml = std::fs::read(&file).unwrap();
        let mut variants = vec![xml.clone()];
        for at in alterations(&xml, 3) {
            let mut altered = xml.clone();
            altered[at] = if altered[at] == b'7' { b'8' } else { b'7' };
            if altered != xml {
                variants.push(altered);
            }
        }
        for (i, variant) in variants.iter().enumerate() {
            let path = dir.path().join(format!("v{i}.xml"));
            std::fs::write(&path, variant).unwrap();
            let oracle = xmlsec1_accepts(&path);
            let ours = check_evidence(variant, &anchors, kit::now())
                .signature
                .is_some_and(|s| s.status == SignatureStatus::Valid);
            assert_eq!(
                ours,
                oracle,
                "{} variant {i}: attesta {ours}, xmlsec1 {oracle}",
                file.display()
            );
            cases += 1;
            rejected += usize::from(!oracle);
        }
    }
    assert!(cases >= 160, "{cases} cases");
    assert!(
        rejected >= 80,
        "only {rejected} alterations were caught: the test alters too little"
    );
}
