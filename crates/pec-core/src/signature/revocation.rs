//! Revocation from the CRLs and OCSP responses a signed document carries: whether each
//! certificate of the signer's path had been revoked at the time the verdict rests on. No
//! network: only what is in the file.
//!
//! Issue 15 ("use a CRL or OCSP response embedded in the file when present; otherwise say plainly
//! that revocation was not checked"), used by `cades.rs` for signatures and by `timestamp.rs` for the
//! timestamps of documents (the authority's path, at genTime). Sources: the SignedData's `crls`
//! (RFC 5652 §10.2.1 RevocationInfoChoices: a CertificateList, or `other`) and the signer's
//! unsigned `id-aa-ets-revocationValues` (RFC 5126 §6.3.4, EXPLICIT tags: `crlVals [0] SEQUENCE
//! OF CertificateList`), and Adobe's signed `adbe-revocationInfoArchival` of PDF signatures (same
//! shape, ISO 32000-1 §12.8.3.3.2), CRLs under `[0]`, OCSP responses under `[1]`, and
//! `id-ri-ocsp-response` (RFC 5940) in `crls`. Beside them, a PDF's document security store (DSS,
//! PAdES-LT, ETSI EN 319 142-1 §5.4.2), which lies outside the CMS: pec-document reads it and hands
//! it over as a [`SecurityStore`]; its lists and responses are used under exactly the same rules
//! (the DSS is unsigned: stale, foreign or forged data in it is ignored like any other), each named
//! as coming "from the PDF's document security store (DSS)", and its certificates only supply the
//! key of an issuer the signer's path lacks (never an anchor: the key must have signed the
//! certificate) or of an OCSP responder the response does not carry (under the same delegation
//! rules).
//!
//! A CRL is used for a certificate (RFC 5280 §6.3) only when: its issuer is the certificate's
//! issuer (`names::same_name`); its signature verifies with the key of the path's issuer
//! certificate (else `revocation-data-unusable`, a warning: never trusted); it is a complete CRL
//! (no delta indicator, no indirect entries, no unknown critical extension, an issuing
//! distribution point only when its scope covers the certificate).
//!
//! An OCSP response (`ocsp.rs`, RFC 6960) is used when signed by the issuer or by a responder the
//! issuer authorised (id-kp-OCSPSigning), and its single response names the certificate (CertID:
//! issuer name and key hashes, serial); `unknown` says nothing.
//!
//! Freshness (ETSI EN 319 102-1 §5.2.5.4, revocation freshness, with its default maximum
//! difference `nextUpdate − thisUpdate`): a CRL (or an OCSP single response, by its own
//! thisUpdate/nextUpdate) says something about time `T` (judged_at) when it
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
//! Total: at most [`MAX_LISTS`] lists and as many OCSP responses are read per signature from the
//! CMS, and [`MAX_STORE_ITEMS`] of each from the store, each decoded from bytes already in memory
//! (a list's entries are as many as its size allows).

use chrono::{DateTime, Utc};
use der::asn1::ObjectIdentifier;
use der::{Decode, Header, Reader, SliceReader};

use super::certificate::Certificate;
use super::crl::{Crl, Listed};
use super::findings::FindingCode;
use super::names;
use super::ocsp::{CertStatus, Ocsp};
use super::path::date;
use super::report::SignatureReport;
use super::security_store::SecurityStore;
use super::timing::CLOCK_SKEW;

/// id-aa-ets-revocationValues, 1.2.840.113549.1.9.16.2.24 (RFC 5126 §6.3.4).
pub const ID_AA_ETS_REVOCATION_VALUES: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.24");
/// adbe-revocationInfoArchival, 1.2.840.113583.1.1.8 (ISO 32000-1 §12.8.3.3.2): a signed
/// attribute of PDF signatures, `{ crl [0] EXPLICIT SEQUENCE OF CertificateList, ocsp [1] EXPLICIT
/// SEQUENCE OF OCSPResponse }`, read like revocationValues.
pub const ADBE_REVOCATION_INFO_ARCHIVAL: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113583.1.1.8");
/// id-ri-ocsp-response, 1.3.6.1.5.5.7.16.2 (RFC 5940 §3).
const ID_RI_OCSP_RESPONSE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.16.2");

/// Lists (and, apart, OCSP responses) read per signature; more are ignored (real files carry one
/// or two per CA).
pub const MAX_LISTS: usize = 16;
/// Lists, OCSP responses and certificates read from a document security store, each, at most.
pub const MAX_STORE_ITEMS: usize = 64;

/// Where a list or a response was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Origin {
    /// Inside the CMS (its `crls`, revocationValues or revocationInfoArchival).
    #[default]
    Signature,
    /// In the PDF's document security store.
    Store,
}

