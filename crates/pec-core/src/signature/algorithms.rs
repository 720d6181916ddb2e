//! Digest and signature algorithms: which OIDs mean what, and the arithmetic itself.
//!
//! PEC rules §6: SHA-1 in almost every real message up to 2024, SHA-256 in a few; RSA PKCS#1
//! v1.5 with 1024-bit (2013–2015) or 2048-bit keys. Also RSA-PSS (RFC 4056) and ECDSA P-256 /
//! P-384 (RFC 5753), which cost little. The digest is always the one named inside the CMS
//! SignerInfo, never the MIME `micalg` parameter. OIDs are `const_oid::db` constants; RSA-PSS
//! parameters are decoded by `pkcs1`; the arithmetic is `rsa`, `p256` and `p384`.

use const_oid::db::rfc5912::{
    ECDSA_WITH_SHA_256, ECDSA_WITH_SHA_384, ECDSA_WITH_SHA_512, ID_MGF_1, ID_RSASSA_PSS, ID_SHA_1,
    ID_SHA_256, ID_SHA_384, ID_SHA_512, RSA_ENCRYPTION, SHA_1_WITH_RSA_ENCRYPTION,
    SHA_256_WITH_RSA_ENCRYPTION, SHA_384_WITH_RSA_ENCRYPTION, SHA_512_WITH_RSA_ENCRYPTION,
};
use der::asn1::ObjectIdentifier;
use der::{Tag, Tagged};
use md5::Md5;
use ripemd::Ripemd160;
use rsa::pkcs1::RsaPssParams;
use rsa::{Pkcs1v15Sign, pss::Pss};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierOwned;

pub use super::keys::PublicKey;

/// ecdsa-with-SHA1, 1.2.840.10045.4.1 (RFC 3279 §2.2.3): the one OID here `const_oid::db` lacks.
const ECDSA_WITH_SHA_1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");

crate::closed_set! {
    /// A hash function a CMS signer may name.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum DigestAlgorithm {
        Sha1 = "sha1",
        Sha256 = "sha256",
        Sha384 = "sha384",
        Sha512 = "sha512",
        /// MD5: broken; found in documents signed around 2010 (issue 15). Checked, reported as weak.
        Md5 = "md5",
        /// RIPEMD-160: found in old Italian signed documents (issue 15). Checked, reported as weak.
        Ripemd160 = "ripemd160",
    }
}

/// id-md5, 1.2.840.113549.2.5 (RFC 1321) and id-ripemd160, 1.3.36.3.2.1 (ISO/IEC 10118-3).
const ID_MD5: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.5");
const ID_RIPEMD160: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.36.3.2.1");
/// md5WithRSAEncryption (RFC 8017 A.2.4) and the TeleTrusT rsaSignatureWithripemd160.
const MD5_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.4");
const RIPEMD160_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.36.3.3.1.2");

impl DigestAlgorithm {
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        [
            (ID_SHA_1, Self::Sha1),
            (ID_SHA_256, Self::Sha256),
            (ID_SHA_384, Self::Sha384),
            (ID_SHA_512, Self::Sha512),
            (ID_MD5, Self::Md5),
            (ID_RIPEMD160, Self::Ripemd160),
        ]
        .into_iter()
        .find_map(|(known, digest)| (known == *oid).then_some(digest))
    }

    /// Lowercase name, as serialised ("sha1", "sha256", …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
            Self::Md5 => "md5",
            Self::Ripemd160 => "ripemd160",
        }
    }

    /// The algorithm's object identifier.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha1 => ID_SHA_1,
            Self::Sha256 => ID_SHA_256,
            Self::Sha384 => ID_SHA_384,
            Self::Sha512 => ID_SHA_512,
            Self::Md5 => ID_MD5,
            Self::Ripemd160 => ID_RIPEMD160,
        }
    }

    /// True for digests that no longer resist collisions (MD5, SHA-1, RIPEMD-160): a signature made
    /// with one is still checked, and reported.
    pub fn is_weak(self) -> bool {
        matches!(self, Self::Md5 | Self::Sha1 | Self::Ripemd160)
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
            Self::Md5 => run::<Md5>(parts),
            Self::Ripemd160 => run::<Ripemd160>(parts),
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
            Self::Md5 => run::<Md5>(content),
            Self::Ripemd160 => run::<Ripemd160>(content),
        }
    }
}

