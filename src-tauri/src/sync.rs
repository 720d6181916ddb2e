//! Syncing every account into the archive (a background job), then telling the user what arrived:
//! new certified mail and receipts as desktop notifications, in the interface language.

use std::sync::atomic::AtomicBool;

use chrono::Utc;
use pec_core::PecKind;
use pec_engine::Trust;
use pec_engine::accounts::secrets;
use pec_engine::sync::sync_account;
use tauri::AppHandle;

use crate::dto::app::Language;
use crate::error::AppResult;
use crate::jobs::{Finished, Reporter};
use crate::state::AppState;
use crate::{notify, prefs};

/// Syncs each account in turn; the first error ends the job (later accounts are tried next time).
pub fn sync_all(
    app: &AppHandle,
    state: &AppState,
    cancel: &AtomicBool,
    report: &Reporter,
) -> AppResult<Finished> {
    let config = state.config()?;
    let before = state.archive()?.last_message_id()?;
    let mut new = 0;
    let mut interrupted = false;
    for account in &config.accounts {
        let trust = Trust::for_account(&config, account, &[])?;
        let password = secrets::password(&state.dir, &account.address)?;
        let mut archive = state.writer()?;
        let summary = sync_account(
            &mut archive,
            account,
            &password,
            &trust.anchors,
            Utc::now(),
            cancel,
            &mut |p| {
                report.progress(p.done_bytes, p.total_bytes, new + p.new);
            },
        )?;
        new += summary.new;
        interrupted |= summary.interrupted;
        if interrupted {
            break;
        }
    }
    if new > 0 {
        tell(app, state, before);
    }
    Ok(Finished {
        new,
        output: None,
        interrupted,
    })
}

/// One notification per new envelope or receipt (at most five, then one for the rest).
fn tell(app: &AppHandle, state: &AppState, before: i64) {
    let Ok(rows) = state
        .archive()
        .and_then(|a| Ok(a.archived_after(before, 50)?))
    else {
        return;
    };
    let it = prefs::load(&state.dir).language == Language::It;
    let worded: Vec<(String, String)> = rows
        .iter()
        .filter_map(|r| {
            let subject = r.subject.clone().unwrap_or_default();
            let who = r.consegna.clone().unwrap_or_default();
            let title = match (r.kind, it) {
                (PecKind::TransportEnvelope, true) => {
                    format!("Nuova PEC da {}", r.sender.clone().unwrap_or_default())
                }
                (PecKind::TransportEnvelope, false) => {
                    format!("New PEC from {}", r.sender.clone().unwrap_or_default())
                }
                (PecKind::Delivery, true) => format!("Consegnata a {who}"),
                (PecKind::Delivery, false) => format!("Delivered to {who}"),
                (PecKind::DeliveryFailure | PecKind::DeliveryTimeout24h, true) => {
                    format!("Mancata consegna a {who}")
                }
                (PecKind::DeliveryFailure | PecKind::DeliveryTimeout24h, false) => {
                    format!("Not delivered to {who}")
                }
                (PecKind::NonAcceptance, true) => "Messaggio non accettato dal gestore".to_owned(),
                (PecKind::NonAcceptance, false) => {
                    "Message not accepted by the provider".to_owned()
                }
                (PecKind::AnomalyEnvelope, true) => {
                    "Messaggio anomalo (senza valore legale)".to_owned()
                }
                (PecKind::AnomalyEnvelope, false) => "Anomaly message (no legal value)".to_owned(),
                _ => return None,
            };
            Some((title, subject))
        })
        .collect();
    for (title, body) in worded.iter().take(5) {
        notify::show(app, state, title, body);
    }
    if worded.len() > 5 {
        let rest = worded.len() - 5;
        let title = if it {
            format!("Altri {rest} messaggi PEC")
        } else {
            format!("{rest} more PEC messages")
        };
        notify::show(app, state, &title, "");
    }
}
