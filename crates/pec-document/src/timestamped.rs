//! Timestamps as files: a `.tsr`/`.tst` (RFC 3161 TimeStampResp or bare token) and a `.tsd`
//! (RFC 5544 TimeStampedData: the document and its timestamps in one file).
//!
//! Issue 15 §1–§2. A bare token says when *some* digest existed; it proves something about a file
//! only when that file's digest is its imprint, so a token opened with its companion file (`X`
//! beside `X.tsr`) is checked against it, and one opened alone says "imprint not checked". In a
//! `.tsd`, the first timestamp covers the content (RFC 5544 §4.1); each later one renews the one
//! before it: its imprint is the digest of the previous `TimeStampAndCRL` as DER-encoded (as
//! BouncyCastle's `TimeStampDataUtil` checks too), so a token appended from anywhere else is
//! `timestamp-imprint-mismatch`, never a valid time for this file.

use pec_core::signature::{
    FindingCode, Imprint, SignatureFinding, normalise_ber, verify_timestamp_revocation,
};

use crate::cades;
use crate::entry;
use crate::format::{self, DocumentFormat, inside};
use crate::open::Checking;
use crate::report::{DocumentReport, SignatureRole};

/// A timestamp token or response at `level`, checked against the companion file at level 0.
pub(crate) fn open_token(
    report: &mut DocumentReport,
    bytes: &[u8],
    level: u32,
    checking: &Checking<'_>,
) {
    let stamped = checking.companion.filter(|_| level == 0);
    let ts =
        verify_timestamp_revocation(bytes, stamped, checking.anchors, checking.revocation(None));
    if ts.imprint == Imprint::NotChecked && stamped.is_none() && ts.time.is_some() {
        report.findings.push(SignatureFinding::new(
            FindingCode::TimestampedSignature,
            "This timestamp was opened without the file it is about, so it proves a time but not which file existed then.",
        ));
    }
    entry::push_timestamp(
        &mut report.signatures,
        ts,
        level,
        SignatureRole::Timestamp,
        checking.services,
    );
}

/// RFC 5544 TimeStampedData: `ContentInfo { id-ct-timestampedData, [0] { version, dataUri?,
/// metaData?, content?, temporalEvidence [0] { TimeStampAndCRL… } } }`.
pub(crate) fn open_tsd(
    report: &mut DocumentReport,
    bytes: &[u8],
    level: u32,
    checking: &Checking<'_>,
) {
    let normalised = normalise_ber(bytes).ok();
    let parsed = normalised
        .as_ref()
        .and_then(|n| parse_tsd(&n.der))
        .map(|(c, t)| (c.map(<[u8]>::to_vec), t));
    let Some((content, evidence)) = parsed else {
        report.findings.push(SignatureFinding::new(
            FindingCode::MalformedCms,
            "The timestamped file (tsd) is damaged and could not be read.",
        ));
        return;
    };
    let mut stamped_at = None;
    for (i, (_, token)) in evidence.iter().enumerate() {
        let stamped = match i.checked_sub(1) {
            None => content.as_deref(),
            Some(previous) => evidence.get(previous).map(|(item, _)| *item),
        };
        let ts = verify_timestamp_revocation(
            token,
            stamped,
            checking.anchors,
            checking.revocation(None),
        );
        if i == 0 && ts.is_usable() {
            stamped_at = ts.time;
        }
        entry::push_timestamp(
            &mut report.signatures,
            ts,
            level,
            SignatureRole::Timestamp,
            checking.services,
        );
    }
    let Some(content) = content else {
        report.findings.push(SignatureFinding::new(
            FindingCode::MalformedCms,
            "The timestamped file (tsd) does not contain its document (it only points to it).",
        ));
        return;
    };
    report.contents.push(content.clone());
    if format::recognise(&content) == Some(DocumentFormat::Cades) {
        cades::open_nested(report, &content, level + 1, checking, stamped_at);
    }
}

/// A TimeStampedData's content octets (absent when it only points to its document) and its
/// evidence: each `TimeStampAndCRL` and the token in it, as encoded.
type TsdParts<'a> = (Option<&'a [u8]>, Vec<(&'a [u8], &'a [u8])>);

/// The content octets and the evidence of a TimeStampedData (DER).
fn parse_tsd(der: &[u8]) -> Option<TsdParts<'_>> {
    let ci = inside(der, 0x30)?;
    let rest = ci.get(element_len(ci)?..)?; // after the content type (checked by `recognise`)
    let explicit = inside(rest, 0xa0)?;
    let mut tsd = inside(explicit, 0x30)?;
    let mut content = None;
    let mut evidence = None;
    while !tsd.is_empty() {
        let len = element_len(tsd)?;
        let (element, next) = tsd.split_at_checked(len)?;
        match element.first()? {
            0x04 => content = inside(element, 0x04),
            0xa0 => evidence = inside(element, 0xa0),
            _ => {}
        }
        tsd = next;
    }
    let mut tokens = Vec::new();
    let mut list = evidence?;
    while !list.is_empty() {
        let len = element_len(list)?;
        let (item, next) = list.split_at_checked(len)?;
        let body = inside(item, 0x30)?;
        tokens.push((item, body.get(..element_len(body)?)?));
        list = next;
    }
    Some((content, tokens))
}

/// The whole length (header and value) of the DER element at the start of `bytes`.
fn element_len(bytes: &[u8]) -> Option<usize> {
    let tag = *bytes.first()?;
    let value = inside(bytes, tag)?;
    let header = value.as_ptr() as usize - bytes.as_ptr() as usize;
    Some(header + value.len())
}
