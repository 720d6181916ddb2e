//! Invoices in the encodings Italian accounting software writes (ISO-8859-1 / windows-1252, UTF-16
//! with a BOM) read exactly as their UTF-8 originals; any other encoding, or bytes that do not fit the
//! declared one, is a typed error. Corpus files are re-encoded at test time, never stored re-encoded.

use encoding_rs::WINDOWS_1252;
use pec_invoice::limits::{MAX_INPUT_BYTES, MAX_TEXT_BYTES};
use pec_invoice::{DocumentKind, InvoiceError, read_invoice, read_notification, recognise};

use super::{corpus_file, manifest_rows};

const NS: &str = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2";

/// The document after its BOM and XML declaration, if any.
fn body(utf8: &[u8]) -> &str {
    let text = std::str::from_utf8(utf8).unwrap();
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    match text.strip_prefix("<?xml") {
        Some(rest) => &rest[rest.find("?>").unwrap() + 2..],
        None => text,
    }
}

/// `utf8` as ISO-8859-1 with its declaration saying so (characters outside it become references).
fn latin1(utf8: &[u8]) -> Vec<u8> {
    let (bytes, _, _) = WINDOWS_1252.encode(body(utf8));
    [
        &b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"[..],
        &bytes,
    ]
    .concat()
}

