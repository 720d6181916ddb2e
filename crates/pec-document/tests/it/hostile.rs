//! Hostile inputs: every one gets a clear verdict — `invalid` or `indeterminate`, with a finding
//! that says why — and neither a panic, nor a stack overflow, nor a hang (issue 15: "total").
//!
//! The real signed files cut short and with single bytes flipped; CMS nested ten thousand levels
//! deep; `.p7m` inside `.p7m` past [`MAX_LEVEL`]; 64 MiB of zeros and of noise; PDFs whose byte
//! ranges overlap, leave the file, are negative or huge, or frame something that is not a hex
//! signature; a PDF with ten thousand signature dictionaries. Nothing here measures time: the
//! bounds are what keeps the whole file to a few seconds in a debug build.

use std::collections::BTreeSet;
use std::path::Path;

use pec_core::signature::{FindingCode, Severity, SignatureFinding, SignatureStatus, TrustAnchors};
use pec_document::{Checking, DocumentFormat, DocumentReport, MAX_LEVEL, armor};
use pec_testkit::Rng;

use super::support::{
    anchors, byte_ranges, companion, der_elements, der_value, is_signed_kind, lists, manifest, now,
    signed_dir,
};

fn findings(report: &DocumentReport) -> impl Iterator<Item = &SignatureFinding> {
    report
        .findings
        .iter()
        .chain(report.signatures.iter().flat_map(|s| &s.findings))
}

fn codes(report: &DocumentReport) -> BTreeSet<String> {
    findings(report)
        .map(|f| f.code.as_str().to_string())
        .collect()
}

fn has(report: &DocumentReport, code: FindingCode) -> bool {
    findings(report).any(|f| f.code == code)
}

/// `invalid` or `indeterminate`, and a finding of that weight saying why.
fn refused(report: &DocumentReport) -> bool {
    matches!(
        report.status,
        SignatureStatus::Invalid | SignatureStatus::Indeterminate
    ) && findings(report).any(|f| matches!(f.severity, Severity::Invalid | Severity::Indeterminate))
}

fn assert_refused(report: &DocumentReport, case: &str) {
    assert!(
        refused(report),
        "{case}: {:?} with {:?}",
        report.status,
        codes(report)
    );
}

/// Opens bytes with no trust at all (the structure is what is tested).
fn open_untrusted(name: &str, bytes: &[u8]) -> DocumentReport {
    let anchors = TrustAnchors::empty();
    let checking = Checking {
        anchors: &anchors,
        now: now(),
        services: None,
        companion: None,
    };
    pec_document::open(name, bytes, &checking)
}

/// Opens bytes as `attesta verify-doc` would, with the Italian lists' anchors.
fn open_bytes(dir: &Path, name: &str, bytes: &[u8], companion: Option<&[u8]>) -> DocumentReport {
    let checking = Checking {
        anchors: anchors(dir),
        now: now(),
        services: Some(lists(dir)),
        companion,
    };
    pec_document::open(name, bytes, &checking)
}

/// A real signed file of the shared set, its companion's bytes and its report.
struct Real {
    file: String,
    bytes: Vec<u8>,
    companion: Option<Vec<u8>>,
    report: DocumentReport,
}

fn real_files(dir: &Path) -> Vec<Real> {
    manifest(dir)
        .into_values()
        .filter(|r| is_signed_kind(&r.kind))
        .map(|row| {
            let bytes = std::fs::read(dir.join(&row.file)).unwrap();
            let companion = companion(dir, &row).map(|c| std::fs::read(dir.join(c)).unwrap());
            let report = open_bytes(dir, &row.file, &bytes, companion.as_deref());
            Real {
                file: row.file,
                bytes,
                companion,
                report,
            }
        })
        .collect()
}

/// About twenty places in `len` bytes: the edges, the middle and evenly between.
fn places(len: usize) -> BTreeSet<usize> {
    let mut at: BTreeSet<usize> = [
        0,
        1,
        2,
        len / 2,
        len.saturating_sub(2),
        len.saturating_sub(1),
    ]
    .into_iter()
    .collect();
    at.extend((1..15).map(|i| len * i / 15));
    at.retain(|&p| p < len);
    at
}

/// Bytes after a signed object that no signature covers: whitespace, zero padding, or the end of a
/// PEM armour line (`-----END PKCS7-----`).
fn unsigned_framing(file: &[u8], tail: &[u8]) -> bool {
    let tail = tail.trim_ascii_end();
    let armour_end = file
        .windows(8)
        .rposition(|w| w == b"-----END")
        .map(|at| file[at..].trim_ascii_end());
    tail.iter().all(|&b| b == 0) || armour_end.is_some_and(|line| line.ends_with(tail))
}

