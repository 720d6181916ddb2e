//! Where this data directory's evidence archive is (issue 18): its own SQLite file (the default, for one
//! person), or the firm's shared archive on a PostgreSQL server, chosen with `attesta archive use`.
//!
//! The server's address is kept in `config.toml` (never with a password: [`pec_archive::db::postgres`]
//! refuses one in the address); its password goes to the OS keyring, filed under the address. Choosing a
//! server connects first (TLS verified, schema brought up to date): an address that does not work is
//! never saved.

use pec_archive::db::postgres::Address;
use pec_archive::{Archive, ArchiveError, Location};

use crate::accounts::secrets;
use crate::{DataDir, EngineConfig, EngineError};

/// The archive of `dir`: the server it uses, else its own file.
pub fn location(dir: &DataDir) -> Result<Location, EngineError> {
    let config = EngineConfig::load(dir)?;
    match &config.shared_archive {
        None => Ok(Location::File(dir.archive_file())),
        Some(url) => {
            let password = match secrets::password(dir, url) {
                Ok(p) => Some(p),
                Err(EngineError::NoPassword { .. }) => None,
                Err(e) => return Err(e),
            };
            Ok(Location::Server {
                address: Box::new(address(url, password.as_deref())?),
                local: dir.path().to_path_buf(),
            })
        }
    }
}

/// Opens (creating or upgrading) `dir`'s archive where it is, acting as `dir`'s person (issue 18 §3,
/// [`crate::user`]) and recording the verdicts of signed attachments with `dir`'s document trust
/// (issue 15 §6, [`crate::documents::ArchiveDocuments`]): what the command opens the archive it
/// writes to with.
pub fn open(
    dir: &DataDir,
    progress: &mut dyn FnMut(&pec_archive::UpgradeStep),
) -> Result<Archive, EngineError> {
    open_trusting(dir, &[], progress)
}

/// [`open`], the signed attachments' verdicts also trusting the directories `extra` (a command's
/// `--trust-dir`, the same anchors its PEC verification is given; each verdict names them).
pub fn open_trusting(
    dir: &DataDir,
    extra: &[std::path::PathBuf],
    progress: &mut dyn FnMut(&pec_archive::UpgradeStep),
) -> Result<Archive, EngineError> {
    let config = crate::EngineConfig::load(dir)?;
    let documents = crate::documents::ArchiveDocuments::with_extra(dir, &config, extra);
    Ok(location(dir)?
        .open_upgrading(progress)?
        .acting_as(config.user)
        .checking_documents(std::sync::Arc::new(documents)))
}

fn address(url: &str, password: Option<&str>) -> Result<Address, EngineError> {
    Address::parse(url, password).map_err(|e| {
        ArchiveError::Server {
            address: redacted(url),
            detail: e.to_string(),
        }
        .into()
    })
}

/// An address as it may be shown: what follows a `:` in its user part (a password someone typed into
/// it, which the parse refuses) is never repeated back.
fn redacted(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((user, host)) if user.contains(':') => {
                let name = user.split(':').next().unwrap_or("");
                format!("{scheme}://{name}:…@{host}")
            }
            _ => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Makes the firm's server at `url` this data directory's archive: connects (creating or upgrading its
/// schema), then keeps `password` in the keyring and the address in the configuration. Returns the
/// archive opened.
pub fn use_server(
    dir: &DataDir,
    url: &str,
    password: Option<&str>,
) -> Result<Archive, EngineError> {
    let address = address(url, password)?;
    dir.create()?;
    let archive = Archive::open_postgres(&address, dir.path())?;
    match password {
        Some(p) => secrets::store(dir, url, p)?,
        None => secrets::forget(dir, url)?,
    }
    let mut config = EngineConfig::load(dir)?;
    config.shared_archive = Some(url.to_owned());
    config.save(dir)?;
    Ok(archive)
}

/// Looks at the firm's server at `url` before using it: reachable, granted, what is there. Changes
/// nothing, saves nothing.
pub fn test_server(
    url: &str,
    password: Option<&str>,
) -> Result<pec_archive::probe::Probe, EngineError> {
    Ok(pec_archive::probe::probe(&address(url, password)?)?)
}

/// The firm's server this data directory uses, if any.
pub fn server(dir: &DataDir) -> Result<Option<String>, EngineError> {
    Ok(EngineConfig::load(dir)?.shared_archive)
}

/// Goes back to this data directory's own file (the server's evidence stays on the server; the
/// password is forgotten).
pub fn use_file(dir: &DataDir) -> Result<(), EngineError> {
    let mut config = EngineConfig::load(dir)?;
    if let Some(url) = config.shared_archive.take() {
        secrets::forget(dir, &url)?;
        config.save(dir)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_directory_uses_its_own_file_until_told_otherwise() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        let place = location(&dir).unwrap();
        assert_eq!(place.file(), Some(dir.archive_file().as_path()));
    }

    #[test]
    fn an_address_with_a_password_is_refused_and_never_saved_or_echoed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        let err = use_server(&dir, "postgres://studio:segreta@db.example/attesta", None)
            .err()
            .unwrap();
        let words = err.to_string();
        assert!(words.contains("keyring"), "{words}");
        assert!(!words.contains("segreta"), "{words}");
        assert_eq!(EngineConfig::load(&dir).unwrap().shared_archive, None);
    }

    #[test]
    fn an_unverified_tls_mode_is_refused_and_never_saved() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path())).unwrap();
        let err = use_server(
            &dir,
            "postgres://studio@db.example/attesta?sslmode=require",
            None,
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("verify-full"), "{err}");
        assert_eq!(EngineConfig::load(&dir).unwrap().shared_archive, None);
    }
}
