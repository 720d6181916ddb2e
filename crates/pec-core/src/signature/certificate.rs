//! One X.509 certificate, parsed once: names, validity, key, and the extensions trust needs.
//!
//! RFC 5280 §4.1. Keeps the exact DER and the byte range of `tbsCertificate` (what the issuer
//! signed). Extensions read: SubjectKeyIdentifier (signer lookup, RFC 5652 §5.3), KeyUsage and
//! ExtendedKeyUsage (RFC 8550 §4.4), SubjectAltName rfc822Name (PEC rules §6: the provider's
//! service address), BasicConstraints (only CAs may issue).

use std::ops::Range;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::algorithms::{PublicKey, Scheme, VerifyFailure, verify};
use super::der_reader::{AlgId, BIT_STRING, INTEGER, OCTET_STRING, OID, Reader, SEQUENCE, Tlv};
use super::error::SignatureError;
use super::names;
use super::oids;
use super::time::parse_time;

/// KeyUsage bits (RFC 5280 §4.2.1.3), as the first two octets of the BIT STRING, MSB first.
pub const KU_DIGITAL_SIGNATURE: u16 = 0x8000;
pub const KU_NON_REPUDIATION: u16 = 0x4000;
pub const KU_KEY_CERT_SIGN: u16 = 0x0400;

/// A parsed certificate.
#[derive(Debug, Clone)]
pub struct Certificate {
    der: Vec<u8>,
    tbs: Range<usize>,
    signature_algorithm: Range<usize>,
    signature: Range<usize>,
    serial: Range<usize>,
    issuer: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
    pub not_before: Option<DateTime<Utc>>,
    pub not_after: Option<DateTime<Utc>>,
    pub key: PublicKey,
    pub subject_key_id: Option<Vec<u8>>,
    /// KeyUsage bits, when the extension is present.
    pub key_usage: Option<u16>,
    /// ExtendedKeyUsage purposes (OID content octets), when the extension is present.
    pub extended_key_usage: Option<Vec<Vec<u8>>>,
    /// BasicConstraints cA, when the extension is present.
    pub is_ca: Option<bool>,
    /// SubjectAltName rfc822Name entries.
    pub emails: Vec<String>,
    pub sha256: [u8; 32],
}

fn range_of(outer: &[u8], inner: &[u8]) -> Range<usize> {
    let start = (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize);
    start..start + inner.len()
}

fn bad() -> SignatureError {
    SignatureError::NotACertificate
}

impl Certificate {
    /// Parses one DER certificate (exactly one element, nothing after it).
    pub fn from_der(der: &[u8]) -> Result<Self, SignatureError> {
        let mut top = Reader::new(der);
        let cert = top.expect(SEQUENCE, "certificate").map_err(|_| bad())?;
        if !top.is_empty() {
            return Err(bad());
        }
        let mut c = cert.children();
        let tbs = c.expect(SEQUENCE, "tbs").map_err(|_| bad())?;
        let sig_alg = c
            .expect(SEQUENCE, "signature algorithm")
            .map_err(|_| bad())?;
        let sig = c.expect(BIT_STRING, "signature").map_err(|_| bad())?;
        let sig_bits = match sig.content.split_first() {
            Some((0, bits)) => bits,
            _ => return Err(bad()),
        };

        let mut t = tbs.children();
        let _version = t.optional(0xa0).map_err(|_| bad())?;
        let serial = t.expect(INTEGER, "serial").map_err(|_| bad())?;
        let _inner_alg = t.expect(SEQUENCE, "tbs signature").map_err(|_| bad())?;
        let issuer = t.expect(SEQUENCE, "issuer").map_err(|_| bad())?;
        let validity = t.expect(SEQUENCE, "validity").map_err(|_| bad())?;
        let subject = t.expect(SEQUENCE, "subject").map_err(|_| bad())?;
        let spki = t.expect(SEQUENCE, "spki").map_err(|_| bad())?;
        let _issuer_uid = t.optional(0x81).map_err(|_| bad())?;
        let _subject_uid = t.optional(0x82).map_err(|_| bad())?;
        let extensions = t.optional(0xa3).map_err(|_| bad())?;

        let mut v = validity.children();
        let not_before = v.any().ok().and_then(|t| parse_time(&t));
        let not_after = v.any().ok().and_then(|t| parse_time(&t));

        let mut out = Certificate {
            der: der.to_vec(),
            tbs: range_of(der, tbs.raw),
            signature_algorithm: range_of(der, sig_alg.raw),
            signature: range_of(der, sig_bits),
            serial: range_of(der, serial.content),
            issuer: range_of(der, issuer.raw),
            subject: range_of(der, subject.raw),
            spki: range_of(der, spki.raw),
            not_before,
            not_after,
            key: PublicKey::from_spki(spki.raw),
            subject_key_id: None,
            key_usage: None,
            extended_key_usage: None,
            is_ca: None,
            emails: Vec::new(),
            sha256: Sha256::digest(der).into(),
        };
        if let Some(exts) = extensions {
            out.read_extensions(exts);
        }
        Ok(out)
    }

