//! Digest and signature algorithms: which OIDs mean what, and the arithmetic itself.
//!
//! PEC rules §6: SHA-1 in almost every real message up to 2024, SHA-256 in a few; RSA PKCS#1
//! v1.5 with 1024-bit (2013–2015) or 2048-bit keys. Also RSA-PSS (RFC 4056) and ECDSA P-256 /
//! P-384 (RFC 5753), which cost little. The digest is always the one named inside the CMS
//! SignerInfo, never the MIME `micalg` parameter.

use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey, pss::Pss};
use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::der_reader::{AlgId, BIT_STRING, INTEGER, OID, Reader, SEQUENCE, Tlv};
use super::oids;

/// A hash function a CMS signer may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestAlgorithm {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlgorithm {
    pub fn from_oid(oid: &[u8]) -> Option<Self> {
        match oid {
            oids::SHA1 => Some(Self::Sha1),
            oids::SHA256 => Some(Self::Sha256),
            oids::SHA384 => Some(Self::Sha384),
            oids::SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// Lowercase name, as serialised ("sha1", "sha256", …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    /// Digest of several byte slices, concatenated.
    pub fn digest_parts(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut d = D::new();
            for p in parts {
                d.update(p);
            }
            d.finalize().to_vec()
        }
        match self {
            Self::Sha1 => run::<Sha1>(parts),
            Self::Sha256 => run::<Sha256>(parts),
            Self::Sha384 => run::<Sha384>(parts),
            Self::Sha512 => run::<Sha512>(parts),
        }
    }

    /// Digest of MIME content with line endings canonicalised to CRLF, without copying it.
    pub fn digest_canonical(self, content: &[u8]) -> Vec<u8> {
        fn run<D: Digest>(content: &[u8]) -> Vec<u8> {
            let mut d = D::new();
            super::canonical::for_each_crlf_chunk(content, |chunk| d.update(chunk));
            d.finalize().to_vec()
        }
        match self {
            Self::Sha1 => run::<Sha1>(content),
            Self::Sha256 => run::<Sha256>(content),
            Self::Sha384 => run::<Sha384>(content),
            Self::Sha512 => run::<Sha512>(content),
        }
    }
}

/// A signature scheme, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2), what PEC providers use.
    RsaPkcs1v15,
    /// RSASSA-PSS (RFC 8017 §8.1, RFC 4056).
    RsaPss,
    /// ECDSA over P-256 or P-384.
    Ecdsa,
}

/// A fully resolved way to check one signature value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    pub algorithm: SignatureAlgorithm,
    pub digest: DigestAlgorithm,
    /// PSS salt length (unused otherwise).
    pub salt_len: usize,
}

/// Why a scheme could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

impl Scheme {
    /// Resolves a signatureAlgorithm. `signer_digest` is the CMS SignerInfo's digestAlgorithm
    /// (RFC 5652 §5.6: the signer hashes with it); for certificates it is `None` and the digest
    /// comes from the algorithm itself.
    pub fn resolve(
        alg: &AlgId<'_>,
        signer_digest: Option<DigestAlgorithm>,
    ) -> Result<Self, Unsupported> {
        use DigestAlgorithm::*;
        let fixed = |algorithm, implied| {
            Ok(Scheme {
                algorithm,
                digest: signer_digest.unwrap_or(implied),
                salt_len: 0,
            })
        };
        match alg.oid {
            oids::RSA_ENCRYPTION => match signer_digest {
                Some(digest) => Ok(Scheme {
                    algorithm: SignatureAlgorithm::RsaPkcs1v15,
                    digest,
                    salt_len: 0,
                }),
                None => Err(Unsupported("rsaEncryption without a digest".into())),
            },
            oids::SHA1_WITH_RSA => fixed(SignatureAlgorithm::RsaPkcs1v15, Sha1),
            oids::SHA256_WITH_RSA => fixed(SignatureAlgorithm::RsaPkcs1v15, Sha256),
            oids::SHA384_WITH_RSA => fixed(SignatureAlgorithm::RsaPkcs1v15, Sha384),
            oids::SHA512_WITH_RSA => fixed(SignatureAlgorithm::RsaPkcs1v15, Sha512),
            oids::ECDSA_WITH_SHA1 => fixed(SignatureAlgorithm::Ecdsa, Sha1),
            oids::ECDSA_WITH_SHA256 => fixed(SignatureAlgorithm::Ecdsa, Sha256),
            oids::ECDSA_WITH_SHA384 => fixed(SignatureAlgorithm::Ecdsa, Sha384),
            oids::ECDSA_WITH_SHA512 => fixed(SignatureAlgorithm::Ecdsa, Sha512),
            oids::RSASSA_PSS => pss_params(alg.params),
            other => Err(Unsupported(format!(
                "signature algorithm {}",
                oid_string(other)
            ))),
        }
    }
}

