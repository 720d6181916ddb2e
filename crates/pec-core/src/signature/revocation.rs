//! Revocation from the CRLs a signed document carries: whether each certificate of the signer's
//! path had been revoked at the time the verdict rests on. No network: only what is in the file.
//!
//! Issue 15 ("use a CRL or OCSP response embedded in the file when present; otherwise say plainly
//! that revocation was not checked"), used by `cades.rs`. Sources: the SignedData's `crls`
//! (RFC 5652 §10.2.1 RevocationInfoChoices: a CertificateList, or `other`) and the signer's
//! unsigned `id-aa-ets-revocationValues` (RFC 5126 §6.3.4, EXPLICIT tags: `crlVals [0] SEQUENCE
//! OF CertificateList`), and Adobe's signed `adbe-revocationInfoArchival` of PDF signatures (same
//! shape, ISO 32000-1 §12.8.3.3.2). A PDF's DSS dictionary (PAdES-LT) is not read (left open); OCSP responses
//! (`id-ri-ocsp-response` in `crls`, `ocspVals`) are counted but not read yet, so they never count
//! as a check (left open).
//!
//! A CRL is used for a certificate (RFC 5280 §6.3) only when: its issuer is the certificate's
//! issuer (`names::same_name`); its signature verifies with the key of the path's issuer
//! certificate (else `revocation-data-unusable`, a warning: never trusted); it is a complete CRL
//! (no delta indicator, no indirect entries, no unknown critical extension, an issuing
//! distribution point only when its scope covers the certificate).
//!
//! Freshness (ETSI EN 319 102-1 §5.2.5.4, revocation freshness, with its default maximum
//! difference `nextUpdate − thisUpdate`): a CRL says something about time `T` (judged_at) when it
//! was issued at or after `T` (the usual proof, fetched after signing), or was the current list at
//! `T` (`thisUpdate ≤ T ≤ nextUpdate`: a revocation before `T` would already be on it, give or
//! take the CA's own publication delay, which is the grace the CA itself promises). A list whose
//! `nextUpdate` is before `T` proves nothing about `T`; nor does one dated after the time of
//! checking. Absence from a list issued after the certificate expired proves nothing either (RFC
//! 5280 §3.3: entries may be dropped after expiry) unless the list says it keeps expired
//! certificates (`expiredCertsOnCRL`, RFC 5280 errata/X.509 §8.5.2.12). A listed serial is
//! evidence whenever the list is signed by the issuer, fresh or not.
//!
//! Verdict: revoked (or suspended, certificateHold) at or before `T` → `certificate-revoked`,
//! Untrusted: the signature value still matches the content, what fails is the certificate, as for
//! a certificate expired at signing time (`certificate-not-valid-at-signing-time`, also
//! Untrusted); ETSI calls it INDETERMINATE REVOKED_NO_POE, or TOTAL-FAILED REVOKED with proof of
//! time, and both are "not valid". Revoked after `T` → `certificate-revoked-since` (info: the
//! signature stands, like `signer-certificate-expired-since`). Every certificate but the anchor
//! shown not revoked → `revocation-checked`; otherwise `revocation-not-checked` naming the first
//! certificate without usable data.
//!
//! Total: at most [`MAX_LISTS`] lists are read; each is decoded once from bytes already in memory.

use std::ops::Range;

use chrono::{DateTime, Utc};
use const_oid::db::rfc5280::{
    ID_CE_AUTHORITY_KEY_IDENTIFIER, ID_CE_CERTIFICATE_ISSUER, ID_CE_CRL_DISTRIBUTION_POINTS,
    ID_CE_CRL_NUMBER, ID_CE_CRL_REASONS, ID_CE_DELTA_CRL_INDICATOR, ID_CE_FRESHEST_CRL,
    ID_CE_INVALIDITY_DATE, ID_CE_ISSUING_DISTRIBUTION_POINT, ID_PE_AUTHORITY_INFO_ACCESS,
};
use der::asn1::ObjectIdentifier;
use der::{Decode, Header, Reader, SliceReader, Tag};
use x509_cert::crl::CertificateList;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::crl::CrlDistributionPoints;
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
use x509_cert::ext::pkix::name::DistributionPointName;

use super::algorithms::{Scheme, VerifyFailure, verify};
use super::certificate::Certificate;
use super::findings::FindingCode;
use super::names;
use super::path::date;
use super::report::SignatureReport;
use super::time::to_utc;
use super::timing::CLOCK_SKEW;