    /// Reads the extensions we use; an unreadable extension is simply ignored (treated absent).
    fn read_extensions(&mut self, exts: Tlv<'_>) {
        let Ok(list) = exts.children().expect(SEQUENCE, "extensions") else {
            return;
        };
        let mut r = list.children();
        while let Ok(ext) = r.expect(SEQUENCE, "extension") {
            let mut e = ext.children();
            let Ok(oid) = e.expect(OID, "extension id") else {
                continue;
            };
            let _critical = e.optional(0x01);
            let Ok(value) = e.expect(OCTET_STRING, "extension value") else {
                continue;
            };
            let Ok(inner) = Reader::new(value.content).any() else {
                continue;
            };
            match oid.content {
                oids::EXT_SUBJECT_KEY_ID if inner.tag == OCTET_STRING => {
                    self.subject_key_id = Some(inner.content.to_vec());
                }
                oids::EXT_KEY_USAGE if inner.tag == BIT_STRING => {
                    let bits = inner.content.get(1..).unwrap_or_default();
                    let hi = u16::from(bits.first().copied().unwrap_or(0));
                    let lo = u16::from(bits.get(1).copied().unwrap_or(0));
                    self.key_usage = Some((hi << 8) | lo);
                }
                oids::EXT_EXTENDED_KEY_USAGE if inner.tag == SEQUENCE => {
                    let mut purposes = Vec::new();
                    let mut p = inner.children();
                    while let Ok(oid) = p.expect(OID, "purpose") {
                        purposes.push(oid.content.to_vec());
                    }
                    self.extended_key_usage = Some(purposes);
                }
                oids::EXT_BASIC_CONSTRAINTS if inner.tag == SEQUENCE => {
                    let ca = inner
                        .children()
                        .optional(0x01)
                        .ok()
                        .flatten()
                        .is_some_and(|b| b.content.first().is_some_and(|&v| v != 0));
                    self.is_ca = Some(ca);
                }
                oids::EXT_SUBJECT_ALT_NAME if inner.tag == SEQUENCE => {
                    let mut names = inner.children();
                    while let Ok(name) = names.any() {
                        // rfc822Name is [1] IMPLICIT IA5String.
                        if name.tag == 0x81
                            && let Ok(s) = std::str::from_utf8(name.content)
                        {
                            self.emails.push(s.to_owned());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn slice(&self, r: &Range<usize>) -> &[u8] {
        self.der.get(r.clone()).unwrap_or_default()
    }

    /// Raw DER of the issuer Name.
    pub fn issuer_der(&self) -> &[u8] {
        self.slice(&self.issuer)
    }
    /// Raw DER of the subject Name.
    pub fn subject_der(&self) -> &[u8] {
        self.slice(&self.subject)
    }
    /// Raw DER of the SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> &[u8] {
        self.slice(&self.spki)
    }
    /// Content octets of the serial number INTEGER.
    pub fn serial_bytes(&self) -> &[u8] {
        self.slice(&self.serial)
    }
    pub fn serial_hex(&self) -> String {
        hex(self.serial_bytes())
    }
    pub fn subject(&self) -> String {
        names::rfc4514(self.subject_der())
    }
    pub fn issuer(&self) -> String {
        names::rfc4514(self.issuer_der())
    }
    pub fn organization(&self) -> Option<String> {
        names::attribute(self.subject_der(), oids::ORGANIZATION)
    }
    pub fn common_name(&self) -> Option<String> {
        names::attribute(self.subject_der(), oids::COMMON_NAME)
    }
    /// The SAN e-mail, or failing that the legacy subject emailAddress.
    pub fn email(&self) -> Option<String> {
        self.emails
            .first()
            .cloned()
            .or_else(|| names::attribute(self.subject_der(), oids::EMAIL_ADDRESS))
    }
    pub fn sha256_hex(&self) -> String {
        hex(&self.sha256)
    }

    /// Whether this certificate was valid at `at` (both bounds inclusive).
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        matches!((self.not_before, self.not_after), (Some(nb), Some(na)) if nb <= at && at <= na)
    }

    /// Whether `issuer`'s key signed this certificate.
    pub fn is_signed_by(&self, issuer: &PublicKey) -> Result<(), VerifyFailure> {
        let alg = Reader::new(self.slice(&self.signature_algorithm))
            .any()
            .and_then(AlgId::parse)
            .map_err(|_| {
                VerifyFailure::Unsupported("unreadable certificate signature algorithm".into())
            })?;
        let scheme = Scheme::resolve(&alg, None).map_err(|u| VerifyFailure::Unsupported(u.0))?;
        let hashed = scheme.digest.digest_parts(&[self.slice(&self.tbs)]);
        verify(issuer, scheme, &hashed, self.slice(&self.signature))
    }
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_anchor_parses_with_its_published_fingerprint() {
        let pem = include_str!("../../trust/pec-ca/digitpa-ca1-20110114.pem");
        let der = super::super::anchors::pem_blocks(pem.as_bytes())
            .unwrap()
            .remove(0);
        let cert = Certificate::from_der(&der).unwrap();
        assert_eq!(
            cert.sha256_hex(),
            "d75420b7e9051773aa0f39ac091cbf0691a1088e32a4d06b671f00e7e9676f72"
        );
        assert_eq!(cert.common_name().as_deref(), Some("DigitPA CA1"));
        assert_eq!(cert.is_ca, Some(true));
        assert_eq!(cert.key.bits(), Some(2048));
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert!(Certificate::from_der(b"").is_err());
        assert!(Certificate::from_der(b"\x30\x00").is_err());
        assert!(Certificate::from_der(b"\x30\x03\x30\x01\x00").is_err());
    }
}
