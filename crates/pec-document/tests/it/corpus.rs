//! Every file of the shared set gives the verdict, signer, signing time and content its manifest
//! states (issue 15 "done when"), with the Italian Trusted Lists imported as the only trust.

use std::collections::{BTreeSet, HashSet};

use pec_core::signature::{FindingCode, SignatureStatus};
use pec_document::{DocumentFormat, DocumentReport, Qualified, SignatureRole};

use super::support::{Row, companion, is_signed_kind, manifest, open, sha256_hex, signed_dir};

fn negative(row: &Row) -> bool {
    row.notes.starts_with("NEGATIVE:")
}

/// The signers the manifest names (common names; a TSA by its unit's name), whatever the nesting.
fn expected_signers(row: &Row) -> BTreeSet<String> {
    row.signer
        .split(" | ")
        .flat_map(|s| s.split("; "))
        .map(|s| {
            let mut s = s.trim();
            for prefix in ["INNER1: ", "CONTENT: ", "CONTENT-INNER: ", "TSA ", "DocTS "] {
                s = s.strip_prefix(prefix).unwrap_or(s);
            }
            if let Some(rest) = s.strip_prefix('#') {
                s = rest.split_once(' ').map_or(rest, |(_, r)| r);
                s = s.strip_prefix("DocTS ").unwrap_or(s);
            }
            let s = s.split(" [").next().unwrap_or(s);
            s.split(" / ").next().unwrap_or(s).trim().to_string()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// The times the manifest names (signing times and genTimes), RFC 3339.
fn expected_times(row: &Row) -> BTreeSet<String> {
    row.signing_time
        .split(" | ")
        .filter_map(|t| {
            let t = t.trim();
            let t = t.rsplit_once("genTime ").map_or(t, |(_, r)| r);
            let t = t.strip_prefix("inner1:").unwrap_or(t);
            chrono::DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%:z")
                .ok()
                .map(|d| d.to_utc().to_rfc3339())
        })
        .collect()
}

fn signer_names(report: &DocumentReport) -> BTreeSet<String> {
    report
        .signatures
        .iter()
        .filter_map(|s| s.signer.as_ref()?.common_name.clone())
        .collect()
}

fn times(report: &DocumentReport) -> BTreeSet<String> {
    report
        .signatures
        .iter()
        .filter_map(|s| s.signed_at.map(|t| t.to_rfc3339()))
        .collect()
}

fn codes(report: &DocumentReport) -> HashSet<FindingCode> {
    report
        .findings
        .iter()
        .chain(report.signatures.iter().flat_map(|s| &s.findings))
        .map(|f| f.code)
        .collect()
}

#[test]
fn every_signed_file_of_the_shared_set_reads_as_its_manifest_states() {
    let Some(dir) = signed_dir() else { return };
    let rows: Vec<Row> = manifest(&dir)
        .into_values()
        .filter(|r| is_signed_kind(&r.kind))
        .collect();
    assert!(rows.len() >= 40, "the shared set shrank: {}", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let companion = companion(&dir, row);
        let report = open(&dir, &row.file, companion.as_deref());
        let mut fail = |why: String| failures.push(format!("{}: {why}", row.file));
        if negative(row) {
            if matches!(
                report.status,
                SignatureStatus::Valid | SignatureStatus::Untrusted
            ) {
                fail(format!("altered on purpose, yet {:?}", report.status));
            }
            continue;
        }
        let missing: Vec<_> = expected_signers(row)
            .difference(&signer_names(&report))
            .cloned()
            .collect();
        if !missing.is_empty() {
            fail(format!(
                "signers {missing:?} not found in {:?}",
                signer_names(&report)
            ));
        }
        let missing: Vec<_> = expected_times(row)
            .difference(&times(&report))
            .cloned()
            .collect();
        if !missing.is_empty() {
            fail(format!(
                "times {missing:?} not found in {:?}",
                times(&report)
            ));
        }
        if !row.content_sha256.is_empty() {
            let first = report.contents.first().map(|c| sha256_hex(c));
            if first.as_deref() != Some(row.content_sha256.as_str()) {
                fail(format!(
                    "content {first:?}, manifest {}",
                    row.content_sha256
                ));
            }
        }
        // What OpenSSL (or the per-signature check) found intact, we never call altered.
        let intact = row.openssl.starts_with("OK") || row.openssl.contains(":OK");
        if intact
            && report
                .signatures
                .iter()
                .any(|s| s.status == SignatureStatus::Invalid)
        {
            fail(format!(
                "intact for OpenSSL, invalid here: {:?}",
                codes(&report)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The verdicts a user reads, file by file, for the files whose story the manifest tells.
#[test]
fn the_verdicts_say_what_each_file_proves() {
    let Some(dir) = signed_dir() else { return };
    let cases: &[(&str, SignatureStatus, &[FindingCode])] = &[
        // A FatturaPA signed with a qualified InfoCert certificate, BER.
        (
            "p7m-invoice/slamdunk_sample.xml.p7m",
            SignatureStatus::Valid,
            &[FindingCode::RevocationNotChecked],
        ),
        // Base64 with CRLF, the same payload.
        (
            "p7m-base64/fenet_IT02182030391_31.Base64.CRLF.xml.p7m",
            SignatureStatus::Valid,
            &[],
        ),
        // Signed attributes out of DER order: hashed as received (OpenSSL wrongly refuses it).
        (
            "p7m-other/dss_BER_reordered_prova.txt.p7m",
            SignatureStatus::Valid,
            &[],
        ),
        // Two envelopes, both verified.
        (
            "p7m-nested/parer_cades+cades_crl_non_conforme.pdf.p7m",
            SignatureStatus::Valid,
            &[],
        ),
        // The signature value does not match: altered.
        (
            "p7m-pdf/parer_cades_bes_errore_critto.p7m",
            SignatureStatus::Invalid,
            &[FindingCode::SignatureMismatch],
        ),
        // MD5 over a card CA no list names.
        (
            "p7m-pdf/parer_p7m_md5.pdf.p7m",
            SignatureStatus::Untrusted,
            &[FindingCode::WeakDigest, FindingCode::NoPathToAnchor],
        ),
        // RIPEMD-160 and no signing time: nothing to judge the certificate at.
        (
            "p7m-pdf/parer_pades_non_conforme.pdf.p7m",
            SignatureStatus::Untrusted,
            &[FindingCode::WeakDigest, FindingCode::NoSigningTime],
        ),
        // PAdES with incremental saves: each signature covers its own revision.
        (
            "pades/dss_hello_signed_INCSAVE_signed.pdf",
            SignatureStatus::Valid,
            &[FindingCode::LaterRevisions],
        ),
        // Byte ranges that do not point at the signature.
        (
            "pades/parer_pdfNullPointerEx.pdf",
            SignatureStatus::Invalid,
            &[FindingCode::ByteRangeInvalid],
        ),
        // A raw PKCS#1 signature (adbe.x509.rsa_sha1): not checked, and said so.
        (
            "pades/parer_pdf_dsig_scaduta.pdf",
            SignatureStatus::Indeterminate,
            &[FindingCode::UnsupportedAlgorithm],
        ),
        // Garbage and broken structures.
        (
            "p7m-invoice/oca_IT05979361218_fake.xml.p7m",
            SignatureStatus::Indeterminate,
            &[FindingCode::NotASignedFile],
        ),
        (
            "p7m-invoice/fephp_invalid.xml.p7m",
            SignatureStatus::Indeterminate,
            &[],
        ),
        // An inner envelope whose length runs past the data.
        (
            "p7m-nested/parer-eidas_CADES.p7m",
            SignatureStatus::Indeterminate,
            &[FindingCode::MalformedCms],
        ),
    ];
    for (file, status, expected) in cases {
        let report = open(&dir, file, None);
        assert_eq!(report.status, *status, "{file}: {:#?}", codes(&report));
        for code in *expected {
            assert!(
                codes(&report).contains(code),
                "{file}: {code:?} missing from {:?}",
                codes(&report)
            );
        }
    }
}

#[test]
fn a_qualified_signature_is_recognised_from_the_italian_list_at_its_signing_time() {
    let Some(dir) = signed_dir() else { return };
    let report = open(&dir, "p7m-invoice/oca_IT01234567890_FPR03.xml.p7m", None);
    let signature = &report.signatures[0];
    assert_eq!(signature.status, SignatureStatus::Valid);
    assert_eq!(signature.qualified, Qualified::Yes);
    // An altered signature is never called qualified, whoever's certificate it carries.
    let report = open(&dir, "p7m-pdf/parer_cades_bes_errore_critto.p7m", None);
    assert_eq!(report.signatures[0].qualified, Qualified::Unknown);
}

#[test]
fn nested_envelopes_are_verified_outermost_first_and_the_innermost_content_extracted() {
    let Some(dir) = signed_dir() else { return };
    let report = open(&dir, "p7m-nested/parer_cades_T_1.pdf.p7m", None);
    let levels: Vec<(u32, SignatureRole)> = report
        .signatures
        .iter()
        .map(|s| (s.level, s.role))
        .collect();
    assert_eq!(
        levels,
        [
            (0, SignatureRole::Signature),
            (0, SignatureRole::SignatureTimestamp),
            (1, SignatureRole::Signature),
            (1, SignatureRole::Signature)
        ]
    );
    let content = report.content.as_deref().unwrap();
    assert!(
        content.starts_with(b"%PDF-"),
        "the innermost content is the PDF"
    );
    assert_eq!(
        report.content_sha256.as_deref(),
        Some(sha256_hex(content).as_str())
    );
    assert_eq!(report.format, Some(DocumentFormat::Cades));
}

#[test]
fn a_detached_timestamp_proves_its_companion_and_refuses_another_file() {
    let Some(dir) = signed_dir() else { return };
    let pairs = [
        (
            "tsr/parer_cades_T_1.pdf.p7m.tsr",
            "p7m-nested/parer_cades_T_1.pdf.p7m",
        ),
        (
            "tsr/parer_firma.tsr.p7m.tsr",
            "p7m-nested/parer_firma.tsr.p7m",
        ),
        (
            "tsr/parer_test_non_firma.xml.tsr",
            "tsr/parer_test_non_firma.xml",
        ),
        (
            "tsr/parer_tsd_cades_T.pdf.p7m.tsd.tsr",
            "tsd/parer_tsd_cades_T.pdf.p7m.tsd",
        ),
        (
            "tsr/parer_328730788_C3_SC1.tsr",
            "p7m-pdf/parer_328730788_C3.pdf.p7m",
        ),
    ];
    for (token, file) in pairs {
        let report = open(&dir, token, Some(file));
        assert_eq!(report.format, Some(DocumentFormat::Tsr), "{token}");
        assert!(
            !codes(&report).contains(&FindingCode::TimestampImprintMismatch),
            "{token} over {file}: {:?}",
            codes(&report)
        );
        assert_ne!(report.status, SignatureStatus::Invalid, "{token}");
        let wrong = open(&dir, token, Some("p7m-other/slamdunk_OK.txt.p7m"));
        assert_eq!(
            wrong.status,
            SignatureStatus::Invalid,
            "{token} over another file"
        );
        assert!(codes(&wrong).contains(&FindingCode::TimestampImprintMismatch));
    }
}

#[test]
fn an_m7m_timestamp_covers_its_p7m_as_transported() {
    let Some(dir) = signed_dir() else { return };
    let report = open(&dir, "m7m/parer_m7m_ok.pdf.m7m", None);
    assert_eq!(report.format, Some(DocumentFormat::M7m));
    assert!(
        !codes(&report).contains(&FindingCode::TimestampImprintMismatch),
        "{:?}",
        codes(&report)
    );
    let ts = &report.signatures[0];
    assert_eq!(ts.role, SignatureRole::Timestamp);
    assert_eq!(
        ts.signed_at.unwrap().to_rfc3339(),
        "2010-03-19T15:12:13+00:00"
    );
    let signer = report
        .signatures
        .iter()
        .find(|s| s.role == SignatureRole::Signature)
        .unwrap();
    assert_eq!(signer.status, SignatureStatus::Valid);
    assert!(report.content.as_deref().unwrap().starts_with(b"%PDF-"));
}

#[test]
fn a_tsa_chained_through_an_rsa_pss_key_is_checked_not_called_a_look_alike() {
    let Some(dir) = signed_dir() else { return };
    // D-TRUST's CA 1-3 2017 holds an id-RSASSA-PSS key. Its signature over the TSU's certificate
    // is checked; the German list is not imported, so the token is untrusted — and nothing more.
    let report = open(&dir, "tsr/dss_timestamp.tst", None);
    let found = codes(&report);
    assert!(
        !found.contains(&FindingCode::IssuerSignatureInvalid),
        "{found:?}"
    );
    assert_eq!(report.status, SignatureStatus::Untrusted, "{found:?}");
    let messages: Vec<&str> = report.signatures[0]
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        messages.iter().all(|m| !m.contains("cannot be checked")),
        "{messages:?}"
    );
}

/// "crl non conforme" names the signer's CRL distribution point, not data in the file: neither
/// envelope carries a CRL, so each signature says plainly that revocation was not checked.
#[test]
fn a_file_without_embedded_crls_never_claims_a_revocation_check() {
    let Some(dir) = signed_dir() else { return };
    let report = open(
        &dir,
        "p7m-nested/parer_cades+cades_crl_non_conforme.pdf.p7m",
        None,
    );
    assert_eq!(report.signatures.len(), 2);
    for signature in &report.signatures {
        let codes: Vec<FindingCode> = signature.findings.iter().map(|f| f.code).collect();
        assert!(
            codes.contains(&FindingCode::RevocationNotChecked),
            "{codes:?}"
        );
        for claim in [
            FindingCode::RevocationChecked,
            FindingCode::CertificateRevoked,
            FindingCode::RevocationDataUnusable,
        ] {
            assert!(!codes.contains(&claim), "{codes:?}");
        }
    }
}

/// The PDF signature archives, in Adobe's signed revocationInfoArchival, an OCSP response of
/// ArubaPEC's authorised responder (2019-02-28, "good"): revocation was checked from it.
#[test]
fn an_ocsp_response_archived_in_a_pdf_signature_shows_the_signer_was_not_revoked() {
    let Some(dir) = signed_dir() else { return };
    let report = open(&dir, "pades/parer_ocsp_only.pdf", None);
    let signature = &report.signatures[0];
    let checked = signature
        .findings
        .iter()
        .find(|f| f.code == FindingCode::RevocationChecked)
        .expect("the archived OCSP response is used");
    assert!(
        checked.message.contains("OCSP response of 2019-02-28"),
        "{}",
        checked.message
    );
    assert!(
        !signature
            .findings
            .iter()
            .any(|f| f.code == FindingCode::RevocationNotChecked)
    );
}

#[test]
fn a_timestamp_from_a_qualified_tsa_of_the_list_is_qualified() {
    let Some(dir) = signed_dir() else { return };
    // InfoCert's "Qualified Time Stamping Authority 2" unit, listed as TSA/QTST in the Italian list.
    let report = open(
        &dir,
        "tsr/parer_328730788_C3_SC1.tsr",
        Some("p7m-pdf/parer_328730788_C3.pdf.p7m"),
    );
    let token = &report.signatures[0];
    assert_eq!(token.role, SignatureRole::Timestamp);
    assert_eq!(token.status, SignatureStatus::Valid, "{:?}", codes(&report));
    assert_eq!(token.qualified, Qualified::Yes);
    // A token whose TSA no list names (Tecnes, 2011) is never called qualified.
    let other = open(
        &dir,
        "tsr/parer_firma.tsr.p7m.tsr",
        Some("p7m-nested/parer_firma.tsr.p7m"),
    );
    assert_ne!(other.signatures[0].qualified, Qualified::Yes);
}

/// Issue 15 §2, PAdES-LTA: the signature's CMS carries no revocation data; the document security
/// store added in the last update does. Measured with `openssl ocsp -respin … -resp_text` and
/// `openssl crl -inform DER -text` on its streams: `/OCSPs` holds one response of Postecom CA3's
/// authorised responder (id-kp-OCSPSigning, issued by Postecom CA3), produced 2016-05-10 11:07:54,
/// "good" for the signer's serial 025394 from 11:07:54 until the next day, so current at the time
/// the signature is judged (12:51); `/CRLs` one v1 CRL of Belgium Root CA2 (about the timestamp
/// authority's chain, 2016-02-15 to 2016-07-31); `/Certs` the signer's certificate; the `/VRI`
/// entry names identical copies. Revocation was checked, from the DSS.
#[test]
fn a_pades_lta_signature_is_checked_against_the_ocsp_response_of_its_document_security_store() {
    let Some(dir) = signed_dir() else { return };
    let report = open(&dir, "pades/parer_Pades-baseline-lta.pdf", None);
    let signature = report
        .signatures
        .iter()
        .find(|s| s.role == SignatureRole::Signature)
        .expect("the CAdES signature");
    let checked = signature
        .findings
        .iter()
        .find(|f| f.code == FindingCode::RevocationChecked)
        .unwrap_or_else(|| panic!("{:?}", signature.findings));
    assert!(
        checked.message.contains(
            "the OCSP response of 2016-05-10 from the PDF's document security store (DSS)"
        ),
        "{}",
        checked.message
    );
    // The v1 CRL is read (it names another CA, so it is simply not about this signer).
    for absent in [
        FindingCode::RevocationNotChecked,
        FindingCode::CertificateRevoked,
        FindingCode::RevocationDataUnusable,
    ] {
        assert!(
            !signature.findings.iter().any(|f| f.code == absent),
            "{:?}",
            signature.findings
        );
    }
    assert_eq!(signature.status, SignatureStatus::Valid);
}
