//! RFC 3161 timestamps: a TSA's signed statement that a digest existed at a time.
//!
//! Issue 15 §2: a timestamp gives a signature (CAdES-T, RFC 5126 §6.1.1), a `.tsd` (RFC 5544) or a
//! detached `.tsr`/`.tst` a time the signer could not choose. The token is a CMS SignedData whose
//! content is a TSTInfo (RFC 3161 §2.4.2); it is checked like any CMS signer (`signer_check.rs`), with
//! RFC 3161's own rules: the signed content type is id-ct-TSTInfo, the TSA certificate's extended key
//! usage is timeStamping (§2.3), every certificate is judged at genTime, and the message imprint is
//! recomputed from the exact bytes the caller says were stamped. A TimeStampResp (§2.4.2, what a TSA
//! answers) is accepted too: its token is taken when the status granted one.
//!
//! Revocation ([`verify_timestamp_revocation`]): whether the authority's certificates had been revoked
//! at genTime, from the CRLs and OCSP responses the token carries and those its container keeps (a
//! PDF's document security store), by the same rules as a signature's (`revocation.rs`); with none
//! that covers them the report says plainly that it was not checked. [`verify_timestamp`] says nothing
//! about revocation (its callers judge the authority otherwise: the PEC and REM verdicts).
//!
//! Pure and total: a damaged token is a report with findings, never a panic.

use chrono::{DateTime, NaiveDateTime, Utc};
use const_oid::db::rfc5280::ID_KP_TIME_STAMPING;
use const_oid::db::rfc5911::{ID_CONTENT_TYPE, ID_MESSAGE_DIGEST};
use der::asn1::{ObjectIdentifier, OctetStringRef};
use der::{Decode, Header, Reader, SliceReader, Tag};
use serde::{Deserialize, Serialize};

use super::algorithms::DigestAlgorithm;
use super::anchors::TrustAnchors;
use super::ber;
use super::ess;
use super::findings::{FindingCode, SignatureFinding};
use super::report::{ChainLink, SignatureReport, SignatureStatus, SignerInfo};
use super::revocation;
use super::security_store::SecurityStore;
use super::signed_attrs;
use super::signed_data::{self, SignedData};
use super::signer_check;

/// id-ct-TSTInfo, 1.2.840.113549.1.9.16.1.4 (RFC 3161 §2.4.2).
pub const ID_CT_TST_INFO: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

crate::closed_set! {
    /// Whether a timestamp covers the bytes it was presented with.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Imprint {
        /// The token's message imprint equals the digest of the stamped bytes.
        Matches = "matches",
        /// It does not: the token is about other bytes.
        Differs = "differs",
        /// No stamped bytes were given (a bare token opened on its own).
        NotChecked = "not-checked",
    }
}

/// What a timestamp proves, and how far it can be trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimestampReport {
    pub status: SignatureStatus,
    /// genTime: when the TSA says the imprint existed.
    pub time: Option<DateTime<Utc>>,
    /// The TSA's certificate.
    pub tsa: Option<SignerInfo>,
    /// The digest of the imprint.
    pub digest_algorithm: Option<DigestAlgorithm>,
    pub imprint: Imprint,
    /// The TSA policy under which the token was issued (dotted OID).
    pub policy: Option<String>,
    /// The token's serial number, lowercase hex.
    pub serial: Option<String>,
    #[serde(default)]
    pub chain: Vec<ChainLink>,
    #[serde(default)]
    pub findings: Vec<SignatureFinding>,
    /// The TSA's certification path as encoded, unit first (for the qualified-service check against
    /// a Trusted List, which names TSA/QTST certificates).
    #[serde(skip)]
    pub path: Vec<Vec<u8>>,
}

impl TimestampReport {
    /// True when the token is good and covers the stamped bytes: its time can be relied on.
    pub fn is_usable(&self) -> bool {
        self.status == SignatureStatus::Valid && self.imprint == Imprint::Matches
    }
}

/// The TSTInfo fields a verifier needs (RFC 3161 §2.4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TstInfo {
    /// Dotted; read by hand, since TSAs use two-arc policies (`1.2`) that `const-oid` refuses.
    pub policy: String,
    pub digest: Option<DigestAlgorithm>,
    pub digest_oid: ObjectIdentifier,
    pub imprint: Vec<u8>,
    pub serial: Vec<u8>,
    pub time: DateTime<Utc>,
}

