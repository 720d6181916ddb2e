//! One X.509 certificate, decoded once by `x509-cert`, with what verification derives from it.
//!
//! RFC 5280 §4.1. Keeps the DER exactly as received and the byte range of its `tbsCertificate`:
//! the issuer signed those bytes as encoded, so they are located in the received DER (with
//! `der`'s reader) rather than re-encoded from the decoded structure. Names, times, the key and the
//! extensions are derived here once; a verifier that sees the same certificate again reuses all of
//! it (see `cache.rs`).

use std::ops::Range;

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use x509_cert::name::Name;

use super::algorithms::{PublicKey, VerifyFailure, signed_range, verify_signed};
use super::ber;
use super::error::SignatureError;
use super::extensions::TrustExtensions;
use super::names;
use super::time::to_utc;

/// A decoded certificate.
#[derive(Debug, Clone)]
pub struct Certificate {
    der: Vec<u8>,
    tbs: Range<usize>,
    pub x509: x509_cert::Certificate,
    pub not_before: Option<DateTime<Utc>>,
    pub not_after: Option<DateTime<Utc>>,
    pub key: PublicKey,
    pub ext: TrustExtensions,
    /// SHA-256 of the whole DER (the certificate's identity).
    pub sha256: [u8; 32],
    /// SHA-256 of the SubjectPublicKeyInfo (the key's identity: re-issues share it).
    pub key_id: [u8; 32],
    /// RFC 4514 subject and issuer, for messages and reports.
    pub subject_text: String,
    pub issuer_text: String,
}

/// Byte range of the first element inside the outer SEQUENCE (the tbsCertificate).
impl Certificate {
    /// Decodes one DER certificate (exactly one element, nothing after it).
    pub fn from_der(der: &[u8]) -> Result<Self, SignatureError> {
        let bad = |_| SignatureError::NotACertificate;
        if !ber::within_limits(der) {
            return Err(SignatureError::NotACertificate);
        }
        let x509 = x509_cert::Certificate::from_der(der).map_err(bad)?;
        let tbs = signed_range(der).map_err(bad)?;
        // The signature is a whole number of octets (RFC 5280 §4.1.1.3).
        if x509.signature.as_bytes().is_none() {
            return Err(SignatureError::NotACertificate);
        }
        let t = &x509.tbs_certificate;
        let spki = t.subject_public_key_info.to_der().map_err(bad)?;
        Ok(Certificate {
            der: der.to_vec(),
            tbs,
            not_before: to_utc(&t.validity.not_before),
            not_after: to_utc(&t.validity.not_after),
            key: PublicKey::from_spki(&t.subject_public_key_info),
            ext: TrustExtensions::read(t.extensions.as_deref().unwrap_or_default()),
            sha256: Sha256::digest(der).into(),
            key_id: Sha256::digest(&spki).into(),
            subject_text: names::rfc4514(&t.subject),
            issuer_text: names::rfc4514(&t.issuer),
            x509,
        })
    }

    /// The certificate exactly as encoded.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub fn subject_name(&self) -> &Name {
        &self.x509.tbs_certificate.subject
    }
    pub fn issuer_name(&self) -> &Name {
        &self.x509.tbs_certificate.issuer
    }
    /// The serial number's INTEGER content octets.
    pub fn serial_bytes(&self) -> &[u8] {
        self.x509.tbs_certificate.serial_number.as_bytes()
    }
    pub fn serial_hex(&self) -> String {
        hex(self.serial_bytes())
    }
    pub fn subject(&self) -> String {
        self.subject_text.clone()
    }
    pub fn issuer(&self) -> String {
        self.issuer_text.clone()
    }
    pub fn organization(&self) -> Option<String> {
        names::attribute(self.subject_name(), const_oid::db::rfc4519::O)
    }
    pub fn common_name(&self) -> Option<String> {
        names::attribute(self.subject_name(), const_oid::db::rfc4519::CN)
    }
    /// The SAN e-mail, or failing that the legacy subject emailAddress.
    pub fn email(&self) -> Option<String> {
        self.ext.emails.first().cloned().or_else(|| {
            names::attribute(self.subject_name(), const_oid::db::rfc3280::EMAIL_ADDRESS)
        })
    }
    pub fn sha256_hex(&self) -> String {
        hex(&self.sha256)
    }

    /// Whether this certificate was valid at `at` (both bounds inclusive).
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        matches!((self.not_before, self.not_after), (Some(nb), Some(na)) if nb <= at && at <= na)
    }

    /// Whether `issuer`'s key signed this certificate's tbsCertificate, as encoded.
    pub fn is_signed_by(&self, issuer: &PublicKey) -> Result<(), VerifyFailure> {
        let tbs = self.der.get(self.tbs.clone()).unwrap_or_default();
        let signature = self.x509.signature.as_bytes().unwrap_or_default();
        verify_signed(issuer, &self.x509.signature_algorithm, tbs, signature)
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

    fn digitpa() -> Certificate {
        let pem = include_str!("../../trust/pec-ca/digitpa-ca1-20110114.pem");
        let der = super::super::anchors::pem_blocks(pem.as_bytes())
            .unwrap()
            .remove(0);
        Certificate::from_der(&der).unwrap()
    }

    #[test]
    fn a_builtin_anchor_parses_with_its_published_fingerprint() {
        let cert = digitpa();
        assert_eq!(
            cert.sha256_hex(),
            "d75420b7e9051773aa0f39ac091cbf0691a1088e32a4d06b671f00e7e9676f72"
        );
        assert_eq!(cert.common_name().as_deref(), Some("DigitPA CA1"));
        assert_eq!(cert.ext.is_ca, Some(true));
        assert_eq!(cert.key.bits(), Some(2048));
    }

    #[test]
    fn the_signed_bytes_are_the_tbs_certificate_as_received() {
        let cert = digitpa();
        let tbs = &cert.der[cert.tbs.clone()];
        assert_eq!(tbs, cert.x509.tbs_certificate.to_der().unwrap());
        assert_eq!(tbs.first(), Some(&0x30));
        assert!(tbs.len() + 200 < cert.der.len());
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert!(Certificate::from_der(b"").is_err());
        assert!(Certificate::from_der(b"\x30\x00").is_err());
        assert!(Certificate::from_der(b"\x30\x03\x30\x01\x00").is_err());
        let mut trailing = digitpa().der.clone();
        trailing.push(0);
        assert!(Certificate::from_der(&trailing).is_err());
    }
}