/// Where the first signature of a PDF's ranges end: a cut after it leaves that signed revision.
fn first_revision_end(pdf: &[u8]) -> Option<usize> {
    match byte_ranges(pdf).first()?[..] {
        [0, _, c, d] => c.checked_add(d),
        _ => None,
    }
}

#[test]
fn every_real_signed_file_cut_short_is_refused_with_a_reason() {
    let Some(dir) = signed_dir() else { return };
    let mut failures = Vec::new();
    let (mut cuts, mut framing, mut revisions) = (0, 0, 0);
    for real in real_files(&dir) {
        for cut in places(real.bytes.len()) {
            cuts += 1;
            let tail = &real.bytes[cut..];
            let report = open_bytes(
                &dir,
                &real.file,
                &real.bytes[..cut],
                real.companion.as_deref(),
            );
            // A PDF cut before its first signature dictionary is an unsigned PDF, and says so.
            let unsigned_pdf = report.format == Some(DocumentFormat::Pades)
                && report.signatures.is_empty()
                && report.status == SignatureStatus::Unsigned;
            if refused(&report) || unsigned_pdf {
                continue;
            }
            // What was cut was never signed: the verdict and what it proves stay.
            if unsigned_framing(&real.bytes, tail) && proven(&report) == proven(&real.report) {
                framing += 1;
                continue;
            }
            // A PDF cut after a complete signed revision is that revision: its signatures hold,
            // the later ones are gone, and the report says the file went on after them.
            let earlier_revision = report.format == Some(DocumentFormat::Pades)
                && first_revision_end(&real.bytes).is_some_and(|end| cut >= end)
                && report.signatures.len() < real.report.signatures.len();
            if earlier_revision {
                revisions += 1;
                continue;
            }
            failures.push(format!(
                "{} cut at {cut} of {}: {:?} with {:?}",
                real.file,
                real.bytes.len(),
                report.status,
                codes(&report)
            ));
        }
    }
    println!(
        "{cuts} cuts of the real files opened: {framing} removed only unsigned framing, {revisions} \
         left an earlier signed PDF revision, the rest were refused"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What a report proves when it says the signatures hold: the contents, the times and the signers.
fn proven(report: &DocumentReport) -> (Vec<Vec<u8>>, Vec<String>, Vec<String>) {
    let times = report
        .signatures
        .iter()
        .filter_map(|s| s.signed_at.map(|t| t.to_rfc3339()))
        .collect();
    let signers = report
        .signatures
        .iter()
        .filter_map(|s| s.signer.as_ref()?.common_name.clone())
        .collect();
    (report.contents.clone(), times, signers)
}

#[test]
fn a_flipped_byte_never_changes_what_a_good_verdict_proves() {
    let Some(dir) = signed_dir() else { return };
    let mut failures = Vec::new();
    let mut flips = 0;
    for real in real_files(&dir) {
        let ranges = byte_ranges(&real.bytes);
        let mut rng = Rng::new(real.bytes.len() as u64);
        let mut at = places(real.bytes.len());
        at.extend((0..6).map(|_| rng.below(real.bytes.len() as u64) as usize));
        for position in at {
            flips += 1;
            let mut bytes = real.bytes.clone();
            bytes[position] ^= 0x01;
            let report = open_bytes(&dir, &real.file, &bytes, real.companion.as_deref());
            let case = format!("{} flipped at {position}", real.file);
            let holds = matches!(
                report.status,
                SignatureStatus::Valid | SignatureStatus::Untrusted
            );
            // A damaged file a flip repairs (`fephp_invalid` is a good file with its last byte
            // changed) proves what it proves; only a good verdict is held to the original.
            let was_good = matches!(
                real.report.status,
                SignatureStatus::Valid | SignatureStatus::Untrusted
            );
            let (contents, times, signers) = proven(&report);
            let (was_contents, was_times, was_signers) = proven(&real.report);
            if !was_good {
                continue;
            }
            if holds && (contents != was_contents || times != was_times) {
                failures.push(format!(
                    "{case}: {:?}, yet its content or times changed",
                    report.status
                ));
            }
            if report.status == SignatureStatus::Valid && signers != was_signers {
                failures.push(format!("{case}: valid, yet signed by {signers:?}"));
            }
            // In a PDF, a byte inside any signature's ranges is signed.
            let signed_in_pdf = real.report.format == Some(DocumentFormat::Pades)
                && ranges.iter().any(|r| match r[..] {
                    [a, b, c, d] => {
                        (a..a.saturating_add(b)).contains(&position)
                            || (c..c.saturating_add(d)).contains(&position)
                    }
                    _ => false,
                });
            // Unless the flip hid a later signature's dictionary: the earlier ones then cover
            // earlier revisions, and say that the file went on after them.
            let hid_a_signature = report.signatures.len() < real.report.signatures.len()
                && has(&report, FindingCode::LaterRevisions);
            if signed_in_pdf && holds && !hid_a_signature {
                failures.push(format!(
                    "{case}: inside the signed ranges, yet {:?}",
                    report.status
                ));
            }
        }
    }
    println!("{flips} single-byte flips of the real files opened");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_flip_inside_the_signed_content_of_a_valid_p7m_makes_it_invalid() {
    let Some(dir) = signed_dir() else { return };
    let mut checked = Vec::new();
    for real in real_files(&dir) {
        if real.report.format != Some(DocumentFormat::Cades)
            || real.report.status != SignatureStatus::Valid
        {
            continue;
        }
        let der = armor::unwrap(&real.bytes).unwrap_or_else(|| real.bytes.clone());
        let content = &real.report.contents[0];
        // The content's first bytes as they lie in the file (BER may cut the rest in chunks).
        let probe = &content[..content.len().min(256)];
        let Some(start) = der.windows(probe.len()).position(|w| w == probe) else {
            continue;
        };
        let mut bytes = der.clone();
        bytes[start + probe.len() / 2] ^= 0x01;
        let report = open_bytes(&dir, &real.file, &bytes, None);
        assert_eq!(report.status, SignatureStatus::Invalid, "{}", real.file);
        assert!(
            has(&report, FindingCode::ContentDigestMismatch),
            "{}: {:?}",
            real.file,
            codes(&report)
        );
        checked.push(real.file);
    }
    println!("content flipped in {} valid p7m files", checked.len());
    assert!(checked.len() >= 5, "{checked:?}");
}

// --- CMS built by hand: a few DER helpers ---------------------------------------------------

fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = header(tag, value.len());
    out.extend_from_slice(value);
    out
}

fn header(tag: u8, len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![tag, len as u8];
    }
    let bytes: Vec<u8> = len
        .to_be_bytes()
        .into_iter()
        .skip_while(|&b| b == 0)
        .collect();
    let mut out = vec![tag, 0x80 | bytes.len() as u8];
    out.extend(bytes);
    out
}

const OID_SIGNED_DATA: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
];
const OID_DATA: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
];

