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
use pec_archive::{TrustedDir, TrustedDirGiven};
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
    /// The directories, in the order they were read: the configured ones, then the command's own.
    pub dirs: Vec<pec_archive::TrustedDir>,
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
        let mut dirs = Vec::new();
        let mut seen: Vec<&PathBuf> = Vec::new();
        let configured = config
            .trust_dirs
            .iter()
            .map(|d| (d, TrustedDirGiven::Configured));
        let given = extra.iter().map(|d| (d, TrustedDirGiven::CommandLine));
        for (dir, how) in configured.chain(given) {
            if seen.contains(&dir) {
                continue;
            }
            seen.push(dir);
            from_dirs += trust::add_dir(&mut anchors, dir)?.certificates;
            dirs.push(TrustedDir {
                path: dir.display().to_string(),
                given: how,
            });
        }
        Ok(DocumentTrust {
            anchors,
            lists,
            refused,
            from_lists,
            from_dirs,
            dirs,
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

impl DocumentTrust {
    /// What the archive records as the trust a verdict was reached with: every Trusted List held
    /// (territory and sequence number), how many anchors came from lists and directories, and which
    /// directories (a `--trust-dir` named as the command line's).
    pub fn used(&self) -> pec_archive::TrustUsed {
        let mut lists: Vec<String> = self
            .lists
            .list_of_lists()
            .map(|l| format!("EU {}", l.list.scheme.sequence_number))
            .into_iter()
            .collect();
        for territory in self.lists.territories() {
            for held in self.lists.history(territory) {
                lists.push(format!("{territory} {}", held.list.scheme.sequence_number));
            }
        }
        pec_archive::TrustUsed {
            lists,
            from_lists: self.from_lists,
            from_dirs: self.from_dirs,
            dirs: self.dirs.clone(),
        }
    }

    /// Trust in nothing (when the data directory's could not be loaded): every path is `untrusted`
    /// and `qualified` is `unknown`, which is what the archive then records.
    fn nothing() -> DocumentTrust {
        DocumentTrust {
            anchors: TrustAnchors::empty(),
            lists: pec_trusted_list::TrustedLists::new(),
            refused: Vec::new(),
            from_lists: 0,
            from_dirs: 0,
            dirs: Vec::new(),
        }
    }
}

/// The signed attachment `file` (attachment `part` of a letter) and its verdict, if its bytes are a
/// signed file — the reader's badge's rule ([`pec_archive::SignedAttachment::recognise`]).
pub fn signed_attachment(
    trust: &DocumentTrust,
    part: usize,
    file: &AttachmentFile,
    now: DateTime<Utc>,
) -> Option<pec_archive::SignedAttachment> {
    pec_archive::SignedAttachment::recognise(
        u32::try_from(part).unwrap_or(u32::MAX),
        file.name.as_str(),
        &file.bytes,
        || trust.verify(file.name.as_str(), &file.bytes, None, now),
    )
}

/// The archive's document checker (issue 15 §6): the attachments a person reads in the letter
/// ([`crate::letter::attachment_files_where_parsed`]), each signed one verified against this data directory's
/// document trust, loaded (Trusted Lists verified) the first time a message holds a signed file.
pub struct ArchiveDocuments {
    data: DataDir,
    config: EngineConfig,
    extra: Vec<PathBuf>,
    trust: std::sync::OnceLock<DocumentTrust>,
}

impl ArchiveDocuments {
    pub fn new(data: &DataDir, config: &EngineConfig) -> ArchiveDocuments {
        ArchiveDocuments::with_extra(data, config, &[])
    }

    /// [`ArchiveDocuments::new`] also trusting the directories `extra` (`--trust-dir`).
    pub fn with_extra(
        data: &DataDir,
        config: &EngineConfig,
        extra: &[PathBuf],
    ) -> ArchiveDocuments {
        ArchiveDocuments {
            data: data.clone(),
            config: config.clone(),
            extra: extra.to_vec(),
            trust: std::sync::OnceLock::new(),
        }
    }

    fn trust(&self) -> &DocumentTrust {
        self.trust.get_or_init(|| {
            // NOTE: the same directories the command's PEC trust loads: when they do not load, the
            // command has stopped already; a list that no longer verifies is left out, as everywhere.
            DocumentTrust::load(&self.data, &self.config, &self.extra)
                .unwrap_or_else(|_| DocumentTrust::nothing())
        })
    }
}

impl pec_archive::DocumentChecker for ArchiveDocuments {
    fn check_parsed(
        &self,
        parsed: &pec_core::structure::Parsed<'_>,
        now: DateTime<Utc>,
    ) -> pec_archive::DocumentCheck {
        let files = crate::letter::attachment_files_where_parsed(parsed, |bytes| {
            let unwrapped = pec_document::armor::unwrap(bytes);
            pec_document::format::recognise(unwrapped.as_deref().unwrap_or(bytes)).is_some()
        });
        if files.is_empty() {
            return pec_archive::DocumentCheck::nothing(now);
        }
        let trust = self.trust();
        pec_archive::DocumentCheck {
            checked_at: now,
            trust: trust.used(),
            attachments: files
                .iter()
                .filter_map(|(i, f)| signed_attachment(trust, *i, f, now))
                .collect(),
        }
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
mod one_parse;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_checks_the_attachments_the_reader_shows_recognised_from_their_bytes_issue_15() {
        use pec_archive::DocumentChecker;
        use pec_testkit::{Attachment, Pec, PecKindSpec, PlaceholderSigner, Send};
        let Some(corpus) = pec_testkit::corpus::dir_or_skip("engine documents") else {
            return;
        };
        let invoice = corpus.join("signed/p7m-invoice/oca_IT01234567890_FPR03.xml.p7m");
        if !invoice.is_file() {
            return;
        }
        let data = tempfile::tempdir().unwrap();
        let data = DataDir::resolve(Some(data.path())).unwrap();
        let checker = ArchiveDocuments::new(&data, &EngineConfig::default());
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 20, 9, 0, 0).unwrap();
        let mut send = Send::new("tribunale@pec.example", &["studio@pec.it"], "Atti", at);
        for (name, bytes) in [
            ("leggimi.txt", b"testo".to_vec()),
            ("allegato.dat", std::fs::read(&invoice).unwrap()),
            ("atto.pdf", b"%PDF-1.4 senza firma".to_vec()),
            ("finto.p7m", b"non sono firmato".to_vec()),
        ] {
            send.attachments.push(Attachment {
                name: name.into(),
                content_type: "application/octet-stream".into(),
                bytes,
            });
        }
        let envelope = Pec::new(&send, PecKindSpec::Envelope).build(&PlaceholderSigner);
        let check = checker.check(&envelope, at);
        assert_eq!(check.attachments.len(), 1, "{check:#?}");
        let found = &check.attachments[0];
        assert_eq!((found.part, found.name.as_str()), (1, "allegato.dat"));
        // No Trusted List imported here: a good signature with no path, `qualified` not guessed.
        assert_eq!(
            found.report.status,
            pec_core::signature::SignatureStatus::Untrusted
        );
        assert!(check.trust.lists.is_empty());
        // A receipt's own parts (daticert, signature) are not the letter's attachments.
        let acceptance = Pec::new(&send, PecKindSpec::Acceptance).build(&PlaceholderSigner);
        assert!(checker.check(&acceptance, at).attachments.is_empty());
    }

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
