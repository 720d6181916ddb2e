//! PAdES-LT: revocation data in a PDF's document security store (DSS), issue 15 §2, thinking like a
//! forger. The DSS is added in a later incremental update and signed by nobody, so: a CRL of the
//! issuer that revokes the signer before signing makes the signature `certificate-revoked`; a fresh
//! CRL (or OCSP response) of the issuer that does not list it is `revocation-checked`, named as
//! coming from the DSS; a CRL under the issuer's name but another key, or a stale one, proves
//! nothing; without the DSS (or after an update that drops it), revocation is plainly not
//! checked; its certificates supply a missing issuer's key, never an anchor. The same DSS
//! compressed in an object stream behind a cross-reference stream reads the same. A document
//! timestamp (PAdES-LTA) is judged the same way at its genTime: its authority revoked before then
//! makes it unusable, and without revocation data it says so plainly.
//!
//! The PKI and the signatures are made by `openssl` with a throw-away CA
//! ([`pec_testkit::openssl_ca`]; skipped, loudly, without openssl); the PDFs are written here.

use std::io::Write;

use chrono::{DateTime, Utc};
use pec_core::signature::{FindingCode, SignatureStatus, TrustAnchors};
use pec_document::{DocumentReport, SignatureEntry, SignatureRole};
use pec_testkit::openssl_ca::{CmsOptions, LONG_VALIDITY, OpensslCa};
use pec_testkit::pki::openssl_available;

/// The timestamp authority's name (the common name `OpensslCa::revoke` finds it by).
const TSA_CN: &str = "Marca temporale DSS";

/// The signer's common name.
const SIGNER_CN: &str = "Firmatario PAdES";

/// A CA with its openssl database, a signer (`signer`) and a timestamp authority (`tsa`) it issued,
/// and a look-alike CA (same name, other key).
fn pki() -> OpensslCa {
    let pki = OpensslCa::new("/C=IT/O=Attesta Test/CN=Attesta Test DSS CA");
    let signer = format!("/C=IT/O=Attesta Test/CN={SIGNER_CN}");
    pki.issue("signer", &signer, "v3_signer", LONG_VALIDITY);
    let tsa = format!("/C=IT/O=Attesta Test/CN={TSA_CN}");
    pki.issue("tsa", &tsa, "v3_tsa", LONG_VALIDITY);
    pki
}

fn anchors(pki: &OpensslCa) -> TrustAnchors {
    let mut anchors = TrustAnchors::empty();
    anchors.add_pem(&pki.ca_pem()).unwrap();
    anchors
}

/// An OCSP response about the signer from a responder the CA authorised (id-kp-OCSPSigning),
/// without the responder's certificate in it; and that certificate (DER).
fn ocsp_by_delegate_without_its_certificate(pki: &OpensslCa) -> (Vec<u8>, Vec<u8>) {
    let subject = "/C=IT/O=Attesta Test/CN=Responder OCSP";
    pki.issue("responder", subject, "v3_ocsp", LONG_VALIDITY);
    let response = pki.ocsp("signer", "responder", false);
    (response, pki.der("responder"))
}

/// A detached CMS (signingTime = now) over `content`, carrying the CA certificate or not.
fn sign(pki: &OpensslCa, content: &[u8], with_ca: bool) -> Vec<u8> {
    let options = CmsOptions {
        detached: true,
        with_ca,
        cades: false,
    };
    pki.sign("signer", content, options)
}

/// A PDF written object by object, each update ending with its cross-reference.
#[derive(Default)]
struct Writer {
    bytes: Vec<u8>,
    /// Objects of the update being written: number, offset.
    objects: Vec<(u32, usize)>,
    /// Where the previous cross-reference section is.
    previous: Option<usize>,
}

impl Writer {
    fn object(&mut self, number: u32, body: &[u8]) {
        self.objects.push((number, self.bytes.len()));
        self.bytes
            .extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        self.bytes.extend_from_slice(body);
        self.bytes.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, number: u32, dict: &str, data: &[u8]) {
        let body = [
            format!("<< {dict} /Length {} >>\nstream\n", data.len()).as_bytes(),
            data,
            b"\nendstream",
        ]
        .concat();
        self.object(number, &body);
    }

    /// A classic `xref` table and trailer for this update.
    fn table(&mut self, size: u32) {
        let at = self.bytes.len();
        let mut objects = std::mem::take(&mut self.objects);
        objects.sort();
        let mut text = String::from("xref\n0 1\n0000000000 65535 f \n");
        for (n, offset) in &objects {
            text += &format!("{n} 1\n{offset:010} 00000 n \n");
        }
        let prev = self
            .previous
            .map(|p| format!(" /Prev {p}"))
            .unwrap_or_default();
        text += &format!("trailer\n<< /Size {size} /Root 1 0 R{prev} >>\nstartxref\n{at}\n%%EOF\n");
        self.bytes.extend_from_slice(text.as_bytes());
        self.previous = Some(at);
    }

