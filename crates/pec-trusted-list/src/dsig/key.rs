//! The signature value checked with a certificate's public key: RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-256
//! and P-384 (the only curves the EU lists' signers use).
//!
//! Used by `dsig::check`. The certificate is only a key holder here; whether it is *accepted* is
//! decided by the caller's set (`verify`), never by its name or chain.

use der::{Decode as _, Encode as _};
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::{Pkcs1v15Sign, Pss, RsaPublicKey};
use x509_cert::Certificate;

use super::algorithms::{DigestAlg, SignatureAlg};

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const RSA_PSS: &str = "1.2.840.113549.1.1.10";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const SECP256R1: &str = "1.2.840.10045.3.1.7";
const SECP384R1: &str = "1.3.132.0.34";

/// Whether `signature` over `data` verifies with the key of `cert_der` under `alg`.
pub fn verifies(cert_der: &[u8], alg: SignatureAlg, data: &[u8], signature: &[u8]) -> bool {
    let Ok(cert) = Certificate::from_der(cert_der) else {
        return false;
    };
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key_bytes = spki.subject_public_key.raw_bytes();
    let key_alg = spki.algorithm.oid.to_string();
    match alg {
        SignatureAlg::RsaPkcs1(d) | SignatureAlg::RsaPss(d) => {
            if key_alg != RSA_ENCRYPTION && key_alg != RSA_PSS {
                return false;
            }
            let Ok(key) = RsaPublicKey::from_pkcs1_der(key_bytes) else {
                return false;
            };
            let hashed = d.digest(data);
            let scheme_ok = match (alg, d) {
                (SignatureAlg::RsaPkcs1(_), DigestAlg::Sha1) => {
                    key.verify(Pkcs1v15Sign::new::<sha1::Sha1>(), &hashed, signature)
                }
                (SignatureAlg::RsaPkcs1(_), DigestAlg::Sha256) => {
                    key.verify(Pkcs1v15Sign::new::<sha2::Sha256>(), &hashed, signature)
                }
                (SignatureAlg::RsaPkcs1(_), DigestAlg::Sha384) => {
                    key.verify(Pkcs1v15Sign::new::<sha2::Sha384>(), &hashed, signature)
                }
                (SignatureAlg::RsaPkcs1(_), DigestAlg::Sha512) => {
                    key.verify(Pkcs1v15Sign::new::<sha2::Sha512>(), &hashed, signature)
                }
                (_, DigestAlg::Sha1) => key.verify(Pss::new::<sha1::Sha1>(), &hashed, signature),
                (_, DigestAlg::Sha256) => {
                    key.verify(Pss::new::<sha2::Sha256>(), &hashed, signature)
                }
                (_, DigestAlg::Sha384) => {
                    key.verify(Pss::new::<sha2::Sha384>(), &hashed, signature)
                }
                (_, DigestAlg::Sha512) => {
                    key.verify(Pss::new::<sha2::Sha512>(), &hashed, signature)
                }
            };
            scheme_ok.is_ok()
        }
        SignatureAlg::Ecdsa(d) => {
            if key_alg != EC_PUBLIC_KEY {
                return false;
            }
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.to_der().ok())
                .and_then(|p| const_oid::ObjectIdentifier::from_der(&p).ok())
                .map(|o| o.to_string());
            let hashed = d.digest(data);
            match curve.as_deref() {
                Some(SECP256R1) => ecdsa_p256(key_bytes, &hashed, signature),
                Some(SECP384R1) => ecdsa_p384(key_bytes, &hashed, signature),
                _ => false,
            }
        }
    }
}

fn ecdsa_p256(key: &[u8], prehash: &[u8], signature: &[u8]) -> bool {
    use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
    let (Ok(key), Ok(sig)) = (
        p256::ecdsa::VerifyingKey::from_sec1_bytes(key),
        p256::ecdsa::Signature::from_slice(signature),
    ) else {
        return false;
    };
    key.verify_prehash(prehash, &sig).is_ok()
}

fn ecdsa_p384(key: &[u8], prehash: &[u8], signature: &[u8]) -> bool {
    use p384::ecdsa::signature::hazmat::PrehashVerifier as _;
    let (Ok(key), Ok(sig)) = (
        p384::ecdsa::VerifyingKey::from_sec1_bytes(key),
        p384::ecdsa::Signature::from_slice(signature),
    ) else {
        return false;
    };
    key.verify_prehash(prehash, &sig).is_ok()
}
