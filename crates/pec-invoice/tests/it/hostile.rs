//! Hostile XML ends in a typed error (or a finding) quickly: entity bombs, deep nesting, huge text,
//! bad UTF-8, broken base64, and truncations of every real file.

use std::time::{Duration, Instant};

use pec_invoice::invoice::InvoiceFindingCode;
use pec_invoice::limits::{MAX_DEPTH, MAX_INPUT_BYTES};
use pec_invoice::{InvoiceError, read_invoice, read_notification, recognise};

use super::{corpus_file, manifest_rows};

/// Runs both readers and `recognise`, and checks they answered within a second.
fn both(xml: &[u8]) -> (Result<(), InvoiceError>, Result<(), InvoiceError>) {
    let start = Instant::now();
    let invoice = read_invoice(xml).map(drop);
    let notification = read_notification(xml).map(drop);
    let _ = recognise(xml);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    (invoice, notification)
}

const NS: &str = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2";

#[test]
fn a_billion_laughs_doctype_is_refused_before_anything_is_expanded() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        xml += &format!("<!ENTITY lol{i} \"{}\">\n", format!("&{prev};").repeat(10));
    }
    xml += &format!(
        "]>\n<p:FatturaElettronica xmlns:p=\"{NS}\" versione=\"FPR12\">&lol9;</p:FatturaElettronica>"
    );
    assert_eq!(
        both(xml.as_bytes()),
        (Err(InvoiceError::Doctype), Err(InvoiceError::Doctype))
    );
    assert_eq!(recognise(xml.as_bytes()), None);
}

#[test]
fn an_entity_without_a_doctype_is_an_unknown_entity_not_an_expansion() {
    let xml = format!("<p:FatturaElettronica xmlns:p=\"{NS}\">&xxe;</p:FatturaElettronica>");
    assert_eq!(
        both(xml.as_bytes()).0,
        Err(InvoiceError::UnknownEntity { name: "xxe".into() })
    );
    let attr = format!("<p:FatturaElettronica xmlns:p=\"{NS}\" versione=\"&xxe;\"/>");
    assert!(matches!(
        both(attr.as_bytes()).0,
        Err(InvoiceError::UnknownEntity { .. })
    ));
}

#[test]
fn ten_thousand_nested_elements_stop_at_the_depth_limit() {
    let xml = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
    let limit = InvoiceError::TooDeep { limit: MAX_DEPTH };
    assert_eq!(both(xml.as_bytes()), (Err(limit.clone()), Err(limit)));
}

#[test]
fn fifty_megabytes_of_text_are_refused_by_size_and_sixteen_read_quickly() {
    let mut big = format!("<p:FatturaElettronica xmlns:p=\"{NS}\"><x>").into_bytes();
    big.resize(50 * 1024 * 1024, b'a');
    big.extend_from_slice(b"</x></p:FatturaElettronica>");
    assert!(matches!(both(&big).0, Err(InvoiceError::TooLarge { .. })));
    // Just under the limit: one huge text node is read and the document refused for what it lacks.
    big.truncate(MAX_INPUT_BYTES as usize - 64);
    big.extend_from_slice(b"</x></p:FatturaElettronica>");
    assert_eq!(
        both(&big).0,
        Err(InvoiceError::Missing {
            element: "FatturaElettronicaHeader".into()
        })
    );
}

#[test]
fn a_million_attributes_or_namespaces_stop_at_their_limits() {
    let attrs: String = (0..1_000_000).map(|i| format!(" a{i}=''")).collect();
    let xml = format!("<r{attrs}/>");
    assert_eq!(
        both(xml.as_bytes()).0,
        Err(InvoiceError::TooManyAttributes { limit: 64 })
    );
    // 60 declarations per element, 60 deep, then 200,000 elements resolved against them.
    let decls: String = (0..60).map(|i| format!(" xmlns:n{i}='urn:{i}'")).collect();
    let xml = format!(
        "{}{}",
        format!("<a{decls}>").repeat(60),
        "<b/>".repeat(200_000)
    );
    assert_eq!(
        both(xml.as_bytes()).0,
        Err(InvoiceError::TooManyNamespaces { limit: 128 })
    );
}

