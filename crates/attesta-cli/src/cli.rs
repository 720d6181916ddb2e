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
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Say what each file is: kind, provider, parties, ids, certified time, findings.
    Inspect(InspectArgs),
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
