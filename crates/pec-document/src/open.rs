//! [`open`]: one signed file, whatever its container, to one [`DocumentReport`].
//!
//! Issue 15 §1: the bytes decide the container ([`crate::format`]); base64/PEM text is unwrapped
//! first; nested envelopes are opened outermost first up to [`MAX_LEVEL`] levels.

use chrono::{DateTime, Utc};
use pec_core::signature::{
    FindingCode, SecurityStore, SignatureFinding, SignatureStatus, TimestampRevocation,
    TrustAnchors,
};

use crate::format::{self, DocumentFormat};
use crate::qualified::QualifiedServices;
use crate::report::DocumentReport;
use crate::{armor, cades, m7m, pades, timestamped};

/// Envelopes inside envelopes beyond this depth are not opened (real files nest two or three).
pub const MAX_LEVEL: u32 = 8;

/// What verification needs besides the file.
#[derive(Clone, Copy)]
pub struct Checking<'a> {
    /// Certification authorities trusted for documents (Trusted List CAs, `--trust-dir`).
    pub anchors: &'a TrustAnchors,
    /// The time of checking (a signing time after it is refused).
    pub now: DateTime<Utc>,
    /// The imported Trusted Lists' qualified services; `None`: qualified status unknown.
    pub services: Option<&'a dyn QualifiedServices>,
    /// The file a detached signature or timestamp is about (`X` beside `X.tsr`), if any.
    pub companion: Option<&'a [u8]>,
}

impl Checking<'_> {
    /// Where a timestamp's revocation is checked: at the time of checking, from the token's own data
    /// and `store` (a PDF's document security store).
    pub(crate) fn revocation<'s>(
        &self,
        store: Option<&'s SecurityStore>,
    ) -> TimestampRevocation<'s> {
        TimestampRevocation {
            now: self.now,
            store,
        }
    }
}

/// Opens and verifies one signed file. `file` is its name, kept for the report only.
pub fn open(file: &str, bytes: &[u8], checking: &Checking<'_>) -> DocumentReport {
    let mut report = DocumentReport {
        file: file.to_string(),
        format: None,
        status: SignatureStatus::Unsigned,
        signatures: Vec::new(),
        content_sha256: None,
        findings: Vec::new(),
        content: None,
        contents: Vec::new(),
    };
    let unwrapped = armor::unwrap(bytes);
    let bytes = without_final_newline(unwrapped.as_deref().unwrap_or(bytes));
    report.format = format::recognise(bytes);
    match report.format {
        Some(DocumentFormat::Cades) => cades::open_nested(&mut report, bytes, 0, checking, None),
        Some(DocumentFormat::Tsr) => timestamped::open_token(&mut report, bytes, 0, checking),
        Some(DocumentFormat::Tsd) => timestamped::open_tsd(&mut report, bytes, 0, checking),
        Some(DocumentFormat::M7m) => m7m::open(&mut report, bytes, checking),
        Some(DocumentFormat::Pades) => pades::open(&mut report, bytes, checking),
        None => report.findings.push(SignatureFinding::new(
            FindingCode::NotASignedFile,
            "This file is not a signed document this program knows (p7m, m7m, tsd, tsr or signed PDF), or it is damaged beyond reading.",
        )),
    }
    report.content = report.contents.last().cloned();
    report.content_sha256 = report.content.as_deref().map(sha256_hex);
    report.finish()
}

/// A binary CMS file that a text tool ended with a newline (`slamdunk_OK.txt.p7m`): the newline is
/// not part of the signature object, so it is set aside when the object does not read with it.
fn without_final_newline(bytes: &[u8]) -> &[u8] {
    if bytes.first() != Some(&0x30)
        || !bytes.last().is_some_and(u8::is_ascii_whitespace)
        || pec_core::signature::normalise_ber(bytes).is_ok()
    {
        return bytes;
    }
    let trimmed = bytes.trim_ascii_end();
    if trimmed.len() < bytes.len() && pec_core::signature::normalise_ber(trimmed).is_ok() {
        trimmed
    } else {
        bytes
    }
}

/// Lowercase hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
