//! The certificate extensions trust needs, decoded with `x509-cert`'s PKIX types.
//!
//! SubjectKeyIdentifier (signer lookup, RFC 5652 §5.3), KeyUsage and ExtendedKeyUsage (RFC 8550
//! §4.4), SubjectAltName rfc822Name (PEC rules §6: the provider's service address),
//! BasicConstraints (only CAs may issue). A repeated one counts as its last occurrence.
//!
//! Issue 13 §5: an extension that does not decode, or a critical extension this verifier does not
//! know (RFC 5280 §4.2: "MUST reject"), makes the certificate unusable — never "no restriction",
//! which is what a forger who breaks a KeyUsage on purpose would want. [`TrustExtensions::unusable`]
//! says why; `path.rs` refuses such a certificate (`certificate-extension-unusable`). Known but not
//! enforced: AuthorityKeyIdentifier, CRLDistributionPoints, AuthorityInfoAccess, CertificatePolicies
//! (no policy is required of a PEC path).

use const_oid::db::rfc5280::{
    ID_CE_AUTHORITY_KEY_IDENTIFIER, ID_CE_BASIC_CONSTRAINTS, ID_CE_CERTIFICATE_POLICIES,
    ID_CE_CRL_DISTRIBUTION_POINTS, ID_CE_EXT_KEY_USAGE, ID_CE_KEY_USAGE, ID_CE_SUBJECT_ALT_NAME,
    ID_CE_SUBJECT_KEY_IDENTIFIER, ID_PE_AUTHORITY_INFO_ACCESS,
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
    /// Why the certificate cannot be used: extensions that do not decode, unknown critical ones.
    pub unusable: Vec<String>,
}

/// Critical extensions that are understood without restricting anything here.
const KNOWN_UNENFORCED: [ObjectIdentifier; 4] = [
    ID_CE_AUTHORITY_KEY_IDENTIFIER,
    ID_CE_CRL_DISTRIBUTION_POINTS,
    ID_PE_AUTHORITY_INFO_ACCESS,
    ID_CE_CERTIFICATE_POLICIES,
];

impl TrustExtensions {
    pub fn read(extensions: &[Extension]) -> Self {
        let mut out = TrustExtensions::default();
        for ext in extensions {
            let value = ext.extn_value.as_bytes();
            let id = ext.extn_id;
            let decoded = if id == ID_CE_SUBJECT_KEY_IDENTIFIER {
                SubjectKeyIdentifier::from_der(value)
                    .map(|ski| out.subject_key_id = Some(ski.0.as_bytes().to_vec()))
                    .is_ok()
            } else if id == ID_CE_KEY_USAGE {
                KeyUsage::from_der(value)
                    .map(|ku| out.key_usage = Some(ku))
                    .is_ok()
            } else if id == ID_CE_EXT_KEY_USAGE {
                ExtendedKeyUsage::from_der(value)
                    .map(|eku| out.extended_key_usage = Some(eku.0))
                    .is_ok()
            } else if id == ID_CE_BASIC_CONSTRAINTS {
                BasicConstraints::from_der(value)
                    .map(|bc| out.is_ca = Some(bc.ca))
                    .is_ok()
            } else if id == ID_CE_SUBJECT_ALT_NAME {
                // Directory names inside hold SETs: keep them within the decoder's limits.
                ber::within_limits(value)
                    && SubjectAltName::from_der(value)
                        .map(|san| {
                            out.emails
                                .extend(san.0.iter().filter_map(|name| match name {
                                    GeneralName::Rfc822Name(email) => Some(email.to_string()),
                                    _ => None,
                                }))
                        })
                        .is_ok()
            } else {
                if ext.critical && !KNOWN_UNENFORCED.contains(&id) {
                    out.unusable.push(format!(
                        "a critical extension this program does not know ({id})"
                    ));
                }
                true
            };
            if !decoded {
                out.unusable
                    .push(format!("an extension that cannot be read ({id})"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::asn1::OctetString;

    fn ext(id: ObjectIdentifier, critical: bool, value: &[u8]) -> Extension {
        Extension {
            extn_id: id,
            critical,
            extn_value: OctetString::new(value).unwrap(),
        }
    }

    #[test]
    fn a_key_usage_that_does_not_decode_makes_the_certificate_unusable_not_unrestricted() {
        let read = TrustExtensions::read(&[ext(ID_CE_KEY_USAGE, true, &[0x04, 0x01, 0x00])]);
        assert!(read.key_usage.is_none());
        assert_eq!(read.unusable.len(), 1, "{:?}", read.unusable);
    }

    #[test]
    fn an_unknown_critical_extension_makes_the_certificate_unusable_and_a_non_critical_one_does_not()
     {
        let private = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.55555.1");
        let null = [0x05, 0x00];
        assert_eq!(
            TrustExtensions::read(&[ext(private, true, &null)])
                .unusable
                .len(),
            1
        );
        assert!(
            TrustExtensions::read(&[ext(private, false, &null)])
                .unusable
                .is_empty()
        );
    }

    #[test]
    fn a_readable_key_usage_is_usable() {
        // KeyUsage digitalSignature: BIT STRING, 7 unused bits, 0x80.
        let read = TrustExtensions::read(&[ext(ID_CE_KEY_USAGE, true, &[0x03, 0x02, 0x07, 0x80])]);
        assert!(read.unusable.is_empty(), "{:?}", read.unusable);
        assert!(read.key_usage.is_some_and(|ku| ku.digital_signature()));
    }
}