/// A ContentInfo around SignedData whose encapsulated content is `inner`, every other field
/// (certificates, signer infos) taken from `model` (a real p7m, DER).
fn reshell(model: &[u8], inner: &[u8]) -> Vec<u8> {
    let content_info = der_value(model).unwrap();
    let [_, explicit] = der_elements(content_info)[..] else {
        panic!("model is not a ContentInfo")
    };
    let signed_data = der_value(der_value(explicit).unwrap()).unwrap();
    let fields: Vec<Vec<u8>> = der_elements(signed_data)
        .into_iter()
        .enumerate()
        .map(|(i, field)| match i {
            2 => tlv(0x30, &[OID_DATA, &tlv(0xa0, &tlv(0x04, inner))].concat()),
            _ => field.to_vec(),
        })
        .collect();
    let signed_data = tlv(0x30, &fields.concat());
    tlv(0x30, &[OID_SIGNED_DATA, &tlv(0xa0, &signed_data)].concat())
}

#[test]
fn envelopes_nested_past_the_limit_stop_at_the_limit_with_a_finding() {
    let Some(dir) = signed_dir() else { return };
    let real = std::fs::read(dir.join("p7m-invoice/oca_IT01234567890_FPR03.xml.p7m")).unwrap();
    let model = pec_core::signature::normalise_ber(&real).unwrap().der;
    let mut bytes = real.clone();
    for _ in 0..MAX_LEVEL + 4 {
        bytes = reshell(&model, &bytes);
    }
    let report = open_bytes(&dir, "deep.p7m.p7m", &bytes, None);
    assert_eq!(report.format, Some(DocumentFormat::Cades));
    // Every shell's signer signed another content: each is invalid, and the limit is said.
    assert_eq!(
        report.status,
        SignatureStatus::Invalid,
        "{:?}",
        codes(&report)
    );
    assert!(has(&report, FindingCode::ContentDigestMismatch));
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code == FindingCode::MalformedCms && f.message.contains("nests more than")),
        "{:?}",
        report.findings
    );
    let deepest = report.signatures.iter().map(|s| s.level).max().unwrap();
    assert_eq!(deepest, MAX_LEVEL - 1);
    assert_eq!(report.contents.len(), MAX_LEVEL as usize);
}

