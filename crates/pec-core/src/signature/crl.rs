//! One CRL a signed document carries (RFC 5280 §5), decoded by `x509-cert`, with what
//! `revocation.rs` needs: its signature over the tbsCertList as received, its scope (issuing
//! distribution point, delta and indirect lists refused), and the entry for a serial.
//!
//! A version 1 list (no `version` field, RFC 5280 §5.1.2.1; still issued by old root CAs, e.g.
//! Belgium Root CA2's in a PAdES-LTA file's DSS) is decoded as if it said v1, since `x509-cert`
//! requires the field; its signature is still checked over the bytes as received.

use std::ops::Range;

use chrono::{DateTime, Utc};
use const_oid::db::rfc5280::{
    ID_CE_AUTHORITY_KEY_IDENTIFIER, ID_CE_CERTIFICATE_ISSUER, ID_CE_CRL_DISTRIBUTION_POINTS,
    ID_CE_CRL_NUMBER, ID_CE_CRL_REASONS, ID_CE_DELTA_CRL_INDICATOR, ID_CE_FRESHEST_CRL,
    ID_CE_INVALIDITY_DATE, ID_CE_ISSUING_DISTRIBUTION_POINT, ID_PE_AUTHORITY_INFO_ACCESS,
};
use der::Decode;
use der::asn1::ObjectIdentifier;
use x509_cert::crl::CertificateList;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::crl::CrlDistributionPoints;
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
use x509_cert::ext::pkix::name::DistributionPointName;
use x509_cert::name::Name;

use super::algorithms::{signed_range, verify_signed};
use super::certificate::Certificate;
use super::time::to_utc;

/// `der` (a CertificateList whose tbsCertList has no `version`) with `version v1` written in, for
/// decoding only; `None` when it already has one or is not two nested SEQUENCEs.
fn with_version_one(der: &[u8]) -> Option<Vec<u8>> {
    use der::{Encode, Header, Length, Reader, SliceReader};
    let body = |tlv: &[u8]| -> Option<Vec<u8>> {
        let mut r = SliceReader::new(tlv).ok()?;
        let header = Header::decode(&mut r).ok()?;
        r.read_slice(header.length).ok().map(<[u8]>::to_vec)
    };
    let sequence = |content: &[u8]| -> Option<Vec<u8>> {
        let mut out = vec![0x30];
        Length::try_from(content.len())
            .ok()?
            .encode_to_vec(&mut out)
            .ok()?;
        out.extend_from_slice(content);
        Some(out)
    };
    let outer = body(der)?;
    let mut r = SliceReader::new(&outer).ok()?;
    let tbs = r.tlv_bytes().ok()?;
    let rest = &outer[tbs.len()..];
    let tbs_body = body(tbs)?;
    if tbs.first() != Some(&0x30) || tbs_body.first() == Some(&0x02) {
        return None;
    }
    let tbs = sequence(&[&[0x02, 0x01, 0x00][..], &tbs_body].concat())?;
    sequence(&[tbs.as_slice(), rest].concat())
}

/// expiredCertsOnCRL, 2.5.29.60 (X.509 §8.5.2.12).
const ID_CE_EXPIRED_CERTS_ON_CRL: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.60");
/// CRLReason certificateHold (RFC 5280 §5.3.1): suspended, not (yet) revoked.
const REASON_HOLD: u8 = 6;

/// What a list (or an OCSP response) says about a revoked serial.
pub(crate) struct Listed {
    pub date: Option<DateTime<Utc>>,
    /// Suspended (certificateHold) rather than revoked.
    pub hold: bool,
    /// The entry carries a critical extension it cannot be judged without (an indirect entry).
    pub unusable: bool,
}

#[derive(Debug)]
pub(crate) struct Crl {
    der: Vec<u8>,
    tbs: Range<usize>,
    list: CertificateList,
    pub this_update: Option<DateTime<Utc>>,
    pub next_update: Option<DateTime<Utc>>,
}

impl Crl {
    pub(crate) fn read(der: &[u8]) -> Option<Crl> {
        let list = CertificateList::from_der(der)
            .ok()
            .or_else(|| CertificateList::from_der(&with_version_one(der)?).ok())?;
        list.signature.as_bytes()?;
        let tbs = signed_range(der).ok()?;
        Some(Crl {
            der: der.to_vec(),
            tbs,
            this_update: to_utc(&list.tbs_cert_list.this_update),
            next_update: list.tbs_cert_list.next_update.as_ref().and_then(to_utc),
            list,
        })
    }

    pub(crate) fn signed_by(&self, issuer: &Certificate) -> bool {
        let tbs = self.der.get(self.tbs.clone()).unwrap_or_default();
        let signature = self.list.signature.as_bytes().unwrap_or_default();
        verify_signed(&issuer.key, &self.list.signature_algorithm, tbs, signature).is_ok()
    }

    fn extensions(&self) -> &[Extension] {
        self.list
            .tbs_cert_list
            .crl_extensions
            .as_deref()
            .unwrap_or_default()
    }

