//! The certificate extensions trust needs, decoded with `x509-cert`'s PKIX types.
//!
//! SubjectKeyIdentifier (signer lookup, RFC 5652 §5.3), KeyUsage and ExtendedKeyUsage (RFC 8550
//! §4.4), SubjectAltName rfc822Name (PEC rules §6: the provider's service address),
//! BasicConstraints (only CAs may issue). An extension that does not decode is treated as absent,
//! as if the certificate did not carry it; a repeated one counts as its last occurrence.

use const_oid::db::rfc5280::{
    ID_CE_BASIC_CONSTRAINTS, ID_CE_EXT_KEY_USAGE, ID_CE_KEY_USAGE, ID_CE_SUBJECT_ALT_NAME,
    ID_CE_SUBJECT_KEY_IDENTIFIER,
};
use der::Decode;
use der::asn1::ObjectIdentifier;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAltName, SubjectKeyIdentifier,
};

use super::ber;

/// What the extensions say, each `None` when the extension is absent (or unreadable).
#[derive(Debug, Clone, Default)]
pub struct TrustExtensions {
    pub subject_key_id: Option<Vec<u8>>,
    pub key_usage: Option<KeyUsage>,
    /// ExtendedKeyUsage purposes.
    pub extended_key_usage: Option<Vec<ObjectIdentifier>>,
    /// BasicConstraints cA.
    pub is_ca: Option<bool>,
    /// SubjectAltName rfc822Name entries.
    pub emails: Vec<String>,
}

impl TrustExtensions {
    pub fn read(extensions: &[Extension]) -> Self {
        let mut out = TrustExtensions::default();
        for ext in extensions {
            let value = ext.extn_value.as_bytes();
            let id = ext.extn_id;
            if id == ID_CE_SUBJECT_KEY_IDENTIFIER {
                if let Ok(ski) = SubjectKeyIdentifier::from_der(value) {
                    out.subject_key_id = Some(ski.0.as_bytes().to_vec());
                }
            } else if id == ID_CE_KEY_USAGE {
                if let Ok(ku) = KeyUsage::from_der(value) {
                    out.key_usage = Some(ku);
                }
            } else if id == ID_CE_EXT_KEY_USAGE {
                if let Ok(eku) = ExtendedKeyUsage::from_der(value) {
                    out.extended_key_usage = Some(eku.0);
                }
            } else if id == ID_CE_BASIC_CONSTRAINTS {
                if let Ok(bc) = BasicConstraints::from_der(value) {
                    out.is_ca = Some(bc.ca);
                }
            } else if id == ID_CE_SUBJECT_ALT_NAME
                // Directory names inside hold SETs: keep them within the decoder's limits.
                && ber::within_limits(value)
                && let Ok(san) = SubjectAltName::from_der(value)
            {
                out.emails
                    .extend(san.0.iter().filter_map(|name| match name {
                        GeneralName::Rfc822Name(email) => Some(email.to_string()),
                        _ => None,
                    }));
            }
        }
        out
    }
}
