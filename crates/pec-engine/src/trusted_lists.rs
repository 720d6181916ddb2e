//! The EU Trusted Lists the user imported, kept in the data directory and verified again at every
//! load (issue 15 §3).
//!
//! `attesta trust import-tl FILE…` hands the files here: each is verified (the EU list of lists
//! against the certificates pinned from the Official Journal, a national list against the signing
//! certificates its territory's pointer in the list of lists names) and only then copied, byte for
//! byte, to `<data>/trusted-lists/` under a name of its territory and sequence number. A refused
//! list is never stored; the reason is the `ListRefused` the verifier gives. Nothing is trusted
//! because of a file name or a directory: at load the stored files are verified again (a file
//! edited on disk is refused and reported, not used).
//!
//! A user may pin one more list-of-lists signer (a newer OJ notice) with `--lotl-signer CERT`; it is
//! kept in `trusted-lists/pinned/` and pinned again at every load.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use pec_trusted_list::{ListRefused, ListType, TrustedLists, VerifiedList, pinned};

use crate::{DataDir, EngineError};

/// What one import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedList {
    /// `EU` for the list of lists, else the national territory (`IT`).
    pub territory: String,
    pub sequence: u64,
    pub is_list_of_lists: bool,
    pub issued: DateTime<Utc>,
    pub next_update: Option<DateTime<Utc>>,
    pub operator: String,
    /// Where it is kept.
    pub stored: PathBuf,
}

/// A stored file that no longer verifies (edited on disk, or its list of lists is gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedAtLoad {
    pub path: PathBuf,
    pub reason: String,
}

/// The stored lists, verified, and what could not be used.
#[derive(Debug, Default)]
pub struct LoadedLists {
    pub lists: TrustedLists,
    pub refused: Vec<RefusedAtLoad>,
}

/// Why an import failed: the list itself (its signature, its signer) or the disk.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: list refused: {reason}")]
    Refused {
        file: PathBuf,
        #[source]
        reason: ListRefused,
    },
    #[error("{file}: the certificate to pin is not a readable PEM or DER certificate")]
    BadPin { file: PathBuf },
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// `<data>/trusted-lists`.
pub fn dir_in(data: &DataDir) -> PathBuf {
    data.path().join("trusted-lists")
}

fn pinned_dir(data: &DataDir) -> PathBuf {
    dir_in(data).join("pinned")
}

fn read(path: &Path) -> Result<Vec<u8>, EngineError> {
    std::fs::read(path).map_err(|source| EngineError::Read {
        path: path.to_owned(),
        source,
    })
}

/// The files of `dir` (sorted by name), none when it does not exist.
fn files(dir: &Path) -> Result<Vec<PathBuf>, EngineError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(EngineError::Read {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    Ok(out)
}

/// A certificate file as DER (PEM or DER).
fn certificate_der(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.starts_with(b"-----BEGIN") {
        pinned::pem_to_der(bytes)
    } else {
        (bytes.first() == Some(&0x30)).then(|| bytes.to_vec())
    }
}

/// Loads and verifies every stored list: the pinned extra signers, the lists of lists, then the
/// national lists.
pub fn load(data: &DataDir) -> Result<LoadedLists, EngineError> {
    let mut loaded = LoadedLists {
        lists: TrustedLists::new(),
        refused: Vec::new(),
    };
    for path in files(&pinned_dir(data))? {
        if let Some(der) = certificate_der(&read(&path)?) {
            loaded.lists.pin(der);
        }
    }
    let stored = files(&dir_in(data))?;
    let (lotls, nationals): (Vec<_>, Vec<_>) = stored.into_iter().partition(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("EU-LOTL"))
    });
    for path in lotls {
        let bytes = read(&path)?;
        if let Err(e) = loaded.lists.add_list_of_lists(&bytes) {
            loaded.refused.push(RefusedAtLoad {
                path,
                reason: e.to_string(),
            });
        }
    }
    for path in nationals {
        let bytes = read(&path)?;
        if let Err(e) = loaded.lists.add_national(&bytes) {
            loaded.refused.push(RefusedAtLoad {
                path,
                reason: e.to_string(),
            });
        }
    }
    Ok(loaded)
}

