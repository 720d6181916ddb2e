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
    /// The time to judge deadlines at (RFC 3339), instead of the clock: for tests and what-if questions.
    #[arg(
        long,
        global = true,
        value_name = "TIME",
        env = "ATTESTA_NOW",
        hide = true
    )]
    pub now: Option<String>,
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
    /// Archive messages: .eml files, directories of them, mbox files, Maildir folders.
    Import(ImportArgs),
    /// Per sent message and per recipient: delivered, failed, pending, overdue.
    Status(StatusArgs),
    /// Find archived messages by subject, parties, body text or attachment names.
    Search(SearchArgs),
    /// One archived item: its facts, its verdict, what it is linked to.
    Show(ShowArgs),
    /// Prove the archive is intact, or rebuild its derived data.
    #[command(subcommand)]
    Archive(ArchiveCommand),
    /// Add, list or remove PEC accounts (passwords go to the OS keyring).
    #[command(subcommand)]
    Account(AccountCommand),
    /// Who this desktop is: the person of the firm the archive records as having archived, sent,
    /// re-verified or exported what.
    #[command(subcommand)]
    User(crate::commands::user::UserCommand),
    /// Fetch new mail from the accounts into the archive (verified and linked).
    Sync(SyncArgs),
    /// Send a PEC message (checked against the PEC rules, archived before it leaves, never sent twice).
    Send(SendArgs),
    /// Submissions and where they stand.
    Outbox(OutboxArgs),
    /// Run a local PEC provider on a real Dovecot, for tests and demos.
    #[command(subcommand)]
    Lab(crate::commands::lab::LabCommand),
    /// Make evidence packs: one ZIP per sent message (its exact files, report.pdf, manifest.json).
    Export(crate::commands::export::ExportArgs),
    /// Check evidence packs offline: every file's hash, every signature, every stated outcome.
    VerifyPack(crate::commands::verify_pack::VerifyPackArgs),
    /// Check signed documents (p7m, m7m, tsd, tsr, signed PDF): who signed, when, qualified or not.
    VerifyDoc(crate::commands::verify_doc::VerifyDocArgs),
    /// Write the document inside a signed file (p7m, m7m, tsd), exactly as signed.
    Extract(crate::commands::extract::ExtractArgs),
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
    /// Import EU Trusted Lists (the EU list of lists, national lists) after verifying their signatures.
    ImportTl {
        /// Also accept this certificate (PEM/DER) as a signer of the EU list of lists, from now on
        /// (a newer Official Journal notice than the ones built in).
        #[arg(long = "lotl-signer", value_name = "CERT")]
        lotl_signers: Vec<PathBuf>,
        /// The list files (XML), in any order.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Also trust the PEM/DER certificates in DIR while verifying, for this run only.
    #[arg(long = "trust-dir", value_name = "DIR")]
    pub trust_dirs: Vec<PathBuf>,
    /// The mailbox these files belong to: on the firm's shared archive, the people granted that
    /// mailbox see them (without it, only those granted every mailbox do).
    #[arg(long, value_name = "ADDRESS")]
    pub mailbox: Option<String>,
    /// Files, directories (recursive), mbox files or Maildir folders.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print one JSON object per sent message, one per line.
    #[arg(long)]
    pub json: bool,
    /// Only messages with a recipient still waiting for delivery.
    #[arg(long)]
    pub pending: bool,
    /// Only messages with a recipient that failed, timed out or was not accepted.
    #[arg(long)]
    pub failed: bool,
    /// Only messages with a recipient past the 12-hour deadline without delivery.
    #[arg(long)]
    pub overdue: bool,
    /// Only messages sent on or after DATE (YYYY-MM-DD, local time, or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only messages sent before DATE.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only the message with this Message-ID.
    #[arg(long, value_name = "MSGID")]
    pub msgid: Option<String>,
    /// At most N messages, the most recently sent first.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Print one JSON object per message found, one per line.
    #[arg(long)]
    pub json: bool,
    /// At most this many results.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Words to find (all of them, as prefixes).
    #[arg(required = true, value_name = "TEXT")]
    pub text: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// An archive id (as `status` and `search` print it) or a sent message's Message-ID.
    #[arg(value_name = "ID|MSGID")]
    pub id: String,
}

