//! Signed updates (issue 17 §3) with the Tauri updater, and the rules Attesta adds to it.
//!
//! Only a packaged build has an updater: `scripts/package --update-key` builds the release key's
//! public half into the app's configuration, so the key is never a setting a user file or another
//! program could change (an update is installed as root, after the administrator's password). The
//! updater then refuses a package whose minisign signature is not the release key's
//! (`BadSignature`), a manifest whose version differs from the one the package's signature names
//! (`requireSignedVersion`: no old release passed off as new), and anything not newer than the
//! running version (reported as [`UpdateCheck::Older`], never installed). Attesta adds: nothing is
//! looked up until the person allows it in Settings, and neither the manifest nor the package travels
//! over plain http except on this machine (the configuration's `dangerousInsecureTransportProtocol`
//! is on so that loopback works; [`address_allowed`] is the rule).

use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Error as UpdaterError, Update, UpdaterExt};
use url::Url;

use crate::dto::update::{UpdateCheck, UpdateRefusal};
use crate::error::{AppError, AppResult};

/// Whether this build carries an updater configuration (a release key).
pub fn configured(config: &tauri::Config) -> bool {
    config
        .plugins
        .0
        .get("updater")
        .and_then(|u| u.get("pubkey"))
        .and_then(|k| k.as_str())
        .is_some_and(|k| !k.trim().is_empty())
}

/// The update endpoints of this build's configuration.
fn endpoints(config: &tauri::Config) -> Vec<String> {
    config
        .plugins
        .0
        .get("updater")
        .and_then(|u| u.get("endpoints"))
        .and_then(|e| e.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|e| e.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// https anywhere; plain http only to this machine (127.0.0.1, ::1, localhost).
pub fn address_allowed(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => match url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        },
        _ => false,
    }
}

fn refused(reason: UpdateRefusal, detail: impl std::fmt::Display) -> AppError {
    AppError::UpdateRefused {
        reason,
        detail: detail.to_string(),
    }
}

/// Why the updater refused, in the window's words.
pub fn refusal(e: &UpdaterError) -> UpdateRefusal {
    match e {
        UpdaterError::Minisign(_) | UpdaterError::Base64(_) | UpdaterError::SignatureUtf8(_) => {
            UpdateRefusal::BadSignature
        }
        UpdaterError::SignedVersionMismatch { .. } | UpdaterError::MissingSignedVersion => {
            UpdateRefusal::VersionNotSigned
        }
        UpdaterError::InvalidUpdaterFormat => UpdateRefusal::NotAPackage,
        UpdaterError::InsecureTransportProtocol => UpdateRefusal::Insecure,
        UpdaterError::TargetNotFound(_) | UpdaterError::TargetsNotFound(_) => {
            UpdateRefusal::NoPackageForThisSystem
        }
        UpdaterError::PackageInstallFailed
        | UpdaterError::DebInstallFailed
        | UpdaterError::AuthenticationFailed
        | UpdaterError::TempDirNotFound => UpdateRefusal::InstallFailed,
        _ => UpdateRefusal::Unreachable,
    }
}

fn from_updater(e: UpdaterError) -> AppError {
    refused(refusal(&e), e)
}

