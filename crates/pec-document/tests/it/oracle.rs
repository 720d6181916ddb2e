//! Differential test: `pec_document::open` against the `openssl` binary, an independent
//! implementation, over every signed file of the shared set.
//!
//! - CAdES (`.p7m`, at every level of nesting, and the `.p7m` inside a `.tsd`):
//!   `openssl cms -verify -noverify -binary` must extract the very content we extract, and the two
//!   must agree on integrity. Where they differ, the difference is one the shared set's README
//!   documents (OpenSSL re-sorts signed attributes; it refuses a DigestInfo without its NULL) and our
//!   findings or the list below say so.
//! - RFC 3161 tokens (`.tsr`, `.tst`): the genTime, hash algorithm and message imprint OpenSSL reads
//!   (`openssl ts -reply -text`) are ours, the imprint is `openssl dgst` of the file the token is
//!   about, and `openssl ts -verify` (the token's own certificate as its trust, time not checked)
//!   accepts the pair and refuses another file, as we do.
//! - PAdES: each `/ByteRange`'s CMS is given to `openssl cms -verify -noverify -content`, and its
//!   verdict is compared with our signature entry for that dictionary, in file order.
//! - CAdES-T (in a `.p7m` at any level, a `.tsd`, a PDF): each signer's signature timestamp, taken
//!   from the DER OpenSSL re-encodes, has OpenSSL's genTime in our report and its imprint is
//!   `openssl dgst` of the signature value, which `openssl ts -verify` confirms.
//!
//! OpenSSL is an oracle, not the truth (README of the shared set); the product never runs it.
//! Skipped, loudly, when `openssl` or the shared set is absent.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, NaiveDateTime, Utc};
use pec_core::signature::{FindingCode, SignatureStatus};
use pec_document::{DocumentFormat, DocumentReport, SignatureEntry, SignatureRole, armor, format};
use pec_testkit::pki::openssl_available;

use super::support::{
    Row, byte_ranges, companion, der_elements, der_value, is_signed_kind, manifest, open,
    signed_dir,
};

/// Files OpenSSL refuses although they are intact, with the reason (README of the shared set).
/// Files whose DigestInfo lacks its NULL are recognised by our `digest-info-without-null` finding.
const OPENSSL_REFUSES_INTACT: &[(&str, &str)] = &[(
    "p7m-other/dss_BER_reordered_prova.txt.p7m",
    "signed attributes not in DER order: OpenSSL re-sorts them before hashing, so its digest is \
     not the one signed; we hash them as received",
)];

/// The shared set, when both it and the `openssl` binary are here.
fn oracle_ready() -> Option<PathBuf> {
    if !openssl_available() {
        println!("SKIPPED: the openssl binary is not installed; the oracle tests did not run");
        return None;
    }
    signed_dir()
}

/// Every signed file of the manifest, opened as `attesta verify-doc` opens it (with its companion).
fn every_signed_file(dir: &Path) -> Vec<(Row, Option<String>, DocumentReport)> {
    manifest(dir)
        .into_values()
        .filter(|r| is_signed_kind(&r.kind))
        .map(|row| {
            let companion = companion(dir, &row);
            let report = open(dir, &row.file, companion.as_deref());
            (row, companion, report)
        })
        .collect()
}

