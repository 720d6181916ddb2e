//! Hostile XML: every input gives a typed error, never a panic, a hang or an expanded entity (the
//! limits make each refusal immediate; the whole file runs in well under a second in a debug build).

use pec_trusted_list::{ListRefused, ReadError, read, verify};

/// Reads and verifies `bytes`; returns the reading's error.
fn refused(bytes: &[u8]) -> ReadError {
    let read_err = read(bytes).unwrap_err();
    let verify_err = verify(bytes, &[]).unwrap_err();
    // A document that cannot be walked, or is no list at all, is refused as such; one that reads but
    // carries no signature is refused for that first.
    match &read_err {
        ReadError::Missing(_) | ReadError::Invalid { .. } => {
            assert_eq!(verify_err, ListRefused::NoSignature)
        }
        other => assert_eq!(verify_err, ListRefused::Unreadable(other.clone())),
    }
    read_err
}

#[test]
fn a_billion_laughs_dtd_is_refused_without_expanding_anything() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        xml.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str("]>\n<TrustServiceStatusList xmlns=\"http://uri.etsi.org/02231/v2#\">&lol9;</TrustServiceStatusList>");
    assert_eq!(refused(xml.as_bytes()), ReadError::DtdForbidden);
}

#[test]
fn an_external_entity_is_refused() {
    let xml = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#">&e;</TrustServiceStatusList>"#;
    assert_eq!(refused(xml.as_bytes()), ReadError::DtdForbidden);
}

#[test]
fn deep_nesting_is_refused() {
    let depth = 100_000;
    let xml = format!(
        "<TrustServiceStatusList xmlns=\"http://uri.etsi.org/02231/v2#\">{}{}</TrustServiceStatusList>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    assert!(matches!(refused(xml.as_bytes()), ReadError::TooDeep { .. }));
}

#[test]
fn nesting_just_past_our_own_limit_is_refused_too() {
    let xml = format!(
        "<TrustServiceStatusList xmlns=\"http://uri.etsi.org/02231/v2#\">{}{}</TrustServiceStatusList>",
        "<a>".repeat(100),
        "</a>".repeat(100)
    );
    let err = refused(xml.as_bytes());
    assert!(
        matches!(err, ReadError::TooDeep { depth, limit: 64 } if depth > 64),
        "{err:?}"
    );
}

#[test]
fn a_huge_text_is_read_quickly_and_found_not_to_be_a_list() {
    let xml = format!(
        "<TrustServiceStatusList xmlns=\"http://uri.etsi.org/02231/v2#\"><SchemeInformation>{}</SchemeInformation></TrustServiceStatusList>",
        "x".repeat(12 * 1024 * 1024)
    );
    assert!(matches!(refused(xml.as_bytes()), ReadError::Missing(_)));
}

#[test]
fn an_input_beyond_the_size_limit_is_refused_before_parsing() {
    let xml = vec![b' '; 17 * 1024 * 1024];
    assert!(matches!(refused(&xml), ReadError::TooLarge { .. }));
}

#[test]
fn bytes_that_are_not_utf8_or_not_xml_or_not_a_list_are_refused() {
    assert_eq!(refused(b"\xff\xfe<a/>"), ReadError::NotUtf8);
    assert!(matches!(refused(b"<a><b></a>"), ReadError::Malformed(_)));
    assert!(matches!(refused(b""), ReadError::Malformed(_)));
    assert!(matches!(
        refused(b"<html xmlns=\"http://www.w3.org/1999/xhtml\"/>"),
        ReadError::NotATrustedList { .. }
    ));
}

#[test]
fn a_list_with_garbage_in_its_fields_is_refused_with_the_field_named() {
    let xml = r#"<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><SchemeInformation><TSLVersionIdentifier>5</TSLVersionIdentifier><TSLSequenceNumber>many</TSLSequenceNumber></SchemeInformation></TrustServiceStatusList>"#;
    assert_eq!(
        refused(xml.as_bytes()),
        ReadError::Invalid {
            field: "TSLSequenceNumber",
            value: "many".into()
        }
    );
}

#[test]
fn a_signature_with_thousands_of_references_is_refused_before_any_is_digested() {
    let reference = r#"<ds:Reference URI=""><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AA==</ds:DigestValue></ds:Reference>"#;
    let xml = format!(
        r#"<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>{}</ds:SignedInfo></ds:Signature></TrustServiceStatusList>"#,
        reference.repeat(5000)
    );
    assert_eq!(
        verify(xml.as_bytes(), &[]).unwrap_err(),
        ListRefused::TooManyReferences {
            count: 5000,
            limit: 8
        }
    );
}
