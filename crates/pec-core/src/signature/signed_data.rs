//! The CMS SignedData of a `.p7s`, decoded with RustCrypto `cms`, keeping the exact bytes
//! verification needs.
//!
//! RFC 5652 §5, over DER (the BER normaliser runs first). The ContentInfo, the encapsulated
//! content info and every SignerInfo are `cms` types. The SignedData itself is walked field by
//! field with `der`'s reader instead of being decoded whole, because:
//! - its certificate and signer-info sets are DER `SET OF`s, which `der` re-sorts on decode, and
//!   transmitted order is what "the first signer" and a summary's certificate list mean;
//! - the signed attributes are signed exactly as transmitted (§5.4), and each certificate's
//!   signature covers its own bytes: both need the received bytes, not a re-encoding;
//! - certificates are handed on as raw DER, to be decoded one by one (and cached) by the caller:
//!   an unreadable extra certificate is skipped instead of making the whole signature unreadable,
//!   and a provider's certificate is not decoded again for each of its receipts.

use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{EncapsulatedContentInfo, SignerInfo};
use const_oid::db::rfc5911::ID_SIGNED_DATA;
use der::asn1::ObjectIdentifier;
use der::{Decode, Header, Reader, SliceReader, Tag, TagNumber, Tagged};

use super::error::SignatureError;

fn bad(what: &'static str) -> impl Fn(der::Error) -> SignatureError {
    move |_| SignatureError::NotSignedData(what)
}

/// One SignerInfo, decoded, with its signed attributes as transmitted.
#[derive(Debug, Clone)]
pub struct Signer<'a> {
    pub info: SignerInfo,
    /// The whole `[0] IMPLICIT` signed attributes element exactly as received, if present.
    pub signed_attrs: Option<&'a [u8]>,
}

impl<'a> Signer<'a> {
    /// Decodes one SignerInfo (DER), keeping its signed attributes as transmitted.
    pub fn read(raw: &'a [u8]) -> Result<Self, SignatureError> {
        Ok(Signer {
            info: SignerInfo::from_der(raw).map_err(bad("unreadable signer info"))?,
            signed_attrs: signed_attrs_of(raw).map_err(bad("unreadable signer info"))?,
        })
    }
}

/// The parts of a SignedData a detached-signature verifier needs.
#[derive(Debug, Clone)]
pub struct SignedData<'a> {
    /// Raw DER of each embedded X.509 certificate, in transmitted order (other certificate
    /// formats, tagged `[1]`..`[3]`, are skipped).
    pub certificates: Vec<&'a [u8]>,
    /// Every SignerInfo, in transmitted order.
    pub signers: Vec<Signer<'a>>,
    /// True when the content is inside the CMS (not detached).
    pub has_content: bool,
    /// The encapsulated content type (id-data for a `.p7m`, id-ct-TSTInfo for a timestamp token).
    pub content_type: ObjectIdentifier,
    /// The encapsulated content's octets (a `.p7m`'s document), when not detached.
    pub content: Option<&'a [u8]>,
    /// The `[1]` revocation information (CRLs, OCSP responses), each element as encoded.
    pub crls: Vec<&'a [u8]>,
}

/// Decodes the ContentInfo and checks that it holds a SignedData. [`SignedData::read`] then
/// borrows from it.
pub fn content_info(der: &[u8]) -> Result<ContentInfo, SignatureError> {
    let ci = ContentInfo::from_der(der).map_err(bad("not a cms content info"))?;
    if ci.content_type != ID_SIGNED_DATA {
        return Err(SignatureError::NotSignedData(
            "content type is not signed-data",
        ));
    }
    Ok(ci)
}

/// The `[n]` constructed tag of the implicitly tagged SignedData sets.
fn context(number: TagNumber) -> Tag {
    Tag::ContextSpecific {
        constructed: true,
        number,
    }
}

/// The elements of a SET (or SET-like) body, each as its complete encoding.
fn elements(body: &[u8]) -> der::Result<Vec<&[u8]>> {
    let mut r = SliceReader::new(body)?;
    let mut out = Vec::new();
    while !r.is_finished() {
        out.push(r.tlv_bytes()?);
    }
    Ok(out)
}

