//! The real window under WebDriver: tauri-driver (which runs WebKitWebDriver) launches the built app
//! with a data directory of the test's own; screenshots go under the build output
//! (`<target>/e2e-screenshots/`, never committed). `ATTESTA_E2E_APP` names another binary to drive
//! (an installed package's `/usr/bin/attesta-app`) instead of the one this build made.
//!
//! Needs: the app built with the bundled UI (`--features custom-protocol`, after `npm run build` in
//! `ui/`), `tauri-driver` (`cargo install tauri-driver --locked`), `WebKitWebDriver`
//! (`webkit2gtk-driver`), an X display (`xvfb-run`), a Secret Service (`scripts/lib/keyring-session`)
//! and Dovecot for the demo. Without `ATTESTA_E2E=1` the tests say SKIPPED (`scripts/test` sets it).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// The app the tests launch: `ATTESTA_E2E_APP` if set (an installed package), else this build's.
pub fn application() -> PathBuf {
    std::env::var_os("ATTESTA_E2E_APP")
        .filter(|a| !a.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_attesta-app")))
}

/// The command line the desktop runs to open `file` with the installed desktop entry named by
/// `ATTESTA_E2E_DESKTOP_ENTRY` (its `Exec=` with `%f` replaced by the file, the program found in
/// `PATH`), or `None` when no entry is named.
pub fn desktop_command(file: &Path) -> Option<(PathBuf, Vec<String>)> {
    let entry = std::env::var_os("ATTESTA_E2E_DESKTOP_ENTRY")?;
    let text = std::fs::read_to_string(&entry)
        .unwrap_or_else(|e| panic!("{}: {e}", Path::new(&entry).display()));
    let exec = text
        .lines()
        .find_map(|l| l.strip_prefix("Exec="))
        .unwrap_or_else(|| panic!("no Exec= in {}", Path::new(&entry).display()));
    let mut words = exec.split_whitespace();
    let program = words.next().expect("an empty Exec=");
    let args: Vec<String> = words
        .map(|w| match w {
            "%f" => file.display().to_string(),
            other => other.to_owned(),
        })
        .collect();
    let program = if program.contains('/') {
        PathBuf::from(program)
    } else {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|d| d.join(program))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{program} (the entry's Exec=) is not in PATH"))
    };
    Some((program, args))
}

/// Why the end-to-end tests cannot run here, if they cannot.
pub fn unavailable() -> Option<String> {
    if let Some(why) = window_unavailable() {
        return Some(why);
    }
    if !pec_lab::Lab::available() {
        return Some("dovecot not installed".into());
    }
    None
}

/// Why the window cannot be driven here (the tests that need no demo lab ask only this).
pub fn window_unavailable() -> Option<String> {
    if std::env::var_os("ATTESTA_E2E").is_none() {
        return Some("set ATTESTA_E2E=1 (scripts/test does) to drive the real window".into());
    }
    if std::env::var_os("ATTESTA_E2E_APP").is_none() && !cfg!(feature = "custom-protocol") {
        return Some(
            "build with --features custom-protocol so the window loads the bundled UI".into(),
        );
    }
    if std::env::var_os("DISPLAY").is_none() {
        return Some("no X display (run under xvfb-run)".into());
    }
    if tauri_driver().is_none() {
        return Some("tauri-driver not installed (cargo install tauri-driver --locked)".into());
    }
    if !Path::new("/usr/bin/WebKitWebDriver").exists() {
        return Some("WebKitWebDriver not installed (apt-get install webkit2gtk-driver)".into());
    }
    if !application().is_file() {
        return Some(format!("{} does not exist", application().display()));
    }
    None
}

fn tauri_driver() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver"));
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("tauri-driver"))
        .chain(home)
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Where screenshots go.
pub fn screenshots() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("e2e-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// tauri-driver on a free port; stopped with SIGTERM on drop (SIGKILL would leave WebKitWebDriver
/// holding its port, environment.md).
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// The app for the end-to-end tests, painting as WebKit chooses. Without a GPU the app paints in
    /// software (`src-tauri/src/painting.rs`), where WebKitWebDriver's screenshot of a page with a
    /// modal `<dialog>` open never returns (seen 7 December 2026, WebKitGTK 2.50, Xvfb); the window
    /// itself paints the dialog (checked with an X capture of the screen). The person's own switch
    /// (`WEBKIT_DISABLE_COMPOSITING_MODE`, here "0") keeps WebKit's compositing, so every screenshot
    /// returns; the UI benchmark ([`Driver::start_with`]) runs the software painting users get.
    pub fn start(data_dir: &Path) -> Driver {
        Driver::start_with(
            data_dir,
            &[("WEBKIT_DISABLE_COMPOSITING_MODE", std::ffi::OsStr::new("0"))],
        )
    }

    /// As [`Driver::start`], the app also getting the variables `env` and painting as it would here.
    pub fn start_with(data_dir: &Path, env: &[(&str, &std::ffi::OsStr)]) -> Driver {
        let port = free_port();
        let native = free_port();
        let child = Command::new(tauri_driver().unwrap())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("ATTESTA_DATA_DIR", data_dir)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "tauri-driver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }

    /// A WebDriver session: this launches the app.
    pub async fn session(&self) -> Client {
        self.session_with(&[]).await
    }

    /// A WebDriver session launching the app with `args` on its command line (as the desktop does
    /// for a file or a `mailto:` link).
    pub async fn session_with(&self, args: &[&str]) -> Client {
        self.session_of(&application(), args).await
    }

    /// A WebDriver session launching `program` with `args`.
    pub async fn session_of(&self, program: &Path, args: &[&str]) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": program, "args": args }),
        );
        ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .unwrap()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A data directory the lab's mail processes can reach (as root they run as `nobody`).
pub fn data_dir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::Builder::new()
        .prefix("attesta-e2e-")
        .tempdir()
        .unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// Stops the demo lab of a data directory when dropped ([`stop_demo_lab`]), so a failing step (a panic
/// inside a test's steps) leaves no Dovecot behind either (issue 16 §7). Made right after the data
/// directory, it is dropped after the app.
pub struct StopDemoLab<'a>(pub &'a Path);

