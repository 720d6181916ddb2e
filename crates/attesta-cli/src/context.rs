//! What every archive command needs: the data directory, the archive, the trust in force, the clock.

use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use pec_archive::{Archive, Location};
use pec_engine::{DataDir, EngineConfig, Trust};

use crate::upgrading::Upgrading;

/// The global options, as given.
#[derive(Debug, Clone)]
pub struct Context {
    pub data_dir: Option<PathBuf>,
    /// `--now`: the time to judge deadlines at, instead of the clock.
    pub now: Option<String>,
}

impl Context {
    pub fn dir(&self) -> Result<DataDir> {
        Ok(DataDir::resolve(self.data_dir.as_deref())?)
    }

    /// The archive in the data directory (created on first use; upgraded, with its steps on stderr,
    /// when an older Attesta wrote it), acting as the person set with `attesta user set` (issue 18
    /// §3): the one place the command opens the archive it works on.
    pub fn archive(&self) -> Result<Archive> {
        self.archive_trusting(&[])
    }

    /// [`Context::archive`] for a command given `--trust-dir`: the verdicts of the signed
    /// attachments it archives trust those directories too, as its PEC verification does.
    pub fn archive_trusting(&self, extra: &[PathBuf]) -> Result<Archive> {
        let mut upgrading = Upgrading::default();
        Ok(pec_engine::shared_archive::open_trusting(
            &self.dir()?,
            extra,
            &mut |s| upgrading.step(s),
        )?)
    }

    /// Where the archive is: the data directory's own file, or the firm's server it uses.
    pub fn location(&self) -> Result<Location> {
        Ok(pec_engine::shared_archive::location(&self.dir()?)?)
    }

    /// The engine configuration.
    pub fn config(&self) -> Result<EngineConfig> {
        Ok(EngineConfig::load(&self.dir()?)?)
    }

    /// The built-in PEC CAs, the configured directories, and `extra`.
    pub fn trust(&self, extra: &[PathBuf]) -> Result<Trust> {
        let dir = self.dir()?;
        let config = EngineConfig::load(&dir)?;
        Ok(Trust::load(&config, extra)?)
    }

    /// The time: `--now` if given, else the clock.
    pub fn now(&self) -> Result<DateTime<Utc>> {
        match &self.now {
            Some(t) => Ok(DateTime::parse_from_rfc3339(t)
                .with_context(|| format!("--now {t:?} is not an RFC 3339 time"))?
                .with_timezone(&Utc)),
            None => Ok(SystemTime::now().into()),
        }
    }
}

/// A date as a user types it: `YYYY-MM-DD` (midnight, local time) or an RFC 3339 instant.
pub fn parse_date(text: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .with_context(|| format!("{text:?} is not a date (YYYY-MM-DD) or an RFC 3339 time"))?;
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Ok(midnight
        .and_local_timezone(chrono::Local)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc)))
}

/// Prints an error the way every command does, and gives the usage/I-O exit status.
pub fn fail(e: &anyhow::Error) -> crate::exit::Status {
    eprintln!("attesta: {e:#}");
    crate::exit::Status::Error
}
