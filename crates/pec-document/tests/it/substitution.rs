//! The forger who swaps the signer's certificate (issue 15, "think like a forger"): a second
//! certificate for the same key — another name, same issuer and serial — verifies the same
//! signature value, so only the signed ESS signing-certificate attribute (RFC 5035) tells the two
//! apart. With the attribute, the swap is `signing-certificate-mismatch` and invalid; without it,
//! the report says plainly that the signature does not name its certificate.
//!
//! The certificates and signatures are made by `openssl` with a throw-away CA (skipped, loudly,
//! without openssl).

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Utc};
use pec_core::signature::{FindingCode, SignatureStatus, TrustAnchors};
use pec_document::DocumentReport;
use pec_testkit::pki::openssl_available;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA; one signer key certified twice with the same serial, as "Mario Rossi" and "Mario Russi"
/// (names of one length, so one DER can replace the other in place).
fn pki(dir: &Path) {
    std::fs::write(
        dir.join("ext.cnf"),
        "keyUsage=critical,digitalSignature,nonRepudiation\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=Forger Test CA",
            "-days",
            "3650",
        ],
    );
    openssl(dir, &["genrsa", "-out", "signer.key", "2048"]);
    for (name, cn) in [("a", "/CN=Mario Rossi"), ("b", "/CN=Mario Russi")] {
        let csr = format!("{name}.csr");
        let pem = format!("{name}.pem");
        let der = format!("{name}.der");
        openssl(
            dir,
            &[
                "req",
                "-new",
                "-key",
                "signer.key",
                "-subj",
                cn,
                "-out",
                &csr,
            ],
        );
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-set_serial",
                "4242",
                "-days",
                "365",
                "-extfile",
                "ext.cnf",
                "-out",
                &pem,
            ],
        );
        openssl(dir, &["x509", "-in", &pem, "-outform", "DER", "-out", &der]);
    }
    openssl(
        dir,
        &["x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.der"],
    );
    std::fs::write(dir.join("atto.txt"), b"Atto di citazione.\n").unwrap();
}

/// `atto.txt` signed with certificate A (`-cades`: with the ESS signing-certificate-v2 attribute).
fn sign(dir: &Path, cades: bool) -> Vec<u8> {
    let mut args = vec![
        "cms",
        "-sign",
        "-binary",
        "-nodetach",
        "-md",
        "sha256",
        "-in",
        "atto.txt",
        "-signer",
        "a.pem",
        "-inkey",
        "signer.key",
        "-outform",
        "DER",
        "-out",
        "atto.p7m",
    ];
    if cades {
        args.push("-cades");
    }
    openssl(dir, &args);
    std::fs::read(dir.join("atto.p7m")).unwrap()
}

/// `p7m` with certificate A's DER replaced by B's.
fn swapped(dir: &Path, p7m: &[u8]) -> Vec<u8> {
    let a = std::fs::read(dir.join("a.der")).unwrap();
    let b = std::fs::read(dir.join("b.der")).unwrap();
    assert_eq!(a.len(), b.len(), "the two certificates differ in length");
    let at = p7m
        .windows(a.len())
        .position(|w| w == a.as_slice())
        .expect("certificate A is embedded");
    let mut out = p7m.to_vec();
    out[at..at + b.len()].copy_from_slice(&b);
    out
}

fn open(dir: &Path, bytes: &[u8]) -> DocumentReport {
    let mut anchors = TrustAnchors::empty();
    anchors
        .add_der(&std::fs::read(dir.join("ca.der")).unwrap())
        .unwrap();
    let now: DateTime<Utc> = std::time::SystemTime::now().into();
    let checking = pec_document::Checking {
        anchors: &anchors,
        now: now + chrono::Duration::minutes(5),
        services: None,
        companion: None,
    };
    pec_document::open("atto.txt.p7m", bytes, &checking)
}

fn codes(report: &DocumentReport) -> Vec<FindingCode> {
    report
        .signatures
        .iter()
        .flat_map(|s| &s.findings)
        .chain(&report.findings)
        .map(|f| f.code)
        .collect()
}

fn signer(report: &DocumentReport) -> Option<String> {
    report.signatures[0].signer.as_ref()?.common_name.clone()
}

#[test]
fn a_swapped_certificate_for_the_same_key_is_refused_by_the_signed_binding() {
    if !openssl_available() {
        println!("SKIPPED: openssl is needed to make the certificates");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    pki(tmp.path());
    let genuine = sign(tmp.path(), true);
    let report = open(tmp.path(), &genuine);
    assert_eq!(
        report.status,
        SignatureStatus::Valid,
        "{:?}",
        codes(&report)
    );
    assert_eq!(signer(&report).as_deref(), Some("Mario Rossi"));

    let forged = open(tmp.path(), &swapped(tmp.path(), &genuine));
    assert_eq!(
        forged.status,
        SignatureStatus::Invalid,
        "{:?}",
        codes(&forged)
    );
    assert!(codes(&forged).contains(&FindingCode::SigningCertificateMismatch));
}

#[test]
fn without_the_binding_the_swap_verifies_but_the_report_says_the_certificate_is_not_named() {
    if !openssl_available() {
        println!("SKIPPED: openssl is needed to make the certificates");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    pki(tmp.path());
    let plain = sign(tmp.path(), false);
    let forged = open(tmp.path(), &swapped(tmp.path(), &plain));
    assert_eq!(signer(&forged).as_deref(), Some("Mario Russi"));
    assert!(
        codes(&forged).contains(&FindingCode::NoSigningCertificateBinding),
        "{:?}",
        codes(&forged)
    );
}