impl Origin {
    /// What a finding adds after naming the source.
    fn words(self) -> &'static str {
        match self {
            Origin::Signature => "",
            Origin::Store => " from the PDF's document security store (DSS)",
        }
    }

    /// What a warning adds after the source (a store's source already says where it is).
    fn place(self) -> &'static str {
        match self {
            Origin::Signature => " in the file",
            Origin::Store => "",
        }
    }
}

/// The revocation data a signature can use, read once.
#[derive(Debug, Default)]
pub(crate) struct Embedded {
    crls: Vec<(Crl, Origin)>,
    ocsps: Vec<(Ocsp, Origin)>,
    /// Lists or responses that could not be decoded.
    unreadable: usize,
    /// Of those, the ones in the document security store.
    unreadable_in_store: usize,
    /// The store's certificates: candidate issuers, never anchors.
    store_certificates: Vec<Certificate>,
    /// Where the lists and responses being read now come from.
    origin: Origin,
}

impl Embedded {
    /// Reads the SignedData's `crls` elements, the signer's revocationValues (or Adobe
    /// revocationInfoArchival) attribute values, and the document's security store.
    pub(crate) fn read(
        choices: &[&[u8]],
        revocation_values: &[Vec<u8>],
        store: Option<&SecurityStore>,
    ) -> Self {
        let mut out = Embedded::default();
        for choice in choices {
            match choice.first() {
                Some(0x30) => out.push_crl(choice),
                // other [1] IMPLICIT OtherRevocationInfoFormat { OID, ANY }.
                Some(0xa1) => {
                    let fields = body(choice).map(|b| elements(&b)).unwrap_or_default();
                    if let [(_, oid), (_, response), ..] = fields.as_slice()
                        && ObjectIdentifier::from_der(oid).is_ok_and(|o| o == ID_RI_OCSP_RESPONSE)
                    {
                        out.push_ocsp(response);
                    }
                }
                _ => out.unreadable += 1,
            }
        }
        for value in revocation_values {
            for (tag, field) in body(value).map(|b| elements(&b)).unwrap_or_default() {
                let items = explicit_sequence_of(&field);
                match tag {
                    0xa0 => items.iter().for_each(|(_, list)| out.push_crl(list)),
                    0xa1 => items.iter().for_each(|(_, r)| out.push_ocsp(r)),
                    _ => {}
                }
            }
        }
        if let Some(store) = store {
            out.origin = Origin::Store;
            let before = out.unreadable;
            store
                .crls
                .iter()
                .take(MAX_STORE_ITEMS)
                .for_each(|c| out.push_crl(c));
            store
                .ocsps
                .iter()
                .take(MAX_STORE_ITEMS)
                .for_each(|r| out.push_ocsp(r));
            out.unreadable += store.unreadable;
            out.unreadable_in_store = out.unreadable - before;
            out.store_certificates = store
                .certificates
                .iter()
                .take(MAX_STORE_ITEMS)
                .filter_map(|der| Certificate::from_der(der).ok())
                .collect();
        }
        out
    }

    /// Whether one more list (or response) may be kept, `read` being kept already: the CMS's up
    /// to [`MAX_LISTS`], then the store's up to [`MAX_STORE_ITEMS`] more.
    fn room(&self, read: usize) -> bool {
        let limit = match self.origin {
            Origin::Signature => MAX_LISTS,
            Origin::Store => MAX_LISTS + MAX_STORE_ITEMS,
        };
        read < limit
    }

    fn push_crl(&mut self, der: &[u8]) {
        if !self.room(self.crls.len()) {
            return;
        }
        match Crl::read(der) {
            Some(crl) => self.crls.push((crl, self.origin)),
            None => self.unreadable += 1,
        }
    }

    fn push_ocsp(&mut self, der: &[u8]) {
        if !self.room(self.ocsps.len()) {
            return;
        }
        match Ocsp::read(der) {
            Some(response) => self.ocsps.push((response, self.origin)),
            None => self.unreadable += 1,
        }
    }

    /// A certificate of the store named as `cert`'s issuer whose key signed it.
    fn store_issuer_of(&self, cert: &Certificate) -> Option<&Certificate> {
        self.store_certificates.iter().find(|candidate| {
            names::same_name(candidate.subject_name(), cert.issuer_name())
                && cert.is_signed_by(&candidate.key).is_ok()
        })
    }

    /// True when the file carries any revocation data at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.crls.is_empty() && self.ocsps.is_empty() && self.unreadable == 0
    }
}

