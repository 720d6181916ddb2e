//! `attesta`: the headless face of the engine — inspect, verify, import, status, export, sync.
//!
//! Exit status: 0 when everything asked for holds, 1 when a file is not what it should be, 2 for usage or
//! I/O errors. Human output by default; `--json` prints one JSON object per line for scripts.

mod cli;
mod commands;
mod exit;
mod report;
mod verdict;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let status = match cli.command {
        cli::Command::Inspect(args) => commands::inspect::run(&args),
        cli::Command::Verify(args) => commands::verify::run(cli.data_dir.as_deref(), &args),
        cli::Command::Trust(command) => commands::trust::run(cli.data_dir.as_deref(), &command),
        cli::Command::Lab(command) => commands::lab::run(&command),
    };
    status.into()
}