/// id-aa-ets-revocationValues, 1.2.840.113549.1.9.16.2.24 (RFC 5126 §6.3.4).
pub const ID_AA_ETS_REVOCATION_VALUES: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.24");
/// adbe-revocationInfoArchival, 1.2.840.113583.1.1.8 (ISO 32000-1 §12.8.3.3.2): a signed
/// attribute of PDF signatures, `{ crl [0] EXPLICIT SEQUENCE OF CertificateList, ocsp [1] …}`, read
/// like revocationValues.
pub const ADBE_REVOCATION_INFO_ARCHIVAL: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113583.1.1.8");
/// id-ri-ocsp-response, 1.3.6.1.5.5.7.16.2 (RFC 5940 §3).
const ID_RI_OCSP_RESPONSE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.16.2");
/// expiredCertsOnCRL, 2.5.29.60 (X.509 §8.5.2.12).
const ID_CE_EXPIRED_CERTS_ON_CRL: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.60");

/// Lists read per signature; more are ignored (real files carry one or two per CA).
pub const MAX_LISTS: usize = 16;
/// CRLReason certificateHold (RFC 5280 §5.3.1): suspended, not (yet) revoked.
const REASON_HOLD: u8 = 6;

/// The revocation data a signature can use, read once.
#[derive(Debug, Default)]
pub(crate) struct Embedded {
    crls: Vec<Crl>,
    /// Lists that could not be decoded.
    unreadable: usize,
    /// OCSP responses seen (not read yet).
    ocsp: usize,
}

#[derive(Debug)]
struct Crl {
    der: Vec<u8>,
    tbs: Range<usize>,
    list: CertificateList,
    this_update: Option<DateTime<Utc>>,
    next_update: Option<DateTime<Utc>>,
}

impl Embedded {
    /// Reads the SignedData's `crls` elements and the signer's revocationValues attribute values.
    pub(crate) fn read(choices: &[&[u8]], revocation_values: &[Vec<u8>]) -> Self {
        let mut out = Embedded::default();
        for choice in choices {
            match choice.first() {
                Some(0x30) => out.push(choice),
                // other [1] IMPLICIT OtherRevocationInfoFormat { OID, ANY }.
                Some(0xa1) => match body(choice).and_then(|b| first_oid(&b)) {
                    Some(oid) if oid == ID_RI_OCSP_RESPONSE => out.ocsp += 1,
                    _ => {}
                },
                _ => out.unreadable += 1,
            }
        }
        for value in revocation_values {
            for (tag, field) in body(value).map(|b| elements(&b)).unwrap_or_default() {
                match tag {
                    0xa0 => {
                        let lists = body(&field).map(|b| elements(&b)).unwrap_or_default();
                        // EXPLICIT: [0] wraps one SEQUENCE OF; tolerate the IMPLICIT form too.
                        let explicit = matches!(lists.as_slice(), [(0x30, only)]
                            if body(only).is_some_and(|b| elements(&b).iter().all(|(t, _)| *t == 0x30)));
                        let lists = if explicit {
                            body(&lists[0].1).map(|b| elements(&b)).unwrap_or_default()
                        } else {
                            lists
                        };
                        for (_, list) in lists {
                            out.push(&list);
                        }
                    }
                    0xa1 => out.ocsp += 1,
                    _ => {}
                }
            }
        }
        out
    }

    fn push(&mut self, der: &[u8]) {
        if self.crls.len() >= MAX_LISTS {
            return;
        }
        match Crl::read(der) {
            Some(crl) => self.crls.push(crl),
            None => self.unreadable += 1,
        }
    }

    /// True when the file carries any revocation data at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.crls.is_empty() && self.unreadable == 0 && self.ocsp == 0
    }
}

impl Crl {
    fn read(der: &[u8]) -> Option<Crl> {
        let list = CertificateList::from_der(der).ok()?;
        list.signature.as_bytes()?;
        let tbs = tbs_range(der).ok()?;
        Some(Crl {
            der: der.to_vec(),
            tbs,
            this_update: to_utc(&list.tbs_cert_list.this_update),
            next_update: list.tbs_cert_list.next_update.as_ref().and_then(to_utc),
            list,
        })
    }

    fn signed_by(&self, issuer: &Certificate) -> bool {
        let Ok(scheme) = Scheme::resolve(&self.list.signature_algorithm, None) else {
            return false;
        };
        let tbs = self.der.get(self.tbs.clone()).unwrap_or_default();
        let signature = self.list.signature.as_bytes().unwrap_or_default();
        matches!(
            verify(
                &issuer.key,
                scheme,
                &scheme.digest.digest_parts(&[tbs]),
                signature
            ),
            Ok(()) | Err(VerifyFailure::DigestInfoWithoutNull)
        )
    }

