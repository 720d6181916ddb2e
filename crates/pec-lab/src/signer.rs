//! Signing in process, in pure Rust: a detached CMS SignedData over the signed content, the way PEC
//! providers sign (PEC rules §6) — RSA PKCS#1 v1.5 with SHA-256, signed attributes contentType,
//! signingTime and messageDigest, the signer certificate and the lab PEC CA embedded.
//!
//! Built with RustCrypto `cms` 0.2 (`builder`), the same `der`/`x509-cert`/`spki`/`rsa` generation that
//! pec-core's verifier reads, so the lab's output and the verifier are held together by the tests.

use chrono::{DateTime, Datelike, Utc};
use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::asn1::{GeneralizedTime, SetOfVec, UtcTime};
use der::{Decode, DecodePem, Encode};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::{Attribute, AttributeValue};

use crate::LabError;
use crate::compose::Signer;

/// A provider's signing key and certificate chain.
pub struct CmsSigner {
    key: SigningKey<Sha256>,
    certificate: Certificate,
    chain: Vec<Certificate>,
}

impl CmsSigner {
    /// From a PKCS#8 private key (PEM) and the signer and CA certificates (PEM).
    pub fn from_pem(key_pem: &str, cert_pem: &str, ca_pem: &str) -> Result<CmsSigner, LabError> {
        let (_, key_der) =
            der::pem::decode_vec(key_pem.as_bytes()).map_err(|e| LabError::Sign(e.to_string()))?;
        let key = rsa::RsaPrivateKey::from_pkcs8_der(&key_der)
            .map_err(|e| LabError::Sign(e.to_string()))?;
        let certificate = Certificate::from_pem(cert_pem.as_bytes())
            .map_err(|e| LabError::Sign(e.to_string()))?;
        let ca =
            Certificate::from_pem(ca_pem.as_bytes()).map_err(|e| LabError::Sign(e.to_string()))?;
        Ok(CmsSigner {
            key: SigningKey::<Sha256>::new(key),
            certificate,
            chain: vec![ca],
        })
    }

    /// This signer with the signingTime fixed to `at` (the certified time of the message).
    pub fn at(&self, at: DateTime<Utc>) -> TimedSigner<'_> {
        TimedSigner { signer: self, at }
    }

    /// The detached SignedData (DER) over `content`, with signingTime `at`.
    pub fn try_sign(&self, content: &[u8], at: DateTime<Utc>) -> Result<Vec<u8>, LabError> {
        let fail = |e: &dyn std::fmt::Display| LabError::Sign(e.to_string());
        let digest = Sha256::digest(content);
        let encapsulated = EncapsulatedContentInfo {
            econtent_type: const_oid::db::rfc5911::ID_DATA,
            econtent: None,
        };
        let digest_algorithm = AlgorithmIdentifierOwned {
            oid: const_oid::db::rfc5912::ID_SHA_256,
            parameters: None,
        };
        let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: self.certificate.tbs_certificate.issuer.clone(),
            serial_number: self.certificate.tbs_certificate.serial_number.clone(),
        });
        let mut signer_info = SignerInfoBuilder::new(
            &self.key,
            sid,
            digest_algorithm.clone(),
            &encapsulated,
            Some(&digest[..]),
        )
        .map_err(|e| fail(&e))?;
        signer_info
            .add_signed_attribute(signing_time(at)?)
            .map_err(|e| fail(&e))?;
        let mut builder = SignedDataBuilder::new(&encapsulated);
        builder
            .add_digest_algorithm(digest_algorithm)
            .map_err(|e| fail(&e))?
            .add_certificate(CertificateChoices::Certificate(self.certificate.clone()))
            .map_err(|e| fail(&e))?;
        for ca in &self.chain {
            builder
                .add_certificate(CertificateChoices::Certificate(ca.clone()))
                .map_err(|e| fail(&e))?;
        }
        builder
            .add_signer_info::<SigningKey<Sha256>, rsa::pkcs1v15::Signature>(signer_info)
            .map_err(|e| fail(&e))?;
        let content_info = builder.build().map_err(|e| fail(&e))?;
        content_info.to_der().map_err(|e| fail(&e))
    }
}

/// A [`CmsSigner`] with its signingTime fixed: what [`ProviderMessage::build`](crate::compose::ProviderMessage::build) takes.
pub struct TimedSigner<'a> {
    signer: &'a CmsSigner,
    at: DateTime<Utc>,
}

impl Signer for TimedSigner<'_> {
    fn sign(&self, content: &[u8]) -> Vec<u8> {
        // NOTE: the trait cannot fail; a signature that could not be made is left empty, which any
        // verifier reports as a damaged signature rather than a valid one.
        self.signer.try_sign(content, self.at).unwrap_or_default()
    }

    fn micalg(&self) -> &str {
        "sha-256"
    }
}

/// The signingTime attribute (RFC 5652 §11.3: UTCTime from 1950 to 2049, GeneralizedTime otherwise).
fn signing_time(at: DateTime<Utc>) -> Result<Attribute, LabError> {
    let fail = |e: der::Error| LabError::Sign(e.to_string());
    let system = std::time::SystemTime::from(at);
    let value = if (1950..2050).contains(&at.year()) {
        UtcTime::from_system_time(system).map_err(fail)?.to_der()
    } else {
        GeneralizedTime::from_system_time(system)
            .map_err(fail)?
            .to_der()
    }
    .map_err(fail)?;
    let mut values = SetOfVec::new();
    values
        .insert(AttributeValue::from_der(&value).map_err(fail)?)
        .map_err(fail)?;
    Ok(Attribute {
        oid: const_oid::db::rfc5911::ID_SIGNING_TIME,
        values,
    })
}