/// Pins one more list-of-lists signer (kept for later loads).
pub fn pin(data: &DataDir, certificate: &Path) -> Result<(), ImportError> {
    let bytes = read(certificate)?;
    let der = certificate_der(&bytes).ok_or_else(|| ImportError::BadPin {
        file: certificate.to_owned(),
    })?;
    if pec_core::signature::TrustAnchors::empty()
        .add_der(&der)
        .is_err()
    {
        return Err(ImportError::BadPin {
            file: certificate.to_owned(),
        });
    }
    let dir = pinned_dir(data);
    crate::private::create_private_dir(&dir).map_err(|source| EngineError::Write {
        path: dir.clone(),
        source,
    })?;
    let name = format!("{}.der", hex(&sha256(&der)));
    let path = dir.join(name);
    crate::private::write_private_file(&path, &der)
        .map_err(|source| EngineError::Write { path, source })?;
    Ok(())
}

/// Verifies and stores the lists in `files`: lists of lists first (a national list needs one),
/// whatever order they were given in. Stops at the first refusal, after storing what came before.
pub fn import(data: &DataDir, files: &[PathBuf]) -> Result<Vec<ImportedList>, ImportError> {
    let mut loaded = load(data)?;
    // Read once each: whether a file is a list of lists (its claim, checked by the verification that
    // follows) decides only the order.
    let mut given = Vec::new();
    for file in files {
        let bytes = read(file)?;
        let is_lotl = pec_trusted_list::read(&bytes)
            .is_ok_and(|l| l.scheme.list_type == ListType::EuListOfTheLists);
        given.push((file.clone(), bytes, is_lotl));
    }
    given.sort_by_key(|(_, _, is_lotl)| !is_lotl);
    let dir = dir_in(data);
    crate::private::create_private_dir(&dir).map_err(|source| EngineError::Write {
        path: dir.clone(),
        source,
    })?;
    let mut out = Vec::new();
    for (file, bytes, is_lotl) in given {
        let verified: &VerifiedList = if is_lotl {
            loaded.lists.add_list_of_lists(&bytes)
        } else {
            loaded.lists.add_national(&bytes)
        }
        .map_err(|reason| ImportError::Refused {
            file: file.clone(),
            reason,
        })?;
        let scheme = &verified.list.scheme;
        let is_list_of_lists = scheme.list_type == ListType::EuListOfTheLists;
        let name = if is_list_of_lists {
            format!("EU-LOTL-{:08}.xml", scheme.sequence_number)
        } else {
            format!(
                "TL-{}-{:08}.xml",
                safe(&scheme.territory),
                scheme.sequence_number
            )
        };
        let stored = dir.join(name);
        let imported = ImportedList {
            territory: scheme.territory.clone(),
            sequence: scheme.sequence_number,
            is_list_of_lists,
            issued: scheme.issued,
            next_update: scheme.next_update,
            operator: scheme.operator_name.clone(),
            stored: stored.clone(),
        };
        crate::private::write_private_file(&stored, &bytes).map_err(|source| {
            EngineError::Write {
                path: stored,
                source,
            }
        })?;
        out.push(imported);
    }
    Ok(out)
}

/// One verified list, as `attesta trust list` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSummary {
    pub territory: String,
    pub sequence: u64,
    pub issued: DateTime<Utc>,
    pub next_update: Option<DateTime<Utc>>,
    pub operator: String,
}

/// Every verified list of the set, the list of lists first, then each territory's, oldest first.
pub fn summary(lists: &TrustedLists) -> Vec<ListSummary> {
    let row = |v: &VerifiedList| {
        let s = &v.list.scheme;
        ListSummary {
            territory: s.territory.clone(),
            sequence: s.sequence_number,
            issued: s.issued,
            next_update: s.next_update,
            operator: s.operator_name.clone(),
        }
    };
    let territories: Vec<String> = lists.territories().map(str::to_owned).collect();
    lists
        .list_of_lists()
        .map(row)
        .into_iter()
        .chain(territories.iter().flat_map(|t| lists.history(t).map(row)))
        .collect()
}

/// A territory code as a file-name part (two letters in practice; anything else is replaced).
fn safe(territory: &str) -> String {
    territory
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(8)
        .collect()
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
