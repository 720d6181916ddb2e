//! Depth: CMS nested ten thousand levels (indefinite lengths, constructed strings, in base64, in a
//! PDF), ten thousand signerless envelopes inside each other, and real-signer envelopes past
//! [`MAX_LEVEL`]: refused or cut at the limit with a finding, never a stack overflow.

use pec_core::signature::{FindingCode, SignatureStatus};
use pec_document::{DocumentFormat, MAX_LEVEL};

use super::super::support::{der_elements, der_header, der_tlv as tlv, der_value, signed_dir};
use super::pdf::{hex, pdf_framing};
use super::{assert_refused, codes, has, open_bytes, open_untrusted};

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
        let octets = der_header(0x04, inner_len).len() + inner_len;
        let explicit = der_header(0xa0, octets).len() + octets;
        let encap = OID_DATA.len() + explicit;
        let encap_all = der_header(0x30, encap).len() + encap;
        let signed = 3 + 2 + encap_all + suffix.len();
        let signed_all = der_header(0x30, signed).len() + signed;
        let outer = OID_SIGNED_DATA.len() + der_header(0xa0, signed_all).len() + signed_all;
        let mut p = der_header(0x30, outer);
        p.extend_from_slice(OID_SIGNED_DATA);
        p.extend(der_header(0xa0, signed_all));
        p.extend(der_header(0x30, signed));
        p.extend([0x02, 0x01, 0x01, 0x31, 0x00]);
        p.extend(der_header(0x30, encap));
        p.extend_from_slice(OID_DATA);
        p.extend(der_header(0xa0, octets));
        p.extend(der_header(0x04, inner_len));
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
