//! An OCSP response a signed document carries, read and checked without a network.
//!
//! RFC 6960 §4.2.1 (BasicOCSPResponse, ResponseData, SingleResponse, CertID) and §4.2.2.2 (who
//! may sign: the issuing CA itself, or a responder certificate the CA issued with id-kp-OCSPSigning
//! extended key usage, carried in the response's `certs` or, for a PDF, its DSS). Used by `revocation.rs`, which applies
//! the same freshness rule as to CRLs. Walked with `der`'s reader: the signature covers the
//! `tbsResponseData` exactly as encoded. Total: malformed input gives `None`; at most
//! [`MAX_RESPONSES`] single responses and [`MAX_RESPONDERS`] responder certificates are looked at.
//! The delegated responder's own revocation is not checked (responders carry id-pkix-ocsp-nocheck,
//! RFC 6960 §4.2.2.2.1; left open), nor the response's nonce (an archived response has none).

use chrono::{DateTime, Utc};
use const_oid::db::rfc5280::ID_KP_OCSP_SIGNING;
use der::asn1::{GeneralizedTime, ObjectIdentifier};
use der::{Decode, Encode, Header, Reader, SliceReader, Tag};
use spki::AlgorithmIdentifierOwned;

use super::algorithms::{DigestAlgorithm, verify_signed};
use super::certificate::Certificate;
use super::names;

/// id-pkix-ocsp-basic, 1.3.6.1.5.5.7.48.1.1 (RFC 6960 §4.2.1).
const ID_PKIX_OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// Single responses looked at per response.
const MAX_RESPONSES: usize = 64;
/// Responder certificates tried per response.
const MAX_RESPONDERS: usize = 4;

/// What a responder says about one certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CertStatus {
    Good,
    /// Revoked at that time; `hold` when the reason is certificateHold (suspended).
    Revoked {
        at: Option<DateTime<Utc>>,
        hold: bool,
    },
    Unknown,
}

#[derive(Debug)]
pub(crate) struct Single {
    hash: ObjectIdentifier,
    name_hash: Vec<u8>,
    key_hash: Vec<u8>,
    serial: Vec<u8>,
    pub status: CertStatus,
    pub this_update: Option<DateTime<Utc>>,
    pub next_update: Option<DateTime<Utc>>,
}

/// A BasicOCSPResponse.
#[derive(Debug)]
pub(crate) struct Ocsp {
    tbs: Vec<u8>,
    algorithm: AlgorithmIdentifierOwned,
    signature: Vec<u8>,
    certs: Vec<Certificate>,
    pub produced_at: Option<DateTime<Utc>>,
    responses: Vec<Single>,
}

fn reader(der: &[u8]) -> Option<SliceReader<'_>> {
    SliceReader::new(der).ok()
}

/// The next element's body, checked to carry `tag`.
fn next<'a>(r: &mut SliceReader<'a>, tag: Tag) -> Option<&'a [u8]> {
    let header = Header::decode(r).ok()?;
    if header.tag != tag {
        return None;
    }
    r.read_slice(header.length).ok()
}

/// The next element's body when it carries `tag`, else nothing consumed.
fn optional<'a>(r: &mut SliceReader<'a>, tag: Tag) -> Option<&'a [u8]> {
    if r.is_finished() || r.peek_tag().ok()? != tag {
        return None;
    }
    next(r, tag)
}

fn context(number: u8, constructed: bool) -> Tag {
    Tag::ContextSpecific {
        constructed,
        number: der::TagNumber::new(number),
    }
}

fn time(r: &mut SliceReader<'_>) -> Option<DateTime<Utc>> {
    let t: GeneralizedTime = r.decode().ok()?;
    Some(DateTime::<Utc>::from(t.to_system_time()))
}

impl Ocsp {
    /// Reads an OCSPResponse (RFC 6960 §4.2.1) or a bare BasicOCSPResponse, or either inside an
    /// OCTET STRING (Adobe's archival attribute).
    pub(crate) fn read(der: &[u8]) -> Option<Ocsp> {
        let mut r = reader(der)?;
        match r.peek_tag().ok()? {
            Tag::OctetString => Ocsp::read(next(&mut r, Tag::OctetString)?),
            Tag::Sequence => {
                let body = next(&mut r, Tag::Sequence)?;
                let mut inner = reader(body)?;
                match inner.peek_tag().ok()? {
                    // OCSPResponse: responseStatus successful (0), responseBytes [0] EXPLICIT.
                    Tag::Enumerated => {
                        let status = next(&mut inner, Tag::Enumerated)?;
                        if status != [0] {
                            return None;
                        }
                        let bytes = next(&mut inner, context(0, true))?;
                        let mut bytes = reader(next(&mut reader(bytes)?, Tag::Sequence)?)?;
                        let kind: ObjectIdentifier = bytes.decode().ok()?;
                        if kind != ID_PKIX_OCSP_BASIC {
                            return None;
                        }
                        Ocsp::basic(next(&mut bytes, Tag::OctetString)?)
                    }
                    _ => Ocsp::basic(der),
                }
            }
            _ => None,
        }
    }