/// Verifies a TimeStampToken (or a TimeStampResp holding one), DER or BER, over `stamped` (the exact
/// bytes the imprint is a digest of; `None` for a token opened on its own). Certificates are judged at
/// the token's genTime.
pub fn verify_timestamp(
    token: &[u8],
    stamped: Option<&[u8]>,
    anchors: &TrustAnchors,
) -> TimestampReport {
    verify(token, stamped, anchors, None)
}

/// Where a timestamp's revocation data is read besides the token itself, and when it is checked.
#[derive(Debug, Clone, Copy)]
pub struct TimestampRevocation<'a> {
    /// The time of checking (a list issued after it proves nothing).
    pub now: DateTime<Utc>,
    /// The container's revocation data (a PDF's document security store), if any.
    pub store: Option<&'a SecurityStore>,
}

/// [`verify_timestamp`], and whether the authority's certificates had been revoked at genTime (see
/// the module header): `revocation-checked`, `certificate-revoked`, or plainly
/// `revocation-not-checked`.
pub fn verify_timestamp_revocation(
    token: &[u8],
    stamped: Option<&[u8]>,
    anchors: &TrustAnchors,
    revocation: TimestampRevocation<'_>,
) -> TimestampReport {
    verify(token, stamped, anchors, Some(revocation))
}

fn verify(
    token: &[u8],
    stamped: Option<&[u8]>,
    anchors: &TrustAnchors,
    revocation: Option<TimestampRevocation<'_>>,
) -> TimestampReport {
    let mut report = SignatureReport::new();
    let mut out = TimestampReport {
        status: SignatureStatus::Indeterminate,
        time: None,
        tsa: None,
        digest_algorithm: None,
        imprint: Imprint::NotChecked,
        policy: None,
        serial: None,
        chain: Vec::new(),
        findings: Vec::new(),
        path: Vec::new(),
    };
    check(&mut report, &mut out, token, stamped, anchors, revocation);
    let report = report.finish();
    out.status = report.status;
    out.tsa = report.signer;
    out.chain = report.chain;
    out.findings = report.findings;
    out
}

