//! CAdES-T: each signer's signature timestamp (in a `.p7m` at any level, a `.tsd`, a PDF) has
//! OpenSSL's genTime in our report, and its imprint is the signature value's.

use std::path::Path;

use pec_core::signature::{FindingCode, SignatureStatus};
use pec_document::{DocumentFormat, SignatureRole};

use super::super::support::{der_elements, der_value};
use super::pades::{is_timestamp_token, pdf_signatures};
use super::tokens::{openssl_digest, openssl_token_text, openssl_ts_verify};
use super::{codes, envelope_at, every_signed_file, openssl, oracle_ready, path};

/// id-aa-signatureTimeStampToken, 1.2.840.113549.1.9.16.2.14 (RFC 3161 Annex A; CAdES-T), as
/// encoded.
const SIGNATURE_TIME_STAMP: &[u8] = &[
    0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0e,
];

/// Each top-level signer's signature value with the timestamp tokens in its unsigned attributes,
/// read from the DER OpenSSL re-encodes the CMS to (`cms -cmsout -outform DER`).
fn signature_timestamps(work: &Path, cms: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let (input, output) = (work.join("ts-in.p7m"), work.join("ts-out.der"));
    std::fs::write(&input, cms).unwrap();
    let args = ["cms", "-cmsout", "-inform", "DER", "-outform", "DER", "-in"];
    if openssl(&[&args[..], &[path(&input), "-out", path(&output)]].concat()).is_none() {
        return Vec::new();
    }
    let der = std::fs::read(&output).unwrap();
    let signer_infos = der_value(&der)
        .and_then(|content_info| der_elements(content_info).get(1).copied())
        .and_then(der_value)
        .and_then(der_value)
        .and_then(|signed_data| der_elements(signed_data).last().copied())
        .and_then(der_value)
        .map(der_elements)
        .unwrap_or_default();
    let mut out = Vec::new();
    for signer_info in signer_infos {
        let fields = der_value(signer_info).map(der_elements).unwrap_or_default();
        let value = fields
            .iter()
            .find(|f| f[0] == 0x04)
            .and_then(|f| der_value(f));
        let unsigned = fields
            .iter()
            .find(|f| f[0] == 0xa1)
            .and_then(|f| der_value(f));
        let (Some(value), Some(unsigned)) = (value, unsigned) else {
            continue;
        };
        for attribute in der_elements(unsigned) {
            let parts = der_value(attribute).map(der_elements).unwrap_or_default();
            if let [SIGNATURE_TIME_STAMP, set] = parts[..] {
                for token in der_value(set).map(der_elements).unwrap_or_default() {
                    out.push((value.to_vec(), token.to_vec()));
                }
            }
        }
    }
    out
}

#[test]
fn every_signature_timestamp_covers_its_signature_value_for_openssl_too() {
    let Some(dir) = oracle_ready() else { return };
    let work = tempfile::tempdir().unwrap();
    let (value_path, token_path) = (work.path().join("value"), work.path().join("token"));
    let (mut compared, mut failures) = (0, Vec::new());
    for (row, _, report) in every_signed_file(&dir) {
        let file = std::fs::read(dir.join(&row.file)).unwrap();
        // The CMS objects whose signers may carry a CAdES-T timestamp, with their level.
        let envelopes: Vec<(u32, Vec<u8>)> = match report.format {
            Some(DocumentFormat::Cades | DocumentFormat::Tsd) => (0..pec_document::MAX_LEVEL)
                .filter_map(|level| Some((level, envelope_at(&report, &file, level)?)))
                .collect(),
            Some(DocumentFormat::Pades) => pdf_signatures(&file)
                .into_iter()
                .filter_map(|s| s.parts.map(|(cms, _)| (0, cms)))
                .filter(|(_, cms)| !is_timestamp_token(cms))
                .collect(),
            _ => Vec::new(),
        };
        for (level, cms) in envelopes {
            for (value, token) in signature_timestamps(work.path(), &cms) {
                compared += 1;
                let case = format!("{} (level {level})", row.file);
                std::fs::write(&value_path, &value).unwrap();
                std::fs::write(&token_path, &token).unwrap();
                let Some(text) = openssl_token_text(&token_path) else {
                    failures.push(format!("{case}: OpenSSL cannot read the signature's token"));
                    continue;
                };
                if openssl_digest(&text.hash, &value_path) != text.imprint {
                    failures.push(format!("{case}: the imprint is not the signature value's"));
                }
                if !openssl_ts_verify(work.path(), &token_path, &value_path) {
                    failures.push(format!("{case}: openssl ts -verify refuses the token"));
                }
                let ours = report.signatures.iter().find(|s| {
                    s.level == level
                        && s.role == SignatureRole::SignatureTimestamp
                        && s.signed_at == Some(text.gen_time)
                });
                match ours {
                    None => {
                        failures.push(format!("{case}: no timestamp at {} here", text.gen_time))
                    }
                    Some(ts)
                        if ts.status == SignatureStatus::Invalid
                            || codes(&[ts]).contains(&FindingCode::TimestampImprintMismatch) =>
                    {
                        failures.push(format!("{case}: refused here: {:?}", codes(&[ts])));
                    }
                    Some(_) => {}
                }
            }
        }
    }
    println!("signature timestamp oracle: {compared} CAdES-T tokens compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared >= 3, "too few signature timestamps: {compared}");
}