#[derive(Debug, Subcommand)]
pub enum ArchiveCommand {
    /// Re-hash every message and walk the hash chain; report anything edited, removed or inserted.
    Check {
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
        /// Also prove the archive is unchanged up to a head noted down earlier (`SEQ:HASH`, as
        /// `archive head` prints it and every evidence pack records it); exits 3 when it is not.
        #[arg(long, value_name = "HEAD")]
        expect: Option<String>,
    },
    /// Print the head of the hash chain (`SEQ:HASH`), to keep outside the data directory.
    Head,
    /// Use the firm's shared archive on a PostgreSQL server (`postgres://user@host/db`, TLS verified;
    /// the password is read from standard input and kept in the OS keyring), or `local` for this data
    /// directory's own file. The server is connected to first: an address that does not work is not
    /// saved.
    Use {
        /// `postgres://user@host[:port]/database[?sslrootcert=CA.pem]`, or `local`.
        #[arg(value_name = "ADDRESS")]
        address: String,
        /// The server needs no password (it authenticates this desktop otherwise).
        #[arg(long)]
        no_password: bool,
    },
    /// Say where the archive is: this data directory's file, or the firm's server.
    Where,
    /// Grant a person's PostgreSQL login role the firm's shared archive: `--read` (browse, search,
    /// check, export) or `--write` (also archive, sync, send). Without `--mailbox`, every mailbox (and
    /// what was imported from files); with it, reading only the evidence of these mailboxes, beside
    /// those granted before. The server enforces it (row-level security); run it from the desktop of
    /// the archive's owner.
    Grant {
        /// The login role (made by the firm's database administrator).
        #[arg(value_name = "ROLE")]
        role: String,
        /// Reading only.
        #[arg(long, conflicts_with = "write", required_unless_present = "write")]
        read: bool,
        /// Reading and writing (every mailbox: a writer links sends from all their evidence).
        #[arg(long, conflicts_with = "mailboxes")]
        write: bool,
        /// A mailbox (its PEC address) whose evidence the role may read; repeatable.
        #[arg(long = "mailbox", value_name = "ADDRESS")]
        mailboxes: Vec<String>,
    },
    /// Take back what `archive grant` gave: these mailboxes (`--mailbox`, repeatable), or without it
    /// the whole archive. Run it from the desktop of the archive's owner.
    Revoke {
        /// The login role.
        #[arg(value_name = "ROLE")]
        role: String,
        /// A mailbox (its PEC address) the role may no longer read; repeatable.
        #[arg(long = "mailbox", value_name = "ADDRESS")]
        mailboxes: Vec<String>,
    },
    /// Say what this desktop's role may do in the archive (`read` or `write`), and which mailboxes it
    /// reads when not all of them.
    Access,
    /// Copy this archive into another: the firm's shared archive (`postgres://…`, password on standard
    /// input), `local` (this data directory's own file, when it uses a server) or an archive file.
    /// Resumable; a second run adds nothing; both archives are checked at the end. The archive this
    /// data directory uses does not change (`archive use` does that).
    Migrate {
        /// `postgres://user@host[:port]/database[?sslrootcert=CA.pem]`, `local`, or a file.
        #[arg(long = "to", value_name = "TARGET")]
        to: String,
        /// The server needs no password.
        #[arg(long)]
        no_password: bool,
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Recompute every derived fact, the search index and every link from the raw bytes.
    Rebuild {
        /// Keep the recorded verdicts instead of verifying every signature again.
        #[arg(long)]
        no_verify: bool,
        /// Also trust the PEM/DER certificates in DIR while verifying, for this run only.
        #[arg(long = "trust-dir", value_name = "DIR")]
        trust_dirs: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Add an account: a provider preset (found from the address, or --preset), manual servers, or a
    /// lab mailbox (--from-lab). The password is read from standard input and kept in the OS keyring.
    Add(AccountAddArgs),
    /// List the accounts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove an account and its password (the archive keeps everything already archived).
    Remove {
        #[arg(value_name = "ADDRESS")]
        address: String,
    },
    /// List the provider presets.
    Presets,
}

#[derive(Debug, Args)]
pub struct AccountAddArgs {
    /// The PEC address.
    #[arg(value_name = "ADDRESS")]
    pub address: String,
    /// A lab's lab.json (or its directory): configure that lab mailbox, trusting the lab's
    /// certificates for this account only.
    #[arg(long, value_name = "LAB.JSON", conflicts_with_all = ["preset", "imap", "smtp"])]
    pub from_lab: Option<PathBuf>,
    /// A provider preset (aruba, poste, legalmail, namirial); found from the address if not given.
    #[arg(long)]
    pub preset: Option<String>,
    /// Manual IMAP server, HOST:PORT (implicit TLS).
    #[arg(long, value_name = "HOST:PORT", requires = "smtp")]
    pub imap: Option<String>,
    /// Manual SMTP server, HOST:PORT (implicit TLS on 465, STARTTLS on 587 or with --smtp-starttls).
    #[arg(long, value_name = "HOST:PORT", requires = "imap")]
    pub smtp: Option<String>,
    #[arg(long)]
    pub smtp_starttls: bool,
    /// The login name, if not the address (Legalmail: the InfoCert user id).
    #[arg(long)]
    pub login: Option<String>,
    /// Extra TLS root certificate (PEM) for this account's servers.
    #[arg(long = "tls-root", value_name = "PEM")]
    pub tls_roots: Vec<PathBuf>,
    /// Which certified mail the mailbox speaks: pec (the default), rem or both. A lab mailbox speaks
    /// what its lab does (`lab up --rem`) unless this says otherwise.
    #[arg(long, value_parser = ["pec", "rem", "both"])]
    pub service: Option<String>,
    /// Do not try to log in before saving.
    #[arg(long)]
    pub no_test: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Only this account (default: all).
    #[arg(long, value_name = "ADDRESS")]
    pub account: Option<String>,
    /// Keep running: wait for new mail (IMAP IDLE) and sync it as it comes.
    #[arg(long)]
    pub watch: bool,
    /// Print the summary as one JSON object per account.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    #[arg(long, value_name = "ADDRESS")]
    pub account: String,
    #[arg(long, value_name = "ADDRESS", required = true)]
    pub to: Vec<String>,
    #[arg(long, value_name = "ADDRESS")]
    pub cc: Vec<String>,
    #[arg(long)]
    pub subject: String,
    #[arg(
        long,
        conflicts_with = "body_file",
        required_unless_present = "body_file"
    )]
    pub body: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    #[arg(long = "attach", value_name = "FILE")]
    pub attachments: Vec<PathBuf>,
    /// The receipt type asked of the provider.
    #[arg(long, default_value = "completa", value_parser = ["completa", "breve", "sintetica"])]
    pub receipt: String,
    /// REM accounts: ask for signed evidence when a recipient is an ordinary mailbox
    /// (`REM-RelayToNonERDS: evidence-required`).
    #[arg(long)]
    pub rem_relay_evidence: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OutboxArgs {
    #[arg(long, value_name = "ADDRESS")]
    pub account: Option<String>,
    /// Find out what happened to submissions whose outcome is unknown (syncs first).
    #[arg(long)]
    pub resolve: bool,
    #[arg(long)]
    pub json: bool,
}