crate::closed_set! {
    /// A signature scheme, as reported.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum SignatureAlgorithm {
        /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2), what PEC providers use.
        RsaPkcs1v15 = "rsa-pkcs1v15",
        /// RSASSA-PSS (RFC 8017 §8.1, RFC 4056).
        RsaPss = "rsa-pss",
        /// ECDSA over P-256 or P-384.
        Ecdsa = "ecdsa",
    }
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
        alg: &AlgorithmIdentifierOwned,
        signer_digest: Option<DigestAlgorithm>,
    ) -> Result<Self, Unsupported> {
        use DigestAlgorithm::*;
        use SignatureAlgorithm::{Ecdsa, RsaPkcs1v15};
        if alg.oid == RSA_ENCRYPTION {
            return match signer_digest {
                Some(digest) => Ok(Scheme {
                    algorithm: RsaPkcs1v15,
                    digest,
                    salt_len: 0,
                }),
                None => Err(Unsupported("rsaEncryption without a digest".into())),
            };
        }
        if alg.oid == ID_RSASSA_PSS {
            return pss_params(alg);
        }
        let fixed = [
            (SHA_1_WITH_RSA_ENCRYPTION, RsaPkcs1v15, Sha1),
            (SHA_256_WITH_RSA_ENCRYPTION, RsaPkcs1v15, Sha256),
            (SHA_384_WITH_RSA_ENCRYPTION, RsaPkcs1v15, Sha384),
            (SHA_512_WITH_RSA_ENCRYPTION, RsaPkcs1v15, Sha512),
            (MD5_WITH_RSA, RsaPkcs1v15, Md5),
            (RIPEMD160_WITH_RSA, RsaPkcs1v15, Ripemd160),
            (ECDSA_WITH_SHA_1, Ecdsa, Sha1),
            (ECDSA_WITH_SHA_256, Ecdsa, Sha256),
            (ECDSA_WITH_SHA_384, Ecdsa, Sha384),
            (ECDSA_WITH_SHA_512, Ecdsa, Sha512),
        ];
        fixed
            .into_iter()
            .find(|(oid, _, _)| *oid == alg.oid)
            .map(|(_, algorithm, implied)| Scheme {
                algorithm,
                digest: signer_digest.unwrap_or(implied),
                salt_len: 0,
            })
            .ok_or_else(|| Unsupported(format!("signature algorithm {}", alg.oid)))
    }
}

/// RSASSA-PSS-params (RFC 4055 §3.1, decoded by `pkcs1`), defaults SHA-1 / MGF1-SHA-1 / salt 20.
fn pss_params(alg: &AlgorithmIdentifierOwned) -> Result<Scheme, Unsupported> {
    let unsupported = |what: &str| Unsupported(format!("rsa-pss parameters: {what}"));
    let params = match alg.parameters.as_ref().filter(|p| p.tag() == Tag::Sequence) {
        Some(p) => p
            .decode_as::<RsaPssParams<'_>>()
            .map_err(|_| unsupported("malformed"))?,
        None => RsaPssParams::default(),
    };
    let digest = DigestAlgorithm::from_oid(&params.hash.oid).ok_or_else(|| unsupported("hash"))?;
    if params.mask_gen.oid != ID_MGF_1 {
        return Err(unsupported("mask generation function"));
    }
    let mgf_hash = params
        .mask_gen
        .parameters
        .ok_or_else(|| unsupported("mask generation"))?;
    let mgf_digest =
        DigestAlgorithm::from_oid(&mgf_hash.oid).ok_or_else(|| unsupported("mgf1 hash"))?;
    if digest != mgf_digest {
        return Err(unsupported("mgf1 hash differs from the message hash"));
    }
    Ok(Scheme {
        algorithm: SignatureAlgorithm::RsaPss,
        digest,
        salt_len: usize::from(params.salt_len),
    })
}

/// Why a signature did not check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyFailure {
    /// The arithmetic says no.
    Mismatch,
    /// The value matches, but its DigestInfo omits the NULL parameters of the hash algorithm
    /// (RFC 8017 §9.2 note 2 allows readers to accept it; some 2010–2014 Italian signing devices
    /// emit it). The hash matches: the caller decides how to report it.
    DigestInfoWithoutNull,
    /// The key and scheme do not go together, or the key type is unknown.
    Unsupported(String),
}

