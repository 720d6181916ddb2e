//! How the window paints (issue 16 §4): on a machine without a graphics processor the window is
//! painted in software, without WebKit's accelerated compositing.
//!
//! WebKitGTK composites the page with OpenGL. Where no GPU render node can be opened (a virtual
//! desktop, a remote session, a server without a graphics card, as many offices run), OpenGL is
//! Mesa's llvmpipe: the "GPU" is two more threads drawing on the processor, and the window's main
//! thread waits for their frames. Measured with `scripts/bench-ui` on the 2-core project machine
//! (100,000 messages, release): with compositing on, the worst cases held the main thread up to
//! 11–38 ms a run and the filter by a common word took 89–108 ms; painted in software, 3–11 ms in 20
//! runs of 21 and 27–72 ms (docs/benchmarks.md, "Painting in software"). Where a render node can be opened, WebKit keeps
//! its own choice.
//!
//! The person's own `WEBKIT_DISABLE_COMPOSITING_MODE` or `WEBKIT_DISABLE_DMABUF_RENDERER` always
//! wins: Attesta then leaves the painting to WebKit as told. The end-to-end tests use that switch
//! (WebKitWebDriver cannot take a screenshot of a modal dialog painted in software: see
//! `tests/e2e/harness.rs`); the UI benchmark runs the software painting.

use std::ffi::OsString;
use std::path::Path;

/// WebKit's own switches: if the person set either, the painting is theirs to choose.
const WEBKIT_SWITCHES: [&str; 2] = [
    "WEBKIT_DISABLE_COMPOSITING_MODE",
    "WEBKIT_DISABLE_DMABUF_RENDERER",
];

/// How the window paints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Painting {
    /// WebKit's default: accelerated compositing where it sees fit.
    WebKitDefault,
    /// On the processor, without compositing: no GPU render node can be opened here.
    Software,
}

/// The painting for a machine where `switch` reads the environment and `gpu` says whether a GPU
/// render node can be opened.
pub fn choose(switch: impl Fn(&str) -> Option<OsString>, gpu: bool) -> Painting {
    if gpu || WEBKIT_SWITCHES.iter().any(|name| switch(name).is_some()) {
        Painting::WebKitDefault
    } else {
        Painting::Software
    }
}

/// Whether this user can open one of the render nodes in `dri` (`/dev/dri/renderD128`, …): a GPU
/// that OpenGL can draw with. Opening it is what Mesa does; a node the user may not open (not in
/// the `render` group) is no GPU for this window.
pub fn render_node_usable(dri: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dri) else {
        return false;
    };
    entries.flatten().any(|entry| {
        entry.file_name().to_string_lossy().starts_with("renderD")
            && std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(entry.path())
                .is_ok()
    })
}

/// Chooses this machine's painting and applies it to `window`'s web view.
pub fn apply<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    let painting = choose(
        |name| std::env::var_os(name),
        render_node_usable(Path::new("/dev/dri")),
    );
    if painting == Painting::Software {
        software(window);
    }
}

#[cfg(target_os = "linux")]
fn software<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    let applied = window.with_webview(|webview| {
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(e) = applied {
        eprintln!("attesta: the window keeps WebKit's painting: {e}");
    }
}

#[cfg(not(target_os = "linux"))]
fn software<R: tauri::Runtime>(_window: &tauri::WebviewWindow<R>) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<OsString> {
        None
    }

    #[test]
    fn without_a_gpu_the_window_paints_in_software() {
        assert_eq!(choose(none, false), Painting::Software);
    }

    #[test]
    fn with_a_gpu_webkit_chooses() {
        assert_eq!(choose(none, true), Painting::WebKitDefault);
    }

    #[test]
    fn the_persons_own_webkit_switch_wins_even_set_to_zero() {
        for name in WEBKIT_SWITCHES {
            let set = |asked: &str| (asked == name).then(|| OsString::from("0"));
            assert_eq!(choose(set, false), Painting::WebKitDefault, "{name}");
        }
    }

    #[test]
    fn a_folder_without_render_nodes_or_no_folder_is_no_gpu() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!render_node_usable(dir.path()));
        std::fs::write(dir.path().join("card0"), b"").unwrap();
        assert!(!render_node_usable(dir.path()));
        assert!(!render_node_usable(&dir.path().join("missing")));
    }

    #[test]
    fn a_render_node_that_opens_is_a_gpu() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("renderD128"), b"").unwrap();
        assert!(render_node_usable(dir.path()));
    }
}