fn check(
    report: &mut SignatureReport,
    out: &mut TimestampReport,
    token: &[u8],
    stamped: Option<&[u8]>,
    anchors: &TrustAnchors,
    revocation: Option<TimestampRevocation<'_>>,
) {
    let malformed = |report: &mut SignatureReport, why: &dyn std::fmt::Display| {
        report.add(
            FindingCode::MalformedCms,
            format!("The timestamp is damaged or not a timestamp ({why})."),
        );
    };
    let normalised = match ber::normalise(token) {
        Ok(n) => n,
        Err(e) => return malformed(report, &e),
    };
    let der = match token_of_response(&normalised.der) {
        Ok(Some(inner)) => inner,
        Ok(None) => &normalised.der[..],
        Err(why) => return malformed(report, &why),
    };
    let content_info = match signed_data::content_info(der) {
        Ok(ci) => ci,
        Err(e) => return malformed(report, &e),
    };
    let sd = match SignedData::read(&content_info) {
        Ok(sd) => sd,
        Err(e) => return malformed(report, &e),
    };
    let (Some(tst_der), true) = (sd.content, sd.content_type == ID_CT_TST_INFO) else {
        return malformed(report, &"it holds no TSTInfo");
    };
    let info = match read_tst_info(tst_der) {
        Ok(info) => info,
        Err(e) => return malformed(report, &e),
    };
    out.time = Some(info.time);
    out.policy = Some(info.policy.clone());
    out.serial = Some(super::certificate::hex(&info.serial));
    out.digest_algorithm = info.digest;
    report.signed_at = Some(info.time);
    if let Some(bytes) = stamped {
        out.imprint = match info.digest {
            Some(d) if d.digest_parts(&[bytes]) == info.imprint => Imprint::Matches,
            Some(_) => {
                report.add(
                    FindingCode::TimestampImprintMismatch,
                    "The timestamp is not about this data: the data was changed after it was timestamped, or the timestamp belongs to something else.",
                );
                Imprint::Differs
            }
            None => {
                report.add(
                    FindingCode::UnsupportedAlgorithm,
                    format!(
                        "The timestamp uses a digest algorithm this program does not know ({}).",
                        info.digest_oid
                    ),
                );
                Imprint::NotChecked
            }
        };
    }

    let Some(signer) = sd.signers.first() else {
        return malformed(report, &"no signer");
    };
    let Some(digest) = signer_check::digest_algorithm(report, signer) else {
        return;
    };
    let (Some(attrs), Some(raw)) = (&signer.info.signed_attrs, signer.signed_attrs) else {
        return malformed(report, &"no signed attributes");
    };
    match signed_attrs::single_value(attrs, ID_CONTENT_TYPE) {
        Ok(Some(ct)) if ct.decode_as::<ObjectIdentifier>() == Ok(ID_CT_TST_INFO) => {}
        _ => return malformed(report, &"the signed content type is not a TSTInfo"),
    }
    match signed_attrs::single_value(attrs, ID_MESSAGE_DIGEST) {
        Ok(Some(d)) => match d.decode_as::<OctetStringRef<'_>>() {
            Ok(d) if d.as_bytes() == digest.digest_parts(&[tst_der]) => {}
            Ok(_) => report.add(
                FindingCode::ContentDigestMismatch,
                "The timestamp's content was changed after the authority signed it.",
            ),
            Err(_) => return malformed(report, &"the signed digest is unreadable"),
        },
        _ => return malformed(report, &"the signed digest is missing"),
    }
    let embedded = signer_check::embedded(anchors, &sd.certificates);
    let Some(cert) = signer_check::signer_certificate(report, &embedded, signer) else {
        return;
    };
    let hashed = digest.digest_parts(&signed_attrs::as_transmitted(raw));
    if !signer_check::signature_value(report, cert, signer, digest, &hashed) {
        return;
    }
    ess::check_binding(report, attrs, cert);
    let (certs, _) = signer_check::chain(report, cert, &embedded, anchors, Some(info.time));
    out.path = certs.iter().map(|c| c.der().to_vec()).collect();
    let time_stamping = cert
        .ext
        .extended_key_usage
        .as_ref()
        .is_some_and(|purposes| purposes.contains(&ID_KP_TIME_STAMPING));
    if !time_stamping {
        report.add(
            FindingCode::MissingTimeStampingEku,
            "The timestamp authority's certificate is not meant for timestamping.",
        );
    }
    if let Some(asked) = revocation {
        let data = revocation::Embedded::read(&sd.crls, &[], asked.store);
        let complete = report.chain.last().is_some_and(|link| link.is_anchor);
        revocation::check(report, &data, &certs, complete, info.time, asked.now);
    }
}

/// The token inside a TimeStampResp (`SEQUENCE { PKIStatusInfo, token? }`); `None` when `der` is
/// not a response (then it is a token itself, a ContentInfo starting with an OID).
fn token_of_response(der: &[u8]) -> Result<Option<&[u8]>, &'static str> {
    let body = |bytes| -> der::Result<(Tag, &[u8])> {
        let mut r = SliceReader::new(bytes)?;
        let header = Header::decode(&mut r)?;
        Ok((header.tag, r.read_slice(header.length)?))
    };
    let Ok((Tag::Sequence, seq)) = body(der) else {
        return Err("not a sequence");
    };
    let Ok(mut r) = SliceReader::new(seq) else {
        return Err("too large");
    };
    match r.peek_tag() {
        Ok(Tag::ObjectIdentifier) => Ok(None),
        Ok(Tag::Sequence) => {
            let status = r.tlv_bytes().map_err(|_| "unreadable status")?;
            let granted = body(status)
                .ok()
                .and_then(|(_, s)| SliceReader::new(s).ok()?.decode::<u8>().ok())
                .is_some_and(|code| code <= 1);
            if !granted {
                return Err("the authority refused to issue it");
            }
            r.tlv_bytes()
                .map(Some)
                .map_err(|_| "the response holds no token")
        }
        _ => Err("neither a timestamp token nor a timestamp response"),
    }
}

