//! Signed attributes (RFC 5652 §5.3, §5.4, §11): the bytes the signature covers, and the
//! attributes verification reads (contentType, messageDigest, signingTime).
//!
//! §5.4: the signature is over the DER of the attributes with the `[0] IMPLICIT` tag read as
//! `SET OF` — in practice, the attributes exactly as transmitted with their first octet changed.
//! `cms` decodes them into a `SetOfVec`, which `der` sorts, so its re-encoding is the sorted DER
//! form: that is tried only as a fallback, for encoders that sign the sorted form but send the
//! attributes unsorted (OpenSSL accepts those, because it re-encodes before hashing).

use cms::signed_data::SignedAttributes;
use der::asn1::{Any, ObjectIdentifier};
use der::{Encode, Tag};

use super::error::SignatureError;

fn bad(what: &'static str) -> SignatureError {
    SignatureError::NotSignedData(what)
}

/// The bytes the signature covers, as parts to hash in order: the `SET OF` tag, then the rest of
/// the attributes element as received.
pub fn as_transmitted(raw: &[u8]) -> [&[u8]; 2] {
    const SET: &[u8] = &[0x31];
    debug_assert_eq!(SET.first().copied(), Some(u8::from(Tag::Set)));
    [SET, raw.get(1..).unwrap_or_default()]
}

/// The attributes in DER `SET OF` order (X.690 §11.6), if that differs from what was sent.
pub fn sorted(attrs: &SignedAttributes, raw: &[u8]) -> Option<Vec<u8>> {
    let der = attrs.to_der().ok()?;
    let [tag, rest] = as_transmitted(raw);
    (der.get(..1) != Some(tag) || der.get(1..) != Some(rest)).then_some(der)
}

/// The single value of attribute `oid`: `Ok(None)` if absent, an error if repeated or not
/// exactly one value.
pub fn single_value(
    attrs: &SignedAttributes,
    oid: ObjectIdentifier,
) -> Result<Option<&Any>, SignatureError> {
    let mut found = attrs.iter().filter(|a| a.oid == oid);
    let Some(attr) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() {
        return Err(bad("attribute repeated"));
    }
    let mut values = attr.values.iter();
    match (values.next(), values.next()) {
        (Some(value), None) => Ok(Some(value)),
        (None, _) => Err(bad("attribute without values")),
        (Some(_), Some(_)) => Err(bad("attribute with several values")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Decode;

    /// `[0]` holding attributes 1.2.3.4 = NULL and 1.2.3.3 = NULL, in that (unsorted) order.
    fn unsorted() -> Vec<u8> {
        // Each attribute: SEQUENCE { OID, SET { NULL } }.
        let attr_a = [
            0x30, 0x09, 0x06, 0x03, 0x2a, 0x03, 0x04, 0x31, 0x02, 0x05, 0x00,
        ];
        let attr_b = [
            0x30, 0x09, 0x06, 0x03, 0x2a, 0x03, 0x03, 0x31, 0x02, 0x05, 0x00,
        ];
        [&[0xa0, 0x16][..], &attr_a, &attr_b].concat()
    }

    fn decoded(raw: &[u8]) -> SignedAttributes {
        let mut set = raw.to_vec();
        set[0] = 0x31;
        SignedAttributes::from_der(&set).unwrap()
    }

    #[test]
    fn the_covered_bytes_are_the_received_ones_with_a_set_tag() {
        let raw = unsorted();
        assert_eq!(
            as_transmitted(&raw).concat(),
            [&[0x31][..], &raw[1..]].concat()
        );
    }

    #[test]
    fn the_sorted_form_is_offered_only_when_it_differs() {
        let raw = unsorted();
        let attrs = decoded(&raw);
        let sorted_der = sorted(&attrs, &raw).unwrap();
        assert_eq!(&sorted_der[..2], &[0x31, 0x16]);
        assert_eq!(&sorted_der[2..13], &raw[13..24]);
        let mut resorted = sorted_der.clone();
        resorted[0] = 0xa0;
        assert_eq!(sorted(&attrs, &resorted), None);
    }

    #[test]
    fn values_are_read_one_at_a_time() {
        let attrs = decoded(&unsorted());
        let oid = ObjectIdentifier::new_unwrap("1.2.3.4");
        assert!(single_value(&attrs, oid).unwrap().unwrap().is_null());
        let absent = ObjectIdentifier::new_unwrap("1.2.3.5");
        assert!(single_value(&attrs, absent).unwrap().is_none());
    }
}