/// RSASSA-PSS-params (RFC 4055 §3.1), defaults SHA-1 / MGF1-SHA-1 / salt 20.
fn pss_params(params: Option<Tlv<'_>>) -> Result<Scheme, Unsupported> {
    let unsupported = |what: &str| Unsupported(format!("rsa-pss parameters: {what}"));
    let mut digest = DigestAlgorithm::Sha1;
    let mut mgf_digest = DigestAlgorithm::Sha1;
    let mut salt_len = 20usize;
    if let Some(p) = params.filter(|p| p.tag == SEQUENCE) {
        let mut r = p.children();
        while !r.is_empty() {
            let field = r.any().map_err(|_| unsupported("malformed"))?;
            let inner = field
                .children()
                .any()
                .map_err(|_| unsupported("malformed"))?;
            match field.tag {
                0xa0 => {
                    let a = AlgId::parse(inner).map_err(|_| unsupported("hash"))?;
                    digest = DigestAlgorithm::from_oid(a.oid).ok_or_else(|| unsupported("hash"))?;
                }
                0xa1 => {
                    let a = AlgId::parse(inner).map_err(|_| unsupported("mask generation"))?;
                    let h = a.params.ok_or_else(|| unsupported("mask generation"))?;
                    let h = AlgId::parse(h).map_err(|_| unsupported("mask generation"))?;
                    if a.oid != oids::MGF1 {
                        return Err(unsupported("mask generation function"));
                    }
                    mgf_digest =
                        DigestAlgorithm::from_oid(h.oid).ok_or_else(|| unsupported("mgf1 hash"))?;
                }
                0xa2 if inner.tag == INTEGER => {
                    salt_len = small_uint(inner.content).ok_or_else(|| unsupported("salt"))?;
                }
                0xa3 => {}
                _ => return Err(unsupported("unknown field")),
            }
        }
    }
    if digest != mgf_digest {
        return Err(unsupported("mgf1 hash differs from the message hash"));
    }
    Ok(Scheme {
        algorithm: SignatureAlgorithm::RsaPss,
        digest,
        salt_len,
    })
}

fn small_uint(bytes: &[u8]) -> Option<usize> {
    if bytes.len() > 4 || bytes.first().is_some_and(|&b| b & 0x80 != 0) {
        return None;
    }
    Some(bytes.iter().fold(0usize, |v, &b| (v << 8) | usize::from(b)))
}

/// Dotted form of an OID's content octets, for messages.
pub fn oid_string(oid: &[u8]) -> String {
    const_oid::ObjectIdentifier::from_bytes(oid)
        .map(|o| o.to_string())
        .unwrap_or_else(|_| "(unreadable oid)".into())
}

/// A public key this verifier can use.
#[derive(Debug, Clone)]
pub enum PublicKey {
    Rsa(RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    /// A key type we cannot verify with; the OID, for the message.
    Unsupported(String),
}

/// Largest RSA modulus accepted (bits): beyond PEC practice, bounded to keep verification fast.
const MAX_RSA_BITS: usize = 8192;

impl PublicKey {
    /// Decodes a SubjectPublicKeyInfo.
    pub fn from_spki(spki: &[u8]) -> Self {
        Self::decode(spki).unwrap_or_else(|| Self::Unsupported("unreadable public key".into()))
    }

    fn decode(spki: &[u8]) -> Option<Self> {
        let seq = Reader::new(spki).expect(SEQUENCE, "spki").ok()?;
        let mut r = seq.children();
        let alg = AlgId::parse(r.any().ok()?).ok()?;
        let bits = r.expect(BIT_STRING, "spki key").ok()?.content;
        let (&unused, key) = bits.split_first()?;
        if unused != 0 {
            return None;
        }
        match alg.oid {
            oids::RSA_ENCRYPTION => {
                let seq = Reader::new(key).expect(SEQUENCE, "rsa key").ok()?;
                let mut r = seq.children();
                let n = r.expect(INTEGER, "modulus").ok()?.content;
                let e = r.expect(INTEGER, "exponent").ok()?.content;
                let n = BigUint::from_bytes_be(n);
                let e = BigUint::from_bytes_be(e);
                RsaPublicKey::new_with_max_size(n, e, MAX_RSA_BITS)
                    .ok()
                    .map(Self::Rsa)
            }
            oids::EC_PUBLIC_KEY => {
                let curve = alg.params.filter(|p| p.tag == OID)?.content;
                match curve {
                    oids::SECP256R1 => p256::ecdsa::VerifyingKey::from_sec1_bytes(key)
                        .ok()
                        .map(Self::P256),
                    oids::SECP384R1 => p384::ecdsa::VerifyingKey::from_sec1_bytes(key)
                        .ok()
                        .map(Self::P384),
                    other => Some(Self::Unsupported(format!(
                        "elliptic curve {}",
                        oid_string(other)
                    ))),
                }
            }
            other => Some(Self::Unsupported(format!("key type {}", oid_string(other)))),
        }
    }

