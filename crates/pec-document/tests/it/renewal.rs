//! A `.tsd`'s later timestamps renew the one before them (RFC 5544): each stamps the DER of the
//! previous `TimeStampAndCRL`. A renewal made that way holds; a real token from elsewhere appended
//! to the evidence is `timestamp-imprint-mismatch`, never a valid time for the file.
//!
//! The file renewed is the shared set's `tsd/parer_tsd_cades_T.pdf.p7m.tsd`; the renewal is made
//! by `openssl ts -reply` with a test TSA (skipped, loudly, without openssl).

use std::path::Path;
use std::process::Command;

use pec_core::signature::{FindingCode, SignatureStatus};
use pec_document::{DocumentReport, SignatureEntry, SignatureRole};
use pec_testkit::pki::openssl_available;

use super::support::{
    anchors, der_elements, der_split, der_tlv as tlv, der_value, lists, now, signed_dir,
};

/// The TimeStampedData `tsd` (DER) with one more `TimeStampAndCRL { token }` at the end of its
/// evidence; and the DER of what was the last `TimeStampAndCRL`, which a renewal stamps.
fn with_evidence(tsd: &[u8], token: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let content_info = der_elements(der_value(tsd).unwrap());
    let [oid, explicit] = content_info[..] else {
        panic!("not a ContentInfo")
    };
    let fields = der_elements(der_value(der_value(explicit).unwrap()).unwrap());
    let mut last = Vec::new();
    let fields: Vec<Vec<u8>> = fields
        .into_iter()
        .map(|field| {
            if field[0] != 0xa0 {
                return field.to_vec();
            }
            let items = der_value(field).unwrap();
            last = der_elements(items).last().unwrap().to_vec();
            tlv(0xa0, &[items, &tlv(0x30, token)].concat())
        })
        .collect();
    let tsd = tlv(0x30, &fields.concat());
    (tlv(0x30, &[oid, &tlv(0xa0, &tsd)].concat()), last)
}

fn open(dir: &Path, bytes: &[u8]) -> DocumentReport {
    let checking = pec_document::Checking {
        anchors: anchors(dir),
        now: now(),
        services: Some(lists(dir)),
        companion: None,
    };
    pec_document::open("renewed.tsd", bytes, &checking)
}

fn timestamps(report: &DocumentReport) -> Vec<&SignatureEntry> {
    report
        .signatures
        .iter()
        .filter(|s| s.level == 0 && s.role == SignatureRole::Timestamp)
        .collect()
}

fn mismatched(entry: &SignatureEntry) -> bool {
    entry
        .findings
        .iter()
        .any(|f| f.code == FindingCode::TimestampImprintMismatch)
}

/// The shared set's tsd as DER, and a real token from another file (D-TRUST, 2018).
fn tsd_and_foreign_token(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let read = |rel: &str| std::fs::read(dir.join(rel)).unwrap();
    let der = |bytes: &[u8]| pec_core::signature::normalise_ber(bytes).unwrap().der;
    (
        der(&read("tsd/parer_tsd_cades_T.pdf.p7m.tsd")),
        der(&read("tsr/dss_timestamp.tst")),
    )
}

#[test]
fn a_token_from_elsewhere_appended_to_a_tsd_is_refused() {
    let Some(dir) = signed_dir() else { return };
    let (tsd, foreign) = tsd_and_foreign_token(&dir);
    let before = open(&dir, &tsd);
    assert_eq!(timestamps(&before).len(), 1);
    assert_ne!(before.status, SignatureStatus::Invalid);

    let (forged, _) = with_evidence(&tsd, &foreign);
    assert!(der_split(&forged).is_some_and(|(_, rest)| rest.is_empty()));
    let report = open(&dir, &forged);
    let stamps = timestamps(&report);
    assert_eq!(stamps.len(), 2);
    assert!(!mismatched(stamps[0]), "the first still covers the content");
    assert!(mismatched(stamps[1]), "{:?}", stamps[1].findings);
    assert_eq!(stamps[1].status, SignatureStatus::Invalid);
    assert_eq!(report.status, SignatureStatus::Invalid);
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("openssl runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A token from a throw-away TSA over `data`'s SHA-256, made by `openssl ts`.
fn openssl_token_over(work: &Path, data: &[u8]) -> Vec<u8> {
    let p = |name: &str| work.join(name).display().to_string();
    std::fs::write(work.join("data"), data).unwrap();
    std::fs::write(work.join("serial"), "01\n").unwrap();
    let config = format!(
        "[ tsa ]\ndefault_tsa = test\n[ test ]\nserial = {}\nsigner_digest = sha256\n\
         default_policy = 1.2.3.4.1\ndigests = sha256\nordering = no\ntsa_name = no\n\
         ess_cert_id_chain = no\ness_cert_id_alg = sha256\n",
        p("serial")
    );
    std::fs::write(work.join("ts.cnf"), config).unwrap();
    run(Command::new("openssl").args([
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        &p("tsa.key"),
        "-out",
        &p("tsa.pem"),
        "-subj",
        "/CN=Test TSA",
        "-days",
        "30",
        "-addext",
        "extendedKeyUsage=critical,timeStamping",
    ]));
    run(Command::new("openssl").args([
        "ts",
        "-query",
        "-data",
        &p("data"),
        "-sha256",
        "-cert",
        "-no_nonce",
        "-out",
        &p("query"),
    ]));
    run(Command::new("openssl").args([
        "ts",
        "-reply",
        "-config",
        &p("ts.cnf"),
        "-queryfile",
        &p("query"),
        "-signer",
        &p("tsa.pem"),
        "-inkey",
        &p("tsa.key"),
        "-token_out",
        "-out",
        &p("token"),
    ]));
    std::fs::read(work.join("token")).unwrap()
}

#[test]
fn a_renewal_over_the_previous_timestamp_and_crl_holds() {
    let Some(dir) = signed_dir() else { return };
    if !openssl_available() {
        println!("SKIPPED: the openssl binary is not installed; no renewal token can be made");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let (tsd, _) = tsd_and_foreign_token(&dir);
    let (_, last) = with_evidence(&tsd, &[]);
    let renewal = openssl_token_over(work.path(), &last);
    let (renewed, _) = with_evidence(&tsd, &renewal);
    let report = open(&dir, &renewed);
    let stamps = timestamps(&report);
    assert_eq!(stamps.len(), 2);
    assert!(!mismatched(stamps[1]), "{:?}", stamps[1].findings);
    // The test TSA is in no list: untrusted, not altered.
    assert_eq!(stamps[1].status, SignatureStatus::Untrusted);
    // And a renewal over anything else is not one.
    let wrong = openssl_token_over(work.path(), b"another TimeStampAndCRL");
    let report = open(&dir, &with_evidence(&tsd, &wrong).0);
    assert!(mismatched(timestamps(&report)[1]));
}
