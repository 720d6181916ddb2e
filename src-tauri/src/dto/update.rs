//! Signed updates as the window sees them (issue 17 §3): what a check found, what an install did, and
//! why an update was refused.

use serde::{Deserialize, Serialize};

/// What checking for an update found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum UpdateCheck {
    /// This build has no updater: built from source, or packaged without a release key.
    NotInThisBuild { current: String },
    /// The person has not allowed Attesta to look for updates (Settings).
    NotAllowed { current: String },
    /// The server offers this version or none.
    UpToDate { current: String },
    /// The server offers an older version than the one installed: refused, never installed.
    Older { current: String, offered: String },
    /// A newer version is offered; nothing is downloaded until the person chooses to install it.
    Available {
        current: String,
        version: String,
        notes: Option<String>,
        /// RFC 3339, as the manifest says (unsigned: shown, never relied on).
        date: Option<String>,
    },
}

/// An update installed: Attesta runs the new version from its next start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct UpdateInstalled {
    pub version: String,
}

/// Why an update was refused. Nothing was installed and nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum UpdateRefusal {
    /// The package's signature is not one of the release key (a forged or altered package, or a
    /// manifest carrying a bad signature).
    BadSignature,
    /// The manifest announces a version other than the one the package was signed for (a manifest
    /// pairing a new number with an older release, to force a downgrade).
    VersionNotSigned,
    /// The download is not a package this system installs.
    NotAPackage,
    /// The manifest or the package would travel over plain http to another machine.
    Insecure,
    /// The update server could not be reached or gave no valid manifest.
    Unreachable,
    /// The manifest has no package for this system.
    NoPackageForThisSystem,
    /// The system's package manager did not install it (or the administrator's password was not given).
    InstallFailed,
    /// The server offers no version newer than this one (an older one is never installed).
    NotNewer,
    /// This build has no updater, or the person has not allowed updates.
    NotAllowed,
}
