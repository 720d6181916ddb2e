//! PAdES and the older PDF signatures: each signature dictionary's `/ByteRange` and `/Contents`.
//!
//! Issue 15 §1–§2; ISO 32000-1 §12.8.1, ETSI EN 319 142-1. A PDF signature signs the whole file
//! except its own `/Contents` hex string: `/ByteRange [0 b c d]` names the two signed pieces, and the
//! gap between them must be exactly that string. Thinking like a forger: ranges that overlap, leave
//! the file, or whose gap is not the signature value would let a file show bytes nobody signed, so
//! they make the signature invalid (`byte-range-invalid`) before any cryptography. A signature that
//! does not reach the end of the file was followed by later revisions (more signatures, or edits):
//! reported (`later-revisions`), since it covers an earlier version only.
//!
//! SubFilters: `adbe.pkcs7.detached` and `ETSI.CAdES.detached` (CMS over the ranges),
//! `adbe.pkcs7.sha1` (CMS over the SHA-1 of the ranges), `ETSI.RFC3161` (a document timestamp),
//! `adbe.x509.rsa_sha1` (a bare PKCS#1 value: reported as not checkable). The signer's time when the
//! CMS has none is the dictionary's `/M`, which the signature covers. The PDF is never rendered;
//! signature dictionaries are found as plain objects (they are in every real file).
//!
//! Revocation (issue 15 §2, PAdES-LT/LTA): besides what each CMS carries, the document security
//! store of the newest catalog (`pdf::security_store`: cross-reference tables or streams, object
//! streams and Flate streams decoded within bounds) is read once and handed to every CMS
//! signature's revocation check (`DocumentContext::store`). It is unsigned (added after signing),
//! so it only counts where pec-core's rules accept its data: signed by the issuer, fresh.

use chrono::{DateTime, NaiveDateTime, Utc};
use memchr::memmem;
use pec_core::signature::{
    DigestAlgorithm, DocumentContext, FindingCode, SecurityStore, SignatureFinding,
    SignatureStatus, verify_cms_document, verify_timestamp_revocation,
};

use crate::entry;
use crate::open::Checking;
use crate::report::{DocumentReport, SignatureEntry, SignatureRole};

/// Signatures read from one PDF at most (a real file has a handful).
const MAX_SIGNATURES: usize = 64;

/// One `/ByteRange` found in the file.
struct Range {
    /// Where `/ByteRange` is written.
    at: usize,
    numbers: Vec<u64>,
}

pub(crate) fn open(report: &mut DocumentReport, bytes: &[u8], checking: &Checking<'_>) {
    let ranges: Vec<Range> = memmem::find_iter(bytes, b"/ByteRange")
        .take(MAX_SIGNATURES + 1)
        .map(|at| Range {
            at,
            numbers: numbers_after(bytes, at + b"/ByteRange".len()),
        })
        .collect();
    if ranges.len() > MAX_SIGNATURES {
        report.findings.push(SignatureFinding::new(
            FindingCode::MalformedCms,
            format!("The PDF has more than {MAX_SIGNATURES} signatures; only the first ones were checked."),
        ));
    }
    let store = if ranges.is_empty() {
        None
    } else {
        crate::pdf::security_store(bytes)
    };
    for range in ranges.iter().take(MAX_SIGNATURES) {
        signature(report, bytes, range, checking, store.as_ref());
    }
}

