//! `attesta user set NAME [--email ADDRESS]`, `attesta user show [--json]`, `attesta user clear`: the
//! person of the firm this data directory acts as (issue 18 §3). Kept in `config.toml`; from then on
//! every journal entry this desktop writes names them, a message they send records them as its sender,
//! and a pack they export says who exported it.

use anyhow::Result;
use clap::Subcommand;
use pec_archive::Person;

use crate::context::{Context, fail};
use crate::exit::Status;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Set who this desktop is: `attesta user set "Avv. Maria Rossi" --email maria.rossi@studio.example`.
    Set {
        /// The name as the firm writes it.
        #[arg(value_name = "NAME")]
        name: String,
        /// The person's own e-mail address (optional; not the PEC mailbox).
        #[arg(long, value_name = "ADDRESS")]
        email: Option<String>,
    },
    /// Show who this desktop is.
    Show {
        /// Print one JSON object (`null` when no one is set).
        #[arg(long)]
        json: bool,
    },
    /// Forget the person: from now on nothing names who did what from this desktop.
    Clear,
}

pub fn run(context: &Context, command: &UserCommand) -> Status {
    let result = match command {
        UserCommand::Set { name, email } => set(context, name, email.as_deref()),
        UserCommand::Show { json } => show(context, *json),
        UserCommand::Clear => clear(context),
    };
    result.unwrap_or_else(|e| fail(&e))
}

fn set(context: &Context, name: &str, email: Option<&str>) -> Result<Status> {
    let person = pec_engine::user::set_user(&context.dir()?, name, email)?;
    println!(
        "this desktop is {}: what it archives, sends, re-verifies or exports is recorded as theirs",
        person.describe()
    );
    Ok(Status::Ok)
}

fn show(context: &Context, json: bool) -> Result<Status> {
    let person: Option<Person> = pec_engine::user::user(&context.dir()?)?;
    if json {
        println!("{}", serde_json::to_string(&person)?);
        return Ok(Status::Ok);
    }
    match person {
        Some(p) => {
            println!("name:   {}", p.name);
            println!("e-mail: {}", p.email.as_deref().unwrap_or("(none)"));
        }
        None => println!(
            "no one: set who this desktop is with `attesta user set NAME [--email ADDRESS]`"
        ),
    }
    Ok(Status::Ok)
}

fn clear(context: &Context) -> Result<Status> {
    match pec_engine::user::clear_user(&context.dir()?)? {
        Some(p) => println!(
            "{} is no longer this desktop's person; nothing will name who did what from here",
            p.describe()
        ),
        None => println!("no one was set"),
    }
    Ok(Status::Ok)
}
