//! Signature verifier, end to end: the real PEC corpus, synthetic attacks made with a test CA,
//! and hostile input.
//!
//! The corpus is read in place from `../shared/corpus` (never copied into the repository); the
//! test says SKIPPED when it is absent. The test CA is generated here with rcgen and trusted
//! only by adding it to a `TrustAnchors` in the test. CMS signatures are made with the
//! `openssl` binary (tests only, as an independent oracle); those tests say SKIPPED without it.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use pec_core::signature::{
    FindingCode, SignatureStatus, TimeWitnesses, TrustAnchors, describe_p7s, verify_detached,
    verify_detached_at,
};

// ---------------------------------------------------------------------------------------------
// Test-only multipart/signed splitter (the real MIME locator lives elsewhere in pec-core).

/// Splits a top-level `multipart/signed` message into (signed first part, decoded p7s).
fn split_signed(eml: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let boundary = top_level_boundary(eml)?;
    let delimiter = [b"--".as_slice(), boundary.as_bytes()].concat();
    // Offsets of lines that start with the delimiter.
    let mut lines = Vec::new();
    let mut start = 0;
    while start < eml.len() {
        let end = eml[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(eml.len(), |p| start + p + 1);
        if eml[start..end].starts_with(&delimiter) {
            lines.push((start, end));
        }
        start = end;
    }
    let (_, first_end) = *lines.first()?;
    let (second_start, second_end) = *lines.get(1)?;
    // The first part ends at the CRLF or LF preceding the next delimiter line.
    let mut part_end = second_start;
    if part_end > first_end && eml[part_end - 1] == b'\n' {
        part_end -= 1;
        if part_end > first_end && eml[part_end - 1] == b'\r' {
            part_end -= 1;
        }
    }
    let signed = eml[first_end..part_end].to_vec();
    let third_start = lines.get(2).map_or(eml.len(), |l| l.0);
    let part2 = &eml[second_end..third_start];
    let body_at = find(part2, b"\r\n\r\n")
        .map(|p| p + 4)
        .or_else(|| find(part2, b"\n\n").map(|p| p + 2))?;
    let b64: Vec<u8> = part2[body_at..]
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let p7s = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    Some((signed, p7s))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The `boundary` parameter of the top-level Content-Type (unfolded, case-insensitive name).
fn top_level_boundary(eml: &[u8]) -> Option<String> {
    let head_end = find(eml, b"\r\n\r\n").or_else(|| find(eml, b"\n\n"))?;
    let head = String::from_utf8_lossy(&eml[..head_end]).replace("\r\n", "\n");
    let unfolded = head.replace("\n\t", " ").replace("\n ", " ");
    let ct = unfolded
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("content-type:"))?;
    if !ct.to_ascii_lowercase().contains("multipart/signed") {
        return None;
    }
    let at = ct.to_ascii_lowercase().find("boundary=")? + "boundary=".len();
    let rest = &ct[at..];
    let value = match rest.strip_prefix('"') {
        Some(q) => q.split('"').next()?,
        None => rest.split([';', ' ']).next()?,
    };
    Some(value.to_string())
}

// ---------------------------------------------------------------------------------------------
// The real corpus.

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.join("real").is_dir() {
        Some(dir)
    } else {
        println!("SKIPPED: corpus not found at {}", dir.display());
        None
    }
}

struct ManifestRow {
    file: String,
    expected: String,
    signing_time: String,
    digest: String,
}

fn manifest(dir: &Path) -> Vec<ManifestRow> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (f, e, t, d) = (
        col("file"),
        col("expected_signature"),
        col("signing_time"),
        col("digest"),
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            ManifestRow {
                file: c[f].to_string(),
                expected: c[e].to_string(),
                signing_time: c[t].to_string(),
                digest: c[d].to_string(),
            }
        })
        .collect()
}