fn signature(
    report: &mut DocumentReport,
    bytes: &[u8],
    range: &Range,
    checking: &Checking<'_>,
    store: Option<&SecurityStore>,
) {
    let len = bytes.len() as u64;
    let [a, b, c, d] = range.numbers[..] else {
        return invalid_entry(
            report,
            "The signature's byte ranges are not two ranges of the file.",
        );
    };
    let fits = a == 0 && b > 0 && c > b && c.checked_add(d).is_some_and(|end| end <= len);
    if !fits {
        return invalid_entry(
            report,
            "The signature's byte ranges overlap or reach outside the file: they do not describe what was signed.",
        );
    }
    let (b, c, d) = (b as usize, c as usize, d as usize);
    let gap = &bytes[b..c];
    let Some(value) = hex_string(gap) else {
        return invalid_entry(
            report,
            "The gap the signature leaves unsigned is not its own signature value: the file was rewritten after signing, or built to show other content.",
        );
    };
    let signed: Vec<u8> = [&bytes[..b], &bytes[c..c + d]].concat();
    let object = object_around(bytes, range.at.min(b), range.at.max(c));
    let outside_gap = |from: usize, to: usize| -> Vec<u8> {
        let (from, to) = (from.min(bytes.len()), to.min(bytes.len()));
        let mut v = bytes[from..to.max(from)].to_vec();
        if from <= b && c <= to {
            v.drain(b - from..c - from);
        }
        v
    };
    let dictionary = outside_gap(object.0, object.1);
    let sub_filter = name_after(&dictionary, b"/SubFilter").unwrap_or_default();
    let claimed = date_after(&dictionary, b"/M");
    let covers_to_end = bytes[c + d..].iter().all(u8::is_ascii_whitespace);
    let first = report.signatures.len();

    match sub_filter.as_str() {
        "ETSI.RFC3161" => {
            let ts = verify_timestamp_revocation(
                &value,
                Some(&signed),
                checking.anchors,
                checking.revocation(store),
            );
            entry::push_timestamp(
                &mut report.signatures,
                ts,
                0,
                SignatureRole::Timestamp,
                checking.services,
            );
        }
        "adbe.x509.rsa_sha1" => {
            let mut e = blank_entry();
            e.add(
                FindingCode::UnsupportedAlgorithm,
                "This is an old kind of PDF signature (adbe.x509.rsa_sha1, a bare RSA value) that this program cannot check.",
            );
            report.signatures.push(e);
        }
        _ => {
            let sha1_filter = sub_filter == "adbe.pkcs7.sha1";
            let doc = verify_cms_document(
                &value,
                checking.anchors,
                DocumentContext {
                    detached: Some(&signed),
                    claimed_time: claimed,
                    stamped_at: None,
                    now: checking.now,
                    store,
                },
            );
            if !doc.findings.is_empty() {
                let mut e = blank_entry();
                for f in doc.findings {
                    e.add(f.code, f.message);
                }
                report.signatures.push(e);
            }
            let embedded = doc.content.clone();
            for s in doc.signatures {
                entry::push_signature(
                    &mut report.signatures,
                    s,
                    0,
                    SignatureRole::Signature,
                    checking.services,
                );
            }
            // The CMS verifies over what it carries when it carries something (pec-core prefers
            // it to the ranges): that must be the ranges' SHA-1 (adbe.pkcs7.sha1) or the ranges
            // themselves, else anyone's signed p7m pasted into /Contents would "sign" the PDF.
            let problem = match embedded.as_deref() {
                None if !sha1_filter => None,
                Some(carried) if sha1_filter => (carried
                    != &DigestAlgorithm::Sha1.digest_parts(&[&signed])[..])
                    .then_some("The PDF was changed after it was signed: the signed digest is not the digest of the signed ranges."),
                Some(carried) if carried == signed.as_slice() => None,
                _ => Some("This signature signs content carried inside it, not this PDF's bytes: it proves nothing about the PDF."),
            };
            if let Some(why) = problem {
                for e in report.signatures[first..]
                    .iter_mut()
                    .filter(|e| e.role == SignatureRole::Signature)
                {
                    e.add(FindingCode::ContentDigestMismatch, why);
                }
            }
        }
    }
    if !covers_to_end && let Some(e) = report.signatures.get_mut(first) {
        e.add(
            FindingCode::LaterRevisions,
            "The PDF was extended after this signature (by later signatures or edits); this signature covers the earlier version of the file.",
        );
    }
}

fn blank_entry() -> SignatureEntry {
    SignatureEntry {
        level: 0,
        role: SignatureRole::Signature,
        status: SignatureStatus::Indeterminate,
        signer: None,
        signed_at: None,
        timestamp_at: None,
        time_basis: pec_core::signature::TimeBasis::None,
        judged_at: None,
        qualified: crate::Qualified::Unknown,
        digest_algorithm: None,
        chain: Vec::new(),
        findings: Vec::new(),
        path: Vec::new(),
    }
}

fn invalid_entry(report: &mut DocumentReport, why: &str) {
    let mut e = blank_entry();
    e.add(FindingCode::ByteRangeInvalid, why);
    report.signatures.push(e);
}

/// Up to five unsigned integers after `[` (more than four is itself a reason to refuse).
fn numbers_after(bytes: &[u8], from: usize) -> Vec<u64> {
    let window = bytes
        .get(from..(from + 128).min(bytes.len()))
        .unwrap_or_default();
    let Some(open) = window.iter().position(|&c| c == b'[') else {
        return Vec::new();
    };
    let Some(close) = window[open..].iter().position(|&c| c == b']') else {
        return Vec::new();
    };
    std::str::from_utf8(&window[open + 1..open + close])
        .unwrap_or_default()
        .split_ascii_whitespace()
        .take(5)
        .map(|n| n.parse::<u64>().unwrap_or(u64::MAX))
        .collect()
}

