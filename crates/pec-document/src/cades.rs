//! `.p7m` envelopes, nested to any depth: each level's signers verified, then its content opened
//! when it is itself a signed file.
//!
//! Issue 15 §1–§2: an Italian court's `atto.pdf.p7m.p7m` is a p7m whose content is another p7m;
//! a `.tsr.p7m` signs a timestamp token. Each level's content is kept exactly as signed
//! (`DocumentReport::contents`); the innermost one is the document.

use chrono::{DateTime, Utc};
use pec_core::signature::{DocumentContext, FindingCode, SignatureFinding, verify_cms_document};

use crate::entry;
use crate::format::{self, DocumentFormat};
use crate::open::{Checking, MAX_LEVEL};
use crate::report::{DocumentReport, SignatureRole};
use crate::{armor, timestamped};

/// Verifies the SignedData `bytes` at `level` and opens its content when it is a signed file.
/// `stamped_at`: the time of a usable timestamp over these bytes, if one was found around them.
pub(crate) fn open_nested(
    report: &mut DocumentReport,
    bytes: &[u8],
    level: u32,
    checking: &Checking<'_>,
    stamped_at: Option<DateTime<Utc>>,
) {
    let doc = verify_cms_document(
        bytes,
        checking.anchors,
        DocumentContext {
            detached: checking.companion.filter(|_| level == 0),
            claimed_time: None,
            stamped_at,
            now: checking.now,
            store: None,
        },
    );
    if !doc.findings.is_empty() {
        let where_ = if level == 0 {
            String::new()
        } else {
            format!(" (the envelope at level {level}, inside the outer signature)")
        };
        for f in doc.findings {
            report.findings.push(SignatureFinding::new(
                f.code,
                format!("{}{where_}", f.message),
            ));
        }
        return;
    }
    for signature in doc.signatures {
        entry::push_signature(
            &mut report.signatures,
            signature,
            level,
            SignatureRole::Signature,
            checking.services,
        );
    }
    let Some(content) = doc.content else { return };
    let inner = armor::unwrap(&content);
    let inner_bytes = inner.as_deref().unwrap_or(&content);
    let inner_format = format::recognise(inner_bytes)
        .filter(|f| matches!(f, DocumentFormat::Cades | DocumentFormat::Tsr));
    report.contents.push(content.clone());
    match inner_format {
        Some(_) if level + 1 >= MAX_LEVEL => report.findings.push(SignatureFinding::new(
            FindingCode::MalformedCms,
            format!("The file nests more than {MAX_LEVEL} signed envelopes; the innermost ones were not opened."),
        )),
        Some(DocumentFormat::Cades) => {
            open_nested(report, inner_bytes, level + 1, checking, None);
        }
        Some(_) => timestamped::open_token(report, inner_bytes, level + 1, checking),
        None if looks_like_signed_data(inner_bytes) => report.findings.push(SignatureFinding::new(
            FindingCode::MalformedCms,
            format!("The signed content looks like another signed envelope (level {}), but it is damaged and could not be opened.", level + 1),
        )),
        None => {}
    }
}

/// id-signedData's encoding near the start: a p7m that did not parse.
fn looks_like_signed_data(bytes: &[u8]) -> bool {
    const SIGNED_DATA: &[u8] = &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
    ];
    bytes.first() == Some(&0x30)
        && memchr::memmem::find(
            bytes.get(..32.min(bytes.len())).unwrap_or_default(),
            SIGNED_DATA,
        )
        .is_some()
}