#[test]
fn ten_thousand_envelopes_inside_each_other_are_refused_without_recursion() {
    // ContentInfo { signedData, SignedData { 1, {}, { data, [0] OCTET STRING <the next one> }, {} } },
    // ten thousand times, built outside in (each shell's header depends on what it holds).
    const DEPTH: usize = 10_000;
    let core = b"the innermost content".to_vec();
    let mut prefixes = Vec::with_capacity(DEPTH);
    let suffix = [0x31, 0x00];
    let mut inner_len = core.len();
    for _ in 0..DEPTH {
        let octets = header(0x04, inner_len).len() + inner_len;
        let explicit = header(0xa0, octets).len() + octets;
        let encap = OID_DATA.len() + explicit;
        let encap_all = header(0x30, encap).len() + encap;
        let signed = 3 + 2 + encap_all + suffix.len();
        let signed_all = header(0x30, signed).len() + signed;
        let outer = OID_SIGNED_DATA.len() + header(0xa0, signed_all).len() + signed_all;
        let mut p = header(0x30, outer);
        p.extend_from_slice(OID_SIGNED_DATA);
        p.extend(header(0xa0, signed_all));
        p.extend(header(0x30, signed));
        p.extend([0x02, 0x01, 0x01, 0x31, 0x00]);
        p.extend(header(0x30, encap));
        p.extend_from_slice(OID_DATA);
        p.extend(header(0xa0, octets));
        p.extend(header(0x04, inner_len));
        inner_len += p.len() + suffix.len();
        prefixes.push(p);
    }
    let mut bytes: Vec<u8> = prefixes.iter().rev().flatten().copied().collect();
    bytes.extend(&core);
    for _ in 0..DEPTH {
        bytes.extend(suffix);
    }
    assert_eq!(bytes.len(), inner_len);
    let report = open_untrusted("deep.p7m", &bytes);
    assert_refused(&report, "10,000 signerless envelopes");
    assert!(report.signatures.iter().all(|s| s.level < MAX_LEVEL));
}

#[test]
fn cms_nested_ten_thousand_levels_deep_is_refused_without_a_stack_overflow() {
    const DEPTH: usize = 10_000;
    let bomb = |tag: u8| -> Vec<u8> {
        let mut b = [tag, 0x80].repeat(DEPTH);
        b.extend([0x00, 0x00].repeat(DEPTH));
        b
    };
    let signed_data_around = |inside: &[u8]| -> Vec<u8> {
        let mut b = vec![0x30, 0x80];
        b.extend_from_slice(OID_SIGNED_DATA);
        b.extend([0xa0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x31, 0x00]);
        b.extend([0x30, 0x80]);
        b.extend_from_slice(OID_DATA);
        b.extend([0xa0, 0x80]);
        b.extend_from_slice(inside);
        b.extend([
            0x00, 0x00, 0x00, 0x00, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        ]);
        b
    };
    let cases = [
        ("SEQUENCE bomb", bomb(0x30)),
        (
            "SEQUENCE bomb in a SignedData",
            signed_data_around(&bomb(0x30)),
        ),
        (
            "constructed OCTET STRING bomb as content",
            signed_data_around(&bomb(0x24)),
        ),
        ("[0] bomb", bomb(0xa0)),
    ];
    for (case, bytes) in cases {
        let report = open_untrusted("bomb.p7m", &bytes);
        assert_refused(&report, case);
        let report = open_untrusted("bomb.p7m", armor_of(&bytes).as_bytes());
        assert_refused(&report, &format!("{case}, base64"));
        let pdf = pdf_framing(&hex(&bytes));
        let report = open_untrusted("bomb.pdf", &pdf);
        assert_refused(&report, &format!("{case}, in a PDF"));
        assert!(
            has(&report, FindingCode::MalformedCms),
            "{case}: {:?}",
            codes(&report)
        );
    }
}

fn armor_of(bytes: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("-----BEGIN PKCS7-----\n{b64}\n-----END PKCS7-----\n")
}

