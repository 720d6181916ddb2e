//! What a command prints on stderr while it upgrades an archive written by an older Attesta (issue 17
//! §4): the copy kept, each migration, the verification, and whether the copy was removed. A kept
//! copy is named by the error the command then fails with.

use pec_archive::UpgradeStep;

use crate::progress::Progress;

/// Prints each step of an upgrade; a bar (or a few lines) while the copy is made.
#[derive(Default)]
pub struct Upgrading {
    copying: Option<Progress>,
}

impl Upgrading {
    pub fn step(&mut self, step: &UpgradeStep) {
        if let UpgradeStep::Copying { copy, done, total } = step {
            let bar = self.copying.get_or_insert_with(|| {
                eprintln!(
                    "attesta: upgrading the archive: first keeping a copy of it as it is, at {}",
                    copy.display()
                );
                Progress::new("copying", *total, false)
            });
            bar.update(*done, *total, "pages copied");
            return;
        }
        if let Some(bar) = self.copying.take() {
            bar.finish();
        }
        match step {
            UpgradeStep::Copying { .. } => {}
            UpgradeStep::Migrating { step, of, version } => eprintln!(
                "attesta: upgrading the archive: step {step} of {of} (to archive version {version})"
            ),
            UpgradeStep::Verifying => eprintln!(
                "attesta: upgrading the archive: verifying that it kept everything (archive check, counts, hash chain)"
            ),
            UpgradeStep::Verified {
                from,
                to,
                removed,
                derived,
            } => {
                eprintln!(
                    "attesta: archive upgraded from version {from} to {to} and verified; the copy {} was removed",
                    removed.display()
                );
                if *derived > 0 {
                    eprintln!(
                        "attesta: {derived} derived rows differ from what this version reads from the raw bytes; `attesta archive rebuild` recomputes them"
                    );
                }
            }
        }
    }
}
