//! The real signed files of the shared set cut short at ~20 points and with single bytes flipped:
//! refused with a reason, or — when only unsigned bytes went — proving exactly what they proved.

use std::collections::BTreeSet;
use std::path::Path;

use pec_core::signature::{FindingCode, SignatureStatus};
use pec_document::{DocumentFormat, DocumentReport, armor};
use pec_testkit::Rng;

use super::super::support::{byte_ranges, companion, is_signed_kind, manifest, signed_dir};
use super::{codes, has, open_bytes, refused};

/// A real signed file of the shared set, its companion's bytes and its report.
struct Real {
    file: String,
    bytes: Vec<u8>,
    companion: Option<Vec<u8>>,
    report: DocumentReport,
}

fn real_files(dir: &Path) -> Vec<Real> {
    manifest(dir)
        .into_values()
        .filter(|r| is_signed_kind(&r.kind))
        .map(|row| {
            let bytes = std::fs::read(dir.join(&row.file)).unwrap();
            let companion = companion(dir, &row).map(|c| std::fs::read(dir.join(c)).unwrap());
            let report = open_bytes(dir, &row.file, &bytes, companion.as_deref());
            Real {
                file: row.file,
                bytes,
                companion,
                report,
            }
        })
        .collect()
}

/// About twenty places in `len` bytes: the edges, the middle and evenly between.
fn places(len: usize) -> BTreeSet<usize> {
    let mut at: BTreeSet<usize> = [
        0,
        1,
        2,
        len / 2,
        len.saturating_sub(2),
        len.saturating_sub(1),
    ]
    .into_iter()
    .collect();
    at.extend((1..15).map(|i| len * i / 15));
    at.retain(|&p| p < len);
    at
}

/// Bytes after a signed object that no signature covers: whitespace, zero padding, or the end of a
/// PEM armour line (`-----END PKCS7-----`).
fn unsigned_framing(file: &[u8], tail: &[u8]) -> bool {
    let tail = tail.trim_ascii_end();
    let armour_end = file
        .windows(8)
        .rposition(|w| w == b"-----END")
        .map(|at| file[at..].trim_ascii_end());
    tail.iter().all(|&b| b == 0) || armour_end.is_some_and(|line| line.ends_with(tail))
}

/// Where the first signature of a PDF's ranges end: a cut after it leaves that signed revision.
fn first_revision_end(pdf: &[u8]) -> Option<usize> {
    match byte_ranges(pdf).first()?[..] {
        [0, _, c, d] => c.checked_add(d),
        _ => None,
    }
}

