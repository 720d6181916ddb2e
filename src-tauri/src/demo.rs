//! The demo: Attesta working without a PEC mailbox. It runs the local lab provider (crate `pec-lab`,
//! a real Dovecot and two PEC providers) in this process, in the data directory, and adds the lab
//! mailbox `mario.rossi@alfa.pec.lab` as an account that trusts the lab's CAs for itself only.
//!
//! The lab makes new ports, passwords and CAs at every start; its mail stays. So when the app starts
//! again with a lab account, the lab is started again and the account refreshed.
//!
//! The demo can also run the lab's providers as REM services (the first-run's "REM demo", issue 14
//! §7): the mailbox is then a REM account, and what it sends comes back as REM dispatches and signed
//! ERDS evidence. The choice is the lab's (`lab.json` records each provider's service), so a restart
//! keeps it.

use std::path::PathBuf;

use pec_engine::accounts::{Account, lab, setup};
use pec_lab::Lab;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The demo account.
pub const DEMO_ADDRESS: &str = "mario.rossi@alfa.pec.lab";

/// How many signed messages a new demo mailbox starts with (weeks of use: envelopes received,
/// receipts of what it sent, now and then a failure or a 12 h / 24 h notice).
const DEMO_MESSAGES: usize = 240;

/// Where the lab lives: `demo-lab/` in the data directory, or (when that cannot be reached by the mail
/// processes, e.g. under `/root`) a private folder with a random name in the system's temporary
/// directory, recorded in `demo-lab.path` in the data directory and used again while it is still a
/// folder of ours that no one else can write or list (issue 13 §5: never a name anyone could compute
/// and make first; see `pec_lab::private`).
pub fn lab_dir(state: &AppState) -> AppResult<PathBuf> {
    let inside = state.dir.path().join("demo-lab");
    if pec_lab::check_reachable_by_mail_owner(&inside).is_ok() {
        return Ok(inside);
    }
    state.dir.create()?;
    Ok(pec_lab::private::lab_dir_recorded_in(
        &state.dir.path().join("demo-lab.path"),
        "attesta-demo-",
    )?)
}

/// Starts the lab (if it does not run yet) and adds or refreshes the demo account. `rem`: whether the
/// providers answer as REM services; `None` keeps what the lab in the data directory last ran as.
pub fn start(state: &AppState, rem: Option<bool>) -> AppResult<Account> {
    if !Lab::available() {
        return Err(AppError::DovecotMissing);
    }
    let mut slot = state.lab.lock().unwrap_or_else(|p| p.into_inner());
    if slot.is_none() {
        let dir = lab_dir(state)?;
        let fresh = !dir.join("lab.json").exists();
        // NOTE: an app that was killed (not closed) leaves its lab's Dovecot running; this directory is
        // the app's own and no lab of it runs in this process, so what runs there is a leftover.
        let _ = pec_lab::dovecot::stop(&pec_lab::daemon::LabPaths::new(&dir).dovecot);
        let rem = rem.unwrap_or_else(|| {
            pec_lab::LabInfo::load(&dir).is_ok_and(|info| {
                info.providers
                    .iter()
                    .any(|p| p.service == pec_lab::LabService::Rem)
            })
        });
        let handle = Lab::start_with(&dir, pec_lab::LabOptions { rem })?;
        if fresh {
            handle.fill(DEMO_ADDRESS, DEMO_MESSAGES)?;
        }
        *slot = Some(handle);
    }
    let info = slot
        .as_ref()
        .map(|h| h.info.clone())
        .ok_or_else(|| AppError::internal("the demo did not start"))?;
    drop(slot);
    let (account, password) = lab::from_lab(&info, DEMO_ADDRESS, &state.dir)?;
    state.edit_config(|config| {
        setup::save(&state.dir, config, account.clone(), &password, true)?;
        Ok(())
    })?;
    Ok(account)
}

/// At start-up: if a lab account exists and its lab was made here, run the lab again.
pub fn resume(state: &AppState) {
    let has_lab_account = state
        .config()
        .is_ok_and(|c| c.accounts.iter().any(|a| a.provider == "lab"));
    if has_lab_account
        && lab_dir(state).is_ok_and(|d| d.join("lab.json").exists())
        && Lab::available()
    {
        let _ = start(state, None);
    }
}

/// Stops the lab, if it runs (when the app quits).
pub fn stop(state: &AppState) {
    let handle = state.lab.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(handle) = handle {
        let _ = handle.stop();
    }
}