    /// A cross-reference stream (object `number`, PNG Up predictor) for this update, whose
    /// `compressed` objects are in object stream `in_stream`.
    fn xref_stream(&mut self, number: u32, compressed: &[u32], in_stream: u32) {
        let at = self.bytes.len();
        let mut rows: Vec<(u32, [u8; 7])> = Vec::new();
        for (n, offset) in &self.objects {
            let o = (*offset as u32).to_be_bytes();
            rows.push((*n, [1, o[0], o[1], o[2], o[3], 0, 0]));
        }
        let o = (at as u32).to_be_bytes();
        rows.push((number, [1, o[0], o[1], o[2], o[3], 0, 0]));
        let s = in_stream.to_be_bytes();
        for (i, n) in compressed.iter().enumerate() {
            rows.push((*n, [2, s[0], s[1], s[2], s[3], 0, i as u8]));
        }
        rows.sort();
        let index: String = rows.iter().map(|(n, _)| format!("{n} 1 ")).collect();
        let mut predicted = Vec::new();
        let mut previous = [0u8; 7];
        for (_, row) in &rows {
            predicted.push(2);
            predicted.extend(row.iter().zip(previous).map(|(c, p)| c.wrapping_sub(p)));
            previous = *row;
        }
        let prev = self
            .previous
            .map(|p| format!(" /Prev {p}"))
            .unwrap_or_default();
        self.objects.clear();
        self.stream(
            number,
            &format!(
                "/Type /XRef /Size {} /Index [{index}] /W [1 4 2] /Root 1 0 R{prev} /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>",
                number + 1
            ),
            &deflate(&predicted),
        );
        self.objects.clear();
        self.bytes
            .extend_from_slice(format!("startxref\n{at}\n%%EOF\n").as_bytes());
        self.previous = Some(at);
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

const CATALOG: &str = "/Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >>";

/// A one-page PDF signed (ETSI.CAdES.detached) by the PKI's signer, as a signing tool writes it.
fn signed_pdf(pki: &OpensslCa) -> Writer {
    signed_pdf_carrying_ca(pki, true)
}

fn signed_pdf_carrying_ca(pki: &OpensslCa, with_ca: bool) -> Writer {
    pdf_signed_by(
        "/Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached",
        |ranges| sign(pki, ranges, with_ca),
    )
}

/// A one-page PDF with a document timestamp (ETSI.RFC3161) of the PKI's authority, as PAdES-LTA
/// writes it.
fn timestamped_pdf(pki: &OpensslCa) -> Writer {
    pdf_signed_by(
        "/Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161",
        |ranges| pki.stamp("tsa", ranges),
    )
}

/// A one-page PDF whose signature dictionary starts with `kind`, its value made by `sign` over the
/// byte ranges.
fn pdf_signed_by(kind: &str, sign: impl FnOnce(&[u8]) -> Vec<u8>) -> Writer {
    let mut w = Writer {
        bytes: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
        ..Writer::default()
    };
    w.object(1, format!("<< {CATALOG} >>").as_bytes());
    w.object(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    w.object(
        3,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    );
    w.object(4, b"<< /FT /Sig /T (Firma1) /V 5 0 R >>");
    let placeholder = "0".repeat(16384);
    w.object(
        5,
        format!(
            "<< {kind} /ByteRange [0 0000000000 0000000000 0000000000] /Contents <{placeholder}> >>"
        )
        .as_bytes(),
    );
    w.table(6);
    let find = |what: &[u8]| w.bytes.windows(what.len()).position(|x| x == what).unwrap();
    let b = find(b"/Contents <") + "/Contents ".len();
    let c = b + placeholder.len() + 2;
    let d = w.bytes.len() - c;
    let at = find(b"/ByteRange [") + "/ByteRange ".len();
    let numbers = format!("[0 {b:010} {c:010} {d:010}]");
    w.bytes[at..at + numbers.len()].copy_from_slice(numbers.as_bytes());
    let cms = sign(&[&w.bytes[..b], &w.bytes[c..]].concat());
    let value = hex(&cms);
    assert!(value.len() <= placeholder.len());
    w.bytes[b + 1..b + 1 + value.len()].copy_from_slice(value.as_bytes());
    w
}

/// What a DSS update carries.
#[derive(Default)]
struct Store {
    crls: Vec<Vec<u8>>,
    ocsps: Vec<Vec<u8>>,
    certs: Vec<Vec<u8>>,
}

/// `pdf` with an incremental update adding `store` as its catalog's DSS: plain objects behind a
/// classic table, or (`compressed`) the catalog and the DSS in an object stream behind a
/// cross-reference stream. The streams are Flate-compressed.
fn with_dss(mut w: Writer, store: &Store, compressed: bool) -> Vec<u8> {
    let mut next = 10;
    let mut refs = |w: &mut Writer, items: &[Vec<u8>]| -> String {
        let mut out = String::new();
        for item in items {
            w.stream(next, "/Filter /FlateDecode", &deflate(item));
            out += &format!("{next} 0 R ");
            next += 1;
        }
        out
    };
    let crls = refs(&mut w, &store.crls);
    let ocsps = refs(&mut w, &store.ocsps);
    let certs = refs(&mut w, &store.certs);
    let catalog = format!("<< {CATALOG} /DSS 6 0 R >>");
    let dss = format!("<< /Type /DSS /CRLs [{crls}] /OCSPs [{ocsps}] /Certs [{certs}] >>");
    if compressed {
        let header = format!("1 0 6 {} ", catalog.len() + 1);
        let body = format!("{header}{catalog} {dss}");
        w.stream(
            8,
            &format!(
                "/Type /ObjStm /N 2 /First {} /Filter /FlateDecode",
                header.len()
            ),
            &deflate(body.as_bytes()),
        );
        w.xref_stream(9, &[1, 6], 8);
    } else {
        w.object(1, catalog.as_bytes());
        w.object(6, dss.as_bytes());
        w.table(next);
    }
    w.bytes
}

fn open(pki: &OpensslCa, pdf: &[u8]) -> DocumentReport {
    open_with(&anchors(pki), pdf)
}

fn open_with(anchors: &TrustAnchors, pdf: &[u8]) -> DocumentReport {
    let now: DateTime<Utc> = std::time::SystemTime::now().into();
    let checking = pec_document::Checking {
        anchors,
        now: now + chrono::Duration::minutes(5),
        services: None,
        companion: None,
    };
    pec_document::open("firmato.pdf", pdf, &checking)
}

fn signature(report: &DocumentReport) -> &SignatureEntry {
    let s = report
        .signatures
        .iter()
        .find(|s| s.role == SignatureRole::Signature)
        .expect("one signature");
    assert_eq!(report.signatures.len(), 1, "{:?}", report.signatures);
    s
}

fn codes(entry: &SignatureEntry) -> Vec<FindingCode> {
    entry.findings.iter().map(|f| f.code).collect()
}

fn message(entry: &SignatureEntry, code: FindingCode) -> String {
    entry
        .findings
        .iter()
        .find(|f| f.code == code)
        .map(|f| f.message.clone())
        .unwrap_or_else(|| panic!("no {code:?} in {:?}", entry.findings))
}

macro_rules! need_openssl {
    () => {
        if !openssl_available() {
            println!("SKIPPED: openssl is needed to make the PKI");
            return;
        }
    };
}

#[test]
fn a_dss_crl_of_the_issuer_revoking_the_signer_before_signing_makes_the_signature_revoked() {
    need_openssl!();
    let pki = pki();
    let pdf = signed_pdf(&pki);
    pki.revoke(SIGNER_CN, "240101000000Z");
    let crl = pki.crl(false, None);
    for compressed in [false, true] {
        let store = Store {
            crls: vec![crl.clone()],
            ..Store::default()
        };
        let report = open(&pki, &with_dss(clone(&pdf), &store, compressed));
        let s = signature(&report);
        assert!(
            codes(s).contains(&FindingCode::CertificateRevoked),
            "{:?}",
            s.findings
        );
        assert_eq!(s.status, SignatureStatus::Untrusted);
        assert!(
            message(s, FindingCode::CertificateRevoked)
                .contains("from the PDF's document security store (DSS)"),
            "{:?}",
            s.findings
        );
    }
}

#[test]
fn a_fresh_dss_crl_not_listing_the_signer_checks_revocation_and_says_where_it_came_from() {
    need_openssl!();
    let pki = pki();
    let pdf = signed_pdf(&pki);
    let store = Store {
        crls: vec![pki.crl(false, None)],
        certs: vec![pki.der("ca")],
        ..Store::default()
    };
    for compressed in [false, true] {
        let report = open(&pki, &with_dss(clone(&pdf), &store, compressed));
        let s = signature(&report);
        assert_eq!(s.status, SignatureStatus::Valid, "{:?}", s.findings);
        let checked = message(s, FindingCode::RevocationChecked);
        assert!(
            checked.contains("revocation list of")
                && checked.contains("from the PDF's document security store (DSS)"),
            "{checked}"
        );
        assert!(!codes(s).contains(&FindingCode::RevocationNotChecked));
    }
}

#[test]
fn a_dss_ocsp_response_of_the_issuer_checks_revocation() {
    need_openssl!();
    let pki = pki();
    let pdf = signed_pdf(&pki);
    let store = Store {
        ocsps: vec![pki.ocsp("signer", "ca", true)],
        ..Store::default()
    };
    let report = open(&pki, &with_dss(pdf, &store, true));
    let s = signature(&report);
    let checked = message(s, FindingCode::RevocationChecked);
    assert!(
        checked.contains("OCSP response of") && checked.contains("(DSS)"),
        "{checked}"
    );
}

#[test]
fn a_dss_crl_under_the_issuer_s_name_but_another_key_is_ignored_even_when_it_lists_the_signer() {
    need_openssl!();
    let pki = pki();
    let pdf = signed_pdf(&pki);
    pki.revoke(SIGNER_CN, "240101000000Z");
    let store = Store {
        crls: vec![pki.crl(true, None)],
        // The forger's CA certificate beside it changes nothing: it is no anchor.
        certs: vec![pki.der("look-alike")],
        ..Store::default()
    };
    let report = open(&pki, &with_dss(pdf, &store, false));
    let s = signature(&report);
    let found = codes(s);
    assert!(
        found.contains(&FindingCode::RevocationDataUnusable),
        "{found:?}"
    );
    assert!(
        found.contains(&FindingCode::RevocationNotChecked),
        "{found:?}"
    );
    assert!(
        !found.contains(&FindingCode::CertificateRevoked),
        "{found:?}"
    );
    assert!(
        !found.contains(&FindingCode::RevocationChecked),
        "{found:?}"
    );
    assert!(
        message(s, FindingCode::RevocationDataUnusable)
            .contains("not signed by that authority's key"),
        "{:?}",
        s.findings
    );
}

#[test]
fn a_stale_dss_crl_proves_nothing_about_the_signing_time() {
    need_openssl!();
    let pki = pki();
    let pdf = signed_pdf(&pki);
    let store = Store {
        crls: vec![pki.crl(false, Some(("20210101000000Z", "20210201000000Z")))],
        ..Store::default()
    };
    let report = open(&pki, &with_dss(pdf, &store, false));
    let s = signature(&report);
    let found = codes(s);
    assert!(
        found.contains(&FindingCode::RevocationNotChecked),
        "{found:?}"
    );
    assert!(
        !found.contains(&FindingCode::RevocationChecked),
        "{found:?}"
    );
}

#[test]
fn without_its_dss_the_same_pdf_says_plainly_that_revocation_was_not_checked() {
    need_openssl!();
    let pki = pki();
    let pdf = signed_pdf(&pki);
    let report = open(&pki, &pdf.bytes);
    let s = signature(&report);
    assert_eq!(s.status, SignatureStatus::Valid, "{:?}", s.findings);
    assert!(
        message(s, FindingCode::RevocationNotChecked).contains("carries no revocation information")
    );
}

#[test]
fn a_later_update_that_drops_the_dss_leaves_revocation_plainly_not_checked() {
    need_openssl!();
    let pki = pki();
    let store = Store {
        crls: vec![pki.crl(false, None)],
        ..Store::default()
    };
    let with = with_dss(signed_pdf(&pki), &store, false);
    // The forger's update: the catalog again, without /DSS (the lists stay in the bytes).
    let text = String::from_utf8_lossy(&with[with.len() - 40..]).into_owned();
    let previous: usize = text
        .split("startxref")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let mut w = Writer {
        bytes: with,
        objects: Vec::new(),
        previous: Some(previous),
    };
    w.object(1, format!("<< {CATALOG} >>").as_bytes());
    w.table(20);
    let report = open(&pki, &w.bytes);
    let s = signature(&report);
    assert!(
        message(s, FindingCode::RevocationNotChecked).contains("carries no revocation information"),
        "{:?}",
        s.findings
    );
    assert!(!codes(s).contains(&FindingCode::RevocationChecked));
}

/// An authorised responder's response without its certificate proves nothing alone; the DSS's
/// `/Certs` may carry that certificate (it counts under the same delegation rules).
#[test]
fn a_dss_certificate_supplies_the_responder_an_ocsp_response_does_not_carry() {
    need_openssl!();
    let pki = pki();
    let pdf = signed_pdf(&pki);
    let (response, responder) = ocsp_by_delegate_without_its_certificate(&pki);
    let alone = Store {
        ocsps: vec![response.clone()],
        ..Store::default()
    };
    let report = open(&pki, &with_dss(clone(&pdf), &alone, false));
    let s = signature(&report);
    assert!(
        codes(s).contains(&FindingCode::RevocationNotChecked),
        "{:?}",
        s.findings
    );
    let with_responder = Store {
        ocsps: vec![response],
        certs: vec![responder],
        ..Store::default()
    };
    let report = open(&pki, &with_dss(pdf, &with_responder, false));
    let s = signature(&report);
    let checked = message(s, FindingCode::RevocationChecked);
    assert!(checked.contains("OCSP response of"), "{checked}");
}

/// `/Certs` only supply the key of an issuer the signature does not carry, for revocation: with
/// no anchor at all the signature stays untrusted, and a look-alike issuer's certificate (same
/// name, another key) supplies nothing.
#[test]
fn a_dss_certificate_supplies_a_missing_issuer_s_key_for_revocation_but_is_never_an_anchor() {
    need_openssl!();
    let pki = pki();
    let pdf = signed_pdf_carrying_ca(&pki, false);
    let crl = pki.crl(false, None);
    let no_anchors = TrustAnchors::empty();
    let genuine = Store {
        crls: vec![crl.clone()],
        certs: vec![pki.der("ca")],
        ..Store::default()
    };
    let report = open_with(&no_anchors, &with_dss(clone(&pdf), &genuine, false));
    let s = signature(&report);
    assert!(
        codes(s).contains(&FindingCode::RevocationChecked),
        "{:?}",
        s.findings
    );
    assert_ne!(s.status, SignatureStatus::Valid, "{:?}", s.findings);
    assert!(
        codes(s).contains(&FindingCode::NoPathToAnchor),
        "{:?}",
        s.findings
    );

    let look_alike = Store {
        crls: vec![crl],
        certs: vec![pki.der("look-alike")],
        ..Store::default()
    };
    let report = open_with(&no_anchors, &with_dss(pdf, &look_alike, false));
    let s = signature(&report);
    assert!(
        codes(s).contains(&FindingCode::RevocationNotChecked),
        "{:?}",
        s.findings
    );
    assert!(
        !codes(s).contains(&FindingCode::RevocationChecked),
        "{:?}",
        s.findings
    );
}

fn clone(w: &Writer) -> Writer {
    Writer {
        bytes: w.bytes.clone(),
        objects: Vec::new(),
        previous: w.previous,
    }
}

/// The document timestamp of `report`, its only entry.
fn document_timestamp(report: &DocumentReport) -> &SignatureEntry {
    assert_eq!(report.signatures.len(), 1, "{:?}", report.signatures);
    let ts = &report.signatures[0];
    assert_eq!(ts.role, SignatureRole::Timestamp);
    ts
}

#[test]
fn a_document_timestamp_says_plainly_whether_its_authority_s_revocation_was_checked() {
    need_openssl!();
    let pki = pki();
    let pdf = timestamped_pdf(&pki);
    let report = open(&pki, &clone(&pdf).bytes);
    let ts = document_timestamp(&report);
    assert_eq!(ts.status, SignatureStatus::Valid, "{:?}", ts.findings);
    assert!(
        codes(ts).contains(&FindingCode::RevocationNotChecked),
        "{:?}",
        ts.findings
    );

    let store = Store {
        crls: vec![pki.crl(false, None)],
        ..Store::default()
    };
    let report = open(&pki, &with_dss(pdf, &store, true));
    let ts = document_timestamp(&report);
    assert_eq!(ts.status, SignatureStatus::Valid, "{:?}", ts.findings);
    assert!(
        message(ts, FindingCode::RevocationChecked)
            .contains("from the PDF's document security store (DSS)"),
        "{:?}",
        ts.findings
    );
}

#[test]
fn a_dss_crl_revoking_the_timestamp_authority_before_its_time_makes_the_document_timestamp_unusable()
 {
    need_openssl!();
    let pki = pki();
    let pdf = timestamped_pdf(&pki);
    pki.revoke(TSA_CN, "240101000000Z");
    let store = Store {
        crls: vec![pki.crl(false, None)],
        ..Store::default()
    };
    let report = open(&pki, &with_dss(pdf, &store, false));
    let ts = document_timestamp(&report);
    assert!(
        codes(ts).contains(&FindingCode::CertificateRevoked),
        "{:?}",
        ts.findings
    );
    assert_eq!(ts.status, SignatureStatus::Untrusted);
}
