//! One app per data directory (issue 17): `tauri-plugin-single-instance` owns a D-Bus name on the
//! session bus; a second launch finds it taken, hands over its arguments and working directory, and
//! exits. The running app queues the requests, brings its window forward, and tells the window.
//!
//! NOTE: the name carries a digest of the data directory: two data directories are two archives, so
//! two apps (the end-to-end tests run several at once, each with its own directory).

use pec_engine::DataDir;
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Wry};
use tauri_specta::Event;

use super::{Pending, requests};
use crate::events::LaunchWaiting;

/// The D-Bus name of the app for `dir`: the identifier and a digest of the directory.
pub fn dbus_id(identifier: &str, dir: &DataDir) -> String {
    use std::os::unix::ffi::OsStrExt;
    let digest = pec_archive::store::address(dir.path().as_os_str().as_bytes());
    let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    // A name element may not start with a digit (D-Bus specification, "Bus names").
    format!("{identifier}.d{hex}")
}

/// The plugin: register it before any other.
pub fn plugin(identifier: &str, dir: &DataDir) -> TauriPlugin<Wry> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(dbus_id(identifier, dir))
        .callback(|app, argv, cwd| {
            let args = argv.into_iter().skip(1).map(std::ffi::OsString::from);
            let launches = requests(args, std::path::Path::new(&cwd));
            let count = u32::try_from(launches.len()).unwrap_or(u32::MAX);
            app.state::<Pending>().push(launches);
            show(app);
            let _ = LaunchWaiting { requests: count }.emit(app);
        })
        .build()
}

/// Brings the main window forward: shown, not minimised, focused.
fn show(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn each_data_directory_has_its_own_valid_bus_name() {
        let a = dbus_id(
            "it.attesta.desktop",
            &DataDir::resolve(Some(Path::new("/home/a/.local/share/attesta"))).unwrap(),
        );
        let b = dbus_id(
            "it.attesta.desktop",
            &DataDir::resolve(Some(Path::new("/tmp/attesta-e2e-1"))).unwrap(),
        );
        assert_ne!(a, b);
        for name in [&a, &b] {
            assert!(name.len() <= 255);
            for element in name.split('.') {
                assert!(
                    !element.is_empty() && !element.starts_with(|c: char| c.is_ascii_digit()),
                    "{name}"
                );
                assert!(
                    element
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
                    "{name}"
                );
            }
        }
    }
}
