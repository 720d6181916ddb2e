//! Signed documents (issue 15): what they are checked against, and the check itself, shared by
//! `attesta verify-doc`/`extract` and the window.
//!
//! Document signatures are not PEC provider signatures: they are trusted when their path ends at a
//! CA/QC (or, for timestamps, TSA/QTST) certificate of an imported, verified Trusted List, or at a
//! certificate of a directory the user trusts (`attesta trust add`, `--trust-dir`). The built-in
//! PEC CAs are not document anchors. Without any list imported, paths to the lists' CAs cannot be
//! built and `qualified` is `unknown`: the report says so rather than guessing.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use pec_core::signature::TrustAnchors;
use pec_document::{Checking, DocumentReport};

use crate::letter::{AttachmentFile, AttachmentName, Risk};
use crate::trusted_lists::{self, LoadedLists, RefusedAtLoad};
use crate::{DataDir, EngineConfig, EngineError, trust};

/// What document signatures are judged against.
pub struct DocumentTrust {
    pub anchors: TrustAnchors,
    pub lists: pec_trusted_list::TrustedLists,
    /// Stored lists that did not verify at load (reported to the user, never used).
    pub refused: Vec<RefusedAtLoad>,
    /// Anchors taken from the lists, and from directories.
    pub from_lists: usize,
    pub from_dirs: usize,
}

impl DocumentTrust {
    /// The imported lists, the configured trust directories, then `extra` (`--trust-dir`).
    pub fn load(
        data: &DataDir,
        config: &EngineConfig,
        extra: &[PathBuf],
    ) -> Result<DocumentTrust, EngineError> {
        let LoadedLists { lists, refused } = trusted_lists::load(data)?;
        let mut anchors = TrustAnchors::empty();
        let from_lists = pec_document::trusted::add_list_anchors(&mut anchors, &lists);
        let mut from_dirs = 0;
        let mut seen: Vec<&PathBuf> = Vec::new();
        for dir in config.trust_dirs.iter().chain(extra) {
            if seen.contains(&dir) {
                continue;
            }
            seen.push(dir);
            from_dirs += trust::add_dir(&mut anchors, dir)?.certificates;
        }
        Ok(DocumentTrust {
            anchors,
            lists,
            refused,
            from_lists,
            from_dirs,
        })
    }

    /// Opens and verifies one signed file. `companion` is the file a detached signature or
    /// timestamp is about; `now` the time of checking.
    pub fn verify(
        &self,
        name: &str,
        bytes: &[u8],
        companion: Option<&[u8]>,
        now: DateTime<Utc>,
    ) -> DocumentReport {
        let has_lists = self.lists.territories().next().is_some();
        let checking = Checking {
            anchors: &self.anchors,
            now,
            services: has_lists.then_some(&self.lists as &dyn pec_document::QualifiedServices),
            companion,
        };
        pec_document::open(name, bytes, &checking)
    }
}

/// The document inside a signed attachment, as an attachment of its own: named without the
/// signature extensions, its risk judged on that name (what the system would open it with), so
/// "Open content" follows the same safe-open rules as any attachment (issue 15 §5). `None` when the
/// file keeps no document inside (a signed PDF, a bare timestamp, an unreadable file).
pub fn content_of(file: &AttachmentFile, report: &DocumentReport) -> Option<AttachmentFile> {
    let bytes = report.content.clone()?;
    let shown = extracted_name(Path::new(file.name.as_str()));
    let name = AttachmentName::clean(Some(&shown), 0);
    let content_type = "application/octet-stream".to_string();
    Some(AttachmentFile {
        risk: Risk::of(&name, &content_type),
        name,
        content_type,
        bytes,
    })
}

/// The file a detached token or signature beside `path` is about: `X` for `X.tsr`, `X.tst`, `X.p7s`
/// (a hint from the name, checked by the imprint or the signature, never believed).
pub fn companion_of(path: &Path) -> Option<PathBuf> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if !matches!(ext.as_str(), "tsr" | "tst" | "p7s") {
        return None;
    }
    let candidate = path.with_extension("");
    candidate.is_file().then_some(candidate)
}

/// The name the extracted content gets: the signed file's name without its signature extensions
/// (`atto.pdf.p7m` → `atto.pdf`, `x.pdf.p7m.tsd` → `x.pdf`), the last path component only.
pub fn extracted_name(signed: &Path) -> String {
    let mut name = signed
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    loop {
        let lower = name.to_ascii_lowercase();
        let Some(stripped) = [".p7m", ".m7m", ".tsd", ".p7s"].iter().find_map(|ext| {
            lower
                .ends_with(ext)
                .then(|| name[..name.len() - ext.len()].to_string())
        }) else {
            break;
        };
        name = stripped;
    }
    let name: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if name.is_empty() || name == "." || name == ".." {
        "content".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extracted_file_is_named_without_its_signature_extensions() {
        assert_eq!(extracted_name(Path::new("/x/atto.pdf.p7m")), "atto.pdf");
        assert_eq!(extracted_name(Path::new("x.pdf.P7M.tsd")), "x.pdf");
        assert_eq!(
            extracted_name(Path::new("IT01_0001.xml.p7m.p7m")),
            "IT01_0001.xml"
        );
        assert_eq!(extracted_name(Path::new(".p7m")), "content");
        assert_eq!(extracted_name(Path::new("..p7m")), "content");
    }
}
