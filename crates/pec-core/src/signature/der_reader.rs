//! A minimal DER reader that keeps the exact bytes of every element.
//!
//! The CMS walk needs byte spans, not re-encodings: RFC 5652 §5.4 signs the signed attributes
//! exactly as encoded, and a certificate's signature covers its `tbsCertificate` bytes. Runs on
//! the output of the BER normaliser, so it only needs definite lengths. Total: every access is
//! checked, errors are values.

use super::error::SignatureError;

pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const OID: u8 = 0x06;
pub const UTC_TIME: u8 = 0x17;
pub const GENERALIZED_TIME: u8 = 0x18;

/// One element: its first identifier octet, its content and its whole encoding.
#[derive(Debug, Clone, Copy)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub raw: &'a [u8],
}

fn bad(what: &'static str) -> SignatureError {
    SignatureError::NotSignedData(what)
}

/// Reads elements one after another from a byte slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next element's identifier octet, without consuming it.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next element, whatever its tag.
    pub fn any(&mut self) -> Result<Tlv<'a>, SignatureError> {
        let bytes = self.rest;
        let tag = *bytes.first().ok_or(bad("unexpected end of data"))?;
        let mut pos = 1;
        if tag & 0x1f == 0x1f {
            // High tag number: skip its continuation octets.
            loop {
                let b = *bytes.get(pos).ok_or(bad("truncated tag"))?;
                pos += 1;
                if b & 0x80 == 0 {
                    break;
                }
                if pos > 5 {
                    return Err(bad("tag number too large"));
                }
            }
        }
        let l0 = *bytes.get(pos).ok_or(bad("truncated length"))?;
        pos += 1;
        let len = if l0 < 0x80 {
            usize::from(l0)
        } else {
            let n = usize::from(l0 & 0x7f);
            if n == 0 || n > 4 {
                return Err(bad("unsupported length form"));
            }
            let octets = bytes.get(pos..pos + n).ok_or(bad("truncated length"))?;
            pos += n;
            octets
                .iter()
                .fold(0usize, |v, &b| (v << 8) | usize::from(b))
        };
        let end = pos.checked_add(len).ok_or(bad("length overflow"))?;
        let content = bytes.get(pos..end).ok_or(bad("length beyond the end"))?;
        let raw = bytes.get(..end).ok_or(bad("length beyond the end"))?;
        self.rest = bytes.get(end..).unwrap_or_default();
        Ok(Tlv { tag, content, raw })
    }

    /// Reads the next element and checks its tag.
    pub fn expect(&mut self, tag: u8, what: &'static str) -> Result<Tlv<'a>, SignatureError> {
        let tlv = self.any()?;
        if tlv.tag == tag {
            Ok(tlv)
        } else {
            Err(bad(what))
        }
    }

    /// Reads the next element only if it has this tag.
    pub fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, SignatureError> {
        if self.peek_tag() == Some(tag) {
            self.any().map(Some)
        } else {
            Ok(None)
        }
    }
}

impl<'a> Tlv<'a> {
    /// A reader over this element's content (its children, if constructed).
    pub fn children(&self) -> Reader<'a> {
        Reader::new(self.content)
    }
}

/// An AlgorithmIdentifier: OID content octets plus the optional parameters element.
#[derive(Debug, Clone, Copy)]
pub struct AlgId<'a> {
    pub oid: &'a [u8],
    pub params: Option<Tlv<'a>>,
}

impl<'a> AlgId<'a> {
    pub fn parse(tlv: Tlv<'a>) -> Result<Self, SignatureError> {
        if tlv.tag != SEQUENCE {
            return Err(bad("algorithm identifier is not a sequence"));
        }
        let mut r = tlv.children();
        let oid = r.expect(OID, "algorithm identifier without oid")?.content;
        let params = if r.is_empty() { None } else { Some(r.any()?) };
        Ok(AlgId { oid, params })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_elements_with_their_raw_bytes() {
        let der = [0x30, 0x05, 0x02, 0x01, 0x07, 0x05, 0x00];
        let mut r = Reader::new(&der);
        let seq = r.expect(SEQUENCE, "seq").unwrap();
        assert!(r.is_empty());
        assert_eq!(seq.raw, &der);
        let mut c = seq.children();
        assert_eq!(c.expect(INTEGER, "int").unwrap().content, &[7]);
        assert_eq!(c.optional(0x05).unwrap().unwrap().raw, &[5, 0]);
        assert!(c.any().is_err());
    }

    #[test]
    fn lengths_past_the_end_are_errors() {
        assert!(Reader::new(&[0x30, 0x82, 0xff, 0xff]).any().is_err());
        assert!(Reader::new(&[0x30, 0x80]).any().is_err());
    }
}
