//! Forged PDFs: byte ranges that overlap, leave the file, are negative, huge or not four; a gap that
//! is not a hex signature; a signed p7m pasted into `/Contents`; dates no clock shows; ten thousand
//! signature dictionaries.

use pec_core::signature::{FindingCode, SignatureStatus};
use pec_document::DocumentFormat;

use super::super::support::signed_dir;
use super::{assert_refused, codes, has, open_bytes, open_untrusted};

pub(super) fn hex(bytes: &[u8]) -> String {
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
pub(super) fn pdf_framing(hex: &str) -> Vec<u8> {
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

/// A signed-looking PDF whose document security store is hostile: a catalog and a DSS that refer
/// to each other in a loop, a CRL stream that inflates to 256 MiB, 100,000 OCSP references, a
/// `/Length` that refers to itself, object streams declaring millions of objects. Read within
/// bounds, never a panic or a hang.
#[test]
fn a_hostile_document_security_store_is_read_to_a_bound() {
    use std::io::Write;
    let mut bomb = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..256 {
        bomb.write_all(&[0u8; 1 << 20]).unwrap();
    }
    let bomb = bomb.finish().unwrap();
    let many: String = (0..100_000).map(|i| format!("{} 0 R ", 100 + i)).collect();
    let mut pdf = pdf_framing("3000");
    let mut objects = vec![
        (1, b"<< /Type /Catalog /DSS 2 0 R /Loop 1 0 R >>".to_vec()),
        (
            2,
            format!("<< /CRLs [3 0 R 2 0 R 1 0 R] /OCSPs [{many}] /Certs 6 0 R /VRI 2 0 R >>")
                .into_bytes(),
        ),
        (
            3,
            [
                format!(
                    "<< /Filter /FlateDecode /Length {} >>\nstream\n",
                    bomb.len()
                )
                .as_bytes(),
                &bomb,
                b"\nendstream",
            ]
            .concat(),
        ),
        (4, b"<< /Length 4 0 R >>\nstream\nxx\nendstream".to_vec()),
        (
            5,
            b"<< /Type /ObjStm /N 99999999 /First 0 /Length 3 >>\nstream\n1 0\nendstream".to_vec(),
        ),
        (6, b"7 0 R".to_vec()),
        (7, b"6 0 R".to_vec()),
    ];
    let mut offsets = Vec::new();
    for (n, body) in objects.drain(..) {
        offsets.push((n, pdf.len()));
        pdf.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        pdf.extend_from_slice(&body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(b"xref\n");
    for (n, at) in offsets {
        pdf.extend_from_slice(format!("{n} 1\n{at:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Root 1 0 R /Prev {xref} >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    let started = std::time::Instant::now();
    let report = open_untrusted("dss.pdf", &pdf);
    assert!(!report.signatures.is_empty());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