/// The items of `[n] EXPLICIT SEQUENCE OF X` (X a SEQUENCE or an OCTET STRING); the IMPLICIT form
/// (items directly under `[n]`) is tolerated: a lone SEQUENCE whose children are all SEQUENCEs is
/// the SEQUENCE OF, since a CRL or an OCSP response has a BIT STRING or ENUMERATED child.
fn explicit_sequence_of(field: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let items = body(field).map(|b| elements(&b)).unwrap_or_default();
    let explicit = matches!(items.as_slice(), [(0x30, only)]
        if body(only).is_some_and(|b| elements(&b).iter().all(|(t, _)| *t == 0x30 || *t == 0x04)));
    if explicit {
        body(&items[0].1).map(|b| elements(&b)).unwrap_or_default()
    } else {
        items
    }
}

/// What the embedded data says about one certificate, with the source it rests on.
enum Status {
    RevokedBefore(String, Listed),
    RevokedSince(String, Listed),
    Good(String),
    Unknown,
}

/// Whether data issued at `this_update` (current until `next_update`) says something about `at`,
/// checked at `now` (see the module header).
fn fresh(
    this_update: Option<DateTime<Utc>>,
    next_update: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    this_update.is_some_and(|tu| {
        tu <= now + CLOCK_SKEW && (tu >= at || next_update.is_some_and(|next| next >= at))
    })
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
    if data.unreadable > data.unreadable_in_store {
        report.add(
            FindingCode::RevocationDataUnusable,
            format!(
                "{} revocation list(s) or OCSP response(s) in the file could not be read and were ignored.",
                data.unreadable - data.unreadable_in_store
            ),
        );
    }
    if data.unreadable_in_store > 0 {
        report.add(
            FindingCode::RevocationDataUnusable,
            format!(
                "{} revocation list(s) or OCSP response(s) of the PDF's document security store (DSS) could not be read and were ignored.",
                data.unreadable_in_store
            ),
        );
    }
    let checked = if complete {
        path.len().saturating_sub(1)
    } else {
        path.len()
    };
    let mut warnings: Vec<String> = Vec::new();
    let mut used: Vec<String> = Vec::new();
    let mut lacking: Option<&Certificate> = None;
    let mut revoked = false;
    for (i, cert) in path.iter().take(checked).enumerate() {
        let issuer = path.get(i + 1).copied();
        match status(data, cert, issuer, at, now, &mut warnings) {
            Status::RevokedBefore(source, entry) => {
                revoked = true;
                report.add(
                    FindingCode::CertificateRevoked,
                    format!(
                        "The certificate of {} (serial {}) was {} on {}, {} the signature was made ({}), according to {source}.",
                        cert.subject(),
                        cert.serial_hex(),
                        if entry.hold { "suspended" } else { "revoked" },
                        date(entry.date),
                        if entry.date == Some(at) { "when" } else { "before" },
                        date(Some(at)),
                    ),
                );
            }
            Status::RevokedSince(source, entry) => {
                report.add(
                    FindingCode::CertificateRevokedSince,
                    format!(
                        "The certificate of {} was {} on {}, after the signature was made ({}), according to {source}; the signature stands.",
                        cert.subject(),
                        if entry.hold { "suspended" } else { "revoked" },
                        date(entry.date),
                        date(Some(at)),
                    ),
                );
                used.push(source);
            }
            Status::Good(source) => used.push(source),
            Status::Unknown => {
                lacking.get_or_insert(cert);
            }
        }
    }
    for warning in warnings {
        report.add(FindingCode::RevocationDataUnusable, warning);
    }
    if revoked {
        return;
    }
    match (lacking, checked) {
        (None, 1..) => {
            used.dedup();
            report.add(
                FindingCode::RevocationChecked,
                format!(
                    "No certificate of the signer's path had been revoked when the signature was made, according to the revocation data in the file ({}).",
                    used.join("; ")
                ),
            );
        }
        (lacking, _) => {
            let who = lacking
                .map(|c| format!("the certificate of {}", c.subject()))
                .unwrap_or_else(|| "the signer's certificate".into());
            report.add(
                FindingCode::RevocationNotChecked,
                format!(
                    "The file carries revocation information, but none that shows whether {who} had been revoked when the signature was made: revocation was not checked."
                ),
            );
        }
    }
}

fn warn(warnings: &mut Vec<String>, message: String) {
    if !warnings.contains(&message) {
        warnings.push(message);
    }
}