/// Reads the body of the next element if it has `tag`.
fn optional_body<'a>(r: &mut SliceReader<'a>, tag: Tag) -> der::Result<Option<&'a [u8]>> {
    if r.is_finished() || r.peek_tag()? != tag {
        return Ok(None);
    }
    let header = Header::decode(r)?;
    r.read_slice(header.length).map(Some)
}

impl<'a> SignedData<'a> {
    /// Reads the SignedData inside `ci` (from [`content_info`]).
    pub fn read(ci: &'a ContentInfo) -> Result<Self, SignatureError> {
        if ci.content.tag() != Tag::Sequence {
            return Err(SignatureError::NotSignedData(
                "signed-data is not a sequence",
            ));
        }
        let mut r = SliceReader::new(ci.content.value()).map_err(bad("signed-data too large"))?;
        r.decode::<CmsVersion>()
            .map_err(bad("signed-data version missing"))?;
        // NOTE: read as a plain SET, not `DigestAlgorithmIdentifiers`: parallel signers with the
        // same hash list it once per signer (`dss-768_FD1_FD2_FEA.pdf.p7m`), a duplicate `der`'s
        // SET OF refuses; each SignerInfo names its own digest anyway.
        optional_body(&mut r, Tag::Set)
            .map_err(bad("digest algorithms missing"))?
            .ok_or(SignatureError::NotSignedData("digest algorithms missing"))?;
        let encap_raw = r
            .tlv_bytes()
            .map_err(bad("encapsulated content info missing"))?;
        let encap = EncapsulatedContentInfo::from_der(encap_raw)
            .map_err(bad("encapsulated content info missing"))?;
        let certificates = match optional_body(&mut r, context(TagNumber::N0)) {
            Ok(Some(body)) => elements(body).map_err(bad("unreadable certificate set"))?,
            Ok(None) => Vec::new(),
            Err(e) => return Err(bad("unreadable certificate set")(e)),
        };
        let crls = match optional_body(&mut r, context(TagNumber::N1)) {
            Ok(Some(body)) => elements(body).map_err(bad("unreadable crls"))?,
            Ok(None) => Vec::new(),
            Err(e) => return Err(bad("unreadable crls")(e)),
        };
        let infos = match optional_body(&mut r, Tag::Set) {
            Ok(Some(body)) => elements(body).map_err(bad("unreadable signer infos"))?,
            _ => return Err(SignatureError::NotSignedData("signer infos missing")),
        };
        let signers = infos
            .into_iter()
            .map(Signer::read)
            .collect::<Result<Vec<_>, SignatureError>>()?;
        Ok(SignedData {
            certificates: certificates
                .into_iter()
                .filter(|c| c.first() == Some(&u8::from(Tag::Sequence)))
                .collect(),
            signers,
            has_content: encap.econtent.is_some(),
            content_type: encap.econtent_type,
            // `[0] EXPLICIT OCTET STRING` (BER chunks were joined by the normaliser), borrowed.
            content: match encap.econtent {
                Some(_) => Some(econtent(encap_raw).map_err(bad("unreadable content"))?),
                None => None,
            },
            crls,
        })
    }
}

/// The octets of `[0] EXPLICIT OCTET STRING` inside an EncapsulatedContentInfo, as received.
fn econtent(raw: &[u8]) -> der::Result<&[u8]> {
    let mut outer = SliceReader::new(raw)?;
    let header = Header::decode(&mut outer)?;
    let mut r = SliceReader::new(outer.read_slice(header.length)?)?;
    r.tlv_bytes()?; // eContentType
    let explicit = Header::decode(&mut r)?;
    let mut inner = SliceReader::new(r.read_slice(explicit.length)?)?;
    let octets = Header::decode(&mut inner)?;
    if octets.tag != Tag::OctetString {
        return Err(der::Tag::OctetString.value_error());
    }
    inner.read_slice(octets.length)
}

/// The `[0]` signed attributes of a (well-formed) SignerInfo, exactly as encoded.
fn signed_attrs_of(raw: &[u8]) -> der::Result<Option<&[u8]>> {
    let mut outer = SliceReader::new(raw)?;
    let header = Header::decode(&mut outer)?;
    let mut r = SliceReader::new(outer.read_slice(header.length)?)?;
    r.tlv_bytes()?; // version
    r.tlv_bytes()?; // sid
    r.tlv_bytes()?; // digestAlgorithm
    if r.peek_tag()? == context(TagNumber::N0) {
        r.tlv_bytes().map(Some)
    } else {
        Ok(None)
    }
}
