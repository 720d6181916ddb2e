//! A file opened from the desktop (issue 17), shown and not archived until the person says so.
//!
//! A PEC message is read exactly as the archive reads one, by the same code, so that a forged file
//! cannot look better opened than archived: it is imported (`pec_engine::import`, the window's and
//! `attesta import`'s path, with the same trust) into a private, throw-away archive in the data
//! directory (`opened/from-disk-*`, 0700, removed at once; one a crash left is swept at the next start,
//! [`sweep_leftovers`]), and the reader's view is built from that
//! archive by the reader's own function. If the user's archive already holds the same bytes (same
//! SHA-256), that message is opened instead. "Archive" imports the file into the user's archive
//! the same way ([`archive`]), origin that file.
//!
//! A signed document (`.p7m` and the others pec-document opens) gets the signature panel the reader
//! has for signed attachments. The file's bytes are kept, by token, for its attachments and "Open
//! content" under the same safe-open rules (`crate::opened`).

use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use chrono::Utc;
use pec_archive::store::address;
use pec_archive::{Archive, Origin};
use pec_document::DocumentFormat;
use pec_engine::Trust;
use pec_engine::letter::{AttachmentFile, AttachmentName, Risk};

use crate::commands::{documents, reader};
use crate::dto::launch::Launched;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The largest file opened: what PEC providers accept as one message (100 MB) and a little more.
pub const MAX_SIZE: u64 = 128 * 1024 * 1024;

/// How many opened files are kept for their attachments (the oldest is forgotten first).
const KEPT: usize = 16;

/// What a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Message,
    Document,
}

/// A file shown from disk.
#[derive(Debug)]
pub struct OpenedFile {
    pub path: PathBuf,
    pub name: String,
    pub shape: Shape,
    /// For a message, the bytes as the import read them (what was shown).
    pub bytes: Vec<u8>,
}

/// The opened files, by token.
#[derive(Default)]
pub struct OpenedFiles {
    next: AtomicU32,
    files: Mutex<VecDeque<(u32, Arc<OpenedFile>)>>,
}

impl OpenedFiles {
    fn keep(&self, file: OpenedFile) -> u32 {
        let token = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        if files.len() == KEPT {
            files.pop_front();
        }
        files.push_back((token, Arc::new(file)));
        token
    }

    pub fn get(&self, token: u32) -> AppResult<Arc<OpenedFile>> {
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|(t, _)| *t == token)
            .map(|(_, f)| Arc::clone(f))
            .ok_or(AppError::NotFound {
                what: format!("opened file {token}"),
            })
    }
}

/// The name shown for `path`.
fn name_of(path: &Path) -> String {
    path.file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy()
        .into_owned()
}

