//! Desktop notifications for new certified mail, receipts and deadlines, when the user wants them.
//! Best effort: a desktop without a notification service simply shows none (the window still does).

use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

use crate::prefs;
use crate::state::AppState;

pub fn show(app: &AppHandle, state: &AppState, title: &str, body: &str) {
    if !prefs::load(&state.dir).notifications {
        return;
    }
    let _ = app.notification().builder().title(title).body(body).show();
}