    fn extensions(&self) -> &[Extension] {
        self.list
            .tbs_cert_list
            .crl_extensions
            .as_deref()
            .unwrap_or_default()
    }

    /// A complete CRL this verifier understands whose scope includes `cert`.
    fn covers(&self, cert: &Certificate) -> bool {
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
    fn keeps_expired(&self, not_after: Option<DateTime<Utc>>) -> bool {
        self.extensions()
            .iter()
            .filter(|e| e.extn_id == ID_CE_EXPIRED_CERTS_ON_CRL)
            .filter_map(|e| der::asn1::GeneralizedTime::from_der(e.extn_value.as_bytes()).ok())
            .any(|since| {
                not_after.is_some_and(|na| DateTime::<Utc>::from(since.to_system_time()) <= na)
            })
    }

    /// Whether it says something about `at`, checked at `now` (see the module header).
    fn fresh_for(&self, at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        let Some(this_update) = self.this_update else {
            return false;
        };
        this_update <= now + CLOCK_SKEW
            && (this_update >= at || self.next_update.is_some_and(|next| next >= at))
    }
}

/// What one CRL entry says about a serial: when, and whether only suspended.
struct Listed {
    date: Option<DateTime<Utc>>,
    hold: bool,
    /// The entry carries a critical extension it cannot be judged without (an indirect entry).
    unusable: bool,
}

fn listed(crl: &Crl, cert: &Certificate) -> Option<Listed> {
    let entries = crl.list.tbs_cert_list.revoked_certificates.as_deref()?;
    let entry = entries
        .iter()
        .find(|e| e.serial_number.as_bytes() == cert.serial_bytes())?;
    let exts = entry.crl_entry_extensions.as_deref().unwrap_or_default();
    Some(Listed {
        date: to_utc(&entry.revocation_date),
        hold: exts.iter().any(|e| {
            e.extn_id == ID_CE_CRL_REASONS && e.extn_value.as_bytes() == [0x0a, 0x01, REASON_HOLD]
        }),
        unusable: exts.iter().any(|e| {
            e.extn_id == ID_CE_CERTIFICATE_ISSUER
                || (e.critical
                    && e.extn_id != ID_CE_CRL_REASONS
                    && e.extn_id != ID_CE_INVALIDITY_DATE)
        }),
    })
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

/// What the lists say about one certificate.
enum Status<'a> {
    RevokedBefore(&'a Crl, Listed),
    RevokedSince(&'a Crl, Listed),
    Good(&'a Crl),
    Unknown,
}

/// Checks every certificate of `path` (signer first) but the anchor (last when `complete`) at
/// `at`, and records the findings (see the module header).
pub(crate) fn check(
    report: &mut SignatureReport,
    data: &Embedded,
    path: &[&Certificate],
    complete: bool,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) {
    if data.is_empty() {
        report.add(
            FindingCode::RevocationNotChecked,
            "The file carries no revocation information and no network was used: whether the certificate had been revoked was not checked.",
        );
        return;
    }
    if data.unreadable > 0 {
        report.add(
            FindingCode::RevocationDataUnusable,
            format!(
                "{} revocation list(s) in the file could not be read and were ignored.",
                data.unreadable
            ),
        );
    }
    let checked = if complete {
        path.len().saturating_sub(1)
    } else {
        path.len()
    };
    let mut warned: Vec<usize> = Vec::new();
    let mut used: Vec<&Crl> = Vec::new();
    let mut lacking: Option<&Certificate> = None;
    let mut revoked = false;
    for (i, cert) in path.iter().take(checked).enumerate() {
        let issuer = path.get(i + 1).copied();
        match status(data, cert, issuer, at, now, &mut warned) {
            Status::RevokedBefore(crl, entry) => {
                revoked = true;
                report.add(
                    FindingCode::CertificateRevoked,
                    format!(
                        "The certificate of {} (serial {}) was {} on {}, {} the signature was made ({}), according to the revocation list of {} issued on {}.",
                        cert.subject(),
                        cert.serial_hex(),
                        if entry.hold { "suspended" } else { "revoked" },
                        date(entry.date),
                        if entry.date == Some(at) { "when" } else { "before" },
                        date(Some(at)),
                        cert.issuer(),
                        date(crl.this_update),
                    ),
                );
            }
            Status::RevokedSince(crl, entry) => {
                used.push(crl);
                report.add(
                    FindingCode::CertificateRevokedSince,
                    format!(
                        "The certificate of {} was {} on {}, after the signature was made ({}); the signature stands.",
                        cert.subject(),
                        if entry.hold { "suspended" } else { "revoked" },
                        date(entry.date),
                        date(Some(at)),
                    ),
                );
            }
            Status::Good(crl) => used.push(crl),
            Status::Unknown => {
                lacking.get_or_insert(cert);
            }
        }
    }
    for &index in &warned {
        let crl = &data.crls[index];
        report.add(
            FindingCode::RevocationDataUnusable,
            format!(
                "A revocation list in the file names {} as its issuer but is not signed by that authority's key; it was ignored.",
                names::rfc4514(&crl.list.tbs_cert_list.issuer)
            ),
        );
    }
    if revoked {
        return;
    }
    match (lacking, checked) {
        (None, 1..) => {
            let sources: Vec<String> = used
                .iter()
                .map(|c| {
                    format!(
                        "the list of {} issued on {}",
                        names::rfc4514(&c.list.tbs_cert_list.issuer),
                        date(c.this_update)
                    )
                })
                .collect();
            report.add(
                FindingCode::RevocationChecked,
                format!(
                    "No certificate of the signer's path had been revoked when the signature was made, according to the revocation lists in the file ({}).",
                    sources.join("; ")
                ),
            );
        }
        (lacking, _) => {
            let who = lacking
                .map(|c| format!("the certificate of {}", c.subject()))
                .unwrap_or_else(|| "the signer's certificate".into());
            let ocsp = if data.ocsp > 0 {
                " (OCSP responses in the file are not read yet)"
            } else {
                ""
            };
            report.add(
                FindingCode::RevocationNotChecked,
                format!(
                    "The file carries revocation information, but none that shows whether {who} had been revoked when the signature was made{ocsp}: revocation was not checked."
                ),
            );
        }
    }
}

fn status<'a>(
    data: &'a Embedded,
    cert: &Certificate,
    issuer: Option<&Certificate>,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    warned: &mut Vec<usize>,
) -> Status<'a> {
    let Some(issuer) = issuer else {
        return Status::Unknown;
    };
    let mut good = None;
    let mut since = None;
    for (index, crl) in data.crls.iter().enumerate() {
        if !names::same_name(&crl.list.tbs_cert_list.issuer, cert.issuer_name()) {
            continue;
        }
        if !crl.signed_by(issuer) {
            if !warned.contains(&index) {
                warned.push(index);
            }
            continue;
        }
        match listed(crl, cert) {
            Some(entry) if entry.unusable => {}
            Some(entry) if entry.date.is_none_or(|d| d <= at) => {
                return Status::RevokedBefore(crl, entry);
            }
            Some(entry) => {
                since.get_or_insert((crl, entry));
            }
            None => {
                let after_expiry = match (crl.this_update, cert.not_after) {
                    (Some(tu), Some(na)) => tu > na && !crl.keeps_expired(cert.not_after),
                    _ => true,
                };
                if good.is_none() && crl.covers(cert) && crl.fresh_for(at, now) && !after_expiry {
                    good = Some(crl);
                }
            }
        }
    }
    match (since, good) {
        (Some((crl, entry)), _) => Status::RevokedSince(crl, entry),
        (None, Some(crl)) => Status::Good(crl),
        (None, None) => Status::Unknown,
    }
}

/// The TLV elements of a body: (first identifier octet, complete encoding).
fn elements(body: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let Ok(mut r) = SliceReader::new(body) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while !r.is_finished() && out.len() < 4 * MAX_LISTS {
        match r.tlv_bytes() {
            Ok(tlv) => out.push((tlv.first().copied().unwrap_or(0), tlv.to_vec())),
            Err(_) => break,
        }
    }
    out
}

/// The contents of one TLV.
fn body(tlv: &[u8]) -> Option<Vec<u8>> {
    let mut r = SliceReader::new(tlv).ok()?;
    let header = Header::decode(&mut r).ok()?;
    r.read_slice(header.length).ok().map(<[u8]>::to_vec)
}

fn first_oid(body: &[u8]) -> Option<ObjectIdentifier> {
    let mut r = SliceReader::new(body).ok()?;
    if r.peek_tag().ok()? != Tag::ObjectIdentifier {
        return None;
    }
    r.decode().ok()
}

/// Byte range of the tbsCertList inside the received DER (it is signed as encoded).
fn tbs_range(der: &[u8]) -> der::Result<Range<usize>> {
    let mut outer = SliceReader::new(der)?;
    let header = Header::decode(&mut outer)?;
    let start = usize::try_from(outer.position())?;
    let body = outer.read_slice(header.length)?;
    let tbs = SliceReader::new(body)?.tlv_bytes()?;
    Ok(start..start + tbs.len())
}
