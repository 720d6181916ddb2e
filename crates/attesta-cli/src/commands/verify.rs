//! `attesta verify [--json] [--trust-dir DIR] FILE...`: is each file genuine provider evidence?
//!
//! Exit status 0 when every file is `valid`, 1 when any is not, 2 for usage or I/O errors.

use std::io::Write;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use pec_core::{Artifact, recognise, verify_signature};
use pec_engine::{DataDir, EngineConfig, Trust};

use crate::cli::VerifyArgs;
use crate::exit::Status;
use crate::verdict::{self, VerifyReport};

pub fn run(data_dir: Option<&std::path::Path>, args: &VerifyArgs) -> Status {
    let trust = match DataDir::resolve(data_dir)
        .and_then(|dir| EngineConfig::load(&dir))
        .and_then(|config| Trust::load(&config, &args.trust_dirs))
    {
        Ok(trust) => trust,
        Err(e) => {
            eprintln!("attesta: {e}");
            return Status::Error;
        }
    };
    let now: DateTime<Utc> = SystemTime::now().into();
    // REM (issue 14 §3): qualified REM services come from the imported Trusted Lists (EDS/REM/Q); their
    // certificates are anchors for REM evidence beside the directories trusted for this run.
    let lists = DataDir::resolve(data_dir)
        .ok()
        .and_then(|dir| pec_engine::trusted_lists::load(&dir).ok())
        .map(|loaded| loaded.lists)
        .filter(|lists| !pec_engine::trusted_lists::summary(lists).is_empty());
    let rem_anchors = {
        let mut anchors = trust.anchors.clone();
        for kind in [
            pec_trusted_list::ServiceType::EdsRemQ,
            pec_trusted_list::ServiceType::EdsQ,
        ] {
            for anchor in lists.iter().flat_map(|l| l.anchors(&kind)) {
                let _ = anchors.add_der(&anchor.certificate);
            }
        }
        anchors
    };
    let mut status = Status::Ok;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &args.files {
        let name = path.display().to_string();
        let raw = match std::fs::read(path) {
            Ok(raw) => raw,
            Err(e) => {
                eprintln!("attesta: {name}: cannot read: {e}");
                status = status.max(Status::Error);
                continue;
            }
        };
        let report = match recognise(&raw) {
            Artifact::NotMail(why) => {
                eprintln!("attesta: {name}: not mail: {why}");
                status = status.max(Status::Failed);
                continue;
            }
            Artifact::Message(inspection) => {
                let witnesses = pec_core::signature::TimeWitnesses::at(now);
                match pec_rem::verify_message(&raw, &rem_anchors, &witnesses) {
                    Some(rem) => {
                        let qualified =
                            verdict::rem_qualified(lists.as_ref(), rem.evidence_signature.as_ref());
                        let mut report =
                            VerifyReport::for_message(&name, &rem.inspection, rem.signature);
                        report.add_rem(&rem.message, rem.evidence_signature, qualified);
                        report
                    }
                    None => {
                        let signature =
                            verify_signature(&raw, &inspection, &trust.anchors, &witnesses);
                        VerifyReport::for_message(&name, &inspection, signature)
                    }
                }
            }
            fragment => VerifyReport::for_fragment(&name, &fragment),
        };
        if !report.is_valid() {
            status = status.max(Status::Failed);
        }
        let written = if args.json {
            serde_json::to_string(&report)
                .map_err(std::io::Error::other)
                .and_then(|line| writeln!(out, "{line}"))
        } else {
            verdict::write_human(&mut out, &report)
        };
        if written.is_err() {
            // The reader went away (e.g. `| head`): stop quietly.
            return status;
        }
    }
    status
}