/// Reads a TSTInfo (DER). genTime is read by hand: RFC 3161 allows fractional seconds, which
/// `der`'s GeneralizedTime refuses.
pub fn read_tst_info(der: &[u8]) -> Result<TstInfo, &'static str> {
    let fail = |_| "unreadable tstinfo";
    let mut outer = SliceReader::new(der).map_err(fail)?;
    let header = Header::decode(&mut outer).map_err(fail)?;
    let mut r = SliceReader::new(outer.read_slice(header.length).map_err(fail)?).map_err(fail)?;
    r.tlv_bytes().map_err(fail)?; // version
    let policy = {
        let h = Header::decode(&mut r).map_err(fail)?;
        if h.tag != Tag::ObjectIdentifier {
            return Err("tstinfo policy is not an object identifier");
        }
        dotted(r.read_slice(h.length).map_err(fail)?).ok_or("unreadable tstinfo policy")?
    };
    let imprint: spki::AlgorithmIdentifierOwned;
    let hashed: Vec<u8>;
    {
        let h = Header::decode(&mut r).map_err(fail)?;
        let mut m = SliceReader::new(r.read_slice(h.length).map_err(fail)?).map_err(fail)?;
        imprint = m.decode().map_err(fail)?;
        hashed = m
            .decode::<OctetStringRef<'_>>()
            .map_err(fail)?
            .as_bytes()
            .to_vec();
    }
    let serial = {
        let h = Header::decode(&mut r).map_err(fail)?;
        if h.tag != Tag::Integer {
            return Err("tstinfo serial is not an integer");
        }
        r.read_slice(h.length).map_err(fail)?.to_vec()
    };
    let time = {
        let h = Header::decode(&mut r).map_err(fail)?;
        if h.tag != Tag::GeneralizedTime {
            return Err("tstinfo time is not a generalized time");
        }
        generalized_time(r.read_slice(h.length).map_err(fail)?).ok_or("unreadable tstinfo time")?
    };
    Ok(TstInfo {
        policy,
        digest: DigestAlgorithm::from_oid(&imprint.oid),
        digest_oid: imprint.oid,
        imprint: hashed,
        serial,
        time,
    })
}

/// An OBJECT IDENTIFIER's content octets in dotted form (X.690 §8.19), any number of arcs.
fn dotted(octets: &[u8]) -> Option<String> {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for (i, &b) in octets.iter().enumerate() {
        value = value.checked_mul(128)?.checked_add(u64::from(b & 0x7f))?;
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        } else if i + 1 == octets.len() {
            return None; // a continued last arc
        }
    }
    if arcs.is_empty() {
        return None;
    }
    Some(
        arcs.iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// `YYYYMMDDHHMMSS[.f*]Z` (RFC 3161 §2.4.2: UTC, optional fraction without trailing zeros).
fn generalized_time(text: &[u8]) -> Option<DateTime<Utc>> {
    let text = std::str::from_utf8(text).ok()?.strip_suffix('Z')?;
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (w, Some(f)),
        Some(_) => return None,
        None => (text, None),
    };
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let naive = NaiveDateTime::parse_from_str(whole, "%Y%m%d%H%M%S").ok()?;
    let nanos = fraction.map_or(Some(0), |f| {
        let digits: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
        digits.parse::<i64>().ok()
    })?;
    naive
        .and_utc()
        .checked_add_signed(chrono::Duration::nanoseconds(nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_of_any_arc_count_are_read_in_dotted_form() {
        assert_eq!(dotted(&[0x2a]).as_deref(), Some("1.2")); // Tecnes Milano's TSA
        assert_eq!(
            dotted(&[0x04, 0x00, 0x8f, 0x67, 0x01]).as_deref(),
            Some("0.4.0.2023.1")
        );
        assert_eq!(dotted(&[0x2a, 0x86]), None, "a last arc that goes on");
        assert_eq!(dotted(&[]), None);
    }

    #[test]
    fn generalized_times_with_fractions_are_read() {
        let t = generalized_time(b"20180523131829.123Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2018-05-23T13:18:29.123+00:00");
        assert_eq!(
            generalized_time(b"20180523131829Z").unwrap().to_rfc3339(),
            "2018-05-23T13:18:29+00:00"
        );
        for bad in [
            &b"20180523131829"[..],
            b"2018052313182Z",
            b"20180523131829.Z",
            b"2018x523131829Z",
        ] {
            assert!(generalized_time(bad).is_none());
        }
    }

    #[test]
    fn garbage_is_an_indeterminate_report_not_a_panic() {
        let anchors = TrustAnchors::empty();
        for bytes in [
            &b""[..],
            b"\x30\x80",
            b"\x30\x03\x02\x01\x02",
            b"not a token",
        ] {
            let r = verify_timestamp(bytes, Some(b"x"), &anchors);
            assert_eq!(r.status, SignatureStatus::Indeterminate);
            assert_eq!(r.imprint, Imprint::NotChecked);
        }
    }
}