/// The bytes of `<hex>` (whitespace allowed inside), or `None` when `gap` is not exactly one.
fn hex_string(gap: &[u8]) -> Option<Vec<u8>> {
    let inner = gap.strip_prefix(b"<")?.strip_suffix(b">")?;
    let digits: Vec<u8> = inner
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    if !digits.len().is_multiple_of(2) || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let value = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
    Some(
        digits
            .chunks(2)
            .map(|p| value(p[0]) << 4 | value(p[1]))
            .collect(),
    )
}

/// The span of the indirect object holding `[from, to)`: from the `obj` before it to the `endobj`
/// after it (bounded, so a file without them costs little).
fn object_around(bytes: &[u8], from: usize, to: usize) -> (usize, usize) {
    const REACH: usize = 64 * 1024;
    let start_floor = from.saturating_sub(REACH);
    let start =
        memmem::rfind(&bytes[start_floor..from], b"obj").map_or(start_floor, |i| start_floor + i);
    let end_ceiling = (to + REACH).min(bytes.len());
    let end = memmem::find(&bytes[to..end_ceiling], b"endobj").map_or(end_ceiling, |i| to + i);
    (start, end)
}

/// The PDF name after `key` (`/SubFilter /adbe.pkcs7.detached` → `adbe.pkcs7.detached`).
fn name_after(dict: &[u8], key: &[u8]) -> Option<String> {
    let at = memmem::find(dict, key)? + key.len();
    let rest = &dict[at..];
    let start = rest.iter().position(|&c| c == b'/')? + 1;
    let name: Vec<u8> = rest[start..]
        .iter()
        .copied()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
        .collect();
    (!name.is_empty()).then(|| String::from_utf8_lossy(&name).into_owned())
}

/// A PDF date after `key` (`/M (D:20150324120002+01'00')`), in UTC.
fn date_after(dict: &[u8], key: &[u8]) -> Option<DateTime<Utc>> {
    let mut at = 0;
    while let Some(i) = memmem::find(&dict[at..], key) {
        let rest = &dict[at + i + key.len()..];
        at += i + key.len();
        let trimmed = rest
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .map(|p| &rest[p..])?;
        if let Some(text) = trimmed.strip_prefix(b"(D:") {
            let end = text.iter().position(|&c| c == b')')?;
            return pdf_date(std::str::from_utf8(&text[..end]).ok()?);
        }
    }
    None
}

/// `YYYYMMDDHHmmSS` then `Z`, or `+HH'mm'` / `-HH'mm'` (ISO 32000-1 §7.9.4); missing parts default.
fn pdf_date(text: &str) -> Option<DateTime<Utc>> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        return None;
    }
    let padded = format!("{digits:0<14}");
    let naive = NaiveDateTime::parse_from_str(padded.get(..14)?, "%Y%m%d%H%M%S").ok()?;
    let zone = &text[digits.len()..];
    let offset_minutes = match zone.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let nums: Vec<i64> = zone[1..]
                .split('\'')
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse().ok())
                .collect();
            let (hours, minutes) = (
                nums.first().copied().unwrap_or(0),
                nums.get(1).copied().unwrap_or(0),
            );
            // An offset no clock has (`+999999999'59'`) is no time at all, not an overflow.
            if !(0..24).contains(&hours) || !(0..60).contains(&minutes) {
                return None;
            }
            let minutes = hours * 60 + minutes;
            if sign == '-' { -minutes } else { minutes }
        }
        _ => 0,
    };
    naive
        .and_utc()
        .checked_sub_signed(chrono::Duration::minutes(offset_minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_are_read_in_utc() {
        assert_eq!(
            pdf_date("20150324120002+01'00'").unwrap().to_rfc3339(),
            "2015-03-24T11:00:02+00:00"
        );
        assert_eq!(
            pdf_date("20150324120002Z").unwrap().to_rfc3339(),
            "2015-03-24T12:00:02+00:00"
        );
        assert!(pdf_date("2015").is_none());
        assert!(pdf_date("20150324120002+999999999999999999'59'").is_none());
        assert!(pdf_date("20150324120002-24'00'").is_none());
    }

    #[test]
    fn a_gap_must_be_exactly_one_hex_string() {
        assert_eq!(hex_string(b"<30 0a>").unwrap(), vec![0x30, 0x0a]);
        assert!(hex_string(b"<30 0a> ").is_none());
        assert!(hex_string(b"<3g>").is_none());
        assert!(hex_string(b"(text)").is_none());
    }

    #[test]
    fn byte_ranges_are_read_as_written() {
        let pdf = b"/ByteRange [0 10 20 5] /Contents";
        assert_eq!(numbers_after(pdf, 10), vec![0, 10, 20, 5]);
        assert_eq!(numbers_after(b"/ByteRange [0 -1 2 3]", 10)[1], u64::MAX);
    }
}
