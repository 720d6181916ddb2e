//! Public keys a signature can be checked with, from a certificate's SubjectPublicKeyInfo.
//!
//! RFC 5280 §4.1.2.7, RFC 8017 (RSA), RFC 5480 (EC). The SPKI is already decoded by `spki` (as part
//! of the `x509-cert` certificate); the RSA key body is read with `pkcs1` (re-exported by `rsa`),
//! curve points with `p256`/`p384`. A key this verifier cannot use is a value, not an error: the
//! certificate still shows, and checks made with it say why they could not be made.

use std::sync::OnceLock;

use const_oid::db::rfc5912::{
    ID_EC_PUBLIC_KEY, ID_RSASSA_PSS, RSA_ENCRYPTION, SECP_256_R_1, SECP_384_R_1,
};
use der::Decode;
use der::asn1::ObjectIdentifier;
use rsa::{BigUint, RsaPublicKey};
use spki::SubjectPublicKeyInfoOwned;

use super::rsa_public::RsaPublic;

/// An RSA key, with its fast public operation prepared on first use (see `rsa_public.rs`).
#[derive(Debug, Clone)]
pub struct RsaKey {
    pub key: RsaPublicKey,
    fast: OnceLock<Option<Box<RsaPublic>>>,
}

impl RsaKey {
    pub fn new(key: RsaPublicKey) -> Self {
        RsaKey {
            key,
            fast: OnceLock::new(),
        }
    }

    /// The prepared key, or `None` when only `rsa` itself can use it.
    pub fn fast(&self) -> Option<&RsaPublic> {
        self.fast
            .get_or_init(|| RsaPublic::new(&self.key).map(Box::new))
            .as_deref()
    }
}

/// A public key this verifier can use.
#[derive(Debug, Clone)]
pub enum PublicKey {
    Rsa(RsaKey),
    /// An RSA key whose certificate restricts it to RSASSA-PSS (SPKI algorithm id-RSASSA-PSS, RFC 4055
    /// §1.2): it verifies PSS signatures only, never PKCS#1 v1.5 ones. Its own PSS parameters, when
    /// given, are not compared with the signature's (the signature's are checked as stated).
    RsaPssOnly(RsaKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    /// A key type we cannot verify with; the reason, for the message.
    Unsupported(String),
}

/// Largest RSA modulus accepted (bits): beyond PEC practice, bounded to keep verification fast.
/// (`rsa`'s own decoder stops at 4096, which a CA key may exceed.)
const MAX_RSA_BITS: usize = 8192;

impl PublicKey {
    /// The key of a decoded SubjectPublicKeyInfo.
    pub fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Self {
        Self::decode(spki).unwrap_or_else(|| Self::Unsupported("unreadable public key".into()))
    }

    fn decode(spki: &SubjectPublicKeyInfoOwned) -> Option<Self> {
        let key = spki.subject_public_key.as_bytes()?;
        let algorithm = spki.algorithm.oid;
        if algorithm == RSA_ENCRYPTION || algorithm == ID_RSASSA_PSS {
            let body = rsa::pkcs1::RsaPublicKey::from_der(key).ok()?;
            let n = BigUint::from_bytes_be(body.modulus.as_bytes());
            let e = BigUint::from_bytes_be(body.public_exponent.as_bytes());
            let key = RsaKey::new(RsaPublicKey::new_with_max_size(n, e, MAX_RSA_BITS).ok()?);
            return Some(if algorithm == RSA_ENCRYPTION {
                Self::Rsa(key)
            } else {
                Self::RsaPssOnly(key)
            });
        }
        if algorithm == ID_EC_PUBLIC_KEY {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()?
                .decode_as::<ObjectIdentifier>()
                .ok()?;
            return Some(if curve == SECP_256_R_1 {
                Self::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(key).ok()?)
            } else if curve == SECP_384_R_1 {
                Self::P384(p384::ecdsa::VerifyingKey::from_sec1_bytes(key).ok()?)
            } else {
                Self::Unsupported(format!("elliptic curve {curve}"))
            });
        }
        Some(Self::Unsupported(format!("key type {algorithm}")))
    }

    /// Key size in bits (modulus for RSA, field for EC).
    pub fn bits(&self) -> Option<u32> {
        use rsa::traits::PublicKeyParts;
        match self {
            Self::Rsa(k) | Self::RsaPssOnly(k) => u32::try_from(k.key.n().bits()).ok(),
            Self::P256(_) => Some(256),
            Self::P384(_) => Some(384),
            Self::Unsupported(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spki(der: &[u8]) -> Option<SubjectPublicKeyInfoOwned> {
        SubjectPublicKeyInfoOwned::from_der(der).ok()
    }

    #[test]
    fn garbage_keys_are_unsupported_not_panics() {
        // rsaEncryption with a key body that is not an RSAPublicKey.
        let rsa_junk = [
            0x30, 0x12, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
            0x01, 0x05, 0x00, 0x03, 0x01, 0x00,
        ];
        let key = PublicKey::from_spki(&spki(&rsa_junk).unwrap());
        assert!(matches!(key, PublicKey::Unsupported(_)));
        // An unknown algorithm is named in the reason.
        let other = [
            0x30, 0x0a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x01, 0x00,
        ];
        match PublicKey::from_spki(&spki(&other).unwrap()) {
            PublicKey::Unsupported(why) => assert!(why.contains("1.3.101.112"), "{why}"),
            k => panic!("{k:?}"),
        }
        assert!(spki(&[]).is_none());
    }
}
