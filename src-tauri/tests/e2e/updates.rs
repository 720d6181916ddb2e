//! Signed updates in the installed app (issue 17 §3): a local HTTP server on 127.0.0.1 serves an
//! update manifest and packages made by `scripts/lib/package.sh` (`make_update_fixtures`); the app,
//! installed from its `.deb`, is driven through Settings → Updates. A manifest carrying a signature of
//! another key, a package with one byte flipped, an older version, and an older release announced as
//! a newer one are each refused with the reason in words, and the installed version stays; then the
//! genuine newer package is found, verified and installed (`dpkg-query` shows its version).
//!
//! Runs only when `ATTESTA_UPDATE_FIXTURES` names the fixtures folder and `ATTESTA_UPDATE_ENDPOINT`
//! the manifest address the package was built with (`scripts/test` sets both after installing it).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fantoccini::Client;

use super::harness::{Driver, StopDemoLab, click, data_dir, shot, text_of, wait_for};

const MINUTE: Duration = Duration::from_secs(60);

/// The fixtures: packages, their signatures, and the versions they carry.
pub struct Fixtures {
    dir: PathBuf,
    endpoint: url::Url,
    pub current: String,
    pub next: String,
    pub old: String,
}

impl Fixtures {
    pub fn from_env() -> Option<Fixtures> {
        let dir = PathBuf::from(std::env::var_os("ATTESTA_UPDATE_FIXTURES")?);
        let endpoint = url::Url::parse(&std::env::var("ATTESTA_UPDATE_ENDPOINT").ok()?).unwrap();
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name))
                .unwrap_or_else(|e| panic!("{name} in the fixtures: {e}"))
                .trim()
                .to_owned()
        };
        Some(Fixtures {
            current: read("version.current"),
            next: read("version.next"),
            old: read("version.old"),
            dir,
            endpoint,
        })
    }

    fn signature(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name))
            .unwrap()
            .trim()
            .to_owned()
    }

    /// The manifest announcing `version`, pointing at `package` with signature file `signature`.
    fn manifest(&self, version: &str, package: &str, signature: &str) -> Vec<u8> {
        let base = self.endpoint.join("./").unwrap();
        let entry = serde_json::json!({
            "url": base.join(package).unwrap().to_string(),
            "signature": self.signature(signature),
        });
        serde_json::to_vec(&serde_json::json!({
            "version": version,
            "notes": format!("Attesta {version}"),
            "pub_date": "2026-12-07T00:00:00Z",
            "platforms": { "linux-x86_64-deb": entry },
        }))
        .unwrap()
    }
}

/// A minimal static HTTP server: `latest.json` is whatever the test set last; any other path is a
/// file of the fixtures folder.
struct Server {
    manifest: Arc<Mutex<Vec<u8>>>,
}

impl Server {
    fn start(fixtures: &Fixtures) -> Server {
        let port = fixtures.endpoint.port().unwrap_or(80);
        let listener = TcpListener::bind(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("the update server cannot listen on 127.0.0.1:{port}: {e}"));
        let manifest: Arc<Mutex<Vec<u8>>> = Arc::default();
        let shared = Arc::clone(&manifest);
        let dir = fixtures.dir.clone();
        let manifest_path = fixtures.endpoint.path().to_owned();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &dir, &manifest_path, &shared);
            }
        });
        Server { manifest }
    }

    fn offer(&self, manifest: Vec<u8>) {
        *self.manifest.lock().unwrap() = manifest;
    }
}

fn serve(
    mut stream: std::net::TcpStream,
    dir: &Path,
    manifest_path: &str,
    manifest: &Mutex<Vec<u8>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let path = path.split('?').next().unwrap_or_default();
    let body = if path == manifest_path {
        Some(manifest.lock().unwrap().clone())
    } else {
        let name = path.rsplit('/').next().unwrap_or_default();
        (!name.is_empty() && !name.starts_with('.'))
            .then(|| std::fs::read(dir.join(name)).ok())
            .flatten()
    };
    match body {
        Some(body) => {
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            stream.write_all(&body)?;
        }
        None => write!(
            stream,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )?,
    }
    stream.flush()
}