/// Looks for an update: the window's view of it, and the update itself when one is offered.
pub async fn find<R: Runtime>(
    app: &AppHandle<R>,
    allowed: bool,
) -> AppResult<(UpdateCheck, Option<Update>)> {
    let current = app.package_info().version.to_string();
    if !configured(app.config()) {
        return Ok((UpdateCheck::NotInThisBuild { current }, None));
    }
    if !allowed {
        return Ok((UpdateCheck::NotAllowed { current }, None));
    }
    for endpoint in endpoints(app.config()) {
        let url = Url::parse(&endpoint).map_err(|e| refused(UpdateRefusal::Unreachable, e))?;
        if !address_allowed(&url) {
            return Err(refused(UpdateRefusal::Insecure, url));
        }
    }
    // The default rule (newer only) stays; the offered version is noted to say "older" rather than
    // "up to date" when a server offers a downgrade.
    let offered: Arc<Mutex<Option<semver::Version>>> = Arc::default();
    let seen = Arc::clone(&offered);
    let updater = app
        .updater_builder()
        .version_comparator(move |current, release| {
            if let Ok(mut seen) = seen.lock() {
                *seen = Some(release.version.clone());
            }
            release.version > current
        })
        .build()
        .map_err(from_updater)?;
    let update = updater.check().await.map_err(from_updater)?;
    let Some(update) = update else {
        let offered = offered.lock().ok().and_then(|o| o.clone());
        let older = offered
            .filter(|o| semver::Version::parse(&current).is_ok_and(|c| *o < c))
            .map(|o| o.to_string());
        return Ok(match older {
            Some(offered) => (UpdateCheck::Older { current, offered }, None),
            None => (UpdateCheck::UpToDate { current }, None),
        });
    };
    if !address_allowed(&update.download_url) {
        return Err(refused(UpdateRefusal::Insecure, &update.download_url));
    }
    let check = UpdateCheck::Available {
        current,
        version: update.version.clone(),
        notes: update.body.clone(),
        date: update.date.map(|d| d.unix_timestamp()).and_then(|s| {
            chrono::DateTime::from_timestamp(s, 0)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        }),
    };
    Ok((check, Some(update)))
}

/// Downloads `update`, checks its signature against the release key and the version it was signed
/// for, and installs it with the system's package manager. Any refusal leaves everything as it was.
pub async fn install(update: Update) -> AppResult<String> {
    let bytes = update
        .download(|_, _| {}, || {})
        .await
        .map_err(from_updater)?;
    let version = update.version.clone();
    // The package manager runs as a child process and waits for the administrator: off the runtime.
    tauri::async_runtime::spawn_blocking(move || update.install(bytes))
        .await
        .map_err(AppError::internal)?
        .map_err(from_updater)?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_is_allowed() {
        let allowed = |s: &str| address_allowed(&Url::parse(s).unwrap());
        assert!(allowed("https://updates.example.org/latest.json"));
        assert!(allowed("http://127.0.0.1:47913/latest.json"));
        assert!(allowed("http://localhost/latest.json"));
        assert!(allowed("http://[::1]:8080/x.deb"));
        assert!(!allowed("http://updates.example.org/latest.json"));
        assert!(!allowed("http://127.0.0.1.example.org/latest.json"));
        assert!(!allowed("http://10.0.0.1/latest.json"));
        assert!(!allowed("ftp://127.0.0.1/latest.json"));
        assert!(!allowed("file:///tmp/latest.json"));
    }

    #[test]
    fn a_forged_signature_and_a_manifest_naming_another_version_are_told_apart() {
        assert_eq!(
            refusal(&UpdaterError::SignedVersionMismatch {
                signed: "0.1.0".into(),
                announced: "0.2.0".into()
            }),
            UpdateRefusal::VersionNotSigned
        );
        assert_eq!(
            refusal(&UpdaterError::MissingSignedVersion),
            UpdateRefusal::VersionNotSigned
        );
        assert_eq!(
            refusal(&UpdaterError::SignatureUtf8("x".into())),
            UpdateRefusal::BadSignature
        );
        assert_eq!(
            refusal(&UpdaterError::InvalidUpdaterFormat),
            UpdateRefusal::NotAPackage
        );
        assert_eq!(
            refusal(&UpdaterError::DebInstallFailed),
            UpdateRefusal::InstallFailed
        );
    }

    #[test]
    fn a_build_without_a_release_key_has_no_updater() {
        let mut config = tauri::Config::default();
        assert!(!configured(&config));
        config.plugins.0.insert(
            "updater".into(),
            serde_json::json!({ "pubkey": "", "endpoints": [] }),
        );
        assert!(!configured(&config));
        config.plugins.0.insert(
            "updater".into(),
            serde_json::json!({ "pubkey": "dW50cnVzdGVk", "endpoints": ["https://x/latest.json"] }),
        );
        assert!(configured(&config));
        assert_eq!(endpoints(&config), ["https://x/latest.json"]);
    }
}