fn status(
    data: &Embedded,
    cert: &Certificate,
    issuer: Option<&Certificate>,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    warnings: &mut Vec<String>,
) -> Status {
    // NOTE: the store's certificates stand in only for an issuer the path lacks, and only when
    // their key signed `cert`: a forged one proves nothing, since its key signed nothing here.
    let Some(issuer) = issuer.or_else(|| data.store_issuer_of(cert)) else {
        return Status::Unknown;
    };
    // Absence from data issued after the certificate expired proves nothing (module header).
    let after_expiry = |this_update: Option<DateTime<Utc>>| match (this_update, cert.not_after) {
        (Some(tu), Some(na)) => tu > na,
        _ => true,
    };
    let mut good = None;
    let mut since = None;
    for (crl, origin) in &data.crls {
        if !names::same_name(crl.issuer(), cert.issuer_name()) {
            continue;
        }
        let source = format!(
            "the revocation list of {} issued on {}{}",
            names::rfc4514(crl.issuer()),
            date(crl.this_update),
            origin.words()
        );
        if !crl.signed_by(issuer) {
            warn(
                warnings,
                format!(
                    "{source}{} is not signed by that authority's key; it was ignored.",
                    origin.place()
                ),
            );
            continue;
        }
        match crl.listed(cert) {
            Some(entry) if entry.unusable => {}
            Some(entry) if entry.date.is_none_or(|d| d <= at) => {
                return Status::RevokedBefore(source, entry);
            }
            Some(entry) => {
                since.get_or_insert((source, entry));
            }
            None => {
                let expired = after_expiry(crl.this_update) && !crl.keeps_expired(cert.not_after);
                if good.is_none()
                    && crl.covers(cert)
                    && fresh(crl.this_update, crl.next_update, at, now)
                    && !expired
                {
                    good = Some(source);
                }
            }
        }
    }
    for (response, origin) in &data.ocsps {
        let source = format!(
            "the OCSP response of {}{}",
            date(response.produced_at),
            origin.words()
        );
        if !response.signed_for(issuer, &data.store_certificates) {
            if response.names_issuer_of(cert) {
                warn(
                    warnings,
                    format!(
                        "{source}{} is not signed by {} or a responder it authorised; it was ignored.",
                        origin.place(),
                        cert.issuer()
                    ),
                );
            }
            continue;
        }
        let Some(single) = response.about(cert, issuer) else {
            continue;
        };
        match single.status {
            CertStatus::Revoked { at: when, hold } => {
                let entry = Listed {
                    date: when,
                    hold,
                    unusable: false,
                };
                if when.is_none_or(|d| d <= at) {
                    return Status::RevokedBefore(source, entry);
                }
                since.get_or_insert((source, entry));
            }
            CertStatus::Good => {
                if good.is_none()
                    && fresh(single.this_update, single.next_update, at, now)
                    && !after_expiry(single.this_update)
                {
                    good = Some(source);
                }
            }
            CertStatus::Unknown => {}
        }
    }
    match (since, good) {
        (Some((source, entry)), _) => Status::RevokedSince(source, entry),
        (None, Some(source)) => Status::Good(source),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_revocation_data_is_unreadable_never_a_panic() {
        let choices: [&[u8]; 5] = [
            b"",
            b"\x30\x00",
            b"\xa1\x03\x06\x01\x00",
            b"\xa1\x05\x06\x08\x2b\x06\x01",
            b"\x30\x84\xff\xff\xff\xff",
        ];
        let values = [
            b"\x30\x02\xa0\x00".to_vec(),
            b"\x30\x06\xa1\x04\x30\x02\x04\x00".to_vec(),
            b"\x30\x06\xa0\x04\x30\x02\x30\x00".to_vec(),
        ];
        let data = Embedded::read(&choices, &values, None);
        assert!(data.crls.is_empty() && data.ocsps.is_empty());
        assert!(
            !data.is_empty(),
            "unreadable data is still data, never silence"
        );
    }

    #[test]
    fn a_store_s_unreadable_data_is_counted_apart_and_its_certificates_are_no_data() {
        let store = SecurityStore {
            crls: vec![b"\x30\x00".to_vec()],
            ocsps: Vec::new(),
            certificates: vec![b"not a certificate".to_vec()],
            unreadable: 2,
        };
        let data = Embedded::read(&[], &[], Some(&store));
        assert_eq!((data.unreadable, data.unreadable_in_store), (3, 3));
        assert!(data.store_certificates.is_empty());
        let only_certificates = SecurityStore {
            certificates: vec![b"x".to_vec()],
            ..SecurityStore::default()
        };
        assert!(Embedded::read(&[], &[], Some(&only_certificates)).is_empty());
    }

    #[test]
    fn a_store_adds_to_the_signature_s_own_lists_up_to_its_own_limit() {
        let store = SecurityStore {
            crls: vec![b"\x30\x00".to_vec(); 1000],
            ..SecurityStore::default()
        };
        let data = Embedded::read(&[], &[], Some(&store));
        assert_eq!(data.unreadable, MAX_STORE_ITEMS);
    }

    #[test]
    fn no_more_lists_are_read_than_the_limit() {
        let mut data = Embedded::default();
        for _ in 0..100 {
            data.push_crl(b"\x30\x00");
        }
        assert_eq!(data.unreadable, 100);
        assert!(data.crls.len() <= MAX_LISTS);
    }
}
