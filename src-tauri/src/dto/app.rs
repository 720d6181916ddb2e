//! The app itself: what the window needs at start-up, the user's preferences, background jobs.

use serde::{Deserialize, Serialize};

/// The interface language. Italian first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    It,
    En,
}

/// Light, dark, or as the system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// The user's preferences (`ui.json` in the data directory).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub struct Preferences {
    pub language: Language,
    pub theme: Theme,
    /// Desktop notifications for new PEC, receipts and deadlines.
    pub notifications: bool,
    /// Attesta may look for signed updates (issue 17 §3); off until the person turns it on.
    #[serde(default)]
    pub updates: bool,
}

/// What the window asks first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub accounts: u32,
    /// Dovecot is installed, so the demo provider can run here.
    pub demo_available: bool,
    /// The demo provider is running.
    pub demo_running: bool,
    pub preferences: Preferences,
    /// The person of the firm this desktop acts as (issue 18 §3), if one is set.
    pub person: Option<pec_archive::Person>,
}

/// Background work the user can watch and stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum JobKind {
    Sync,
    Import,
    Export,
}

/// Where the archive's upgrade at start stands (issue 17 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum UpgradePhase {
    /// Keeping a copy of the archive as it is.
    Copying,
    /// Running the migrations, one step after another.
    Migrating,
    /// Checking that the upgraded archive kept everything.
    Verifying,
    /// Upgraded and verified, the copy removed: the window opens.
    Done,
    /// A migration or the verification failed: the copy is kept, the archive is not opened.
    Failed,
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum JobPhase {
    Running,
    Done,
    Failed,
    Cancelled,
}