    fn basic(der: &[u8]) -> Option<Ocsp> {
        let mut outer = reader(der)?;
        let mut r = reader(next(&mut outer, Tag::Sequence)?)?;
        let tbs = r.tlv_bytes().ok()?.to_vec();
        let algorithm: AlgorithmIdentifierOwned = r.decode().ok()?;
        let signature = der::asn1::BitString::decode(&mut r).ok()?;
        let signature = signature.as_bytes()?.to_vec();
        let mut certs = Vec::new();
        if let Some(explicit) = optional(&mut r, context(0, true)) {
            let mut list = reader(next(&mut reader(explicit)?, Tag::Sequence)?)?;
            while !list.is_finished() && certs.len() < MAX_RESPONDERS {
                let raw = list.tlv_bytes().ok()?;
                if let Ok(cert) = Certificate::from_der(raw) {
                    certs.push(cert);
                }
            }
        }
        let mut data = reader(next(&mut reader(&tbs)?, Tag::Sequence)?)?;
        optional(&mut data, context(0, true)); // version, v1
        data.tlv_bytes().ok()?; // responderID: the signature check decides
        let produced_at = time(&mut data);
        let mut list = reader(next(&mut data, Tag::Sequence)?)?;
        let mut responses = Vec::new();
        while !list.is_finished() && responses.len() < MAX_RESPONSES {
            responses.push(single(next(&mut list, Tag::Sequence)?)?);
        }
        Some(Ocsp {
            tbs,
            algorithm,
            signature,
            certs,
            produced_at,
            responses,
        })
    }

    /// Whether `issuer` signed the response, or a responder it delegated to (a certificate in the
    /// response, or among `elsewhere` — a PDF's DSS certificates —, issued by `issuer`, with
    /// id-kp-OCSPSigning, valid when the response was made).
    pub(crate) fn signed_for(&self, issuer: &Certificate, elsewhere: &[Certificate]) -> bool {
        let good = |key| verify_signed(key, &self.algorithm, &self.tbs, &self.signature).is_ok();
        good(&issuer.key)
            || self.certs.iter().chain(elsewhere).any(|responder| {
                responder
                    .ext
                    .extended_key_usage
                    .as_ref()
                    .is_some_and(|eku| eku.contains(&ID_KP_OCSP_SIGNING))
                    && responder.ext.unusable.is_empty()
                    && names::same_name(responder.issuer_name(), issuer.subject_name())
                    && responder.is_signed_by(&issuer.key).is_ok()
                    && self.produced_at.is_some_and(|t| responder.valid_at(t))
                    && good(&responder.key)
            })
    }

    /// The single response about `cert` issued by `issuer` (RFC 6960 §4.1.1 CertID).
    pub(crate) fn about(&self, cert: &Certificate, issuer: &Certificate) -> Option<&Single> {
        let name = cert.issuer_name().to_der().ok()?;
        let key = issuer
            .x509
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes();
        self.responses.iter().find(|s| {
            unsigned(&s.serial) == unsigned(cert.serial_bytes())
                && DigestAlgorithm::from_oid(&s.hash).is_some_and(|d| {
                    d.digest_parts(&[&name]) == s.name_hash && d.digest_parts(&[key]) == s.key_hash
                })
        })
    }

    /// Whether any response names this issuer (by name hash), for "unusable" warnings.
    pub(crate) fn names_issuer_of(&self, cert: &Certificate) -> bool {
        let Ok(name) = cert.issuer_name().to_der() else {
            return false;
        };
        self.responses.iter().any(|s| {
            DigestAlgorithm::from_oid(&s.hash)
                .is_some_and(|d| d.digest_parts(&[&name]) == s.name_hash)
        })
    }
}

/// An INTEGER's content without its leading zero octets.
fn unsigned(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    &bytes[zeros..]
}

fn single(body: &[u8]) -> Option<Single> {
    let mut r = reader(body)?;
    let mut id = reader(next(&mut r, Tag::Sequence)?)?;
    let hash: AlgorithmIdentifierOwned = id.decode().ok()?;
    let name_hash = next(&mut id, Tag::OctetString)?.to_vec();
    let key_hash = next(&mut id, Tag::OctetString)?.to_vec();
    let serial = next(&mut id, Tag::Integer)?.to_vec();
    let header = Header::decode(&mut r).ok()?;
    let status_body = r.read_slice(header.length).ok()?;
    let status = match header.tag {
        Tag::ContextSpecific { number, .. } if number.value() == 0 => CertStatus::Good,
        Tag::ContextSpecific { number, .. } if number.value() == 1 => {
            let mut info = reader(status_body)?;
            let at = time(&mut info);
            let hold = optional(&mut info, context(0, true))
                .is_some_and(|reason| reason == [0x0a, 0x01, 6]);
            CertStatus::Revoked { at, hold }
        }
        _ => CertStatus::Unknown,
    };
    let this_update = time(&mut r);
    let next_update = optional(&mut r, context(0, true))
        .and_then(|explicit| reader(explicit).and_then(|mut t| time(&mut t)));
    Some(Single {
        hash: hash.oid,
        name_hash,
        key_hash,
        serial,
        status,
        this_update,
        next_update,
    })
}