#[test]
fn every_valid_corpus_message_verifies_and_every_altered_one_is_invalid() {
    let Some(dir) = corpus_dir() else { return };
    let anchors = TrustAnchors::builtin();
    let mut checked = 0;
    let mut failures = Vec::new();
    for row in manifest(&dir) {
        if !row.file.ends_with(".eml") {
            continue;
        }
        let eml = std::fs::read(dir.join("real").join(&row.file)).unwrap();
        let (signed, p7s) =
            split_signed(&eml).unwrap_or_else(|| panic!("cannot split {}", row.file));
        let report = verify_detached(&signed, &p7s, &anchors, None);
        let status = serde_json::to_value(report.status).unwrap();
        let codes: Vec<_> = report.findings.iter().map(|f| f.code).collect();
        println!(
            "{:<62} {:<8} {:?}",
            row.file,
            status.as_str().unwrap(),
            codes
        );
        checked += 1;
        if status != row.expected.as_str() {
            failures.push(format!(
                "{}: expected {}, got {:?} {:?}",
                row.file, row.expected, report.status, report.findings
            ));
            continue;
        }
        let signed_at = report
            .signed_at
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        assert_eq!(
            signed_at.as_deref(),
            Some(row.signing_time.as_str()),
            "{}",
            row.file
        );
        let digest = serde_json::to_value(report.digest_algorithm).unwrap();
        assert_eq!(digest.as_str(), Some(row.digest.as_str()), "{}", row.file);
        if row.expected == "valid" {
            assert!(
                report.chain.last().is_some_and(|l| l.is_anchor),
                "{}",
                row.file
            );
            assert!(
                report
                    .signer
                    .as_ref()
                    .and_then(|s| s.email.as_deref())
                    .is_some(),
                "{}",
                row.file
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, 27, "the corpus has 27 signed messages");
}

#[test]
fn a_receipt_checked_years_later_says_its_certificate_expired_since_but_stays_valid() {
    let Some(dir) = corpus_dir() else { return };
    let eml = std::fs::read(dir.join("real/aruba_transport_2013_jopenpec_2rcpt.eml")).unwrap();
    let (signed, p7s) = split_signed(&eml).unwrap();
    let now = "2026-01-01T00:00:00Z".parse().unwrap();
    let report = verify_detached_at(
        &signed,
        &p7s,
        &TrustAnchors::builtin(),
        Some("posta-certificata@pec.aruba.it"),
        &TimeWitnesses::at(now),
    );
    assert_eq!(
        report.status,
        SignatureStatus::Valid,
        "{:?}",
        report.findings
    );
    let codes: Vec<_> = report.findings.iter().map(|f| f.code).collect();
    assert!(codes.contains(&FindingCode::SignerCertificateExpiredSince));
    assert!(codes.contains(&FindingCode::LegacyDigestSha1));
    assert!(codes.contains(&FindingCode::LegacyKeyRsa1024));
    assert_eq!(report.key_bits, Some(1024));
    let chain: Vec<_> = report.chain.iter().map(|l| l.subject.as_str()).collect();
    assert_eq!(chain.len(), 2, "{chain:?}");
    assert!(chain[1].contains("CN=DigitPA CA1"));
}

#[test]
fn the_sender_address_is_compared_case_insensitively_and_a_mismatch_is_only_a_warning() {
    let Some(dir) = corpus_dir() else { return };
    let eml = std::fs::read(dir.join("real/aruba_accettazione_2021_seedoo_2rcpt.eml")).unwrap();
    let (signed, p7s) = split_signed(&eml).unwrap();
    let anchors = TrustAnchors::builtin();
    let baseline = verify_detached(&signed, &p7s, &anchors, None);
    let email = baseline
        .signer
        .as_ref()
        .and_then(|s| s.email.clone())
        .unwrap();
    let good = verify_detached(&signed, &p7s, &anchors, Some(&email.to_uppercase()));
    assert_eq!(good.status, SignatureStatus::Valid);
    assert!(
        !good
            .findings
            .iter()
            .any(|f| f.code == FindingCode::SignerEmailMismatch)
    );
    let other = verify_detached(&signed, &p7s, &anchors, Some("someone@example.org"));
    assert_eq!(other.status, SignatureStatus::Valid);
    assert!(
        other
            .findings
            .iter()
            .any(|f| f.code == FindingCode::SignerEmailMismatch)
    );
}

#[test]
fn the_standalone_aruba_p7s_is_describable() {
    let Some(dir) = corpus_dir() else { return };
    let p7s = std::fs::read(dir.join("real/aruba_smime_2014_jopenpec.p7s")).unwrap();
    let s = describe_p7s(&p7s).unwrap();
    let signer = s.signer.as_ref().unwrap();
    assert_eq!(signer.organization.as_deref(), Some("ARUBA PEC S.p.A."));
    assert_eq!(
        signer.common_name.as_deref(),
        Some("Posta Certificata ARUBA PEC")
    );
    // This certificate encodes its name CN first, so RFC 4514 (last RDN first) starts with C.
    assert_eq!(
        signer.subject,
        "C=IT,O=ARUBA PEC S.p.A.,CN=Posta Certificata ARUBA PEC"
    );
    assert_eq!(
        s.signed_at.unwrap().to_rfc3339(),
        "2014-09-02T14:12:03+00:00"
    );
    assert_eq!(s.key_bits, Some(1024));
    assert_eq!(s.certificates.len(), 2);
    assert!(!s.has_content);
    println!("{}", serde_json::to_string_pretty(&s).unwrap());
}

#[test]
fn the_corpus_p7s_cut_at_every_length_never_panics() {
    let Some(dir) = corpus_dir() else { return };
    let p7s = std::fs::read(dir.join("real/aruba_smime_2014_jopenpec.p7s")).unwrap();
    let anchors = TrustAnchors::builtin();
    for cut in 0..p7s.len() {
        let r = verify_detached(b"x", &p7s[..cut], &anchors, None);
        assert_eq!(r.status, SignatureStatus::Indeterminate, "cut at {cut}");
        let _ = describe_p7s(&p7s[..cut]);
    }
}

/// Throughput on real receipts. Run in release mode:
/// `cargo test --release -p pec-core --test tests -- --ignored --nocapture throughput`
#[test]
#[ignore = "a measurement, not a check; run in release mode"]
fn throughput_of_real_receipts_on_one_core() {
    let Some(dir) = corpus_dir() else { return };
    let anchors = TrustAnchors::builtin();
    for file in [
        "aruba_accettazione_2021_seedoo_2rcpt.eml",
        "aruba_accettazione_2015_seedoo.eml",
    ] {
        let eml = std::fs::read(dir.join("real").join(file)).unwrap();
        let (signed, p7s) = split_signed(&eml).unwrap();
        let started = std::time::Instant::now();
        let mut n = 0u32;
        while started.elapsed().as_secs_f64() < 3.0 {
            let r = verify_detached(
                &signed,
                &p7s,
                &anchors,
                Some("posta-certificata@pec.aruba.it"),
            );
            assert_eq!(r.status, SignatureStatus::Valid);
            n += 1;
        }
        let per_second = f64::from(n) / started.elapsed().as_secs_f64();
        println!(
            "{file}: {per_second:.0} verifications/s ({} bytes signed)",
            signed.len()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile input.

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn hostile_p7s_bytes_are_indeterminate_never_a_panic_or_a_hang() {
    let anchors = TrustAnchors::builtin();
    let mut inputs: Vec<Vec<u8>> = (0..2000)
        .map(|i| noise(i, (i as usize * 7) % 3000))
        .collect();
    // Random bytes behind a plausible SignedData prefix.
    let prefix = [
        0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x80,
    ];
    inputs.extend((0..500).map(|i| [prefix.as_slice(), &noise(i + 77, 400)].concat()));
    // 100k nesting levels, definite and indefinite.
    inputs.push([0x30, 0x80].repeat(100_000));
    let mut definite = Vec::new();
    for _ in 0..100_000 {
        definite = [
            vec![0x30, 0x84],
            (definite.len() as u32).to_be_bytes().to_vec(),
            definite,
        ]
        .concat();
        if definite.len() > 1_000_000 {
            break;
        }
    }
    inputs.push(definite);
    // Huge declared lengths.
    inputs.push(vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff]);
    inputs.push(vec![
        0x30, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ]);
    inputs.push(
        [
            vec![0x24, 0x80],
            [0x04, 0x84, 0x7f, 0xff, 0xff, 0xff].repeat(10),
        ]
        .concat(),
    );
    inputs.push(Vec::new());
    let started = std::time::Instant::now();
    for input in &inputs {
        let r = verify_detached(b"content\n", input, &anchors, Some("a@b.it"));
        assert_eq!(r.status, SignatureStatus::Indeterminate);
        assert!(
            r.findings
                .iter()
                .any(|f| f.code == FindingCode::MalformedCms)
        );
        let _ = describe_p7s(input);
    }
    assert!(
        started.elapsed().as_secs() < 30,
        "hostile inputs took {:?}",
        started.elapsed()
    );
}

/// A DER element with a definite length.
fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let n = body.len();
    let mut v = vec![tag];
    match n {
        0..=127 => v.push(n as u8),
        128..=255 => v.extend([0x81, n as u8]),
        256..=65535 => v.extend([0x82, (n >> 8) as u8, n as u8]),
        _ => v.extend([0x83, (n >> 16) as u8, (n >> 8) as u8, n as u8]),
    }
    v.extend_from_slice(body);
    v
}

/// `n` distinct elements in descending DER order: the worst case for an insertion sort.
fn descending(n: usize, element: impl Fn(usize) -> Vec<u8>) -> Vec<u8> {
    (0..n).rev().flat_map(element).collect()
}

#[test]
fn sets_built_to_be_slow_to_sort_are_refused_at_once() {
    // An RDN of 16,000 names (a `SET OF`, which a DER decoder sorts), inside an embedded
    // certificate, and 16,000 signed attributes: both must be refused in linear time.
    let atv = |i: usize| {
        let value = tlv(0x0c, &[(i >> 8) as u8, i as u8]);
        tlv(0x30, &[tlv(0x06, &[0x55, 0x04, 0x03]), value].concat())
    };
    let name = tlv(0x30, &tlv(0x31, &descending(16_000, atv)));
    let sha1_rsa = tlv(
        0x30,
        &tlv(
            0x06,
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05],
        ),
    );
    let tbs = tlv(
        0x30,
        &[tlv(0x02, &[1]), sha1_rsa.clone(), name.clone()].concat(),
    );
    let cert = tlv(0x30, &[tbs, sha1_rsa, tlv(0x03, &[0, 0])].concat());
    let attr = |i: usize| {
        let oid = tlv(
            0x06,
            &[0x2a, 0x03, 0x04, 0x80 | (i >> 7) as u8, (i & 0x7f) as u8],
        );
        tlv(0x30, &[oid, tlv(0x31, &[0x05, 0x00])].concat())
    };
    let signer_info = tlv(
        0x30,
        &[
            tlv(0x02, &[1]),
            tlv(0x30, &[name.clone(), tlv(0x02, &[1])].concat()),
            tlv(0x30, &tlv(0x06, &[0x2b, 0x0e, 0x03, 0x02, 0x1a])),
            tlv(0xa0, &descending(16_000, attr)),
            tlv(
                0x30,
                &tlv(
                    0x06,
                    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
                ),
            ),
            tlv(0x04, &[0; 128]),
        ]
        .concat(),
    );
    let signed_data = |certs: &[u8], signers: &[u8]| {
        let data_oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
        let body = [
            tlv(0x02, &[1]),
            tlv(0x31, &[]),
            tlv(0x30, &tlv(0x06, &data_oid)),
            tlv(0xa0, certs),
            tlv(0x31, signers),
        ]
        .concat();
        let sd_oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
        tlv(
            0x30,
            &[tlv(0x06, &sd_oid), tlv(0xa0, &tlv(0x30, &body))].concat(),
        )
    };
    let anchors = TrustAnchors::builtin();
    let started = std::time::Instant::now();
    for p7s in [signed_data(&cert, &[]), signed_data(&[], &signer_info)] {
        let r = verify_detached(b"content\n", &p7s, &anchors, None);
        assert_eq!(r.status, SignatureStatus::Indeterminate, "{:?}", r.findings);
        assert!(describe_p7s(&p7s).is_err());
    }
    // The same certificate offered as a trust anchor.
    assert!(TrustAnchors::empty().add_der(&cert).is_err());
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// Synthetic signatures: an rcgen test CA, CMS made by `openssl cms -sign`.

mod synthetic {
    use super::*;
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, DnValue,
        ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType, date_time_ymd,
    };

    const SIGNER_EMAIL: &str = "posta-certificata@pec.test.invalid";

    fn openssl_available() -> bool {
        let ok = Command::new("openssl")
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            println!("SKIPPED: the openssl binary is not available to make test signatures");
        }
        ok
    }

    /// A private folder for one PKI's files, removed when the PKI is dropped (issue 16 §7: a run
    /// leaves no `attesta-sig-*` folder behind, even when a test fails).
    fn work_dir(name: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("attesta-sig-{name}-"))
            .tempdir()
            .unwrap()
    }

    /// An RSA key made by openssl (ring cannot generate RSA), loaded into rcgen.
    fn rsa_key(dir: &Path, name: &str, bits: u32) -> (KeyPair, PathBuf) {
        let path = dir.join(format!("{name}.key"));
        let out = Command::new("openssl")
            .args(["genpkey", "-algorithm", "RSA", "-pkeyopt"])
            .arg(format!("rsa_keygen_bits:{bits}"))
            .arg("-out")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let pem = std::fs::read_to_string(&path).unwrap();
        (KeyPair::from_pem(&pem).unwrap(), path)
    }

    fn ec_key(dir: &Path, name: &str) -> (KeyPair, PathBuf) {
        let key = KeyPair::generate().unwrap();
        let path = dir.join(format!("{name}.key"));
        std::fs::write(&path, key.serialize_pem()).unwrap();
        (key, path)
    }

    fn agid_like_name() -> DistinguishedName {
        let mut dn = DistinguishedName::new();
        dn.push(
            DnType::CountryName,
            DnValue::PrintableString("IT".try_into().unwrap()),
        );
        dn.push(DnType::LocalityName, "Roma");
        dn.push(DnType::OrganizationName, "Agenzia per l'Italia Digitale");
        dn.push(
            DnType::OrganizationalUnitName,
            "Area Soluzioni per la Pubblica Amministrazione",
        );
        dn.push(DnType::CommonName, "AgID CA1");
        dn
    }

    fn ca_params(name: DistinguishedName) -> CertificateParams {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name = name;
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        p.not_before = date_time_ymd(2015, 1, 1);
        p.not_after = date_time_ymd(2045, 1, 1);
        p
    }

    fn test_ca_name() -> DistinguishedName {
        let mut dn = DistinguishedName::new();
        dn.push(
            DnType::CountryName,
            DnValue::PrintableString("IT".try_into().unwrap()),
        );
        dn.push(DnType::OrganizationName, "Attesta Test");
        dn.push(DnType::CommonName, "Attesta Test PEC CA");
        dn
    }

    fn signer_params(not_before: (i32, u8, u8), not_after: (i32, u8, u8)) -> CertificateParams {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        let mut dn = DistinguishedName::new();
        dn.push(
            DnType::CountryName,
            DnValue::PrintableString("IT".try_into().unwrap()),
        );
        dn.push(DnType::OrganizationName, "Provider di prova S.p.A.");
        dn.push(DnType::CommonName, "Posta Certificata di prova");
        p.distinguished_name = dn;
        p.is_ca = IsCa::ExplicitNoCa;
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection];
        p.subject_alt_names = vec![SanType::Rfc822Name(SIGNER_EMAIL.try_into().unwrap())];
        p.not_before = date_time_ymd(not_before.0, not_before.1, not_before.2);
        p.not_after = date_time_ymd(not_after.0, not_after.1, not_after.2);
        p
    }

    /// A CA and a provider signer it issued, as files openssl can use.
    struct Pki {
        dir: tempfile::TempDir,
        ca_pem: String,
        signer_cert: PathBuf,
        signer_key: PathBuf,
        chain_file: PathBuf,
    }

    impl Pki {
        fn anchors(&self) -> TrustAnchors {
            let mut a = TrustAnchors::empty();
            assert_eq!(a.add_pem(self.ca_pem.as_bytes()).unwrap(), 1);
            a
        }

        /// Signs `content` (detached, binary: exactly these bytes).
        fn sign(&self, content: &[u8], md: &str, stream: bool) -> Vec<u8> {
            let input = self.dir.path().join("content");
            let output = self.dir.path().join(format!("sig-{md}-{stream}.der"));
            std::fs::write(&input, content).unwrap();
            let mut cmd = Command::new("openssl");
            cmd.args(["cms", "-sign", "-binary", "-outform", "DER", "-md", md])
                .arg("-in")
                .arg(&input)
                .arg("-signer")
                .arg(&self.signer_cert)
                .arg("-inkey")
                .arg(&self.signer_key)
                .arg("-certfile")
                .arg(&self.chain_file)
                .arg("-out")
                .arg(&output);
            if stream {
                cmd.arg("-stream");
            }
            let out = cmd.output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::fs::read(output).unwrap()
        }
    }

    enum KeyKind {
        Rsa(u32),
        Ec,
    }

    /// Builds a PKI. `issuer_name` is the CA's name; `embedded_ca` is the CA put in the CMS.
    fn pki(
        name: &str,
        ca_name: DistinguishedName,
        kind: KeyKind,
        validity: ((i32, u8, u8), (i32, u8, u8)),
    ) -> Pki {
        let dir = work_dir(name);
        let key = |n: &str| match kind {
            KeyKind::Rsa(bits) => rsa_key(dir.path(), n, bits.max(2048)),
            KeyKind::Ec => ec_key(dir.path(), n),
        };
        let (ca_key, ca_key_path) = key("ca");
        let params = ca_params(ca_name);
        let ca = params.self_signed(&ca_key).unwrap();
        let chain_file = dir.path().join("chain.pem");
        std::fs::write(&chain_file, ca.pem()).unwrap();
        let signer_cert = dir.path().join("signer.pem");
        let signer_key_path = match kind {
            // NOTE: ring refuses RSA keys under 2048 bits, so a 2013-style RSA-1024 signer with
            // a sha1WithRSA certificate is issued by openssl, with the same CA.
            KeyKind::Rsa(bits) if bits < 2048 => openssl_issue_legacy_signer(
                dir.path(),
                bits,
                &chain_file,
                &ca_key_path,
                &signer_cert,
            ),
            _ => {
                let (signer_key, signer_key_path) = key("signer");
                let issuer = Issuer::from_params(&params, &ca_key);
                let signer = signer_params(validity.0, validity.1)
                    .signed_by(&signer_key, &issuer)
                    .unwrap();
                std::fs::write(&signer_cert, signer.pem()).unwrap();
                signer_key_path
            }
        };
        Pki {
            dir,
            ca_pem: ca.pem(),
            signer_cert,
            signer_key: signer_key_path,
            chain_file,
        }
    }

    /// Issues a short-key signer certificate with openssl; returns the key's path.
    fn openssl_issue_legacy_signer(
        dir: &Path,
        bits: u32,
        ca_cert: &Path,
        ca_key: &Path,
        out: &Path,
    ) -> PathBuf {
        let key = dir.join("signer-legacy.key");
        let csr = dir.join("signer.csr");
        let ext = dir.join("signer.ext");
        let run = |cmd: &mut Command| {
            let o = cmd.output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        };
        run(Command::new("openssl")
            .args(["genpkey", "-algorithm", "RSA", "-pkeyopt"])
            .arg(format!("rsa_keygen_bits:{bits}"))
            .arg("-out")
            .arg(&key));
        run(Command::new("openssl")
            .args([
                "req",
                "-new",
                "-subj",
                "/C=IT/O=Provider di prova S.p.A./CN=Posta Certificata di prova",
                "-key",
            ])
            .arg(&key)
            .arg("-out")
            .arg(&csr));
        std::fs::write(
            &ext,
            format!("keyUsage=critical,digitalSignature\nextendedKeyUsage=emailProtection\nsubjectAltName=email:{SIGNER_EMAIL}\n"),
        )
        .unwrap();
        run(Command::new("openssl")
            .args([
                "x509",
                "-req",
                "-sha1",
                "-days",
                "3650",
                "-set_serial",
                "3345",
                "-in",
            ])
            .arg(&csr)
            .arg("-CA")
            .arg(ca_cert)
            .arg("-CAkey")
            .arg(ca_key)
            .arg("-extfile")
            .arg(&ext)
            .arg("-out")
            .arg(out));
        key
    }

    fn current() -> ((i32, u8, u8), (i32, u8, u8)) {
        ((2020, 1, 1), (2040, 1, 1))
    }

    fn content() -> Vec<u8> {
        b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nMessaggio di posta certificata.\r\n--b1\r\nContent-Type: application/xml; name=\"daticert.xml\"\r\n\r\n<postacert tipo=\"accettazione\"/>\r\n--b1--\r\n".to_vec()
    }

    fn codes(r: &pec_core::signature::SignatureReport) -> Vec<FindingCode> {
        r.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn sha256_and_sha1_signatures_from_a_trusted_test_ca_are_valid() {
        if !openssl_available() {
            return;
        }
        let pki = pki("digests", test_ca_name(), KeyKind::Rsa(2048), current());
        let anchors = pki.anchors();
        let body = content();
        let r = verify_detached(
            &body,
            &pki.sign(&body, "sha256", false),
            &anchors,
            Some(SIGNER_EMAIL),
        );
        assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert_eq!(serde_json::to_value(r.digest_algorithm).unwrap(), "sha256");
        assert_eq!(
            serde_json::to_value(r.signature_algorithm).unwrap(),
            "rsa-pkcs1v15"
        );
        assert_eq!(r.key_bits, Some(2048));
        assert_eq!(r.chain.len(), 2);
        assert!(r.chain[1].is_anchor && !r.chain[0].is_anchor);

        let r = verify_detached(
            &body,
            &pki.sign(&body, "sha1", false),
            &anchors,
            Some(SIGNER_EMAIL),
        );
        assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
        assert_eq!(codes(&r), vec![FindingCode::LegacyDigestSha1]);

        for md in ["sha384", "sha512"] {
            let r = verify_detached(
                &body,
                &pki.sign(&body, md, false),
                &anchors,
                Some(SIGNER_EMAIL),
            );
            assert_eq!(r.status, SignatureStatus::Valid, "{md}: {:?}", r.findings);
        }
    }

    #[test]
    fn one_changed_byte_of_signed_content_makes_the_signature_invalid() {
        if !openssl_available() {
            return;
        }
        let pki = pki("tamper", test_ca_name(), KeyKind::Rsa(2048), current());
        let body = content();
        let p7s = pki.sign(&body, "sha256", false);
        let mut altered = body.clone();
        let at = find(&altered, b"Messaggio").unwrap();
        altered[at] = b'm';
        let r = verify_detached(&altered, &p7s, &pki.anchors(), None);
        assert_eq!(r.status, SignatureStatus::Invalid);
        assert!(codes(&r).contains(&FindingCode::ContentDigestMismatch));
        // The report still names the signer, for the user to see who signed what.
        assert!(r.signer.is_some());
    }

    #[test]
    fn a_tampered_signature_value_is_invalid() {
        if !openssl_available() {
            return;
        }
        let pki = pki("sigvalue", test_ca_name(), KeyKind::Rsa(2048), current());
        let body = content();
        let mut p7s = pki.sign(&body, "sha256", false);
        let last = p7s.len() - 1;
        p7s[last] ^= 0x01; // The signature value is the last element of a DER SignerInfo.
        let r = verify_detached(&body, &p7s, &pki.anchors(), None);
        assert_eq!(r.status, SignatureStatus::Invalid, "{:?}", r.findings);
        assert!(codes(&r).contains(&FindingCode::SignatureMismatch));
    }

    #[test]
    fn line_endings_converted_between_lf_and_crlf_still_verify() {
        if !openssl_available() {
            return;
        }
        let pki = pki("eol", test_ca_name(), KeyKind::Rsa(2048), current());
        let crlf = content();
        let p7s = pki.sign(&crlf, "sha256", false);
        let lf: Vec<u8> = String::from_utf8(crlf.clone())
            .unwrap()
            .replace("\r\n", "\n")
            .into_bytes();
        let half = String::from_utf8(crlf.clone()).unwrap();
        let (a, b) = half.split_at(half.len() / 2);
        let mixed_text = format!("{}{}", a.replace("\r\n", "\n"), b);
        for variant in [crlf.as_slice(), lf.as_slice(), mixed_text.as_bytes()] {
            let r = verify_detached(variant, &p7s, &pki.anchors(), None);
            assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
        }
    }

    /// Swaps the contentType and signingTime attributes (DER order: they come first and in that
    /// order in an openssl signature), so the attributes travel out of DER order.
    fn unsorted_attributes(p7s: &[u8]) -> Vec<u8> {
        let content_type = [
            0x30, 0x18, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03, 0x31,
            0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
        ];
        let signing_time = [
            0x30, 0x1c, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05,
        ];
        let at = find(p7s, &content_type).expect("a contentType attribute");
        let st = at + content_type.len();
        assert_eq!(&p7s[st..st + signing_time.len()], &signing_time);
        let end = st + 0x1e;
        [&p7s[..at], &p7s[st..end], &p7s[at..st], &p7s[end..]].concat()
    }

    #[test]
    fn signed_attributes_sent_out_of_order_verify_through_their_sorted_form() {
        if !openssl_available() {
            return;
        }
        let pki = pki("unsorted", test_ca_name(), KeyKind::Rsa(2048), current());
        let body = content();
        let p7s = unsorted_attributes(&pki.sign(&body, "sha256", false));
        let r = verify_detached(&body, &p7s, &pki.anchors(), None);
        assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
        assert_eq!(codes(&r), vec![FindingCode::SignedAttributesReencoded]);
        // Reordering is all the fallback forgives: altered content still fails.
        let mut altered = body.clone();
        altered[0] ^= 0x20;
        let r = verify_detached(&altered, &p7s, &pki.anchors(), None);
        assert_eq!(r.status, SignatureStatus::Invalid, "{:?}", r.findings);
        // And so does a changed signing time, which only the signature protects.
        let mut late = p7s.clone();
        let header = [
            0x30, 0x1c, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05,
        ];
        // attribute header (13) + SET header (2) + UTCTime header (2), then YYMMDDhhmm|ss.
        let seconds = find(&late, &header).expect("the signingTime attribute") + 17 + 10;
        late[seconds] = if late[seconds] == b'1' { b'2' } else { b'1' };
        let r = verify_detached(&body, &late, &pki.anchors(), None);
        assert!(
            codes(&r).contains(&FindingCode::SignatureMismatch),
            "{:?}",
            r.findings
        );
    }

    #[test]
    fn a_streamed_ber_signature_with_indefinite_lengths_is_normalised_and_valid() {
        if !openssl_available() {
            return;
        }
        let pki = pki("ber", test_ca_name(), KeyKind::Rsa(2048), current());
        let body = content();
        let p7s = pki.sign(&body, "sha256", true);
        assert_eq!(
            &p7s[..2],
            &[0x30, 0x80],
            "openssl -stream should make indefinite lengths"
        );
        let r = verify_detached(&body, &p7s, &pki.anchors(), None);
        assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
        assert_eq!(codes(&r), vec![FindingCode::BerNormalised]);
        assert!(describe_p7s(&p7s).unwrap().ber_normalised);
    }

    #[test]
    fn a_look_alike_ca_with_the_trusted_name_but_another_key_is_untrusted() {
        if !openssl_available() {
            return;
        }
        let genuine = pki("genuine", test_ca_name(), KeyKind::Rsa(2048), current());
        let forged = pki("forged", test_ca_name(), KeyKind::Rsa(2048), current());
        let body = content();
        let p7s = forged.sign(&body, "sha256", false);
        // Sanity: the forger's own CA would accept it.
        assert_eq!(
            verify_detached(&body, &p7s, &forged.anchors(), None).status,
            SignatureStatus::Valid
        );
        let r = verify_detached(&body, &p7s, &genuine.anchors(), None);
        assert_eq!(r.status, SignatureStatus::Untrusted, "{:?}", r.findings);
        assert!(codes(&r).contains(&FindingCode::NoPathToAnchor));
        assert!(codes(&r).contains(&FindingCode::IssuerSignatureInvalid));
        assert!(r.chain.iter().all(|l| !l.is_anchor));
    }

    #[test]
    fn a_look_alike_agid_ca1_is_not_trusted_by_the_builtin_anchors() {
        if !openssl_available() {
            return;
        }
        let fake = pki("fake-agid", agid_like_name(), KeyKind::Rsa(2048), current());
        // The forged name is byte for byte AgID CA1's.
        let builtin = TrustAnchors::builtin();
        let body = content();
        let p7s = fake.sign(&body, "sha256", false);
        let r = verify_detached(&body, &p7s, &builtin, None);
        assert_eq!(r.status, SignatureStatus::Untrusted, "{:?}", r.findings);
        let issuer_complaint = r
            .findings
            .iter()
            .find(|f| f.code == FindingCode::IssuerSignatureInvalid);
        assert!(
            issuer_complaint.is_some_and(|f| f.message.contains("AgID CA1")),
            "{:?}",
            r.findings
        );
    }

    #[test]
    fn a_signer_certificate_expired_before_signing_is_untrusted() {
        if !openssl_available() {
            return;
        }
        let pki = pki(
            "expired",
            test_ca_name(),
            KeyKind::Rsa(2048),
            ((2016, 1, 1), (2019, 1, 1)),
        );
        let body = content();
        // openssl writes the current time as signingTime: years after the certificate ended.
        let r = verify_detached(
            &body,
            &pki.sign(&body, "sha256", false),
            &pki.anchors(),
            None,
        );
        assert_eq!(r.status, SignatureStatus::Untrusted, "{:?}", r.findings);
        assert_eq!(
            codes(&r),
            vec![FindingCode::CertificateNotValidAtSigningTime]
        );
    }

    #[test]
    fn without_the_test_ca_among_the_anchors_a_good_signature_is_untrusted() {
        if !openssl_available() {
            return;
        }
        let pki = pki("unanchored", test_ca_name(), KeyKind::Rsa(2048), current());
        let body = content();
        let r = verify_detached(
            &body,
            &pki.sign(&body, "sha256", false),
            &TrustAnchors::builtin(),
            None,
        );
        assert_eq!(r.status, SignatureStatus::Untrusted);
        assert_eq!(codes(&r), vec![FindingCode::NoPathToAnchor]);
    }

    #[test]
    fn an_rsa_1024_signer_is_valid_with_a_legacy_warning() {
        if !openssl_available() {
            return;
        }
        let pki = pki("rsa1024", test_ca_name(), KeyKind::Rsa(1024), current());
        let body = content();
        let r = verify_detached(&body, &pki.sign(&body, "sha1", false), &pki.anchors(), None);
        assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
        assert_eq!(
            codes(&r),
            vec![FindingCode::LegacyDigestSha1, FindingCode::LegacyKeyRsa1024]
        );
    }

    #[test]
    fn an_ecdsa_p256_signature_is_valid() {
        if !openssl_available() {
            return;
        }
        let pki = pki("ecdsa", test_ca_name(), KeyKind::Ec, current());
        let body = content();
        let r = verify_detached(
            &body,
            &pki.sign(&body, "sha256", false),
            &pki.anchors(),
            None,
        );
        assert_eq!(r.status, SignatureStatus::Valid, "{:?}", r.findings);
        assert_eq!(
            serde_json::to_value(r.signature_algorithm).unwrap(),
            "ecdsa"
        );
        assert_eq!(r.key_bits, Some(256));
    }

    #[test]
    fn the_report_serialises_with_stable_names() {
        if !openssl_available() {
            return;
        }
        let pki = pki("json", test_ca_name(), KeyKind::Rsa(2048), current());
        let body = content();
        let r = verify_detached(
            &body,
            &pki.sign(&body, "sha1", false),
            &pki.anchors(),
            Some("other@x.it"),
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["status"], "valid");
        assert_eq!(json["digest_algorithm"], "sha1");
        assert_eq!(json["signer"]["email"], SIGNER_EMAIL);
        assert_eq!(json["signer"]["organization"], "Provider di prova S.p.A.");
        assert_eq!(json["findings"][0]["code"], "legacy-digest-sha1");
        assert_eq!(json["findings"][1]["code"], "signer-email-mismatch");
        assert_eq!(json["findings"][1]["severity"], "warning");
        assert!(json["chain"][1]["sha256"].as_str().unwrap().len() == 64);
    }
}
