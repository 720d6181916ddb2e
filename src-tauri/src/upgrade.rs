//! The archive's upgrade on the first start of a newer Attesta (issue 17 §4). It can take minutes on a
//! large archive, so it runs on a thread of its own while the window shows "Aggiornamento
//! dell'archivio…" with a progress bar and the phase ([`ArchiveUpgrade`] events); the app's state
//! ([`AppState`]) is managed, and the rest of the app started, only once the archive is upgraded and
//! verified. The window asks for the latest news first ([`Upgrading::latest`], command
//! `archive_upgrade`), so news sent before it listened is not lost.

use std::sync::Mutex;

use pec_archive::UpgradeStep;
use pec_engine::DataDir;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::dto::app::UpgradePhase;
use crate::error::AppError;
use crate::events::ArchiveUpgrade;
use crate::state::AppState;

/// The upgrade's latest news: `None` when the archive needed none.
#[derive(Default)]
pub struct Upgrading(Mutex<Option<ArchiveUpgrade>>);

impl Upgrading {
    pub fn latest(&self) -> Option<ArchiveUpgrade> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn tell(&self, app: &AppHandle, news: ArchiveUpgrade) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(news.clone());
        let _ = news.emit(app);
    }
}

fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The news of one step of the upgrade (`None` for the last, told as `done` once the app is open).
fn news_of(step: &UpgradeStep) -> Option<ArchiveUpgrade> {
    let news = |phase, done, total, copy: Option<&std::path::Path>| ArchiveUpgrade {
        phase,
        done,
        total,
        copy: copy.map(|c| c.display().to_string()),
        derived: 0,
        error: None,
    };
    match step {
        UpgradeStep::Copying { copy, done, total } => Some(news(
            UpgradePhase::Copying,
            count(*done),
            count(*total),
            Some(copy.as_path()),
        )),
        UpgradeStep::Migrating { step, of, .. } => {
            Some(news(UpgradePhase::Migrating, *step, *of, None))
        }
        UpgradeStep::Verifying => Some(news(UpgradePhase::Verifying, 0, 0, None)),
        UpgradeStep::Verified { .. } => None,
    }
}

/// Upgrades the archive in `dir` on a thread of its own; then manages the app's state and calls
/// `ready`. A failure is told to the window, which shows it; nothing else starts.
pub fn start(app: &AppHandle, dir: DataDir, ready: fn(&AppHandle)) -> std::io::Result<()> {
    let app = app.clone();
    std::thread::Builder::new()
        .name("attesta-upgrade".into())
        .spawn(move || {
            let upgrading = app.state::<Upgrading>();
            let mut verified = None;
            let opened = pec_engine::shared_archive::location(&dir)
                .map_err(AppError::from)
                .and_then(|location| {
                    Ok(location.open_upgrading(&mut |step| match news_of(step) {
                        Some(news) => upgrading.tell(&app, news),
                        None => verified = Some(step.clone()),
                    })?)
                })
                .and_then(|archive| {
                    drop(archive);
                    AppState::open(dir)
                });
            match opened {
                Ok(state) => {
                    app.manage(state);
                    let (copy, derived) = match verified {
                        Some(UpgradeStep::Verified {
                            removed, derived, ..
                        }) => (Some(removed.display().to_string()), count(derived)),
                        _ => (None, 0),
                    };
                    upgrading.tell(
                        &app,
                        ArchiveUpgrade {
                            phase: UpgradePhase::Done,
                            done: 0,
                            total: 0,
                            copy,
                            derived,
                            error: None,
                        },
                    );
                    ready(&app);
                }
                Err(e) => upgrading.tell(
                    &app,
                    ArchiveUpgrade {
                        phase: UpgradePhase::Failed,
                        done: 0,
                        total: 0,
                        copy: None,
                        derived: 0,
                        error: Some(e),
                    },
                ),
            }
        })
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_of_an_upgrade_is_news_for_the_window_and_the_last_waits_for_the_app() {
        let copying = news_of(&UpgradeStep::Copying {
            copy: "/d/archive.v6.before-upgrade.sqlite3".into(),
            done: 3,
            total: 9,
        })
        .unwrap();
        assert_eq!(
            (copying.phase, copying.done, copying.total, copying.copy),
            (
                UpgradePhase::Copying,
                3,
                9,
                Some("/d/archive.v6.before-upgrade.sqlite3".into())
            )
        );
        let migrating = news_of(&UpgradeStep::Migrating {
            step: 1,
            of: 2,
            version: 7,
        })
        .unwrap();
        assert_eq!(
            (migrating.phase, migrating.done, migrating.total),
            (UpgradePhase::Migrating, 1, 2)
        );
        assert_eq!(
            news_of(&UpgradeStep::Verifying).map(|n| n.phase),
            Some(UpgradePhase::Verifying)
        );
        assert_eq!(
            news_of(&UpgradeStep::Verified {
                from: 6,
                to: 7,
                removed: "/d/c".into(),
                derived: 0
            }),
            None
        );
    }
}
