//! Distinguished names as people read them (RFC 4514 strings) and single attributes (O, CN).
//!
//! Works on the raw DER `Name` so that an odd string type never hides a signer: PrintableString,
//! UTF8String, IA5String, TeletexString (read as Latin-1), BMPString and UniversalString are
//! all decoded. Unknown attribute types print as `dotted.oid=#hex` (RFC 4514 §2.4).

use std::fmt::Write;

use super::algorithms::oid_string;
use super::der_reader::{OID, Reader, SEQUENCE, SET, Tlv};

/// Short names of the attribute types seen in PEC certificates (RFC 4514 §3 and common use).
fn short_name(oid: &[u8]) -> Option<&'static str> {
    Some(match oid {
        [0x55, 0x04, 0x03] => "CN",
        [0x55, 0x04, 0x04] => "SN",
        [0x55, 0x04, 0x05] => "serialNumber",
        [0x55, 0x04, 0x06] => "C",
        [0x55, 0x04, 0x07] => "L",
        [0x55, 0x04, 0x08] => "ST",
        [0x55, 0x04, 0x09] => "STREET",
        [0x55, 0x04, 0x0a] => "O",
        [0x55, 0x04, 0x0b] => "OU",
        [0x55, 0x04, 0x0c] => "title",
        [0x55, 0x04, 0x2a] => "GN",
        [0x55, 0x04, 0x61] => "organizationIdentifier",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01] => "UID",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "emailAddress",
        _ => return None,
    })
}

/// Decodes a directory string value; `None` for non-string types or bad encodings.
pub fn decode_string(tlv: &Tlv<'_>) -> Option<String> {
    let c = tlv.content;
    match tlv.tag {
        // UTF8String, PrintableString, IA5String, VisibleString, NumericString
        0x0c | 0x13 | 0x16 | 0x1a | 0x12 => std::str::from_utf8(c).ok().map(str::to_owned),
        // TeletexString: in practice Latin-1.
        0x14 => Some(c.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UTF-16BE.
        0x1e => {
            if !c.len().is_multiple_of(2) {
                return None;
            }
            let units = c.chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        // UniversalString: UTF-32BE.
        0x1c => {
            if !c.len().is_multiple_of(4) {
                return None;
            }
            c.chunks_exact(4)
                .map(|p| char::from_u32(u32::from_be_bytes([p[0], p[1], p[2], p[3]])))
                .collect()
        }
        _ => None,
    }
}

/// Each (type OID, value) of a Name, in encoded order (most significant RDN first).
fn attributes<'a>(name: &'a [u8]) -> Vec<(&'a [u8], Tlv<'a>, bool)> {
    let mut out = Vec::new();
    let Ok(seq) = Reader::new(name).expect(SEQUENCE, "name") else {
        return out;
    };
    let mut rdns = seq.children();
    while let Ok(rdn) = rdns.expect(SET, "rdn") {
        let mut atvs = rdn.children();
        let mut first = true;
        while let Ok(atv) = atvs.expect(SEQUENCE, "atv") {
            let mut r = atv.children();
            if let (Ok(oid), Ok(value)) = (r.expect(OID, "type"), r.any()) {
                out.push((oid.content, value, first));
                first = false;
            }
        }
    }
    out
}

/// The first value of attribute `oid` in a raw DER Name.
pub fn attribute(name: &[u8], oid: &[u8]) -> Option<String> {
    attributes(name)
        .into_iter()
        .find(|(o, _, _)| *o == oid)
        .and_then(|(_, v, _)| decode_string(&v))
}

/// RFC 4514 string of a raw DER Name: RDNs in reverse order, `,` between RDNs, `+` inside.
pub fn rfc4514(name: &[u8]) -> String {
    let attrs = attributes(name);
    // Group into RDNs (the flag marks each RDN's first attribute), then reverse.
    let mut rdns: Vec<Vec<(&[u8], Tlv<'_>)>> = Vec::new();
    for (oid, value, first) in attrs {
        match rdns.last_mut() {
            Some(rdn) if !first => rdn.push((oid, value)),
            _ => rdns.push(vec![(oid, value)]),
        }
    }
    let mut out = String::new();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, (oid, value)) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            match (short_name(oid), decode_string(value)) {
                (Some(key), Some(text)) => {
                    out.push_str(key);
                    out.push('=');
                    escape_into(&mut out, &text);
                }
                _ => {
                    out.push_str(&oid_string(oid));
                    out.push_str("=#");
                    for b in value.raw {
                        let _ = write!(out, "{b:02x}");
                    }
                }
            }
        }
    }
    out
}

/// RFC 4514 §2.4 escaping.
fn escape_into(out: &mut String, text: &str) {
    let last = text.chars().count().saturating_sub(1);
    for (i, c) in text.chars().enumerate() {
        match c {
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\0'..='\x1f' | '\x7f' => {
                let _ = write!(out, "\\{:02x}", c as u32);
            }
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn names_print_most_specific_first_with_escapes() {
        let mut body = atv(&[0x55, 4, 6], 0x13, b"IT");
        body.extend(atv(&[0x55, 4, 10], 0x0c, b"Aruba PEC S.p.A."));
        body.extend(atv(&[0x55, 4, 3], 0x1e, &[0, b'A', 0, b',', 0, b'B']));
        let mut name = vec![0x30, body.len() as u8];
        name.extend(body);
        assert_eq!(rfc4514(&name), "CN=A\\,B,O=Aruba PEC S.p.A.,C=IT");
        assert_eq!(
            attribute(&name, &[0x55, 4, 10]).unwrap(),
            "Aruba PEC S.p.A."
        );
        assert_eq!(attribute(&name, &[0x55, 4, 3]).unwrap(), "A,B");
    }

    #[test]
    fn garbage_names_print_empty() {
        assert_eq!(rfc4514(b"\x30\x05\x31"), "");
        assert_eq!(rfc4514(b""), "");
    }
}
