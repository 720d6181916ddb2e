//! Distinguished names as people read them: `x509-cert`'s RFC 4514 `Display`, and single
//! attributes (O, CN, e-mail).
//!
//! `x509-cert` prints PrintableString, UTF8String, IA5String and ASCII TeletexString values as
//! text and anything else as `type=#hex`. So that an odd string type never hides a signer, a value
//! of a known attribute type that it would print as hex but that is plainly text — BMPString
//! (UTF-16), TeletexString read as Latin-1, VisibleString, NumericString, or a PrintableString
//! with a character outside its alphabet — is handed to it as a UTF8String. Unknown attribute
//! types still print as `dotted.oid=#hex` of the value as encoded (RFC 4514 §2.4).

use const_oid::db::DB;
use der::asn1::{Any, BmpString, Ia5StringRef, PrintableStringRef, Utf8StringRef};
use der::{Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

/// The text of a directory string value; `None` for non-string types or bad encodings.
pub fn text(value: &Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::VisibleString
        | Tag::NumericString => std::str::from_utf8(bytes).ok().map(str::to_owned),
        // TeletexString: in practice Latin-1.
        Tag::TeletexString => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => BmpString::from_ucs2(bytes)
            .ok()
            .map(|s| s.chars().collect()),
        _ => None,
    }
}

/// The first value of attribute `oid`, in encoded RDN order, as text.
pub fn attribute(name: &Name, oid: der::asn1::ObjectIdentifier) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == oid)
        .and_then(|atv| text(&atv.value))
}

/// Whether two names are the same name as RFC 5280 §7.1 compares them: same RDN structure and
/// attribute types, string values equal whatever their string type (PrintableString in a
/// SignerInfo, UTF8String in the certificate: `fephp_…_ERKHK.xml.p7m`), ignoring case and
/// collapsing white space; a value that is not a string must be encoded identically.
pub fn same_name(a: &Name, b: &Name) -> bool {
    if a == b {
        return true;
    }
    let fold = |v: &Any| {
        text(v).map(|t| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
    };
    a.0.len() == b.0.len()
        && a.0.iter().zip(b.0.iter()).all(|(x, y)| {
            x.0.len() == y.0.len()
                && x.0.iter().zip(y.0.iter()).all(|(p, q)| {
                    p.oid == q.oid
                        && match (fold(&p.value), fold(&q.value)) {
                            (Some(l), Some(r)) => l == r,
                            _ => p.value == q.value,
                        }
                })
        })
}

/// RFC 4514 string of a Name: RDNs in reverse order, `,` between RDNs, `+` inside.
pub fn rfc4514(name: &Name) -> String {
    let atvs = || name.0.iter().flat_map(|rdn| rdn.0.iter());
    if !atvs().any(|atv| as_utf8(atv).is_some()) {
        return name.to_string();
    }
    let rdns: Option<Vec<RelativeDistinguishedName>> = name
        .0
        .iter()
        .map(|rdn| {
            let atvs: Vec<AttributeTypeAndValue> = rdn
                .0
                .iter()
                .map(|atv| as_utf8(atv).unwrap_or_else(|| atv.clone()))
                .collect();
            RelativeDistinguishedName::try_from(atvs).ok()
        })
        .collect();
    rdns.map_or_else(|| name.to_string(), |r| RdnSequence(r).to_string())
}

/// Whether `x509-cert` prints this value as text by itself.
fn shown_as_text(value: &Any) -> bool {
    match value.tag() {
        Tag::PrintableString => PrintableStringRef::try_from(value).is_ok(),
        Tag::Utf8String => Utf8StringRef::try_from(value).is_ok(),
        Tag::Ia5String => Ia5StringRef::try_from(value).is_ok(),
        // NOTE: der 0.7's TeletexString accepts ASCII only.
        Tag::TeletexString => value.value().is_ascii(),
        _ => false,
    }
}

/// The same attribute as a UTF8String, when that makes a known type print as text.
fn as_utf8(atv: &AttributeTypeAndValue) -> Option<AttributeTypeAndValue> {
    if shown_as_text(&atv.value) || DB.by_oid(&atv.oid).is_none() {
        return None;
    }
    let text = text(&atv.value)?;
    let value = Any::from(Utf8StringRef::new(&text).ok()?);
    Some(AttributeTypeAndValue {
        oid: atv.oid,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Decode;

    fn atv(oid: &[u8], tag: u8, value: &[u8]) -> Vec<u8> {
        let mut v = vec![0x06, oid.len() as u8];
        v.extend_from_slice(oid);
        v.push(tag);
        v.push(value.len() as u8);
        v.extend_from_slice(value);
        let mut s = vec![0x30, v.len() as u8];
        s.extend(v);
        let mut set = vec![0x31, s.len() as u8];
        set.extend(s);
        set
    }

    fn name(rdns: &[Vec<u8>]) -> Name {
        let body = rdns.concat();
        let mut der = vec![0x30, body.len() as u8];
        der.extend(body);
        Name::from_der(&der).unwrap()
    }

    const CN: &[u8] = &[0x55, 4, 3];
    const O: &[u8] = &[0x55, 4, 10];
    const C: &[u8] = &[0x55, 4, 6];

    #[test]
    fn names_compare_whatever_their_string_type_case_and_spacing_but_not_their_values() {
        let printable = name(&[atv(C, 0x13, b"IT"), atv(CN, 0x13, b"Actalis  CA G1")]);
        let utf8 = name(&[atv(C, 0x13, b"IT"), atv(CN, 0x0c, b"actalis CA g1")]);
        let other = name(&[atv(C, 0x13, b"IT"), atv(CN, 0x0c, b"Actalis CA G2")]);
        let reordered = name(&[atv(CN, 0x0c, b"Actalis CA G1"), atv(C, 0x13, b"IT")]);
        assert!(same_name(&printable, &utf8));
        assert!(!same_name(&printable, &other));
        assert!(!same_name(&printable, &reordered));
    }

    #[test]
    fn names_print_most_specific_first_with_escapes() {
        let name = name(&[
            atv(C, 0x13, b"IT"),
            atv(O, 0x0c, b"Aruba PEC S.p.A."),
            atv(CN, 0x1e, &[0, b'A', 0, b',', 0, b'B']),
        ]);
        assert_eq!(rfc4514(&name), "CN=A\\,B,O=Aruba PEC S.p.A.,C=IT");
        let o = const_oid::db::rfc4519::O;
        assert_eq!(attribute(&name, o).unwrap(), "Aruba PEC S.p.A.");
        assert_eq!(attribute(&name, const_oid::db::rfc4519::CN).unwrap(), "A,B");
    }

    #[test]
    fn odd_string_types_of_known_attributes_still_print_as_text() {
        // A PrintableString may not hold '@' or '&'; encoders write them anyway.
        let name = name(&[
            atv(O, 0x13, b"Rossi & Figli"),
            atv(CN, 0x14, &[b'C', b'a', 0xe0]),
        ]);
        assert_eq!(rfc4514(&name), "CN=Ca\u{e0},O=Rossi & Figli");
    }

    #[test]
    fn unknown_types_print_as_the_encoded_value_in_hex() {
        let name = name(&[atv(&[0x2a, 3, 4], 0x1e, &[0, b'x'])]);
        assert_eq!(rfc4514(&name), "1.2.3.4=#1e020078");
        assert_eq!(rfc4514(&Name::default()), "");
    }
}
