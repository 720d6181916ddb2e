//! The parts of a CMS SignedData a detached-signature verifier needs, with their exact bytes.
//!
//! RFC 5652 §5 (SignedData, SignerInfo, signed attributes) over already-normalised DER.
//! Certificates are kept as raw DER; signed attributes keep their received encoding, because
//! §5.4 signs exactly that encoding (with the `[0] IMPLICIT` tag read as `SET OF`).

use super::der_reader::{AlgId, INTEGER, OCTET_STRING, OID, Reader, SEQUENCE, SET, Tlv};
use super::error::SignatureError;
use super::oids;

fn bad(what: &'static str) -> SignatureError {
    SignatureError::NotSignedData(what)
}

/// How a SignerInfo names its certificate (RFC 5652 §5.3).
#[derive(Debug, Clone, Copy)]
pub enum SignerId<'a> {
    /// Raw DER issuer Name and serial number content octets.
    IssuerSerial { issuer: &'a [u8], serial: &'a [u8] },
    /// SubjectKeyIdentifier value.
    KeyId(&'a [u8]),
}

/// One SignerInfo.
#[derive(Debug, Clone)]
pub struct CmsSigner<'a> {
    pub sid: SignerId<'a>,
    pub digest_algorithm: AlgId<'a>,
    /// The whole `[0]` element as received, if present.
    pub signed_attrs: Option<Tlv<'a>>,
    pub signature_algorithm: AlgId<'a>,
    pub signature: &'a [u8],
}

/// A SignedData.
#[derive(Debug, Clone)]
pub struct SignedData<'a> {
    /// Raw DER of each embedded X.509 certificate (other certificate formats are skipped).
    pub certificates: Vec<&'a [u8]>,
    pub signers: Vec<CmsSigner<'a>>,
    /// True when the content is inside the CMS (not detached).
    pub has_content: bool,
}

/// Parses a ContentInfo holding a SignedData.
pub fn parse(der: &[u8]) -> Result<SignedData<'_>, SignatureError> {
    let mut top = Reader::new(der);
    let content_info = top.expect(SEQUENCE, "content info is not a sequence")?;
    let mut ci = content_info.children();
    if ci.expect(OID, "content info without a type")?.content != oids::SIGNED_DATA {
        return Err(bad("content type is not signed-data"));
    }
    let explicit = ci.expect(0xa0, "signed-data content missing")?;
    let sd = explicit
        .children()
        .expect(SEQUENCE, "signed-data is not a sequence")?;
    let mut r = sd.children();
    r.expect(INTEGER, "signed-data version missing")?;
    r.expect(SET, "digest algorithms missing")?;
    let encap = r.expect(SEQUENCE, "encapsulated content info missing")?;
    let has_content = {
        let mut e = encap.children();
        e.expect(OID, "encapsulated content type missing")?;
        e.optional(0xa0)?.is_some()
    };
    let mut certificates = Vec::new();
    if let Some(certs) = r.optional(0xa0)? {
        let mut c = certs.children();
        while !c.is_empty() {
            let cert = c.any()?;
            // Attribute certificates and other formats are tagged [1]..[3]: skip them.
            if cert.tag == SEQUENCE {
                certificates.push(cert.raw);
            }
        }
    }
    r.optional(0xa1)?; // CRLs: not used (validity is judged at signing time, see path.rs).
    let infos = r.expect(SET, "signer infos missing")?;
    let mut signers = Vec::new();
    let mut s = infos.children();
    while !s.is_empty() {
        signers.push(signer(
            s.expect(SEQUENCE, "signer info is not a sequence")?,
        )?);
    }
    Ok(SignedData {
        certificates,
        signers,
        has_content,
    })
}

fn signer(tlv: Tlv<'_>) -> Result<CmsSigner<'_>, SignatureError> {
    let mut r = tlv.children();
    r.expect(INTEGER, "signer version missing")?;
    let sid_tlv = r.any()?;
    let sid = match sid_tlv.tag {
        SEQUENCE => {
            let mut s = sid_tlv.children();
            let issuer = s.expect(SEQUENCE, "signer issuer missing")?.raw;
            let serial = s.expect(INTEGER, "signer serial missing")?.content;
            SignerId::IssuerSerial { issuer, serial }
        }
        0x80 => SignerId::KeyId(sid_tlv.content),
        _ => return Err(bad("unknown signer identifier")),
    };
    let digest_algorithm = AlgId::parse(r.any()?)?;
    let signed_attrs = r.optional(0xa0)?;
    let signature_algorithm = AlgId::parse(r.any()?)?;
    let signature = r.expect(OCTET_STRING, "signature value missing")?.content;
    Ok(CmsSigner {
        sid,
        digest_algorithm,
        signed_attrs,
        signature_algorithm,
        signature,
    })
}

/// The values (a SET) of each attribute, by type OID.
pub fn attributes<'a>(attrs: &Tlv<'a>) -> Result<Vec<(&'a [u8], Tlv<'a>)>, SignatureError> {
    let mut out = Vec::new();
    let mut r = attrs.children();
    while !r.is_empty() {
        let attr = r.expect(SEQUENCE, "attribute is not a sequence")?;
        let mut a = attr.children();
        let oid = a.expect(OID, "attribute without type")?.content;
        let values = a.expect(SET, "attribute without values")?;
        out.push((oid, values));
    }
    Ok(out)
}

/// The single value of attribute `oid`; `Ok(None)` if absent, an error if repeated or empty.
pub fn single_value<'a>(
    attrs: &[(&'a [u8], Tlv<'a>)],
    oid: &[u8],
) -> Result<Option<Tlv<'a>>, SignatureError> {
    let mut found = attrs.iter().filter(|(o, _)| *o == oid);
    let Some((_, values)) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() {
        return Err(bad("attribute repeated"));
    }
    let mut v = values.children();
    let value = v.any()?;
    if !v.is_empty() {
        return Err(bad("attribute with several values"));
    }
    Ok(Some(value))
}

/// The bytes the signature covers: the signed attributes with the tag read as SET OF (§5.4).
pub fn signed_attrs_der(attrs: &Tlv<'_>) -> Vec<u8> {
    let mut out = attrs.raw.to_vec();
    if let Some(tag) = out.first_mut() {
        *tag = SET;
    }
    out
}

/// The same attributes re-encoded in DER SET OF order (X.690 §11.6), if that differs.
///
/// NOTE: some encoders sign the sorted DER form but transmit the attributes unsorted; OpenSSL
/// verifies such signatures because it re-encodes before hashing. Tried only as a fallback.
pub fn sorted_signed_attrs_der(attrs: &Tlv<'_>) -> Option<Vec<u8>> {
    let mut items = Vec::new();
    let mut r = attrs.children();
    while !r.is_empty() {
        items.push(r.any().ok()?.raw);
    }
    let mut sorted = items.clone();
    sorted.sort();
    if sorted == items {
        return None;
    }
    let mut out = vec![SET];
    super::ber::push_len(&mut out, attrs.content.len());
    for item in sorted {
        out.extend_from_slice(item);
    }
    Some(out)
}
