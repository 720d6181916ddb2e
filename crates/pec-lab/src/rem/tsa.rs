//! The lab's timestamping authority: an RFC 3161 TimeStampToken (§2.4.2) over bytes given, made in
//! process with RustCrypto `cms` — a SignedData whose content is a TSTInfo, signed with RSA PKCS#1 v1.5
//! SHA-256 by a certificate with the timeStamping purpose (§2.3), issued by the lab PEC CA (`pki.rs`),
//! with the ESS SigningCertificateV2 attribute (RFC 5035) binding that certificate.
//!
//! Used by `rem::xades` for the `SignatureTimeStamp` of every REM evidence (ETSI EN 319 132-1 §5.3:
//! the imprint is over the canonical `SignatureValue` element). pec-core's `verify_timestamp` judges it.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::asn1::{GeneralizedTime, ObjectIdentifier, OctetStringRef, SetOfVec, UintRef};
use der::{Any, Decode, DecodePem, Encode, Tag};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::{Attribute, AttributeValue};

use crate::LabError;

/// id-ct-TSTInfo (RFC 3161 §2.4.2).
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// The lab TSA's policy: under IANA's reserved enterprise number 0, so it can never be mistaken for a
/// real TSA's.
const LAB_TSA_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.3161.1");

/// The lab TSA's key and certificate chain.
pub struct LabTsa {
    key: SigningKey<Sha256>,
    certificate: Certificate,
    ca: Certificate,
    serial: AtomicU64,
}

fn fail(e: impl std::fmt::Display) -> LabError {
    LabError::Sign(format!("timestamp: {e}"))
}

impl LabTsa {
    /// From the TSA's PKCS#8 key and certificate and the CA that issued it (PEM).
    pub fn from_pem(key_pem: &str, cert_pem: &str, ca_pem: &str) -> Result<LabTsa, LabError> {
        let (_, key_der) = der::pem::decode_vec(key_pem.as_bytes()).map_err(fail)?;
        let key = rsa::RsaPrivateKey::from_pkcs8_der(&key_der).map_err(fail)?;
        Ok(LabTsa {
            key: SigningKey::<Sha256>::new(key),
            certificate: Certificate::from_pem(cert_pem.as_bytes()).map_err(fail)?,
            ca: Certificate::from_pem(ca_pem.as_bytes()).map_err(fail)?,
            serial: AtomicU64::new(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_micros() as u64)
                    << 8,
            ),
        })
    }

    /// A TimeStampToken (a CMS ContentInfo, DER) stating that `stamped`'s SHA-256 existed at `at`.
    pub fn stamp(&self, stamped: &[u8], at: DateTime<Utc>) -> Result<Vec<u8>, LabError> {
        let serial = self.serial.fetch_add(1, Ordering::Relaxed).to_be_bytes();
        let tst_info = tst_info(&Sha256::digest(stamped), &serial, at)?;
        let encapsulated = EncapsulatedContentInfo {
            econtent_type: ID_CT_TST_INFO,
            econtent: Some(Any::new(Tag::OctetString, tst_info).map_err(fail)?),
        };
        let sha256 = AlgorithmIdentifierOwned {
            oid: const_oid::db::rfc5912::ID_SHA_256,
            parameters: None,
        };
        let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: self.certificate.tbs_certificate.issuer.clone(),
            serial_number: self.certificate.tbs_certificate.serial_number.clone(),
        });
        let mut signer_info =
            SignerInfoBuilder::new(&self.key, sid, sha256.clone(), &encapsulated, None)
                .map_err(fail)?;
        signer_info
            .add_signed_attribute(self.signing_certificate_v2()?)
            .map_err(fail)?;
        let mut builder = SignedDataBuilder::new(&encapsulated);
        builder
            .add_digest_algorithm(sha256)
            .map_err(fail)?
            .add_certificate(CertificateChoices::Certificate(self.certificate.clone()))
            .map_err(fail)?
            .add_certificate(CertificateChoices::Certificate(self.ca.clone()))
            .map_err(fail)?
            .add_signer_info::<SigningKey<Sha256>, rsa::pkcs1v15::Signature>(signer_info)
            .map_err(fail)?;
        builder.build().map_err(fail)?.to_der().map_err(fail)
    }

    /// ESS signing-certificate v2 (RFC 5035 §3): one ESSCertIDv2 with the certificate's SHA-256 (the
    /// default algorithm, so it is not written).
    fn signing_certificate_v2(&self) -> Result<Attribute, LabError> {
        let cert_der = self.certificate.to_der().map_err(fail)?;
        let hash = OctetStringRef::new(&Sha256::digest(&cert_der))
            .map_err(fail)?
            .to_der()
            .map_err(fail)?;
        let ess_cert_id = tlv(0x30, &hash);
        let certs = tlv(0x30, &ess_cert_id);
        let signing_certificate = tlv(0x30, &certs);
        let mut values = SetOfVec::new();
        values
            .insert(AttributeValue::from_der(&signing_certificate).map_err(fail)?)
            .map_err(fail)?;
        Ok(Attribute {
            oid: const_oid::db::rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2,
            values,
        })
    }
}

/// TSTInfo (RFC 3161 §2.4.2): version 1, policy, messageImprint (SHA-256), serialNumber, genTime.
fn tst_info(imprint: &[u8], serial: &[u8], at: DateTime<Utc>) -> Result<Vec<u8>, LabError> {
    let algorithm = AlgorithmIdentifierOwned {
        oid: const_oid::db::rfc5912::ID_SHA_256,
        parameters: None,
    }
    .to_der()
    .map_err(fail)?;
    let hashed = OctetStringRef::new(imprint)
        .map_err(fail)?
        .to_der()
        .map_err(fail)?;
    let mut body = 1u8.to_der().map_err(fail)?;
    body.extend(LAB_TSA_POLICY.to_der().map_err(fail)?);
    body.extend(tlv(0x30, &[algorithm, hashed].concat()));
    body.extend(UintRef::new(serial).map_err(fail)?.to_der().map_err(fail)?);
    body.extend(
        GeneralizedTime::from_system_time(at.into())
            .map_err(fail)?
            .to_der()
            .map_err(fail)?,
    );
    Ok(tlv(0x30, &body))
}

/// One DER TLV with a definite length (X.690 §8.1).
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}