/// Reads `path`, at most [`MAX_SIZE`] bytes; a folder, a missing file or a larger one is refused.
fn read_capped(path: &Path, name: &str) -> AppResult<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| AppError::io(path, e))?;
    let meta = file.metadata().map_err(|e| AppError::io(path, e))?;
    if !meta.is_file() {
        return Err(AppError::NotAMessage {
            name: name.to_owned(),
            detail: "not a file".into(),
        });
    }
    let too_large = |size: u64| AppError::FileTooLarge {
        name: name.to_owned(),
        size: size as f64,
        max: MAX_SIZE as f64,
    };
    if meta.len() > MAX_SIZE {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    // NOTE: a file that grows while it is read stops at the limit (and is refused), never fills memory.
    file.take(MAX_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| AppError::io(path, e))?;
    if bytes.len() as u64 > MAX_SIZE {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A message or a signed document, decided by the bytes (the extension only tells an `.m7m`, which
/// is MIME too, from a message).
fn shape_of(name: &str, bytes: &[u8]) -> AppResult<Shape> {
    let unwrapped = pec_document::armor::unwrap(bytes);
    let format = pec_document::format::recognise(unwrapped.as_deref().unwrap_or(bytes));
    let m7m = name.to_ascii_lowercase().ends_with(".m7m");
    match format {
        Some(DocumentFormat::M7m) if m7m => Ok(Shape::Document),
        Some(DocumentFormat::M7m) | None => match pec_core::check_mail(bytes) {
            Ok(()) => Ok(Shape::Message),
            Err(why) => Err(AppError::NotAMessage {
                name: name.to_owned(),
                detail: why.to_string(),
            }),
        },
        Some(_) => Ok(Shape::Document),
    }
}

/// What opening `path` shows; a failure is shown too, never a panic.
pub fn resolve(state: &AppState, path: PathBuf) -> Launched {
    let name = name_of(&path);
    open(state, path).unwrap_or_else(|error| Launched::Failed { name, error })
}

fn open(state: &AppState, path: PathBuf) -> AppResult<Launched> {
    // The file's real place (no `..`, no link): what the archive records as its origin.
    let path = std::fs::canonicalize(&path).map_err(|e| AppError::io(&path, e))?;
    let name = name_of(&path);
    let bytes = read_capped(&path, &name)?;
    match shape_of(&name, &bytes)? {
        Shape::Message => message(state, path, name),
        Shape::Document => {
            let document = documents::signature_view(state, &document_file(&name, &bytes))?;
            let token = state.opened_files.keep(OpenedFile {
                path,
                name: name.clone(),
                shape: Shape::Document,
                bytes,
            });
            Ok(Launched::Document {
                token,
                name,
                document,
            })
        }
    }
}

/// The trust files are read under: the general anchors, as the window's import uses (a lab's CA is
/// trusted only for its own account's mail).
fn anchors(state: &AppState) -> AppResult<Trust> {
    Ok(Trust::load(&state.config()?, &[])?)
}

/// Imports `path` into `archive` as `attesta import [--mailbox]` does.
fn import(
    archive: &mut Archive,
    path: &Path,
    mailbox: Option<&str>,
    trust: &Trust,
) -> AppResult<pec_engine::import::ImportSummary> {
    Ok(pec_engine::import::import(
        archive,
        &[path.to_path_buf()],
        mailbox,
        &trust.anchors,
        Utc::now(),
        &AtomicBool::new(false),
        &mut |_| {},
    )?)
}

fn message(state: &AppState, path: PathBuf, name: String) -> AppResult<Launched> {
    let trust = anchors(state)?;
    let root = state.dir.path().join("opened");
    crate::opened::private_dir(&root)?;
    let scratch = tempfile::Builder::new()
        .prefix("from-disk-")
        .tempdir_in(&root)
        .map_err(|e| AppError::io(&root, e))?;
    let mut archive = Archive::open(&Archive::file_in(scratch.path()))?;
    let summary = import(&mut archive, &path, None, &trust)?;
    let not_one = |detail: String| AppError::NotAMessage {
        name: name.clone(),
        detail,
    };
    match archive.message_count()? {
        1 => {}
        0 => {
            let why = summary.skipped.first().map(|s| s.why.clone());
            return Err(not_one(why.unwrap_or_else(|| "no message".into())));
        }
        n => return Err(not_one(format!("{n} messages in one file: use Import"))),
    }
    let id = archive.last_message_id()?;
    let bytes = archive.raw(id)?;
    let origin = Origin::File {
        path: path.display().to_string(),
        part: 0,
        mailbox: None,
    };
    if let Some((archived, _)) = state.archive()?.lookup(&address(&bytes), &origin)? {
        return Ok(Launched::Archived {
            id: crate::dto::id(archived),
            name,
        });
    }
    let mut view = reader::message_view(state, &archive, id)?;
    // NOTE: the throw-away archive's clock is not the user's archive: this message is not archived.
    view.archived_at = None;
    let token = state.opened_files.keep(OpenedFile {
        path,
        name: name.clone(),
        shape: Shape::Message,
        bytes,
    });
    Ok(Launched::Message {
        token,
        name,
        message: Box::new(view),
    })
}

/// "Archive": imports opened message `token` into the user's archive, origin its file, for
/// `mailbox` (issue 18 §4, as the window's import; spelled as the archive records it); its id there.
/// The file must still hold the bytes that were shown (`file-changed` otherwise).
pub fn archive(state: &AppState, token: u32, mailbox: Option<String>) -> AppResult<(i64, u64)> {
    let file = state.opened_files.get(token)?;
    if file.shape != Shape::Message {
        return Err(AppError::NotFound {
            what: format!("a message in opened file {token}"),
        });
    }
    let changed = || AppError::FileChanged {
        name: file.name.clone(),
    };
    let sha256 = address(&file.bytes);
    if address(&read_capped(&file.path, &file.name)?) != sha256 {
        return Err(changed());
    }
    let trust = anchors(state)?;
    let mut writer = state.writer()?;
    let summary = import(&mut writer, &file.path, mailbox.as_deref(), &trust)?;
    let origin = Origin::File {
        path: file.path.display().to_string(),
        part: 0,
        mailbox,
    };
    let (id, _) = writer.lookup(&sha256, &origin)?.ok_or_else(changed)?;
    Ok((id, summary.new))
}

/// A document file as the attachment code takes it (name cleaned, risk judged on it).
fn document_file(name: &str, bytes: &[u8]) -> AttachmentFile {
    let name = AttachmentName::clean(Some(name), 0);
    let content_type = "application/pkcs7-mime".to_owned();
    AttachmentFile {
        risk: Risk::of(&name, &content_type),
        name,
        content_type,
        bytes: bytes.to_vec(),
    }
}

/// Attachment `index` of opened file `token`: a message's attachment, or the document itself (0).
pub fn attachment(state: &AppState, token: u32, index: u32) -> AppResult<AttachmentFile> {
    let file = state.opened_files.get(token)?;
    let found = match file.shape {
        Shape::Message => pec_engine::letter::attachment_file(&file.bytes, index as usize),
        Shape::Document => (index == 0).then(|| document_file(&file.name, &file.bytes)),
    };
    found.ok_or(AppError::NotFound {
        what: format!("attachment {index} of opened file {token}"),
    })
}

/// How old a throw-away archive must be to be taken for a crash's leftover: the one a file's opening
/// uses lives for that one command, seconds at most.
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Removes the throw-away archives (`opened/from-disk-*`) that a crash or a kill left in `data_dir`,
/// each holding a copy of a file once opened: at start, in the background. Only those untouched for
/// [`LEFTOVER_AGE`], so another window on the same data directory (no session bus: no single
/// instance) never loses one in use. Returns how many were removed.
pub fn sweep_leftovers(data_dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(data_dir.join("opened")) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("from-disk-"))
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age >= LEFTOVER_AGE)
        })
        .filter(|e| std::fs::remove_dir_all(e.path()).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_is_a_message_and_a_der_signature_a_document() {
        let mail = b"From: a@pec.it\r\nSubject: x\r\nContent-Type: multipart/signed; boundary=b\r\n\r\n--b--\r\n";
        assert_eq!(shape_of("ricevuta.eml", mail).unwrap(), Shape::Message);
        assert_eq!(shape_of("ricevuta.m7m", mail).unwrap(), Shape::Document);
    }

    #[test]
    fn what_is_neither_is_refused_with_a_reason() {
        for bytes in [&b""[..], b"%%% just text\n", b"\x00\x01\x02"] {
            assert!(
                matches!(
                    shape_of("x.eml", bytes),
                    Err(AppError::NotAMessage { ref name, .. }) if name == "x.eml"
                ),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("huge.eml");
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(MAX_SIZE + 1).unwrap();
        assert!(matches!(
            read_capped(&path, "huge.eml"),
            Err(AppError::FileTooLarge { .. })
        ));
        assert!(matches!(
            read_capped(tmp.path(), "dir"),
            Err(AppError::NotAMessage { .. })
        ));
        assert!(matches!(
            read_capped(&tmp.path().join("missing.eml"), "missing.eml"),
            Err(AppError::Io { .. })
        ));
    }

    #[test]
    fn opened_files_are_found_by_token_and_the_oldest_is_forgotten() {
        let files = OpenedFiles::default();
        let keep = |n: usize| {
            files.keep(OpenedFile {
                path: format!("/f{n}").into(),
                name: format!("f{n}"),
                shape: Shape::Message,
                bytes: Vec::new(),
            })
        };
        let first = keep(0);
        let tokens: Vec<u32> = (1..=KEPT).map(keep).collect();
        assert!(files.get(first).is_err());
        assert_eq!(files.get(tokens[0]).unwrap().name, "f1");
        assert_eq!(
            files.get(*tokens.last().unwrap()).unwrap().name,
            format!("f{KEPT}")
        );
    }

    /// A fresh data directory and the app's state over it.
    fn fresh() -> (tempfile::TempDir, AppState) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = pec_engine::DataDir::resolve(Some(&tmp.path().join("data"))).unwrap();
        dir.create().unwrap();
        (tmp, AppState::open(dir).unwrap())
    }

    fn real(name: &str) -> Option<PathBuf> {
        let path = pec_testkit::corpus::dir_or_skip(name)?
            .join("real")
            .join(name);
        Some(path)
    }

    /// The view of a message as shown, without what differs by construction (its id in an archive,
    /// when it was archived).
    fn shown(mut view: crate::dto::message::MessageView) -> crate::dto::message::MessageView {
        view.id = 0;
        view.archived_at = None;
        view
    }

    #[test]
    fn a_message_opened_from_disk_is_shown_as_archived_and_not_archived_until_asked() {
        for file in [
            "aruba_avvenuta-consegna_2014_oca-pec-messages.eml",
            // Edited after signing: opened, it must be judged exactly as the archive judges it.
            "aruba_transport_2014_seedoo_MODIFIED.eml",
        ] {
            let Some(path) = real(file) else { return };
            let (_tmp, state) = fresh();
            let Launched::Message {
                token,
                name,
                message,
            } = resolve(&state, path.clone())
            else {
                panic!("{file} did not open as a message");
            };
            assert_eq!(name, file);
            assert_eq!(message.archived_at, None);
            assert_eq!(
                state.archive().unwrap().message_count().unwrap(),
                0,
                "{file} was archived"
            );
            let leftovers: Vec<_> = std::fs::read_dir(state.dir.path().join("opened"))
                .unwrap()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with("from-disk-"))
                .collect();
            assert!(
                leftovers.is_empty(),
                "the throw-away archive stayed: {leftovers:?}"
            );

            let (id, new) = archive(&state, token, None).unwrap();
            assert_eq!(new, 1);
            let archived = reader::message_view(&state, &state.archive().unwrap(), id).unwrap();
            assert!(archived.archived_at.is_some());
            assert_eq!(shown(*message), shown(archived), "{file}");

            // Opened again: the archive's own message.
            assert_eq!(
                resolve(&state, path),
                Launched::Archived {
                    id: crate::dto::id(id),
                    name: file.into()
                }
            );
        }
    }

    #[test]
    fn a_file_that_changed_since_it_was_shown_is_not_archived() {
        let Some(path) = real("aruba_accettazione_2014_oca-pec-messages.eml") else {
            return;
        };
        let (tmp, state) = fresh();
        let copy = tmp.path().join("ricevuta.eml");
        std::fs::copy(&path, &copy).unwrap();
        let Launched::Message { token, .. } = resolve(&state, copy.clone()) else {
            panic!("not opened as a message");
        };
        let mut bytes = std::fs::read(&copy).unwrap();
        bytes.extend_from_slice(b"\r\n");
        std::fs::write(&copy, bytes).unwrap();
        assert_eq!(
            archive(&state, token, None),
            Err(AppError::FileChanged {
                name: "ricevuta.eml".into()
            })
        );
        assert_eq!(state.archive().unwrap().message_count().unwrap(), 0);
    }

    #[test]
    fn a_file_that_is_not_mail_is_a_typed_failure() {
        let (tmp, state) = fresh();
        let path = tmp.path().join("note.eml");
        std::fs::write(&path, "just some words\n").unwrap();
        assert!(matches!(
            resolve(&state, path),
            Launched::Failed { ref name, error: AppError::NotAMessage { .. } } if name == "note.eml"
        ));
        assert!(matches!(
            resolve(&state, tmp.path().join("missing.eml")),
            Launched::Failed {
                error: AppError::Io { .. },
                ..
            }
        ));
    }

    #[test]
    fn a_signed_document_opens_its_signature_panel_and_its_content() {
        let Some(dir) = pec_testkit::corpus::dir_or_skip("p7m from disk") else {
            return;
        };
        let path = dir.join("signed/p7m-invoice/oca_IT01234567890_FPR03.xml.p7m");
        let (_tmp, state) = fresh();
        let Launched::Document {
            token, document, ..
        } = resolve(&state, path)
        else {
            panic!("the p7m did not open as a document");
        };
        assert!(document.content_name.is_some());
        let file = attachment(&state, token, 0).unwrap();
        let content = documents::signed_content(&state, &file).unwrap();
        assert!(
            content.name.as_str().ends_with(".xml"),
            "{}",
            content.name.as_str()
        );
        assert!(attachment(&state, token, 1).is_err());
        assert_eq!(state.archive().unwrap().message_count().unwrap(), 0);
    }

    #[test]
    fn an_invoice_inside_a_message_opened_from_disk_reads_as_its_page() {
        let Some(dir) = pec_testkit::corpus::dir_or_skip("invoice from disk") else {
            return;
        };
        let p7m =
            std::fs::read(dir.join("signed/p7m-invoice/oca_IT01234567890_FPR03.xml.p7m")).unwrap();
        let mut send = pec_testkit::Send::new(
            "fornitore@pec.example",
            &["studio@pec.example"],
            "Fattura IT01234567890_FPR03",
            chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 5, 4, 10, 0, 0).unwrap(),
        );
        send.attachments.push(pec_testkit::Attachment {
            name: "IT01234567890_FPR03.xml.p7m".into(),
            content_type: "application/pkcs7-mime".into(),
            bytes: p7m.clone(),
        });
        let envelope = pec_testkit::Pec::new(&send, pec_testkit::PecKindSpec::Envelope)
            .build(&pec_testkit::PlaceholderSigner);
        let (tmp, state) = fresh();
        let path = tmp.path().join("fattura.eml");
        std::fs::write(&path, envelope).unwrap();
        let Launched::Message { token, message, .. } = resolve(&state, path) else {
            panic!("the envelope did not open as a message");
        };
        let index = message
            .letter
            .attachments
            .iter()
            .position(|a| a.invoice)
            .expect("the invoice is marked as one") as u32;
        let page =
            documents::invoice_view(&state, &attachment(&state, token, index).unwrap(), || {
                "the invoice".into()
            })
            .unwrap();
        let signed = pec_document::open(
            "FPR03",
            &p7m,
            &pec_document::Checking {
                anchors: &pec_core::signature::TrustAnchors::empty(),
                now: Utc::now(),
                services: None,
                companion: None,
            },
        );
        let expected = pec_invoice::read_invoice(signed.content.as_deref().unwrap()).unwrap();
        assert_eq!(page.invoice.bodies[0].number, expected.bodies[0].number);
        assert!(
            page.signature.is_some(),
            "the signature's badge is on the page"
        );
        assert_eq!(state.archive().unwrap().message_count().unwrap(), 0);
    }

    #[test]
    fn a_crashs_throw_away_archives_are_swept_and_one_in_use_is_not() {
        let data = tempfile::tempdir().unwrap();
        let opened = data.path().join("opened");
        let old = opened.join("from-disk-old1");
        let fresh = opened.join("from-disk-new1");
        let other = opened.join("allegato-42");
        for dir in [&old, &fresh, &other] {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join("archive.sqlite3"), b"a copy").unwrap();
        }
        let long_ago = std::time::SystemTime::now() - 2 * LEFTOVER_AGE;
        for dir in [&old, &other] {
            std::fs::File::open(dir)
                .unwrap()
                .set_modified(long_ago)
                .unwrap();
        }
        assert_eq!(sweep_leftovers(data.path()), 1);
        assert!(!old.exists(), "the crash's leftover was removed");
        assert!(fresh.exists(), "one in use stays");
        assert!(other.exists(), "only throw-away archives are swept");
        assert_eq!(sweep_leftovers(tempfile::tempdir().unwrap().path()), 0);
    }
}
