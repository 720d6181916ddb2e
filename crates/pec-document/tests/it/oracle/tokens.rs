//! Every RFC 3161 token file: OpenSSL reads the same genTime and hash, its imprint is the digest
//! of the file it is about, and `openssl ts -verify` accepts that pair and refuses another file.

use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use pec_core::signature::{FindingCode, SignatureStatus};
use pec_document::{DocumentFormat, SignatureRole};

use super::super::support::open;
use super::{codes, every_signed_file, openssl, oracle_ready, path, unwrapped};

/// What `openssl ts -reply -text` reads from a token.
#[derive(Debug)]
pub(super) struct TokenText {
    pub(super) hash: String,
    pub(super) imprint: Vec<u8>,
    pub(super) gen_time: DateTime<Utc>,
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

pub(super) fn openssl_token_text(token: &Path) -> Option<TokenText> {
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
pub(super) fn openssl_ts_verify(work: &Path, token: &Path, data: &Path) -> bool {
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

pub(super) fn openssl_digest(hash: &str, file: &Path) -> Vec<u8> {
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
