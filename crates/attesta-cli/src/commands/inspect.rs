//! `attesta inspect [--json] FILE...`: what each file is, from its signed certification data.

use std::io::Write;

use pec_core::{Artifact, recognise};

use crate::cli::InspectArgs;
use crate::exit::Status;
use crate::report::{self, FileReport};

pub fn run(args: &InspectArgs) -> Status {
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
        let file_report = match recognise(&raw) {
            Artifact::NotMail(why) => {
                eprintln!("attesta: {name}: not mail: {why}");
                status = status.max(Status::Failed);
                continue;
            }
            artifact => {
                let mut report = FileReport::new(&name, &artifact);
                if let (Artifact::Message(_), Some(rem)) = (&artifact, pec_rem::read(&raw)) {
                    report.fill_from_rem(&rem);
                }
                report
            }
        };
        let written = if args.json {
            serde_json::to_string(&file_report)
                .map_err(std::io::Error::other)
                .and_then(|line| writeln!(out, "{line}"))
        } else {
            report::write_human(&mut out, &file_report)
        };
        if written.is_err() {
            // The reader went away (e.g. `| head`): stop quietly.
            return status;
        }
    }
    status
}