#[test]
fn sixty_four_mebibytes_of_zeros_or_noise_are_not_a_signed_file() {
    const SIZE: usize = 64 << 20;
    let zeros = vec![0u8; SIZE];
    let report = open_untrusted("zeros.p7m", &zeros);
    assert_refused(&report, "zeros");
    assert!(has(&report, FindingCode::NotASignedFile));
    let mut pdf_of_zeros = zeros;
    pdf_of_zeros[..8].copy_from_slice(b"%PDF-1.7");
    let report = open_untrusted("zeros.pdf", &pdf_of_zeros);
    assert_ne!(report.status, SignatureStatus::Valid, "zeros as a PDF");
    drop(pdf_of_zeros);

    // One random mebibyte, 64 times (a debug build draws 64 MiB of randomness slowly).
    let mut rng = Rng::new(15);
    let mebibyte: Vec<u8> = (0..(1 << 20) / 8)
        .flat_map(|_| rng.next_u64().to_le_bytes())
        .collect();
    let mut noise = mebibyte.repeat(SIZE >> 20);
    noise[0] = 0x7f;
    assert_refused(&open_untrusted("noise.p7m", &noise), "noise");
    // Noise dressed as what it is not: a SEQUENCE claiming the whole file, a PDF.
    noise[..6].copy_from_slice(&[0x30, 0x84, 0x03, 0xff, 0xff, 0xfa]);
    assert_refused(&open_untrusted("noise.p7m", &noise), "noise as a SEQUENCE");
    noise[..8].copy_from_slice(b"%PDF-1.7");
    let report = open_untrusted("noise.pdf", &noise);
    assert_ne!(report.status, SignatureStatus::Valid, "noise as a PDF");
    drop(noise);

    // 64 MiB of base64 that decodes to an empty indefinite-length SEQUENCE and 48 MiB of zeros.
    let mut text = vec![b'A'; SIZE];
    text[..4].copy_from_slice(b"MIAA");
    let report = open_untrusted("padding.p7m", &text);
    assert_refused(&report, "base64 of padding");
}