/// The installed package's version, as dpkg knows it.
fn installed_version() -> String {
    let out = std::process::Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", "attesta"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Presses the control `css` in the settings dialog (scrolled into view first; a click the web view
/// reports as intercepted while the modal settles is retried).
async fn press(client: &Client, css: &str) {
    for _ in 0..20 {
        let script = format!(
            "const e = document.querySelector({}); if (!e || e.disabled) return false; e.scrollIntoView({{block: 'center'}}); e.click(); return true;",
            serde_json::to_string(css).unwrap()
        );
        if client.execute(&script, vec![]).await.unwrap() == serde_json::Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{css} cannot be pressed");
}

/// What the settings say about updates: the refusal shown beside them if any, else the status line.
async fn said(client: &Client) -> String {
    let error = text_of(client, "[data-testid=updates-error]").await;
    if error.trim().is_empty() {
        text_of(client, "[data-testid=updates-status]").await
    } else {
        error
    }
}

/// Waits until what the settings say satisfies `done`, and returns it.
async fn settle(client: &Client, what: &str, done: impl Fn(&str) -> bool) -> String {
    let started = std::time::Instant::now();
    loop {
        let now = said(client).await;
        if done(&now) {
            return now;
        }
        assert!(started.elapsed() < 2 * MINUTE, "{what}: still {now:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Clicks "Check now" and returns the answer (the status line is emptied by the click).
async fn check(client: &Client) -> String {
    press(client, "[data-testid=updates-check]").await;
    settle(client, "the update check", |s| {
        !s.trim().is_empty() && !s.contains("Download")
    })
    .await
}

/// Clicks "Install" and returns the outcome in words.
async fn install(client: &Client) -> String {
    press(client, "[data-testid=updates-install]").await;
    settle(client, "the install", |s| {
        s.contains("rifiutato") || s.contains("è installato")
    })
    .await
}

pub async fn run(fixtures: Fixtures) {
    let dir = data_dir();
    let _lab = StopDemoLab(dir.path());
    let server = Server::start(&fixtures);
    let driver = Driver::start(dir.path());
    let client = driver.session().await;
    let outcome = async {
        // Settings need a mailbox: the demo's.
        wait_for(&client, "[data-testid=start-demo]", MINUTE).await;
        click(&client, "[data-testid=start-demo]").await;
        wait_for(&client, "[data-testid=compose-button]", 2 * MINUTE).await;
        click(&client, "[data-testid=settings-button]").await;
        wait_for(&client, "[data-testid=updates]", MINUTE).await;

        // Nothing is looked up until the person allows it.
        server.offer(fixtures.manifest(&fixtures.next, "next.deb", "next.deb.sig"));
        let said = check(&client).await;
        assert!(said.contains("disattivata"), "{said}");
        press(&client, "[data-testid=updates-allow]").await;

        // A manifest carrying a signature of another key: offered, refused at install.
        server.offer(fixtures.manifest(&fixtures.next, "next.deb", "next.deb.forged.sig"));
        let said = check(&client).await;
        assert!(said.contains(&fixtures.next), "{said}");
        let said = install(&client).await;
        assert!(said.contains("firma del pacchetto non è quella"), "{said}");
        assert_eq!(installed_version(), fixtures.current);
        shot(&client, "updates-01-bad-signature").await;

        // The genuine signature over a package with one byte flipped.
        server.offer(fixtures.manifest(&fixtures.next, "flipped.deb", "next.deb.sig"));
        check(&client).await;
        let said = install(&client).await;
        assert!(said.contains("firma del pacchetto non è quella"), "{said}");
        assert_eq!(installed_version(), fixtures.current);

        // An older version, honestly announced: refused at the check, no install offered.
        server.offer(fixtures.manifest(&fixtures.old, "old.deb", "old.deb.sig"));
        let said = check(&client).await;
        assert!(
            said.contains("più vecchia") && said.contains(&fixtures.old),
            "{said}"
        );
        assert!(
            client
                .find(fantoccini::Locator::Css("[data-testid=updates-install]"))
                .await
                .is_err()
        );
        shot(&client, "updates-02-downgrade").await;

        // The older release announced as a newer version: its signature names its real version.
        server.offer(fixtures.manifest(&fixtures.next, "old.deb", "old.deb.sig"));
        check(&client).await;
        let said = install(&client).await;
        assert!(said.contains("versione diversa"), "{said}");
        assert_eq!(installed_version(), fixtures.current);

        // The genuine newer package: found, verified, installed.
        server.offer(fixtures.manifest(&fixtures.next, "next.deb", "next.deb.sig"));
        check(&client).await;
        let said = install(&client).await;
        assert!(
            said.contains(&format!("Attesta {} è installato", fixtures.next)),
            "{said}"
        );
        assert_eq!(installed_version(), fixtures.next);
        wait_for(&client, "[data-testid=updates-restart]", MINUTE).await;
        shot(&client, "updates-03-installed").await;
    };
    let result = tokio::time::timeout(10 * MINUTE, outcome).await;
    let _ = client.close().await;
    drop(driver);
    result.expect("the update test timed out");
}
