//! `attesta`: the headless face of the engine — inspect, verify, import, status, export, sync.
//!
//! Exit status: 0 when everything asked for holds, 1 when a file is not what it should be, 2 for usage or
//! I/O errors. Human output by default; `--json` prints one JSON object per line for scripts.

mod cli;
mod commands;
mod context;
mod exit;
mod progress;
mod report;
mod upgrading;
mod verdict;

use clap::Parser;

/// The serde spelling of a unit enum variant (`certificato`, …).
fn facts_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let context = context::Context {
        data_dir: cli.data_dir.clone(),
        now: cli.now.clone(),
    };
    let status = match cli.command {
        cli::Command::Inspect(args) => commands::inspect::run(&args),
        cli::Command::Verify(args) => commands::verify::run(cli.data_dir.as_deref(), &args),
        cli::Command::Trust(command) => commands::trust::run(cli.data_dir.as_deref(), &command),
        cli::Command::Import(args) => commands::import::run(&context, &args),
        cli::Command::Status(args) => commands::status::run(&context, &args),
        cli::Command::Search(args) => commands::search::run(&context, &args),
        cli::Command::Show(args) => commands::show::run(&context, &args),
        cli::Command::Archive(command) => commands::archive::run(&context, &command),
        cli::Command::Account(command) => commands::account::run(&context, &command),
        cli::Command::User(command) => commands::user::run(&context, &command),
        cli::Command::Sync(args) => commands::sync::run(&context, &args),
        cli::Command::Send(args) => commands::send::run(&context, &args),
        cli::Command::Outbox(args) => commands::outbox::run(&context, &args),
        cli::Command::Lab(command) => commands::lab::run(&command),
        cli::Command::Export(args) => commands::export::run(&context, &args),
        cli::Command::VerifyPack(args) => commands::verify_pack::run(&context, &args),
        cli::Command::VerifyDoc(args) => commands::verify_doc::run(&context, &args),
        cli::Command::Extract(args) => commands::extract::run(&context, &args),
    };
    status.into()
}
