//! Accounts: presets, the connection test, adding and removing, and the demo. All but the built-in
//! presets read files, the keyring or the network: off the main thread.

use pec_engine::accounts::setup::{self, Manual};
use pec_engine::accounts::{Account, presets, secrets};
use tauri::AppHandle;

use super::blocking;
use crate::demo;
use crate::dto::account::{AccountForm, AccountInfo, ConnectionVerdict, Preset};
use crate::error::{AppError, AppResult};
use crate::watch;

#[tauri::command]
#[specta::specta]
pub fn presets() -> Vec<Preset> {
    presets::PRESETS.iter().map(Preset::from).collect()
}

#[tauri::command]
#[specta::specta]
pub async fn accounts(app: AppHandle) -> AppResult<Vec<AccountInfo>> {
    blocking(app, |_, state| {
        Ok(state
            .config()?
            .accounts
            .iter()
            .map(AccountInfo::from)
            .collect())
    })
    .await
}

fn account_of(form: &AccountForm) -> AppResult<Account> {
    if !form.address.contains('@') {
        return Err(AppError::BadAddress {
            address: form.address.clone(),
        });
    }
    match (&form.preset, &form.manual) {
        (Some(id), _) => Ok(setup::from_preset(
            id,
            &form.address,
            form.login.as_deref(),
        )?),
        (None, Some(m)) => Ok(setup::manual(
            &form.address,
            form.login.as_deref(),
            &Manual {
                imap_host: m.imap_host.clone(),
                imap_port: m.imap_port,
                smtp_host: m.smtp_host.clone(),
                smtp_port: m.smtp_port,
                smtp_starttls: m.smtp_starttls,
            },
        )),
        (None, None) => Err(AppError::internal("neither a preset nor servers")),
    }
}

fn verdict(account: &Account, password: &str) -> AppResult<ConnectionVerdict> {
    let test = setup::test_connection(account, password)?;
    Ok(ConnectionVerdict {
        imap: account.imap.to_string(),
        smtp: account.smtp.to_string(),
        login_ok: true,
        smtp_reachable: test.smtp_reachable,
    })
}

/// Tries the settings (an IMAP login, the SMTP server answering) without keeping anything.
#[tauri::command]
#[specta::specta]
pub async fn test_account(app: AppHandle, form: AccountForm) -> AppResult<ConnectionVerdict> {
    blocking(app, move |_, _| {
        verdict(&account_of(&form)?, &form.password)
    })
    .await
}

/// Tests, then keeps the account: the password into the OS keyring, the settings into `config.toml`.
#[tauri::command]
#[specta::specta]
pub async fn add_account(app: AppHandle, form: AccountForm) -> AppResult<AccountInfo> {
    blocking(app, move |app, state| {
        let account = account_of(&form)?;
        verdict(&account, &form.password)?;
        let info = AccountInfo::from(&account);
        state.edit_config(|config| {
            Ok(setup::save(
                &state.dir,
                config,
                account,
                &form.password,
                false,
            )?)
        })?;
        watch::start_sync(app);
        Ok(info)
    })
    .await
}

/// Forgets an account (its password too); what it archived stays in the archive.
#[tauri::command]
#[specta::specta]
pub async fn remove_account(app: AppHandle, address: String) -> AppResult<()> {
    blocking(app, move |_, state| {
        state.edit_config(|config| {
            let before = config.accounts.len();
            config
                .accounts
                .retain(|a| !a.address.eq_ignore_ascii_case(address.trim()));
            if config.accounts.len() == before {
                return Err(AppError::NoAccount {
                    address: address.clone(),
                });
            }
            Ok(())
        })?;
        Ok(secrets::forget(&state.dir, address.trim())?)
    })
    .await
}

/// The demo: starts the local lab provider and adds its mailbox as an account; with `rem`, the lab's
/// providers answer as REM services.
#[tauri::command]
#[specta::specta]
pub async fn start_demo(app: AppHandle, rem: bool) -> AppResult<AccountInfo> {
    blocking(app, move |app, state| {
        let account = demo::start(state, Some(rem))?;
        watch::start_sync(app);
        Ok(AccountInfo::from(&account))
    })
    .await
}