#[test]
fn two_hundred_thousand_elements_read_and_one_more_is_refused() {
    let fits = format!("<r>{}</r>", "<b/>".repeat(199_999));
    assert!(matches!(
        both(fits.as_bytes()).0,
        Err(InvoiceError::NotAnInvoice { .. })
    ));
    let over = format!("<r>{}</r>", "<b/>".repeat(200_000));
    assert_eq!(
        both(over.as_bytes()).0,
        Err(InvoiceError::TooManyElements { limit: 200_000 })
    );
}

#[test]
fn invalid_utf8_is_refused_with_the_offset_and_utf16_with_a_bom_is_read() {
    let xml = b"<a>caf\xe9</a>";
    assert_eq!(both(xml).0, Err(InvoiceError::NotUtf8 { offset: 6 }));
    assert!(matches!(
        both(b"\xff\xfe<\0a\0/\0>\0").0,
        Err(InvoiceError::NotAnInvoice { .. })
    ));
    assert!(matches!(
        both(b"\xff\xfe<\0a\0/\0>").0,
        Err(InvoiceError::BadEncoding { .. })
    ));
}

#[test]
fn nothing_garbage_and_broken_markup_are_typed_errors() {
    assert_eq!(both(b"").0, Err(InvoiceError::Empty));
    assert_eq!(
        both(b"   <!-- only a comment -->").0,
        Err(InvoiceError::Empty)
    );
    for bad in [
        &b"<a><b></a>"[..],
        b"<a>",
        b"<a></a><b/>",
        b"text",
        b"<x:a/>",
        b"<a b='1' b='2'/>",
        b"\0\0\0",
    ] {
        assert!(
            matches!(both(bad).0, Err(InvoiceError::Malformed { .. })),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn an_attachment_with_broken_base64_has_no_bytes_and_a_finding() {
    let Some(bytes) = corpus_file("fatturapa-xml/oca_IT02780790107_11004.xml") else {
        return;
    };
    let text = String::from_utf8(bytes).unwrap();
    let start = text.find("<Attachment>").unwrap() + "<Attachment>".len();
    let broken = format!("{}!!not base64!!{}", &text[..start], &text[start + 8..]);
    let invoice = read_invoice(broken.as_bytes()).unwrap();
    let a = &invoice.bodies[0].attachments[0];
    assert_eq!(
        (a.size, a.sha256.as_deref(), a.data.as_deref()),
        (None, None, None)
    );
    assert_eq!(
        invoice.findings[0].code,
        InvoiceFindingCode::AttachmentNotBase64
    );
    assert_eq!(invoice.findings[0].detail, "test.png");
}

#[test]
fn an_unreadable_amount_is_absent_with_a_finding_never_a_guess() {
    let Some(bytes) = corpus_file("fatturapa-xml/oca_IT05979361218_006.XML") else {
        return;
    };
    let text = String::from_utf8(bytes)
        .unwrap()
        .replacen("637.20", "637,20", 1);
    let invoice = read_invoice(text.as_bytes()).unwrap();
    assert_eq!(invoice.bodies[0].lines[0].total, None);
    let f = &invoice.findings[0];
    assert_eq!(f.code, InvoiceFindingCode::UnreadableNumber);
    assert_eq!(
        f.path,
        "FatturaElettronicaBody[1]/DatiBeniServizi/DettaglioLinee/PrezzoTotale"
    );
    assert_eq!(f.detail, "637,20");
}

#[test]
fn every_truncation_of_every_real_file_is_a_reading_or_a_typed_error() {
    for folder in ["fatturapa-xml", "sdi-notification"] {
        for (file, _) in manifest_rows(folder) {
            let bytes = corpus_file(&file).unwrap();
            for cut in (0..bytes.len()).step_by(97) {
                let _ = both(&bytes[..cut]);
            }
        }
    }
}