// --- PDFs built by hand -------------------------------------------------------------------------

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// A PDF with one signature dictionary whose `/ByteRange` is `byte_range` as written and whose
/// `/Contents` is `contents` as written.
fn pdf_with(byte_range: &str, contents: &str) -> Vec<u8> {
    format!(
        "%PDF-1.7\n1 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached \
         /ByteRange {byte_range} /Contents {contents} /M (D:20240101120000Z) >>\nendobj\n\
         trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// A PDF whose one `/ByteRange` frames exactly its `/Contents <hex>`, as a signing tool writes it.
fn pdf_framing(hex: &str) -> Vec<u8> {
    pdf_framing_again(pdf_with(
        "[0 0000000000 0000000000 0000000000]",
        &format!("<{hex}>"),
    ))
}

/// `pdf` with its one `/ByteRange` (ten-digit numbers) set to frame its `/Contents <hex>`.
fn pdf_framing_again(mut pdf: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&pdf).into_owned();
    let b = text.find("/Contents <").unwrap() + "/Contents ".len();
    let c = b + text[b..].find('>').unwrap() + 1;
    let d = pdf.len() - c;
    let at = text.find("/ByteRange [").unwrap() + "/ByteRange ".len();
    let numbers = format!("[0 {b:010} {c:010} {d:010}]");
    pdf[at..at + numbers.len()].copy_from_slice(numbers.as_bytes());
    pdf
}

#[test]
fn byte_ranges_that_do_not_describe_a_signature_are_never_valid() {
    let cases: Vec<(&str, Vec<u8>, FindingCode)> = vec![
        (
            "overlapping",
            pdf_with("[0 200 100 50]", "<3000>"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "out of the file",
            pdf_with("[0 10 20 999999]", "<3000>"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "negative",
            pdf_with("[0 -10 20 5]", "<3000>"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "negative start",
            pdf_with("[-5 10 20 5]", "<3000>"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "huge",
            pdf_with("[0 10 20 18446744073709551615]", "<3000>"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "beyond 64 bits",
            pdf_with("[0 10 99999999999999999999999999 5]", "<3000>"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "three numbers",
            pdf_with("[0 10 20]", "<3000>"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "five numbers",
            pdf_with("[0 10 20 5 7]", "<3000>"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "no array",
            pdf_with("12 0 R", "<3000>"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "not starting at 0",
            pdf_with("[5 10 20 5]", "<3000>"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "empty first range",
            pdf_with("[0 0 20 5]", "<3000>"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "contents not hex",
            pdf_framing("not a hex string!"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "odd hex digits",
            pdf_framing("ABC"),
            FindingCode::ByteRangeInvalid,
        ),
        (
            "hex that is not CMS",
            pdf_framing("DEADBEEF"),
            FindingCode::MalformedCms,
        ),
        ("empty hex", pdf_framing(""), FindingCode::MalformedCms),
        (
            "zero padding only",
            pdf_framing(&"0".repeat(8192)),
            FindingCode::MalformedCms,
        ),
    ];
    for (case, pdf, code) in cases {
        let report = open_untrusted("forged.pdf", &pdf);
        assert_eq!(report.format, Some(DocumentFormat::Pades), "{case}");
        assert_refused(&report, case);
        assert!(has(&report, code), "{case}: {:?}", codes(&report));
    }
}

/// A PDF whose one signature dictionary (`sub_filter`) holds `cms`, framed as a signing tool would.
fn pdf_holding(cms: &[u8], sub_filter: &str) -> Vec<u8> {
    let pdf = String::from_utf8(pdf_framing(&hex(cms)))
        .unwrap()
        .replace("/adbe.pkcs7.detached", &format!("/{sub_filter}"));
    pdf_framing_again(pdf.into_bytes())
}

#[test]
fn a_signed_p7m_pasted_into_a_pdf_does_not_sign_the_pdf() {
    // A forger takes anyone's qualified p7m (here a signed invoice) and puts it in the /Contents of a
    // PDF they wrote: the CMS verifies, but over the invoice it carries, not over the PDF's bytes.
    let Some(dir) = signed_dir() else { return };
    let p7m = std::fs::read(dir.join("p7m-invoice/oca_IT01234567890_FPR03.xml.p7m")).unwrap();
    for sub_filter in [
        "adbe.pkcs7.detached",
        "ETSI.CAdES.detached",
        "adbe.pkcs7.sha1",
    ] {
        let pdf = pdf_holding(&p7m, sub_filter);
        let report = open_bytes(&dir, "forged.pdf", &pdf, None);
        assert_eq!(report.format, Some(DocumentFormat::Pades));
        assert_eq!(
            report.status,
            SignatureStatus::Invalid,
            "{sub_filter}: {:?}",
            codes(&report)
        );
        assert!(
            has(&report, FindingCode::ContentDigestMismatch),
            "{sub_filter}"
        );
        assert!(
            report
                .signatures
                .iter()
                .all(|s| s.qualified != pec_document::Qualified::Yes),
            "{sub_filter}: an altered signature called qualified"
        );
    }
}

#[test]
fn a_pdf_signing_time_no_clock_can_show_is_read_without_a_panic() {
    let dates = [
        "D:20240101120000+999999999999999999'59'",
        "D:20240101120000-999999999999'00'",
        "D:99999999999999Z",
        "D:20241399250000Z",
        "D:2024",
        "D:",
    ];
    for date in dates {
        let pdf = String::from_utf8(pdf_framing("3000"))
            .unwrap()
            .replace("D:20240101120000Z", date);
        let pdf = pdf_framing_again(pdf.into_bytes());
        let report = open_untrusted("dated.pdf", &pdf);
        assert_refused(&report, date);
    }
}

#[test]
fn a_pdf_with_ten_thousand_signature_dictionaries_is_read_to_a_bound() {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    for i in 0..10_000 {
        let dict = format!(
            "{i} 0 obj\n<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange \
             [0 0000000000 0000000000 0000000000] /Contents <3000> >>\nendobj\n"
        );
        let at = pdf.len();
        pdf.extend(dict.as_bytes());
        // Each dictionary frames its own hex string, as a signing tool would.
        let b = at + dict.find("<3000>").unwrap();
        let c = b + "<3000>".len();
        let numbers = format!("[0 {b:010} {c:010} 0000000000]");
        let n = at + dict.find('[').unwrap();
        pdf[n..n + numbers.len()].copy_from_slice(numbers.as_bytes());
    }
    pdf.extend(b"%%EOF\n");
    let report = open_untrusted("many.pdf", &pdf);
    assert_refused(&report, "10,000 signatures");
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code == FindingCode::MalformedCms),
        "{:?}",
        report.findings
    );
    assert!(report.signatures.len() <= 64, "{}", report.signatures.len());
}