/// `utf8` as UTF-16LE with a BOM and its declaration saying UTF-16.
fn utf16le(utf8: &[u8]) -> Vec<u8> {
    let text = format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?>{}", body(utf8));
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// A minimal invoice whose supplier is called `name`, with an optional declaration before it.
fn invoice_named(name: &str) -> String {
    format!(
        "<p:FatturaElettronica xmlns:p='{NS}' versione='FPR12'><FatturaElettronicaHeader>\
         <CedentePrestatore><DatiAnagrafici><Anagrafica><Denominazione>{name}</Denominazione>\
         </Anagrafica></DatiAnagrafici></CedentePrestatore>\
         <CessionarioCommittente><DatiAnagrafici><Anagrafica><Denominazione>Cliente</Denominazione>\
         </Anagrafica></DatiAnagrafici></CessionarioCommittente></FatturaElettronicaHeader>\
         <FatturaElettronicaBody/></p:FatturaElettronica>"
    )
}

#[test]
fn every_corpus_invoice_reads_the_same_in_iso_8859_1_and_in_utf_16_with_a_bom() {
    for (file, notes) in manifest_rows("fatturapa-xml") {
        if notes.starts_with("NEGATIVE") {
            continue;
        }
        let original = corpus_file(&file).unwrap();
        let expected = read_invoice(&original).unwrap();
        let kind = recognise(&original);
        for (label, bytes) in [("latin1", latin1(&original)), ("utf16", utf16le(&original))] {
            assert_eq!(
                read_invoice(&bytes).as_ref(),
                Ok(&expected),
                "{file} {label}"
            );
            assert_eq!(recognise(&bytes), kind, "{file} {label}");
        }
    }
}

#[test]
fn an_accented_supplier_in_iso_8859_1_reads_with_its_accents() {
    let xml = format!(
        "<?xml version='1.0' encoding='ISO-8859-1'?>\n{}",
        invoice_named("Società Più Srl")
    );
    let (bytes, _, _) = WINDOWS_1252.encode(&xml);
    assert!(bytes.contains(&0xE0), "à is one byte in ISO-8859-1");
    assert_eq!(recognise(&bytes), Some(DocumentKind::Invoice));
    let invoice = read_invoice(&bytes).unwrap();
    assert_eq!(
        invoice.supplier.denomination.as_deref(),
        Some("Società Più Srl")
    );
    let latin9 = xml.replace("ISO-8859-1", "ISO-8859-15");
    let (bytes, _, _) = encoding_rs::ISO_8859_15.encode(&latin9);
    assert_eq!(
        read_invoice(&bytes)
            .unwrap()
            .supplier
            .denomination
            .as_deref(),
        Some("Società Più Srl")
    );
}

#[test]
fn an_encoding_outside_the_accepted_ones_is_refused_by_name() {
    let xml = format!(
        "<?xml version='1.0' encoding='EBCDIC-CP-IT'?>{}",
        invoice_named("X")
    );
    let refused = Err(InvoiceError::UnsupportedEncoding {
        name: "EBCDIC-CP-IT".into(),
    });
    assert_eq!(read_invoice(xml.as_bytes()).map(drop), refused);
    assert_eq!(read_notification(xml.as_bytes()).map(drop), refused);
    assert_eq!(recognise(xml.as_bytes()), None);
}

#[test]
fn a_utf_8_declaration_over_a_latin1_byte_is_an_error_not_a_guess() {
    let xml = format!(
        "<?xml version='1.0' encoding='UTF-8'?>{}",
        invoice_named("Societ\u{1}")
    );
    let mut bytes = xml.into_bytes();
    let at = bytes.iter().position(|b| *b == 1).unwrap();
    bytes[at] = 0xE0;
    assert_eq!(
        read_invoice(&bytes).map(drop),
        Err(InvoiceError::NotUtf8 { offset: at as u32 })
    );
    assert_eq!(recognise(&bytes), None);
}

#[test]
fn a_signature_span_in_utf_16_or_latin1_slices_the_bytes_received() {
    let signature = "<ds:Signature xmlns:ds='http://www.w3.org/2000/09/xmldsig#'>è</ds:Signature>";
    let utf8 = invoice_named("Società").replace(
        "<FatturaElettronicaBody/>",
        &format!("<FatturaElettronicaBody/>{signature}"),
    );
    for bytes in [utf16le(utf8.as_bytes()), latin1(utf8.as_bytes())] {
        let found = read_invoice(&bytes).unwrap().signature.unwrap();
        let slice = found.signature.slice(&bytes).unwrap();
        assert_eq!(found.signed_element.end as usize, bytes.len());
        let decode = |slice: &[u8]| {
            if bytes.starts_with(b"\xFF\xFE") {
                encoding_rs::UTF_16LE
                    .decode_without_bom_handling(slice)
                    .0
                    .into_owned()
            } else {
                WINDOWS_1252
                    .decode_without_bom_handling(slice)
                    .0
                    .into_owned()
            }
        };
        let closing = &bytes[found.signature.end as usize..found.signed_element.end as usize];
        assert_eq!(decode(closing), "</p:FatturaElettronica>");
        assert_eq!(decode(slice), signature);
    }
}

#[test]
fn hostile_declarations_and_odd_utf_16_are_typed_errors() {
    let huge = format!(
        "<?xml version='1.0' encoding='{}'?><r/>",
        "A".repeat(10 * 1024 * 1024)
    );
    assert!(matches!(
        read_invoice(huge.as_bytes()),
        Err(InvoiceError::Malformed { offset: 0, .. })
    ));
    assert_eq!(recognise(huge.as_bytes()), None);
    let long_name = format!("<?xml version='1.0' encoding='{}'?><r/>", "B".repeat(100));
    assert_eq!(
        read_invoice(long_name.as_bytes()).map(drop),
        Err(InvoiceError::UnsupportedEncoding {
            name: format!("{}…", "B".repeat(40))
        })
    );
    let odd_name = "<?xml version='1.0' encoding='x\u{7}\u{1F600}'?><r/>";
    assert_eq!(
        read_invoice(odd_name.as_bytes()).map(drop),
        Err(InvoiceError::UnsupportedEncoding {
            name: "x?????".into()
        })
    );
    for unterminated in [
        &b"<?xml version='1.0' encoding='ISO-8859-1'"[..],
        b"<?xml version='1.0' encoding='ISO-8859-1?><r/>",
        b"<?xml version='1.0' encoding?><r/>",
        b"<?xml version='1.0' encoding=latin1?><r/>",
    ] {
        assert!(
            matches!(
                read_invoice(unterminated),
                Err(InvoiceError::Malformed { offset: 0, .. })
            ),
            "{}",
            String::from_utf8_lossy(unterminated)
        );
        assert_eq!(recognise(unterminated), None);
    }
    let mut odd = utf16le(invoice_named("X").as_bytes());
    odd.push(b'<');
    assert_eq!(
        read_invoice(&odd).map(drop),
        Err(InvoiceError::BadEncoding {
            encoding: "UTF-16LE".into(),
            offset: odd.len() as u32 - 1
        })
    );
    let lone_surrogate = b"\xFF\xFE<\0r\0>\0\x00\xD8<\0/\0r\0>\0";
    assert_eq!(
        read_invoice(lone_surrogate).map(drop),
        Err(InvoiceError::BadEncoding {
            encoding: "UTF-16LE".into(),
            offset: 8
        })
    );
    let no_bom = "<?xml version='1.0' encoding='UTF-16'?><r/>";
    assert!(matches!(
        read_invoice(no_bom.as_bytes()),
        Err(InvoiceError::BadEncoding { offset: 0, .. })
    ));
}

#[test]
fn a_windows_1252_file_that_triples_when_transcoded_is_too_large() {
    let mut xml = b"<?xml version='1.0' encoding='windows-1252'?><r>".to_vec();
    xml.resize(MAX_INPUT_BYTES as usize - 4, 0x80);
    xml.extend_from_slice(b"</r>");
    assert!(matches!(
        read_invoice(&xml),
        Err(InvoiceError::TooLarge { size, limit: MAX_TEXT_BYTES }) if size > u64::from(MAX_TEXT_BYTES)
    ));
}