#[test]
fn every_real_signed_file_cut_short_is_refused_with_a_reason() {
    let Some(dir) = signed_dir() else { return };
    let mut failures = Vec::new();
    let (mut cuts, mut framing, mut revisions) = (0, 0, 0);
    for real in real_files(&dir) {
        for cut in places(real.bytes.len()) {
            cuts += 1;
            let tail = &real.bytes[cut..];
            let report = open_bytes(
                &dir,
                &real.file,
                &real.bytes[..cut],
                real.companion.as_deref(),
            );
            // A PDF cut before its first signature dictionary is an unsigned PDF, and says so.
            let unsigned_pdf = report.format == Some(DocumentFormat::Pades)
                && report.signatures.is_empty()
                && report.status == SignatureStatus::Unsigned;
            if refused(&report) || unsigned_pdf {
                continue;
            }
            // What was cut was never signed: the verdict and what it proves stay.
            if unsigned_framing(&real.bytes, tail) && proven(&report) == proven(&real.report) {
                framing += 1;
                continue;
            }
            // A PDF cut after a complete signed revision is that revision: its signatures hold,
            // the later ones are gone, and the report says the file went on after them.
            let earlier_revision = report.format == Some(DocumentFormat::Pades)
                && first_revision_end(&real.bytes).is_some_and(|end| cut >= end)
                && report.signatures.len() < real.report.signatures.len();
            if earlier_revision {
                revisions += 1;
                continue;
            }
            failures.push(format!(
                "{} cut at {cut} of {}: {:?} with {:?}",
                real.file,
                real.bytes.len(),
                report.status,
                codes(&report)
            ));
        }
    }
    println!(
        "{cuts} cuts of the real files opened: {framing} removed only unsigned framing, {revisions} \
         left an earlier signed PDF revision, the rest were refused"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What a report proves when it says the signatures hold: the contents, the times and the signers.
fn proven(report: &DocumentReport) -> (Vec<Vec<u8>>, Vec<String>, Vec<String>) {
    let times = report
        .signatures
        .iter()
        .filter_map(|s| s.signed_at.map(|t| t.to_rfc3339()))
        .collect();
    let signers = report
        .signatures
        .iter()
        .filter_map(|s| s.signer.as_ref()?.common_name.clone())
        .collect();
    (report.contents.clone(), times, signers)
}

#[test]
fn a_flipped_byte_never_changes_what_a_good_verdict_proves() {
    let Some(dir) = signed_dir() else { return };
    let mut failures = Vec::new();
    let mut flips = 0;
    for real in real_files(&dir) {
        let ranges = byte_ranges(&real.bytes);
        let mut rng = Rng::new(real.bytes.len() as u64);
        let mut at = places(real.bytes.len());
        at.extend((0..6).map(|_| rng.below(real.bytes.len() as u64) as usize));
        for position in at {
            flips += 1;
            let mut bytes = real.bytes.clone();
            bytes[position] ^= 0x01;
            let report = open_bytes(&dir, &real.file, &bytes, real.companion.as_deref());
            let case = format!("{} flipped at {position}", real.file);
            let holds = matches!(
                report.status,
                SignatureStatus::Valid | SignatureStatus::Untrusted
            );
            // A damaged file a flip repairs (`fephp_invalid` is a good file with its last byte
            // changed) proves what it proves; only a good verdict is held to the original.
            let was_good = matches!(
                real.report.status,
                SignatureStatus::Valid | SignatureStatus::Untrusted
            );
            let (contents, times, signers) = proven(&report);
            let (was_contents, was_times, was_signers) = proven(&real.report);
            if !was_good {
                continue;
            }
            if holds && (contents != was_contents || times != was_times) {
                failures.push(format!(
                    "{case}: {:?}, yet its content or times changed",
                    report.status
                ));
            }
            if report.status == SignatureStatus::Valid && signers != was_signers {
                failures.push(format!("{case}: valid, yet signed by {signers:?}"));
            }
            // In a PDF, a byte inside any signature's ranges is signed.
            let signed_in_pdf = real.report.format == Some(DocumentFormat::Pades)
                && ranges.iter().any(|r| match r[..] {
                    [a, b, c, d] => {
                        (a..a.saturating_add(b)).contains(&position)
                            || (c..c.saturating_add(d)).contains(&position)
                    }
                    _ => false,
                });
            // Unless the flip hid a later signature's dictionary: the earlier ones then cover
            // earlier revisions, and say that the file went on after them.
            let hid_a_signature = report.signatures.len() < real.report.signatures.len()
                && has(&report, FindingCode::LaterRevisions);
            if signed_in_pdf && holds && !hid_a_signature {
                failures.push(format!(
                    "{case}: inside the signed ranges, yet {:?}",
                    report.status
                ));
            }
        }
    }
    println!("{flips} single-byte flips of the real files opened");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_flip_inside_the_signed_content_of_a_valid_p7m_makes_it_invalid() {
    let Some(dir) = signed_dir() else { return };
    let mut checked = Vec::new();
    for real in real_files(&dir) {
        if real.report.format != Some(DocumentFormat::Cades)
            || real.report.status != SignatureStatus::Valid
        {
            continue;
        }
        let der = armor::unwrap(&real.bytes).unwrap_or_else(|| real.bytes.clone());
        let content = &real.report.contents[0];
        // The content's first bytes as they lie in the file (BER may cut the rest in chunks).
        let probe = &content[..content.len().min(256)];
        let Some(start) = der.windows(probe.len()).position(|w| w == probe) else {
            continue;
        };
        let mut bytes = der.clone();
        bytes[start + probe.len() / 2] ^= 0x01;
        let report = open_bytes(&dir, &real.file, &bytes, None);
        assert_eq!(report.status, SignatureStatus::Invalid, "{}", real.file);
        assert!(
            has(&report, FindingCode::ContentDigestMismatch),
            "{}: {:?}",
            real.file,
            codes(&report)
        );
        checked.push(real.file);
    }
    println!("content flipped in {} valid p7m files", checked.len());
    assert!(checked.len() >= 5, "{checked:?}");
}