/// Checks that `key` signed `signed` (a certificate's tbsCertificate, a CRL's tbsCertList, an OCSP
/// response's tbsResponseData, each exactly as encoded) under `algorithm`. A DigestInfo without its
/// NULL parameters counts as a match: the hash itself matches (see [`VerifyFailure`]).
pub fn verify_signed(
    key: &PublicKey,
    algorithm: &AlgorithmIdentifierOwned,
    signed: &[u8],
    signature: &[u8],
) -> Result<(), VerifyFailure> {
    let scheme = Scheme::resolve(algorithm, None).map_err(|u| VerifyFailure::Unsupported(u.0))?;
    match verify(
        key,
        scheme,
        &scheme.digest.digest_parts(&[signed]),
        signature,
    ) {
        Err(VerifyFailure::DigestInfoWithoutNull) => Ok(()),
        other => other,
    }
}

/// The byte range of the first element inside the outer SEQUENCE of `der` (the signed part of a
/// certificate or a CRL, which is signed as encoded, never re-encoded).
pub fn signed_range(der: &[u8]) -> der::Result<std::ops::Range<usize>> {
    use der::{Decode, Reader, SliceReader};
    let mut outer = SliceReader::new(der)?;
    let header = der::Header::decode(&mut outer)?;
    let start = usize::try_from(outer.position())?;
    let body = outer.read_slice(header.length)?;
    let tbs = SliceReader::new(body)?.tlv_bytes()?;
    Ok(start..start + tbs.len())
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
            let padded = left_pad(signature, k.key.size());
            let padding = pkcs1v15(scheme.digest);
            let right_length = padding.hash_len.is_none_or(|n| n == hashed.len());
            let good = |prefix: &[u8]| match k.fast() {
                Some(fast) => right_length && fast.verify_pkcs1v15(prefix, hashed, &padded),
                None => {
                    let mut padding = pkcs1v15(scheme.digest);
                    padding.prefix = prefix.to_vec().into_boxed_slice();
                    k.key.verify(padding, hashed, &padded).is_ok()
                }
            };
            if good(&padding.prefix) {
                Ok(())
            } else if good(&prefix_without_null(&padding.prefix)) {
                Err(VerifyFailure::DigestInfoWithoutNull)
            } else {
                Err(VerifyFailure::Mismatch)
            }
        }
        (PublicKey::Rsa(k) | PublicKey::RsaPssOnly(k), SignatureAlgorithm::RsaPss) => {
            let padded = left_pad(signature, k.key.size());
            let s = scheme.salt_len;
            let padding = match scheme.digest {
                DigestAlgorithm::Sha1 => Pss::new_with_salt::<Sha1>(s),
                DigestAlgorithm::Sha256 => Pss::new_with_salt::<Sha256>(s),
                DigestAlgorithm::Sha384 => Pss::new_with_salt::<Sha384>(s),
                DigestAlgorithm::Sha512 => Pss::new_with_salt::<Sha512>(s),
                DigestAlgorithm::Md5 | DigestAlgorithm::Ripemd160 => {
                    return Err(VerifyFailure::Unsupported(format!(
                        "rsa-pss with {}",
                        scheme.digest.name()
                    )));
                }
            };
            k.key.verify(padding, hashed, &padded).map_err(mismatch)
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

/// The RSASSA-PKCS1-v1_5 parameters for `digest`.
fn pkcs1v15(digest: DigestAlgorithm) -> Pkcs1v15Sign {
    match digest {
        DigestAlgorithm::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
        DigestAlgorithm::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
        DigestAlgorithm::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
        DigestAlgorithm::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        DigestAlgorithm::Md5 => Pkcs1v15Sign::new::<Md5>(),
        DigestAlgorithm::Ripemd160 => Pkcs1v15Sign::new::<Ripemd160>(),
    }
}

/// The DigestInfo prefix with the algorithm's NULL parameters left out:
/// `30 L 30 M 06 n OID 05 00 04 h` becomes `30 L-2 30 M-2 06 n OID 04 h`.
fn prefix_without_null(prefix: &[u8]) -> Vec<u8> {
    let mut out = prefix.to_vec();
    let n = out.len();
    if n >= 6 && out[n - 4..n - 2] == [0x05, 0x00] && out[1] >= 2 && out[3] >= 2 {
        out.drain(n - 4..n - 2);
        out[1] -= 2;
        out[3] -= 2;
    }
    out
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
}
