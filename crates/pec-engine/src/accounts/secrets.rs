//! Passwords live in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows) through `keyring`; never in the database, the configuration or a log.
//!
//! Entries are filed under the service `attesta:<data directory>` and the account's address, so two data
//! directories (two archives) never share or overwrite each other's passwords.

use crate::{DataDir, EngineError};

/// The keyring service name for the accounts of `dir`.
fn service(dir: &DataDir) -> String {
    let path = std::path::absolute(dir.path()).unwrap_or_else(|_| dir.path().to_owned());
    format!("attesta:{}", path.display())
}

fn entry(dir: &DataDir, address: &str) -> Result<keyring::Entry, EngineError> {
    keyring::Entry::new(&service(dir), address).map_err(|e| unavailable(&e))
}

fn unavailable(e: &keyring::Error) -> EngineError {
    match e {
        keyring::Error::NoDefaultStore
        | keyring::Error::PlatformFailure(_)
        | keyring::Error::NoStorageAccess(_) => EngineError::NoKeyring {
            detail: e.to_string(),
        },
        other => EngineError::Keyring {
            detail: other.to_string(),
        },
    }
}

/// Stores `password` for `address`, replacing any earlier one.
pub fn store(dir: &DataDir, address: &str, password: &str) -> Result<(), EngineError> {
    entry(dir, address)?
        .set_password(password)
        .map_err(|e| unavailable(&e))
}

/// The password of `address`.
pub fn password(dir: &DataDir, address: &str) -> Result<String, EngineError> {
    match entry(dir, address)?.get_password() {
        Ok(p) => Ok(p),
        Err(keyring::Error::NoEntry) => Err(EngineError::NoPassword {
            address: address.to_owned(),
        }),
        Err(e) => Err(unavailable(&e)),
    }
}

/// Forgets the password of `address` (no error if there was none).
pub fn forget(dir: &DataDir, address: &str) -> Result<(), EngineError> {
    match entry(dir, address)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(&e)),
    }
}
