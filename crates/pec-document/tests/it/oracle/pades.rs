//! Every PDF signature: the CMS in its `/Contents` over its `/ByteRange`, as OpenSSL verifies it,
//! against our entry for that dictionary, in file order.

use std::path::Path;

use pec_core::signature::SignatureStatus;
use pec_document::{DocumentFormat, SignatureRole};

use super::super::support::byte_ranges;
use super::tokens::openssl_digest;
use super::{codes, every_signed_file, openssl_cms, oracle_ready, signatures_at};

/// One signature dictionary of a PDF as its `/ByteRange` describes it.
pub(super) struct PdfSignature {
    /// The CMS in `/Contents`, and the bytes the ranges cover; `None` when the ranges do not frame
    /// a hex string inside the file.
    pub(super) parts: Option<(Vec<u8>, Vec<u8>)>,
}

/// Every signature dictionary of `pdf`, in file order.
pub(super) fn pdf_signatures(pdf: &[u8]) -> Vec<PdfSignature> {
    byte_ranges(pdf)
        .into_iter()
        .map(|numbers| {
            let parts = match numbers[..] {
                [0, b, c, d] if b < c && c.checked_add(d).is_some_and(|end| end <= pdf.len()) => {
                    let hex: Vec<u8> = pdf[b..c]
                        .strip_prefix(b"<")
                        .and_then(|g| g.strip_suffix(b">"))
                        .unwrap_or(b"not hex")
                        .iter()
                        .copied()
                        .filter(|c| !c.is_ascii_whitespace())
                        .collect();
                    let cms: Option<Vec<u8>> = hex
                        .chunks(2)
                        .map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
                        .collect();
                    cms.map(|cms| (cms, [&pdf[..b], &pdf[c..c + d]].concat()))
                }
                _ => None,
            };
            PdfSignature { parts }
        })
        .collect()
}

/// id-ct-TSTInfo near the start of a CMS: a document timestamp (ETSI.RFC3161), not a signature.
pub(super) fn is_timestamp_token(cms: &[u8]) -> bool {
    const TST_INFO: &[u8] = &[
        0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04,
    ];
    cms.get(..64.min(cms.len()))
        .unwrap_or_default()
        .windows(TST_INFO.len())
        .any(|w| w == TST_INFO)
}

/// OpenSSL's verdict on one PDF signature: the CMS over the ranges (`adbe.pkcs7.detached`,
/// `ETSI.CAdES.detached`), or, for `adbe.pkcs7.sha1`, the CMS over its own content, which must be
/// the SHA-1 of the ranges.
fn openssl_pdf_verify(work: &Path, cms: &[u8], signed: &[u8]) -> bool {
    if openssl_cms(work, cms, Some(signed)).is_some() {
        return true;
    }
    let ranges = work.join("ranges");
    std::fs::write(&ranges, signed).unwrap();
    openssl_cms(work, cms, None).is_some_and(|digest| digest == openssl_digest("sha1", &ranges))
}

#[test]
fn every_pdf_signature_has_openssl_s_integrity_verdict() {
    let Some(dir) = oracle_ready() else { return };
    let work = tempfile::tempdir().unwrap();
    let (mut compared, mut failures) = (0, Vec::new());
    for (row, _, report) in every_signed_file(&dir) {
        if report.format != Some(DocumentFormat::Pades) {
            continue;
        }
        let pdf = std::fs::read(dir.join(&row.file)).unwrap();
        let ours = signatures_at(&report, 0);
        let dictionaries = pdf_signatures(&pdf);
        let mut signatures = ours.iter();
        for (n, sig) in dictionaries.iter().enumerate() {
            let case = format!("{} #{}", row.file, n + 1);
            let is_token = sig
                .parts
                .as_ref()
                .is_some_and(|(cms, _)| is_timestamp_token(cms));
            let verdict = sig
                .parts
                .as_ref()
                .map(|(cms, signed)| openssl_pdf_verify(work.path(), cms, signed));
            if is_token {
                // A document timestamp: our entry is a timestamp, never refused when OpenSSL
                // accepts its signature.
                let refused = report.signatures.iter().any(|s| {
                    s.role == SignatureRole::Timestamp && s.status == SignatureStatus::Invalid
                });
                if verdict == Some(true) && refused {
                    failures.push(format!("{case}: document timestamp refused here"));
                }
                compared += 1;
                continue;
            }
            let Some(entry) = signatures.next() else {
                failures.push(format!("{case}: no signature entry here"));
                continue;
            };
            compared += 1;
            println!("  {case}: OpenSSL {verdict:?}, here {:?}", entry.status);
            // Integrity only: trust (untrusted) is not OpenSSL's question here.
            let ours_intact = !matches!(
                entry.status,
                SignatureStatus::Invalid | SignatureStatus::Indeterminate
            );
            if verdict == Some(true) && !ours_intact {
                failures.push(format!(
                    "{case}: intact for OpenSSL, {:?} here: {:?}",
                    entry.status,
                    codes(&[entry])
                ));
            }
            if verdict != Some(true) && ours_intact {
                let why = match verdict {
                    None => "its ranges do not frame a hex string",
                    _ => "cms -verify fails",
                };
                failures.push(format!(
                    "{case}: refused by OpenSSL ({why}), {:?} here",
                    entry.status
                ));
            }
        }
        if signatures.next().is_some() {
            failures.push(format!(
                "{}: more signature entries than /ByteRange",
                row.file
            ));
        }
    }
    println!("PAdES oracle: {compared} signature dictionaries compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        compared >= 15,
        "too few PDF signatures compared: {compared}"
    );
}
