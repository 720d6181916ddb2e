//! Passwords live in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows) through `keyring`; never in the database, the configuration or a log.

use crate::EngineError;

/// The keyring service name Attesta's entries are filed under.
const SERVICE: &str = "attesta";

fn entry(address: &str) -> Result<keyring::Entry, EngineError> {
    keyring::Entry::new(SERVICE, address).map_err(|e| unavailable(&e))
}

fn unavailable(e: &keyring::Error) -> EngineError {
    match e {
        keyring::Error::NoDefaultStore | keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => {
            EngineError::NoKeyring {
                detail: e.to_string(),
            }
        }
        other => EngineError::Keyring {
            detail: other.to_string(),
        },
    }
}

/// Stores `password` for `address`, replacing any earlier one.
pub fn store(address: &str, password: &str) -> Result<(), EngineError> {
    entry(address)?
        .set_password(password)
        .map_err(|e| unavailable(&e))
}

/// The password of `address`.
pub fn password(address: &str) -> Result<String, EngineError> {
    match entry(address)?.get_password() {
        Ok(p) => Ok(p),
        Err(keyring::Error::NoEntry) => Err(EngineError::NoPassword {
            address: address.to_owned(),
        }),
        Err(e) => Err(unavailable(&e)),
    }
}

/// Forgets the password of `address` (no error if there was none).
pub fn forget(address: &str) -> Result<(), EngineError> {
    match entry(address)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(&e)),
    }
}
