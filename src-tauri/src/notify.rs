//! Desktop notifications for new certified mail, receipts and deadlines, when the user wants them.
//! Best effort: a desktop without a notification service simply shows none (the window still does).
//!
//! The text comes from senders (a subject, an address), and freedesktop notification servers read
//! the body as markup (`<b>`, `<a href>`, `<img>`): a subject like `<a href="…">Apri</a>` would become
//! a link in a trusted system popup. So summary and body are escaped for that markup (issue 13 §5).

use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

use crate::prefs;
use crate::state::AppState;

/// `text` as literal text inside freedesktop notification markup (a subset of XML).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` as the platform's notification server reads it: escaped where the server is a freedesktop
/// one (Linux, the BSDs); macOS and Windows show plain text, where escaping would show `&amp;`.
fn for_server(text: &str) -> String {
    if cfg!(all(unix, not(target_os = "macos"))) {
        escape(text)
    } else {
        text.to_owned()
    }
}

pub fn show(app: &AppHandle, state: &AppState, title: &str, body: &str) {
    if !prefs::load(&state.dir).notifications {
        return;
    }
    let _ = app
        .notification()
        .builder()
        .title(for_server(title))
        .body(for_server(body))
        .show();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_with_markup_shows_as_text_in_the_notification_issue_13() {
        assert_eq!(
            escape(r#"<a href="https://x.example">Apri</a> & 'paga'"#),
            "&lt;a href=&quot;https://x.example&quot;&gt;Apri&lt;/a&gt; &amp; &apos;paga&apos;"
        );
        assert_eq!(
            escape("Notifica atto 118/2026 — è"),
            "Notifica atto 118/2026 — è"
        );
        assert_eq!(escape("&amp;"), "&amp;amp;");
        #[cfg(target_os = "linux")]
        assert_eq!(for_server("<b>x</b>"), "&lt;b&gt;x&lt;/b&gt;");
    }
}