impl Drop for StopDemoLab<'_> {
    fn drop(&mut self) {
        stop_demo_lab(self.0);
    }
}

/// Stops whatever the app's demo lab left running (the app dies with the session; its Dovecot may
/// not): the Dovecot master of this test's own lab directory, by its pid file.
pub fn stop_demo_lab(data_dir: &Path) {
    let lab = data_dir.join("demo-lab");
    let _ = pec_lab::dovecot::stop(&pec_lab::daemon::LabPaths::new(&lab).dovecot);
    let _ = pec_lab::lab::down(&lab);
}

/// Saves a screenshot of the window as `<name>.png`.
pub async fn shot(client: &Client, name: &str) -> PathBuf {
    // Let the web view paint what the last action changed.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let png = client.screenshot().await.unwrap();
    let path = screenshots().join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap();
    println!("screenshot: {}", path.display());
    path
}

/// Waits for an element matching `css`.
pub async fn wait_for(
    client: &Client,
    css: &str,
    limit: Duration,
) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(limit)
        .every(Duration::from_millis(100))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear within {limit:?}: {e}"))
}

/// Waits until `check` holds, polling.
pub async fn wait_until<F, Fut>(limit: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < limit,
            "{what} did not happen within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The value of the first form field matching `css`, or "".
pub async fn value_of(client: &Client, css: &str) -> String {
    let script = format!(
        "const e = document.querySelector({}); return e ? e.value : '';",
        serde_json::to_string(css).unwrap()
    );
    let v = client.execute(&script, vec![]).await.unwrap();
    v.as_str().unwrap_or_default().to_owned()
}

/// The attribute `name` of the first element matching `css`, or "".
pub async fn attribute_of(client: &Client, css: &str, name: &str) -> String {
    let script = format!(
        "const e = document.querySelector({}); return e ? (e.getAttribute({}) || '') : '';",
        serde_json::to_string(css).unwrap(),
        serde_json::to_string(name).unwrap()
    );
    let v = client.execute(&script, vec![]).await.unwrap();
    v.as_str().unwrap_or_default().to_owned()
}

/// The text content of the first element matching `css` (all of it, visible or clipped), or "".
pub async fn text_of(client: &Client, css: &str) -> String {
    let script = format!(
        "const e = document.querySelector({}); return e ? e.textContent : '';",
        serde_json::to_string(css).unwrap()
    );
    let v = client.execute(&script, vec![]).await.unwrap();
    v.as_str().unwrap_or_default().to_owned()
}

/// Clicks the first element matching `css`, brought to the middle of its scrolling pane first (a
/// sticky header or a toast may cover the edges).
pub async fn click(client: &Client, css: &str) {
    let script = format!(
        "const e = document.querySelector({}); if (e) e.scrollIntoView({{block: 'center'}}); return !!e;",
        serde_json::to_string(css).unwrap()
    );
    let found = client.execute(&script, vec![]).await.unwrap();
    assert_eq!(
        found,
        serde_json::Value::Bool(true),
        "nothing matches {css}"
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

/// Fails the test with every accessibility problem the audits found ([`audit`]), one per line.
pub fn assert_accessible(violations: &[String]) {
    assert!(
        violations.is_empty(),
        "axe-core found {} accessibility problems:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

/// The accessibility audit of what the window shows now (issue 16 §5): axe-core, from the UI's own
/// devDependencies (`ui/node_modules/axe-core`), injected into the page and run over the whole
/// document. One line per violation: the screen, the rule, its impact, and the elements it names.
pub async fn audit(client: &Client, screen: &str) -> Vec<String> {
    let axe = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&axe)
        .unwrap_or_else(|e| panic!("{}: {e} (run `npm ci` in ui/)", axe.display()));
    client
        .execute(
            &format!("if (!window.axe) {{ {source}\n }} return true;"),
            vec![],
        )
        .await
        .unwrap();
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then((r) => done(r.violations.map((v) =>
                 `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)))
               .catch((e) => done([`axe did not run: ${e}`]));",
            vec![],
        )
        .await
        .unwrap();
    found
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .map(|v| format!("{screen}: {v}"))
        .collect()
}
