//! `attesta trust add|list|remove`: the certification authorities trusted beside the built-in PEC CAs.
//!
//! Added directories are kept in the engine configuration; a directory is read when it is added, so a
//! typo or an empty directory is refused at once instead of silently trusting nothing.

use std::path::{Path, PathBuf};

use pec_engine::trusted_lists::{self, ImportError};
use pec_engine::{DataDir, EngineConfig, EngineError, Trust, trust};

use crate::cli::TrustCommand;
use crate::exit::Status;

pub fn run(data_dir: Option<&Path>, command: &TrustCommand) -> Status {
    let done = match command {
        TrustCommand::ImportTl {
            lotl_signers,
            files,
        } => import_tl(data_dir, lotl_signers, files).map_err(|e| e.to_string()),
        other => change(data_dir, other).map_err(|e| e.to_string()),
    };
    match done {
        Ok(()) => Status::Ok,
        Err(e) => {
            eprintln!("attesta: {e}");
            Status::Error
        }
    }
}

fn change(data_dir: Option<&Path>, command: &TrustCommand) -> Result<(), EngineError> {
    let dir = DataDir::resolve(data_dir)?;
    let mut config = EngineConfig::load(&dir)?;
    match command {
        TrustCommand::Add { dir: anchors } => {
            let anchors = std::path::absolute(anchors).map_err(|source| EngineError::Read {
                path: anchors.clone(),
                source,
            })?;
            let mut probe = pec_core::signature::TrustAnchors::empty();
            let loaded = trust::add_dir(&mut probe, &anchors)?;
            if !config.trust_dirs.contains(&anchors) {
                config.trust_dirs.push(anchors.clone());
                config.save(&dir)?;
            }
            println!(
                "trusting {} certificate(s) from {}",
                loaded.certificates,
                anchors.display()
            );
            for skipped in &loaded.skipped {
                println!("  skipped (no readable certificate): {}", skipped.display());
            }
        }
        TrustCommand::Remove { dir: anchors } => {
            let absolute = std::path::absolute(anchors).unwrap_or_else(|_| anchors.clone());
            let before = config.trust_dirs.len();
            config.trust_dirs.retain(|d| d != anchors && *d != absolute);
            if config.trust_dirs.len() == before {
                println!("{} was not trusted; nothing changed", anchors.display());
            } else {
                config.save(&dir)?;
                println!("no longer trusting {}", absolute.display());
            }
        }
        TrustCommand::ImportTl { .. } => unreachable!("handled by import_tl"),
        TrustCommand::List => {
            let loaded = trusted_lists::load(&dir)?;
            for list in trusted_lists::summary(&loaded.lists) {
                println!(
                    "Trusted List {} sequence {}, issued {} by {}{}",
                    list.territory,
                    list.sequence,
                    list.issued.to_rfc3339(),
                    list.operator,
                    list.next_update
                        .filter(|n| *n < chrono::Utc::now())
                        .map(|n| format!(
                            " (past its next update {}: import a newer one)",
                            n.to_rfc3339()
                        ))
                        .unwrap_or_default()
                );
            }
            for refused in &loaded.refused {
                println!(
                    "Trusted List NOT USED: {} ({})",
                    refused.path.display(),
                    refused.reason
                );
            }
            let trust = Trust::load(&config, &[])?;
            println!("built-in PEC certification authorities: {}", trust.builtin);
            for d in &trust.dirs {
                println!(
                    "added: {} ({} certificate(s))",
                    d.path.display(),
                    d.certificates
                );
            }
        }
    }
    Ok(())
}

/// `trust import-tl`: pins the extra list-of-lists signers, then verifies and stores the lists.
fn import_tl(
    data_dir: Option<&Path>,
    lotl_signers: &[PathBuf],
    files: &[PathBuf],
) -> Result<(), ImportError> {
    let dir = DataDir::resolve(data_dir)?;
    dir.create()?;
    for cert in lotl_signers {
        trusted_lists::pin(&dir, cert)?;
        println!(
            "accepting {} as a signer of the EU list of lists",
            cert.display()
        );
    }
    for list in trusted_lists::import(&dir, files)? {
        println!(
            "imported {} {} sequence {} issued {} by {} (next update {})",
            if list.is_list_of_lists {
                "EU list of lists"
            } else {
                "Trusted List"
            },
            list.territory,
            list.sequence,
            list.issued.to_rfc3339(),
            list.operator,
            list.next_update
                .map_or("none".to_string(), |t| t.to_rfc3339()),
        );
    }
    Ok(())
}