/// Runs `openssl` with `args`; its stdout when it succeeded.
fn openssl(args: &[&str]) -> Option<Vec<u8>> {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs");
    out.status.success().then_some(out.stdout)
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// The bytes as a signing tool meant them: base64/PEM undone.
fn unwrapped(bytes: &[u8]) -> Vec<u8> {
    armor::unwrap(bytes).unwrap_or_else(|| bytes.to_vec())
}

/// What `openssl cms -verify -noverify -binary` extracts from `cms` (optionally over `content`),
/// or `None` when it refuses it.
fn openssl_cms(work: &Path, cms: &[u8], content: Option<&[u8]>) -> Option<Vec<u8>> {
    let (input, output, detached) = (work.join("in.p7m"), work.join("out"), work.join("content"));
    std::fs::write(&input, cms).unwrap();
    let _ = std::fs::remove_file(&output);
    let mut args = vec!["cms", "-verify", "-noverify", "-binary", "-inform", "DER"];
    args.extend(["-in", path(&input), "-out", path(&output)]);
    if let Some(content) = content {
        std::fs::write(&detached, content).unwrap();
        args.extend(["-content", path(&detached)]);
    }
    openssl(&args)?;
    Some(std::fs::read(&output).unwrap_or_default())
}

fn codes(entries: &[&SignatureEntry]) -> HashSet<FindingCode> {
    entries
        .iter()
        .flat_map(|s| &s.findings)
        .map(|f| f.code)
        .collect()
}

fn signatures_at(report: &DocumentReport, level: u32) -> Vec<&SignatureEntry> {
    report
        .signatures
        .iter()
        .filter(|s| s.level == level && s.role == SignatureRole::Signature)
        .collect()
}

/// The CMS envelope at `level`: the file itself at level 0, else the content of the level above,
/// when that is a `.p7m`.
fn envelope_at(report: &DocumentReport, file: &[u8], level: u32) -> Option<Vec<u8>> {
    let candidate = match level {
        0 => unwrapped(file),
        _ => unwrapped(report.contents.get(level as usize - 1)?),
    };
    (format::recognise(&candidate) == Some(DocumentFormat::Cades)).then_some(candidate)
}

#[test]
fn every_p7m_envelope_gives_openssl_s_content_and_integrity_verdict() {
    let Some(dir) = oracle_ready() else { return };
    let work = tempfile::tempdir().unwrap();
    let (mut agreed, mut explained, mut failures) = (0, Vec::new(), Vec::new());
    for (row, _, report) in every_signed_file(&dir) {
        let first_level = match report.format {
            Some(DocumentFormat::Cades) => 0,
            // A `.tsd` holds its document at level 0 and that document's envelope at level 1.
            Some(DocumentFormat::Tsd) => 1,
            _ => continue,
        };
        let file = std::fs::read(dir.join(&row.file)).unwrap();
        for level in first_level..pec_document::MAX_LEVEL {
            let Some(envelope) = envelope_at(&report, &file, level) else {
                break;
            };
            let ours = signatures_at(&report, level);
            let we_say_altered = ours.iter().any(|s| s.status == SignatureStatus::Invalid);
            let we_doubt = ours
                .iter()
                .any(|s| s.status == SignatureStatus::Indeterminate);
            let case = format!("{} (level {level})", row.file);
            match openssl_cms(work.path(), &envelope, None) {
                Some(extracted) => {
                    agreed += 1;
                    if report.contents.get(level as usize) != Some(&extracted) {
                        failures.push(format!("{case}: the content differs from OpenSSL's"));
                    }
                    if ours.is_empty() || we_say_altered || we_doubt {
                        failures.push(format!(
                            "{case}: intact for OpenSSL, here {:?} with {:?}",
                            ours.iter().map(|s| s.status).collect::<Vec<_>>(),
                            codes(&ours)
                        ));
                    }
                }
                // Both refuse: altered (ours says which signature) or unreadable (the file's own
                // findings say why).
                None if we_say_altered => agreed += 1,
                None if ours.is_empty() && !report.findings.is_empty() => agreed += 1,
                None => {
                    let listed = OPENSSL_REFUSES_INTACT.iter().find(|(f, _)| *f == row.file);
                    if let Some((_, why)) = listed {
                        explained.push(format!("{case}: {why}"));
                    } else if codes(&ours).contains(&FindingCode::DigestInfoWithoutNull) {
                        explained.push(format!("{case}: DigestInfo without NULL"));
                    } else {
                        failures.push(format!(
                            "{case}: OpenSSL refuses it, here {:?} with {:?} and no reason",
                            ours.iter().map(|s| s.status).collect::<Vec<_>>(),
                            codes(&ours)
                        ));
                    }
                }
            }
        }
    }
    println!(
        "p7m oracle: {agreed} envelopes agreed; OpenSSL refused {} that are intact:\n  {}",
        explained.len(),
        explained.join("\n  ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(agreed >= 25, "too few envelopes compared: {agreed}");
    assert!(
        !explained.is_empty(),
        "the documented exception is no longer seen"
    );
}

/// What `openssl ts -reply -text` reads from a token.
#[derive(Debug)]
struct TokenText {
    hash: String,
    imprint: Vec<u8>,
    gen_time: DateTime<Utc>,
}

/// The bare TimeStampToken in `bytes` (a TimeStampResp or already a token), written to `token`.
fn openssl_token(work: &Path, bytes: &[u8], token: &Path) -> Option<()> {
    let input = work.join("in.tsr");
    std::fs::write(&input, bytes).unwrap();
    let (input, token) = (path(&input), path(token));
    openssl(&["ts", "-reply", "-in", input, "-token_out", "-out", token])
        .or_else(|| {
            let args = [
                "ts",
                "-reply",
                "-in",
                input,
                "-token_in",
                "-token_out",
                "-out",
                token,
            ];
            openssl(&args)
        })
        .map(drop)
}

fn openssl_token_text(token: &Path) -> Option<TokenText> {
    let text = openssl(&[
        "ts",
        "-reply",
        "-in",
        path(token),
        "-token_in",
        "-token_out",
        "-text",
    ])?;
    let text = String::from_utf8_lossy(&text);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
    };
    // "Message data:" is followed by hex-dump lines: "    0000 - d9 b5 f5 8f ...-... ...   ascii".
    let imprint = text
        .lines()
        .skip_while(|l| !l.starts_with("Message data:"))
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .flat_map(|l| {
            let hex = l.split_once(" - ").map_or("", |(_, r)| r);
            let hex = hex.get(..48).unwrap_or(hex).replace('-', " ");
            hex.split_ascii_whitespace()
                .map(|b| u8::from_str_radix(b, 16).unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    // "May 23 13:18:29 2018 GMT", with ".123" after the seconds when the token has fractions.
    let time = field("Time stamp:")?.trim_end_matches(" GMT");
    let gen_time = NaiveDateTime::parse_from_str(time, "%b %e %H:%M:%S%.f %Y")
        .ok()?
        .and_utc();
    Some(TokenText {
        hash: field("Hash Algorithm:")?.to_string(),
        imprint,
        gen_time,
    })
}

/// `openssl ts -verify` of `token` over `data`, trusting the token's own certificates
/// (`-partial_chain`), time not checked: the signature and the imprint, not the TSA's trust.
fn openssl_ts_verify(work: &Path, token: &Path, data: &Path) -> bool {
    let certs = work.join("token-certs.pem");
    let printed = openssl(&[
        "pkcs7",
        "-inform",
        "DER",
        "-in",
        path(token),
        "-print_certs",
        "-out",
        path(&certs),
    ]);
    printed.is_some()
        && openssl(&[
            "ts",
            "-verify",
            "-data",
            path(data),
            "-in",
            path(token),
            "-token_in",
            "-CAfile",
            path(&certs),
            "-partial_chain",
            "-no_check_time",
        ])
        .is_some()
}

fn openssl_digest(hash: &str, file: &Path) -> Vec<u8> {
    openssl(&["dgst", &format!("-{hash}"), "-binary", path(file)]).expect("openssl dgst")
}

#[test]
fn every_timestamp_token_reads_as_openssl_reads_it_and_proves_its_file() {
    let Some(dir) = oracle_ready() else { return };
    let work = tempfile::tempdir().unwrap();
    let token = work.path().join("token.der");
    let another = dir.join("p7m-other/slamdunk_OK.txt.p7m");
    let (mut tokens, mut pairs, mut failures) = (0, 0, Vec::new());
    for (row, companion, report) in every_signed_file(&dir) {
        if report.format != Some(DocumentFormat::Tsr) {
            continue;
        }
        let case = &row.file;
        let bytes = unwrapped(&std::fs::read(dir.join(case)).unwrap());
        let text =
            openssl_token(work.path(), &bytes, &token).and_then(|()| openssl_token_text(&token));
        let Some(text) = text else {
            failures.push(format!("{case}: OpenSSL cannot read the token"));
            continue;
        };
        tokens += 1;
        let ours = &report.signatures[0];
        assert_eq!(ours.role, SignatureRole::Timestamp, "{case}");
        if ours.signed_at != Some(text.gen_time) {
            failures.push(format!(
                "{case}: genTime {:?} here, {} for OpenSSL",
                ours.signed_at, text.gen_time
            ));
        }
        if ours.digest_algorithm.map(|d| d.as_str()) != Some(text.hash.as_str()) {
            failures.push(format!(
                "{case}: hash {:?} here, {} for OpenSSL",
                ours.digest_algorithm, text.hash
            ));
        }
        let Some(companion) = companion else { continue };
        pairs += 1;
        let data = dir.join(&companion);
        if openssl_digest(&text.hash, &data) != text.imprint {
            failures.push(format!(
                "{case}: the imprint is not the digest of {companion}"
            ));
        }
        if !openssl_ts_verify(work.path(), &token, &data) {
            failures.push(format!(
                "{case}: openssl ts -verify refuses it over {companion}"
            ));
        }
        if ours.status == SignatureStatus::Invalid
            || codes(&[ours]).contains(&FindingCode::TimestampImprintMismatch)
        {
            failures.push(format!(
                "{case}: here refused over {companion}: {:?}",
                codes(&[ours])
            ));
        }
        // Over another file both refuse.
        if openssl_ts_verify(work.path(), &token, &another) {
            failures.push(format!(
                "{case}: openssl ts -verify accepts it over another file"
            ));
        }
        let wrong = open(&dir, case, Some("p7m-other/slamdunk_OK.txt.p7m"));
        if wrong.status != SignatureStatus::Invalid {
            failures.push(format!(
                "{case}: over another file, here {:?}",
                wrong.status
            ));
        }
    }
    println!("timestamp oracle: {tokens} tokens read alike, {pairs} of them with their file");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(tokens >= 8 && pairs >= 6, "{tokens} tokens, {pairs} pairs");
}

/// One signature dictionary of a PDF as its `/ByteRange` describes it.
struct PdfSignature {
    /// The CMS in `/Contents`, and the bytes the ranges cover; `None` when the ranges do not frame
    /// a hex string inside the file.
    parts: Option<(Vec<u8>, Vec<u8>)>,
}

/// Every signature dictionary of `pdf`, in file order.
fn pdf_signatures(pdf: &[u8]) -> Vec<PdfSignature> {
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
fn is_timestamp_token(cms: &[u8]) -> bool {
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
                        && s.role == SignatureRole::Timestamp
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