    /// A complete CRL this verifier understands whose scope includes `cert`.
    pub(crate) fn covers(&self, cert: &Certificate) -> bool {
        let known = [
            ID_CE_AUTHORITY_KEY_IDENTIFIER,
            ID_CE_CRL_NUMBER,
            ID_CE_FRESHEST_CRL,
            ID_PE_AUTHORITY_INFO_ACCESS,
            ID_CE_ISSUING_DISTRIBUTION_POINT,
            ID_CE_EXPIRED_CERTS_ON_CRL,
        ];
        let mut covers = true;
        for e in self.extensions() {
            if e.extn_id == ID_CE_DELTA_CRL_INDICATOR || (e.critical && !known.contains(&e.extn_id))
            {
                return false;
            }
            if e.extn_id == ID_CE_ISSUING_DISTRIBUTION_POINT {
                covers &= IssuingDistributionPoint::from_der(e.extn_value.as_bytes())
                    .is_ok_and(|idp| scope_includes(&idp, cert));
            }
        }
        covers
    }

    /// Whether the list keeps entries of certificates expired by `not_after`.
    pub(crate) fn keeps_expired(&self, not_after: Option<DateTime<Utc>>) -> bool {
        self.extensions()
            .iter()
            .filter(|e| e.extn_id == ID_CE_EXPIRED_CERTS_ON_CRL)
            .filter_map(|e| der::asn1::GeneralizedTime::from_der(e.extn_value.as_bytes()).ok())
            .any(|since| {
                not_after.is_some_and(|na| DateTime::<Utc>::from(since.to_system_time()) <= na)
            })
    }

    /// The issuer the list names.
    pub(crate) fn issuer(&self) -> &Name {
        &self.list.tbs_cert_list.issuer
    }

    /// The entry for `cert`'s serial, if listed.
    pub(crate) fn listed(&self, cert: &Certificate) -> Option<Listed> {
        let entries = self.list.tbs_cert_list.revoked_certificates.as_deref()?;
        let entry = entries
            .iter()
            .find(|e| e.serial_number.as_bytes() == cert.serial_bytes())?;
        let exts = entry.crl_entry_extensions.as_deref().unwrap_or_default();
        Some(Listed {
            date: to_utc(&entry.revocation_date),
            hold: exts.iter().any(|e| {
                e.extn_id == ID_CE_CRL_REASONS
                    && e.extn_value.as_bytes() == [0x0a, 0x01, REASON_HOLD]
            }),
            unusable: exts.iter().any(|e| {
                e.extn_id == ID_CE_CERTIFICATE_ISSUER
                    || (e.critical
                        && e.extn_id != ID_CE_CRL_REASONS
                        && e.extn_id != ID_CE_INVALIDITY_DATE)
            }),
        })
    }
}

/// An issuing distribution point's scope (RFC 5280 §5.2.5) against one certificate.
fn scope_includes(idp: &IssuingDistributionPoint, cert: &Certificate) -> bool {
    let is_ca = cert.ext.is_ca == Some(true);
    if idp.indirect_crl
        || idp.only_contains_attribute_certs
        || idp.only_some_reasons.is_some()
        || (idp.only_contains_user_certs && is_ca)
        || (idp.only_contains_ca_certs && !is_ca)
    {
        return false;
    }
    let Some(DistributionPointName::FullName(idp_names)) = &idp.distribution_point else {
        return idp.distribution_point.is_none();
    };
    // A partitioned CRL covers the certificates that point at it.
    cert.x509
        .tbs_certificate
        .extensions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter(|e| e.extn_id == ID_CE_CRL_DISTRIBUTION_POINTS)
        .filter_map(|e| CrlDistributionPoints::from_der(e.extn_value.as_bytes()).ok())
        .flat_map(|dps| dps.0)
        .filter_map(|dp| match dp.distribution_point {
            Some(DistributionPointName::FullName(names)) => Some(names),
            _ => None,
        })
        .any(|names| names.iter().any(|n| idp_names.contains(n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        assert!(content.len() < 128);
        [&[tag, content.len() as u8][..], content].concat()
    }

    /// A version 1 list as old CAs write it: no `version`, no extensions (its signature is junk).
    fn version_one() -> Vec<u8> {
        let algorithm = tlv(
            0x30,
            &[
                tlv(
                    0x06,
                    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
                ),
                vec![0x05, 0x00],
            ]
            .concat(),
        );
        let name = tlv(
            0x30,
            &tlv(
                0x31,
                &tlv(
                    0x30,
                    &[tlv(0x06, &[0x55, 0x04, 0x03]), tlv(0x13, b"Test CA")].concat(),
                ),
            ),
        );
        let tbs = tlv(
            0x30,
            &[
                algorithm.clone(),
                name,
                tlv(0x17, b"160215110000Z"),
                tlv(0x17, b"160731110000Z"),
            ]
            .concat(),
        );
        tlv(
            0x30,
            &[tbs, algorithm, vec![0x03, 0x02, 0x00, 0x00]].concat(),
        )
    }

    #[test]
    fn a_version_one_list_is_read_and_keeps_its_bytes_as_received() {
        let der = version_one();
        assert!(
            CertificateList::from_der(&der).is_err(),
            "x509-cert wants a version"
        );
        let crl = Crl::read(&der).expect("read as v1");
        assert_eq!(crl.der, der);
        assert_eq!(crl.tbs, signed_range(&der).unwrap());
        assert_eq!(
            crl.this_update.unwrap().to_rfc3339(),
            "2016-02-15T11:00:00+00:00"
        );
        assert!(with_version_one(b"\x30\x03\x02\x01\x00").is_none());
        assert!(with_version_one(b"").is_none());
    }
}
