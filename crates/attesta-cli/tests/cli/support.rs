//! What the archive, forgery and pack tests share: the command run on one data directory at a fixed clock,
//! and its whole output as one text.

use std::path::Path;
use std::process::{Command, Output};

/// `attesta --data-dir DATA ARGS…`, judged at a fixed clock.
pub fn attesta_in(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attesta"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        // NOTE: openssl signs the test receipts at the real present, so the fixed clock lies after any
        // day the tests run on; before it, their signing time is in the future and refused (issue 13 §4).
        .env("ATTESTA_NOW", "2030-01-02T12:00:00Z")
        .output()
        .expect("run attesta")
}

/// Standard output then standard error.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
