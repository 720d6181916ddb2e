//! `report.pdf`: the pack's facts in words a judge reads — A4, selectable text, Italian by default,
//! produced in process from the manifest (no browser, no external program).
//!
//! [`content`] decides what is said, [`flow`] breaks it into lines and pages with the fonts' real
//! widths ([`fonts`], [`winansi`]), [`pdf`] writes the file ([`geometry`] is the page).

mod content;
mod flow;
mod fonts;
mod geometry;
mod pdf;
mod winansi;

use crate::manifest::{Manifest, MemberRole};
use crate::time;
use crate::words::Words;

/// The report for `manifest`, as PDF bytes. Total: any manifest gives a readable report.
pub fn render(manifest: &Manifest) -> Vec<u8> {
    let w = Words::of(manifest.language);
    let (blocks, _lost) = content::Composer::new(manifest).compose();
    let pages = flow::paginate(&blocks, geometry::BODY_HEIGHT);
    let subject = manifest.send.subject.as_deref().unwrap_or(w.no_subject);
    let frame = pdf::Frame {
        title: format!("{} — {subject}", w.title),
        header: shorten(&format!("{} — {subject}", w.title), 110),
        footer: format!(
            "{} {} · {}",
            w.produced_by,
            manifest.producer,
            time::long(manifest.language, manifest.produced_at)
        ),
        page: w.page,
        of: w.of,
        language_tag: manifest.language.tag(),
        producer: manifest.producer.clone(),
        created: manifest.produced_at,
    };
    pdf::write(&pages, &frame)
}

/// The report a pack made from `manifest` (as read back from the pack) carries: the manifest as it was
/// when the report was printed — before the report itself was listed and the manifest sealed — printed
/// again. Deterministic (no clock, no randomness; the PDF's dates are the manifest's `produced_at`), so
/// [`verify_pack`](crate::verify_pack) compares it byte for byte (issue 13 §2).
pub fn rebuild(manifest: &Manifest) -> Vec<u8> {
    let mut before = manifest.clone();
    before.members.retain(|m| m.role != MemberRole::Report);
    before.self_sha256 = String::new();
    render(&before)
}

/// At most `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
