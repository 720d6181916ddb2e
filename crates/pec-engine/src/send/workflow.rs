//! The send workflow: the one entry point behind `attesta send` and the window's Send (issue 16 §3).
//!
//! The account's trust and password; first, every earlier submission of the account whose outcome is
//! unknown is resolved (so nothing is ever sent twice); then the draft is checked against the PEC rules
//! (PEC rules §8), composed, archived and submitted ([`send`]).

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use pec_archive::Archive;

use super::{Draft, Resolution, SendOutcome, resolve, send};
use crate::accounts::{Account, secrets};
use crate::{DataDir, EngineConfig, EngineError, Trust};

/// How long after an unknown outcome Attesta waits for the provider's acceptance before it concludes
/// the message never arrived and submits it again.
pub const RESUBMIT_GRACE: Duration = Duration::minutes(15);

/// Sends `draft` from the account `address` of `config` (its password from the OS keyring of `dir`),
/// archiving into `archive`, at `now`. `earlier` hears about each earlier submission resolved first,
/// before the new one is submitted (so a user learns of it even when the new one then fails).
pub fn send_draft(
    dir: &DataDir,
    config: &EngineConfig,
    address: &str,
    archive: &mut Archive,
    draft: &Draft,
    now: DateTime<Utc>,
    earlier: &mut dyn FnMut(&Resolution),
) -> Result<SendOutcome, EngineError> {
    let account = config.account(address)?;
    let (trust, password) = credentials(dir, config, account)?;
    resolve_with(archive, account, &trust, &password, now)?
        .iter()
        .for_each(&mut *earlier);
    send(archive, account, &password, draft, &trust.anchors, now)
}

/// Finds out what happened to every earlier submission of `account` whose outcome is unknown (what
/// [`send_draft`] does first; `attesta outbox --resolve` on its own).
pub fn resolve_earlier(
    dir: &DataDir,
    config: &EngineConfig,
    account: &Account,
    archive: &mut Archive,
    now: DateTime<Utc>,
) -> Result<Vec<Resolution>, EngineError> {
    let (trust, password) = credentials(dir, config, account)?;
    resolve_with(archive, account, &trust, &password, now)
}

pub(super) fn resolve_with(
    archive: &mut Archive,
    account: &Account,
    trust: &Trust,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Resolution>, EngineError> {
    resolve(
        archive,
        account,
        password,
        &trust.anchors,
        now,
        RESUBMIT_GRACE,
    )
}

/// The trust in force for `account` and its password from the OS keyring.
pub(super) fn credentials(
    dir: &DataDir,
    config: &EngineConfig,
    account: &Account,
) -> Result<(Trust, String), EngineError> {
    let trust = Trust::for_account(config, account, &[])?;
    let password = secrets::password(dir, &account.address)?;
    Ok((trust, password))
}

/// The MIME type an attachment is sent with, from its file name's extension.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("pdf") => "application/pdf",
        Some("xml") => "application/xml",
        Some("p7m") => "application/pkcs7-mime",
        Some("txt") => "text/plain",
        Some("zip") => "application/zip",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attachment_is_typed_by_its_extension_in_any_case_and_unknown_ones_as_bytes() {
        assert_eq!(content_type(Path::new("atto.PDF")), "application/pdf");
        assert_eq!(
            content_type(Path::new("firma.p7m")),
            "application/pkcs7-mime"
        );
        assert_eq!(content_type(Path::new("foto.jpeg")), "image/jpeg");
        assert_eq!(
            content_type(Path::new("programma.exe")),
            "application/octet-stream"
        );
        assert_eq!(content_type(Path::new("senza")), "application/octet-stream");
    }
}