    /// Key size in bits (modulus for RSA, field for EC).
    pub fn bits(&self) -> Option<u32> {
        use rsa::traits::PublicKeyParts;
        match self {
            Self::Rsa(k) => u32::try_from(k.n().bits()).ok(),
            Self::P256(_) => Some(256),
            Self::P384(_) => Some(384),
            Self::Unsupported(_) => None,
        }
    }
}

/// Why a signature did not check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyFailure {
    /// The arithmetic says no.
    Mismatch,
    /// The key and scheme do not go together, or the key type is unknown.
    Unsupported(String),
}

/// Checks `signature` over the already-hashed `hashed` bytes.
pub fn verify(
    key: &PublicKey,
    scheme: Scheme,
    hashed: &[u8],
    signature: &[u8],
) -> Result<(), VerifyFailure> {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    use rsa::traits::PublicKeyParts;
    fn mismatch<E>(_: E) -> VerifyFailure {
        VerifyFailure::Mismatch
    }
    match (key, scheme.algorithm) {
        (PublicKey::Rsa(k), SignatureAlgorithm::RsaPkcs1v15) => {
            // NOTE: some encoders strip leading zero octets from the signature value; the
            // integer is the same, so pad it back to the modulus size.
            let padded = left_pad(signature, k.size());
            let padding = match scheme.digest {
                DigestAlgorithm::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
                DigestAlgorithm::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
                DigestAlgorithm::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
                DigestAlgorithm::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
            };
            k.verify(padding, hashed, &padded).map_err(mismatch)
        }
        (PublicKey::Rsa(k), SignatureAlgorithm::RsaPss) => {
            let padded = left_pad(signature, k.size());
            let s = scheme.salt_len;
            let padding = match scheme.digest {
                DigestAlgorithm::Sha1 => Pss::new_with_salt::<Sha1>(s),
                DigestAlgorithm::Sha256 => Pss::new_with_salt::<Sha256>(s),
                DigestAlgorithm::Sha384 => Pss::new_with_salt::<Sha384>(s),
                DigestAlgorithm::Sha512 => Pss::new_with_salt::<Sha512>(s),
            };
            k.verify(padding, hashed, &padded).map_err(mismatch)
        }
        (PublicKey::P256(k), SignatureAlgorithm::Ecdsa) => {
            let sig = p256::ecdsa::Signature::from_der(signature).map_err(mismatch)?;
            k.verify_prehash(hashed, &sig).map_err(mismatch)
        }
        (PublicKey::P384(k), SignatureAlgorithm::Ecdsa) => {
            let sig = p384::ecdsa::Signature::from_der(signature).map_err(mismatch)?;
            k.verify_prehash(hashed, &sig).map_err(mismatch)
        }
        (PublicKey::Unsupported(what), _) => Err(VerifyFailure::Unsupported(what.clone())),
        _ => Err(VerifyFailure::Unsupported(
            "the key type does not match the signature algorithm".into(),
        )),
    }
}

fn left_pad(bytes: &[u8], size: usize) -> std::borrow::Cow<'_, [u8]> {
    if bytes.len() >= size {
        std::borrow::Cow::Borrowed(bytes)
    } else {
        let mut v = vec![0u8; size - bytes.len()];
        v.extend_from_slice(bytes);
        std::borrow::Cow::Owned(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_names_match_their_serialised_form() {
        for d in [
            DigestAlgorithm::Sha1,
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha512,
        ] {
            assert_eq!(
                serde_json::to_string(&d).unwrap(),
                format!("\"{}\"", d.name())
            );
        }
        let s = serde_json::to_string(&SignatureAlgorithm::RsaPkcs1v15).unwrap();
        assert_eq!(s, "\"rsa-pkcs1v15\"");
    }

    #[test]
    fn canonical_digest_equals_digest_of_the_crlf_text() {
        let lf = b"a\nb\r\nc\n";
        let crlf = b"a\r\nb\r\nc\r\n";
        for d in [DigestAlgorithm::Sha1, DigestAlgorithm::Sha384] {
            assert_eq!(d.digest_canonical(lf), d.digest_parts(&[crlf]));
        }
    }

    #[test]
    fn garbage_keys_are_unsupported_not_panics() {
        assert!(matches!(
            PublicKey::from_spki(b"\x30\x03\x02\x01\x00"),
            PublicKey::Unsupported(_)
        ));
        assert!(matches!(
            PublicKey::from_spki(&[]),
            PublicKey::Unsupported(_)
        ));
    }
}
