//! What the app was launched for (issue 17): the desktop opens it with a file (`Exec=attesta-app %f`:
//! a `.eml` PEC message, a `.p7m` signed document, also as a `file://` URL) or a `mailto:` link
//! (`Exec=attesta-app %u`). The first instance reads its own command line; a second launch hands
//! its arguments and working directory to the running one (`tauri-plugin-single-instance`, over
//! D-Bus) and exits. Either way the requests wait in [`Pending`] until the window, once it is
//! listening, takes them (`commands::launch`): none is lost because the page was still loading.
//!
//! [`requests`] reads arguments into a closed [`LaunchRequest`]; [`mailto`] reads a link (RFC 6068);
//! [`from_disk`] shows a file without archiving it, and archives it when asked; [`instance`] keeps one
//! app per data directory.

pub mod from_disk;
pub mod instance;
pub mod mailto;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::dto::launch::MailtoDraft;
use crate::error::AppError;

/// One thing the app was launched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LaunchRequest {
    /// A file to show (absolute: a relative path was resolved against the launcher's directory).
    OpenFile(PathBuf),
    /// A `mailto:` link: the compose window, prefilled, never sent by itself.
    Compose(MailtoDraft),
}

/// A request, or why an argument could not become one (shown in the window).
pub type Launch = Result<LaunchRequest, AppError>;

/// The requests in `args` (the command line without the program's name), launched from `cwd`.
/// Options (`-x`, `--x`) are not ours and are skipped; a `file://` URL names a local file; anything
/// else is a path.
pub fn requests(args: impl IntoIterator<Item = OsString>, cwd: &Path) -> Vec<Launch> {
    args.into_iter()
        .filter_map(|arg| {
            let text = arg.to_string_lossy();
            if text.starts_with('-') || text.is_empty() {
                return None;
            }
            if mailto::is_mailto(&text) {
                return Some(mailto::parse(&text).map(LaunchRequest::Compose).map_err(
                    |e| match e {
                        mailto::MailtoError::TooLong { length, max } => AppError::MailtoTooLong {
                            length: u32::try_from(length).unwrap_or(u32::MAX),
                            max: u32::try_from(max).unwrap_or(u32::MAX),
                        },
                        mailto::MailtoError::NotMailto => AppError::NotFound {
                            what: text.to_string(),
                        },
                    },
                ));
            }
            if let Some(rest) = text
                .get(..7)
                .filter(|s| s.eq_ignore_ascii_case("file://"))
                .map(|_| &text[7..])
            {
                return Some(file_url(rest).map(LaunchRequest::OpenFile));
            }
            Some(Ok(LaunchRequest::OpenFile(cwd.join(&arg))))
        })
        .collect()
}

/// The path of a `file://` URL after the scheme (RFC 8089): an empty host or `localhost`, then an
/// absolute, percent-encoded path. A file on another host is refused.
fn file_url(rest: &str) -> Result<PathBuf, AppError> {
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) || path.is_empty() {
        return Err(AppError::NotFound {
            what: format!("file://{rest}"),
        });
    }
    use std::os::unix::ffi::OsStringExt;
    Ok(PathBuf::from(OsString::from_vec(percent_bytes(path))))
}

/// Percent-decoding to bytes: a Unix path is bytes, not necessarily UTF-8.
fn percent_bytes(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Requests waiting for the window to take them.
#[derive(Default)]
pub struct Pending(Mutex<Vec<Launch>>);

impl Pending {
    pub fn push(&self, launches: Vec<Launch>) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(launches);
    }

    /// Everything waiting, oldest first; the queue is then empty.
    pub fn take(&self) -> Vec<Launch> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn no_argument_asks_for_nothing() {
        assert!(requests(args(&[]), Path::new("/home/anna")).is_empty());
    }

    #[test]
    fn a_relative_path_resolves_against_the_launchers_directory_and_an_absolute_one_stays() {
        let got = requests(
            args(&["ricevuta.eml", "../atti/contratto.pdf.p7m", "/tmp/b.eml"]),
            Path::new("/home/anna/pec"),
        );
        assert_eq!(
            got,
            vec![
                Ok(LaunchRequest::OpenFile(
                    "/home/anna/pec/ricevuta.eml".into()
                )),
                Ok(LaunchRequest::OpenFile(
                    "/home/anna/pec/../atti/contratto.pdf.p7m".into()
                )),
                Ok(LaunchRequest::OpenFile("/tmp/b.eml".into())),
            ]
        );
    }

    #[test]
    fn a_file_url_names_a_local_file_percent_decoded() {
        let got = requests(
            args(&[
                "file:///home/anna/Atti%202026/ricevuta%C3%A0.eml",
                "FILE://localhost/tmp/a.eml",
            ]),
            Path::new("/"),
        );
        assert_eq!(
            got,
            vec![
                Ok(LaunchRequest::OpenFile(
                    "/home/anna/Atti 2026/ricevutaà.eml".into()
                )),
                Ok(LaunchRequest::OpenFile("/tmp/a.eml".into())),
            ]
        );
    }

    #[test]
    fn a_file_on_another_host_is_refused() {
        let got = requests(args(&["file://server/share/a.eml"]), Path::new("/"));
        assert!(matches!(got.as_slice(), [Err(AppError::NotFound { .. })]));
    }

    #[test]
    fn a_mailto_link_asks_for_compose_and_a_huge_one_is_refused() {
        let got = requests(args(&["mailto:studio@pec.it?subject=Ciao"]), Path::new("/"));
        assert_eq!(
            got,
            vec![Ok(LaunchRequest::Compose(MailtoDraft {
                to: vec!["studio@pec.it".into()],
                subject: "Ciao".into(),
                ..MailtoDraft::default()
            }))]
        );
        let huge = format!("mailto:a@pec.it?body={}", "x".repeat(mailto::MAX_LENGTH));
        assert!(matches!(
            requests(args(&[&huge]), Path::new("/")).as_slice(),
            [Err(AppError::MailtoTooLong { .. })]
        ));
    }

    #[test]
    fn options_are_not_files() {
        let got = requests(args(&["--no-sandbox", "-x", "a.eml"]), Path::new("/w"));
        assert_eq!(got, vec![Ok(LaunchRequest::OpenFile("/w/a.eml".into()))]);
    }

    #[test]
    fn pending_requests_wait_for_the_window_and_are_taken_once_in_order() {
        let pending = Pending::default();
        pending.push(requests(args(&["a.eml"]), Path::new("/w")));
        pending.push(requests(args(&["b.eml"]), Path::new("/v")));
        assert_eq!(
            pending.take(),
            vec![
                Ok(LaunchRequest::OpenFile("/w/a.eml".into())),
                Ok(LaunchRequest::OpenFile("/v/b.eml".into())),
            ]
        );
        assert!(pending.take().is_empty());
    }
}
