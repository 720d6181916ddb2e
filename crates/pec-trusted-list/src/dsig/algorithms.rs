//! The XMLDSig algorithm URIs we accept (W3C XMLDSig 1.1 §6, RFC 6931) and nothing else: digests,
//! signature methods, transforms. Everything else refuses the list with `UnsupportedAlgorithm`.
//!
//! The real lists use exclusive C14N 1.0, the enveloped-signature transform, SHA-256 digests and
//! RSA-SHA256 (EU LOTL seq 332, IT seq 141 and 194).

use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha384, Sha512};

use crate::refused::ListRefused;

/// A `DigestMethod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlg {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlg {
    pub fn from_uri(uri: &str) -> Result<Self, ListRefused> {
        Ok(match uri {
            "http://www.w3.org/2000/09/xmldsig#sha1" => Self::Sha1,
            "http://www.w3.org/2001/04/xmlenc#sha256" => Self::Sha256,
            "http://www.w3.org/2001/04/xmldsig-more#sha384" => Self::Sha384,
            "http://www.w3.org/2001/04/xmlenc#sha512" => Self::Sha512,
            other => {
                return Err(ListRefused::UnsupportedAlgorithm {
                    role: "digest method",
                    uri: other.to_owned(),
                });
            }
        })
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => Sha1::digest(data).to_vec(),
            Self::Sha256 => Sha256::digest(data).to_vec(),
            Self::Sha384 => Sha384::digest(data).to_vec(),
            Self::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

/// A `SignatureMethod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlg {
    /// RSASSA-PKCS1-v1_5 with the digest.
    RsaPkcs1(DigestAlg),
    /// RSASSA-PSS with MGF1 over the same digest and a salt as long as the digest (RFC 6931 §2.3.10).
    RsaPss(DigestAlg),
    /// ECDSA, the value being r‖s (XMLDSig 1.1 §6.4.3).
    Ecdsa(DigestAlg),
}

impl SignatureAlg {
    pub fn from_uri(uri: &str) -> Result<Self, ListRefused> {
        use DigestAlg::*;
        Ok(match uri {
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => Self::RsaPkcs1(Sha1),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => Self::RsaPkcs1(Sha256),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => Self::RsaPkcs1(Sha384),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => Self::RsaPkcs1(Sha512),
            "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1" => Self::RsaPss(Sha256),
            "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1" => Self::RsaPss(Sha384),
            "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1" => Self::RsaPss(Sha512),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => Self::Ecdsa(Sha256),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => Self::Ecdsa(Sha384),
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => Self::Ecdsa(Sha512),
            other => {
                return Err(ListRefused::UnsupportedAlgorithm {
                    role: "signature method",
                    uri: other.to_owned(),
                });
            }
        })
    }
}

/// The enveloped-signature transform (XMLDSig §6.6.4).
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
