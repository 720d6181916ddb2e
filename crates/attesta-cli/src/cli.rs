//! The command line, declared with clap: one subcommand per job.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "attesta",
    version,
    about = "Attesta: certified e-mail (PEC) you can prove",
    long_about = "Attesta reads, verifies and archives Italian certified e-mail (PEC): envelopes, \
                  receipts and notices, with the provider signatures checked locally."
)]
pub struct Cli {
    /// Where Attesta keeps its archive and configuration (default: the platform's data directory).
    #[arg(long, global = true, value_name = "DIR", env = "ATTESTA_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Say what each file is: kind, provider, parties, ids, certified time, findings.
    Inspect(InspectArgs),
    /// Check each file's provider signature against the PEC certification authorities.
    Verify(VerifyArgs),
    /// Show or change the certification authorities Attesta trusts beside the built-in PEC CAs.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Run a local PEC provider on a real Dovecot, for tests and demos.
    #[command(subcommand)]
    Lab(crate::commands::lab::LabCommand),
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Print one JSON object per file, one per line.
    #[arg(long)]
    pub json: bool,
    /// Messages (.eml), loose daticert.xml or smime.p7s files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Print one JSON object per file, one per line.
    #[arg(long)]
    pub json: bool,
    /// Also trust the PEM/DER certificates in DIR, for this run only (`attesta trust add` keeps it).
    #[arg(long = "trust-dir", value_name = "DIR")]
    pub trust_dirs: Vec<PathBuf>,
    /// Messages (.eml) as received.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Trust the certificates in DIR from now on (kept in the configuration).
    Add {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// List the built-in and the added trust anchors.
    List,
    /// Stop trusting the certificates in DIR.
    Remove {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}
