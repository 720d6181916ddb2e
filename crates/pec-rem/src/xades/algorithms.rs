//! The XML signature and digest algorithm URIs an evidence may name (W3C XMLDSig 1.1 §6, RFC 6931),
//! mapped onto the algorithms `pec-core` verifies. Anything else is refused by name.

use pec_core::signature::{DigestAlgorithm, SignatureAlgorithm};

/// The digest a `DigestMethod` names.
pub fn digest(uri: &str) -> Option<DigestAlgorithm> {
    use DigestAlgorithm::*;
    Some(match uri {
        "http://www.w3.org/2000/09/xmldsig#sha1" => Sha1,
        "http://www.w3.org/2001/04/xmlenc#sha256" => Sha256,
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => Sha384,
        "http://www.w3.org/2001/04/xmlenc#sha512" => Sha512,
        _ => return None,
    })
}

/// The signature scheme and digest a `SignatureMethod` names.
pub fn signature(uri: &str) -> Option<(SignatureAlgorithm, DigestAlgorithm)> {
    use DigestAlgorithm::*;
    use SignatureAlgorithm::*;
    Some(match uri {
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => (RsaPkcs1v15, Sha1),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => (RsaPkcs1v15, Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => (RsaPkcs1v15, Sha384),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => (RsaPkcs1v15, Sha512),
        "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1" => (RsaPss, Sha256),
        "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1" => (RsaPss, Sha384),
        "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1" => (RsaPss, Sha512),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => (Ecdsa, Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => (Ecdsa, Sha384),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => (Ecdsa, Sha512),
        _ => return None,
    })
}

/// The enveloped-signature transform (XMLDSig §6.6.4).
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/// XPath Filter 2.0 (the kit's providers write the enveloped transform as
/// `subtract /descendant::ds:Signature`).
pub const XPATH_FILTER2: &str = "http://www.w3.org/2002/06/xmldsig-filter2";
/// The `Type` of a reference to XAdES `SignedProperties`.
pub const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";
