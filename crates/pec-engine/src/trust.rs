//! Trust anchors in force: the built-in PEC certification authorities plus the directories of PEM
//! certificates the user added (kept in [`EngineConfig::trust_dirs`], or given for one run).
//!
//! A test or lab CA is never trusted by default: it is trusted only when its directory is listed
//! here. Every certificate read is accounted for, so the user can see exactly what is trusted.

use std::path::{Path, PathBuf};

use pec_core::signature::TrustAnchors;

use crate::{EngineConfig, EngineError};

/// One directory of user-added anchors and what was read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorDir {
    pub path: PathBuf,
    /// Files that held readable certificates.
    pub readable: usize,
    /// Certificates added by them (a certificate already trusted is not counted twice).
    pub certificates: usize,
    /// Files that held no readable certificate (named, not fatal: the others still count).
    pub skipped: Vec<PathBuf>,
}

/// The anchors in force and where they came from.
#[derive(Debug)]
pub struct Trust {
    pub anchors: TrustAnchors,
    /// Certificates built into Attesta (the PEC CAs published by AgID).
    pub builtin: usize,
    pub dirs: Vec<AnchorDir>,
}

impl Trust {
    /// The built-in anchors, the configured directories, then `extra` (e.g. `--trust-dir`).
    pub fn load(config: &EngineConfig, extra: &[PathBuf]) -> Result<Trust, EngineError> {
        let anchors = TrustAnchors::builtin();
        let builtin = anchors.len();
        let mut trust = Trust {
            anchors,
            builtin,
            dirs: Vec::new(),
        };
        for dir in config.trust_dirs.iter().chain(extra) {
            if trust.dirs.iter().any(|d| d.path == *dir) {
                continue;
            }
            let loaded = add_dir(&mut trust.anchors, dir)?;
            trust.dirs.push(loaded);
        }
        Ok(trust)
    }
}

impl Trust {
    /// The anchors for `account`'s evidence: [`Trust::load`] plus the account's own directories (a
    /// lab account's lab CA).
    pub fn for_account(
        config: &EngineConfig,
        account: &crate::accounts::Account,
        extra: &[PathBuf],
    ) -> Result<Trust, EngineError> {
        let mut dirs = account.trust_dirs.clone();
        dirs.extend(extra.iter().cloned());
        Trust::load(config, &dirs)
    }
}

/// Read every `.pem`, `.crt`, `.cer` or `.der` file directly in `dir` (sorted, not recursive).
pub fn add_dir(anchors: &mut TrustAnchors, dir: &Path) -> Result<AnchorDir, EngineError> {
    let read_err = |source| EngineError::Read {
        path: dir.to_owned(),
        source,
    };
    if !dir.is_dir() {
        return Err(EngineError::NotADirectory {
            path: dir.to_owned(),
        });
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(read_err)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && is_certificate_file(p))
        .collect();
    files.sort();
    let mut loaded = AnchorDir {
        path: dir.to_owned(),
        readable: 0,
        certificates: 0,
        skipped: Vec::new(),
    };
    for file in files {
        let bytes = std::fs::read(&file).map_err(|source| EngineError::Read {
            path: file.clone(),
            source,
        })?;
        let read = if bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
            anchors
                .add_pem(&bytes)
                .ok()
                .filter(|_| pem_has_certificate(&bytes))
        } else {
            anchors.add_der(&bytes).ok().map(|()| 1)
        };
        match read {
            Some(added) => {
                loaded.readable += 1;
                loaded.certificates += added;
            }
            None => loaded.skipped.push(file),
        }
    }
    if loaded.readable == 0 {
        return Err(EngineError::NoCertificates {
            path: dir.to_owned(),
        });
    }
    Ok(loaded)
}

fn pem_has_certificate(bytes: &[u8]) -> bool {
    bytes
        .windows(b"BEGIN CERTIFICATE".len())
        .any(|w| w == b"BEGIN CERTIFICATE")
}

fn is_certificate_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["pem", "crt", "cer", "der"].contains(&e.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_of_certificate_files_adds_its_certificates_and_names_what_it_skipped() {
        let tmp = tempfile::tempdir().unwrap();
        let lab_ca = rcgen::CertificateParams::new(Vec::<String>::new())
            .unwrap()
            .self_signed(&rcgen::KeyPair::generate().unwrap())
            .unwrap();
        std::fs::write(tmp.path().join("lab-ca.pem"), lab_ca.pem()).unwrap();
        std::fs::write(tmp.path().join("lab-ca-again.der"), lab_ca.der().as_ref()).unwrap();
        std::fs::write(tmp.path().join("broken.pem"), "not a certificate").unwrap();
        std::fs::write(tmp.path().join("notes.txt"), "ignored").unwrap();
        let config = EngineConfig {
            trust_dirs: vec![tmp.path().to_owned()],
            ..EngineConfig::default()
        };
        let trust = Trust::load(&config, &[tmp.path().to_owned()]).unwrap();
        assert_eq!(trust.dirs.len(), 1, "a directory given twice counts once");
        assert_eq!(trust.dirs[0].readable, 2);
        assert_eq!(
            trust.dirs[0].certificates, 1,
            "the same CA in two files counts once"
        );
        assert_eq!(trust.dirs[0].skipped, vec![tmp.path().join("broken.pem")]);
        assert_eq!(trust.anchors.len(), trust.builtin + 1);
    }

    #[test]
    fn a_directory_without_certificates_or_missing_is_an_error_not_silence() {
        let tmp = tempfile::tempdir().unwrap();
        let empty = EngineConfig {
            trust_dirs: vec![tmp.path().to_owned()],
            ..EngineConfig::default()
        };
        assert!(matches!(
            Trust::load(&empty, &[]),
            Err(EngineError::NoCertificates { .. })
        ));
        let missing = tmp.path().join("nope");
        assert!(matches!(
            Trust::load(&EngineConfig::default(), &[missing]),
            Err(EngineError::NotADirectory { .. })
        ));
    }
}
