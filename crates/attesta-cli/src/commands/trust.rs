//! `attesta trust add|list|remove`: the certification authorities trusted beside the built-in PEC CAs.
//!
//! Added directories are kept in the engine configuration; a directory is read when it is added, so a
//! typo or an empty directory is refused at once instead of silently trusting nothing.

use std::path::Path;

use pec_engine::{DataDir, EngineConfig, EngineError, Trust, trust};

use crate::cli::TrustCommand;
use crate::exit::Status;

pub fn run(data_dir: Option<&Path>, command: &TrustCommand) -> Status {
    match change(data_dir, command) {
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
        TrustCommand::List => {
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
