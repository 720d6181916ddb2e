//! Issue 18, "Done when": three desktops share one archive on PostgreSQL and write to it at once,
//! through the real `attesta` binary — each syncing the same lab mailbox and importing the real corpus
//! — and a desktop killed with SIGKILL in the middle of a commit loses nothing. What they hold together
//! is compared with one desktop doing the same work alone, on its own SQLite file: every message once,
//! every origin, one linear chain that `archive check` finds intact from every desktop (and from one
//! that only reads, while the others write), and the same state for every recipient of every send.
//!
//! These need PostgreSQL (`scripts/lib/postgres-cluster`), Dovecot, a Secret Service and the real
//! corpus; without any of them they say SKIPPED.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use pec_archive::Archive;
use pec_archive::db::Db;
use pec_archive::db::postgres::{Address, PgConn};
use pec_lab::{Lab, LabHandle};
use pec_testkit::corpus;

use crate::support::text;

/// The clock `status` judges deadlines at, the same for every archive compared.
const STATUS_NOW: &str = "2030-01-02T12:00:00Z";

// ---------------------------------------------------------------------------------------------
// The server

/// The test server (`scripts/lib/postgres-cluster`): its admin address and password.
struct Server {
    admin: String,
    password: Option<String>,
}

impl Server {
    fn from_env() -> Option<Server> {
        let Ok(admin) = std::env::var("ATTESTA_TEST_POSTGRES") else {
            println!(
                "SKIPPED: no PostgreSQL server (run inside scripts/lib/postgres-cluster, as scripts/test does)"
            );
            return None;
        };
        Some(Server {
            admin,
            password: std::env::var("ATTESTA_TEST_POSTGRES_PASSWORD").ok(),
        })
    }

    fn connect(&self, url: &str) -> Db {
        let address = Address::parse(url, self.password.as_deref()).unwrap();
        Db::Postgres(PgConn::connect(&address).unwrap())
    }

    /// A new, empty database for one test: its address, without the password (as a user types it).
    fn fresh_database(&self, purpose: &str) -> String {
        Address::parse(&self.admin, self.password.as_deref())
            .unwrap()
            .create_fresh_database(&format!("attesta_{purpose}_"))
            .unwrap()
            .shown
    }

    fn count(&self, url: &str, sql: &str) -> i64 {
        self.connect(url).query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

// ---------------------------------------------------------------------------------------------
// The mail

/// A lab whose sender mailbox holds sends (in Sent), their acceptances and their receipts (in INBOX),
/// and `fill` more signed PEC messages.
struct Mailbox {
    _lab: LabHandle,
    _lab_dir: tempfile::TempDir,
    lab_json: PathBuf,
    address: String,
}

fn attesta(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_attesta"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run attesta");
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{input}\n").as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn messages_in(lab: &LabHandle, user: &str, folder: &str) -> usize {
    lab.doveadm(&["search", "-u", user, "mailbox", folder, "ALL"])
        .map_or(0, |found| found.lines().count())
}

impl Mailbox {
    /// `None` (SKIPPED) without Dovecot or a keyring.
    fn with_mail(fill: usize) -> Option<Mailbox> {
        if !Lab::available() {
            println!("SKIPPED: dovecot not installed");
            return None;
        }
        let lab_dir = tempfile::tempdir().unwrap();
        let lab = Lab::start(lab_dir.path()).unwrap();
        let lab_json = lab_dir.path().join("lab.json");
        let info = &lab.info;
        let sender = info.accounts[0].clone();
        let others: Vec<&str> = info
            .accounts
            .iter()
            .filter(|a| a.provider != sender.provider)
            .map(|a| a.address.as_str())
            .collect();
        let domain = others[0].split_once('@').unwrap().1;
        let nobody = format!("nessuno@{domain}");

        // The firm's sends, from a desktop of its own: delivered, delivered and failed, two delivered.
        let sending = tempfile::tempdir().unwrap();
        let out = attesta(
            sending.path(),
            &[
                "account",
                "add",
                "--from-lab",
                lab_json.to_str().unwrap(),
                &sender.address,
            ],
            None,
        );
        if text(&out).contains("no OS keyring") {
            println!(
                "SKIPPED: no OS keyring in this session (run inside dbus-run-session with gnome-keyring)"
            );
            return None;
        }
        assert!(out.status.success(), "{}", text(&out));
        let sends: [(&str, Vec<&str>); 3] = [
            ("Atto di citazione", vec![others[0]]),
            ("Diffida ad adempiere", vec![others[1], &nobody]),
            ("Convocazione assemblea", vec![others[0], others[1]]),
        ];
        let mut receipts = 0;
        for (subject, to) in &sends {
            let mut args = vec!["send", "--account", &sender.address];
            for r in to {
                args.extend(["--to", r]);
            }
            args.extend(["--subject", subject, "--body", "Testo dell'atto"]);
            let out = attesta(sending.path(), &args, None);
            assert!(out.status.success(), "{}", text(&out));
            receipts += 1 + to.len();
        }
        lab.fill(&sender.address, fill).unwrap();
        // The providers' receipts are in the sender's INBOX before `send` returns; the filled mail is
        // written straight into the maildir. Wait until Dovecot shows all of it.
        let started = Instant::now();
        while messages_in(&lab, &sender.address, "INBOX") < receipts + fill
            || messages_in(&lab, &sender.address, "Sent") < sends.len()
        {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the mailbox never held all its mail"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(Mailbox {
            _lab: lab,
            _lab_dir: lab_dir,
            lab_json,
            address: sender.address,
        })
    }
}

/// The real corpus's PEC messages (its folder of files from real providers).
fn real_corpus() -> Option<PathBuf> {
    Some(corpus::dir_or_skip("shared archive")?.join("real"))
}

// ---------------------------------------------------------------------------------------------
// The desktops

/// One desktop: its data directory, with the firm's mailbox as an account and, when given, the firm's
/// shared archive.
struct Desktop {
    dir: tempfile::TempDir,
}

impl Desktop {
    fn new(mailbox: &Mailbox, accounts: &[&str]) -> Desktop {
        let dir = tempfile::tempdir().unwrap();
        for address in accounts {
            let out = attesta(
                dir.path(),
                &[
                    "account",
                    "add",
                    "--from-lab",
                    mailbox.lab_json.to_str().unwrap(),
                    address,
                ],
                None,
            );
            assert!(out.status.success(), "{}", text(&out));
        }
        Desktop { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Starts `attesta ARGS` in this desktop, its output kept in files (so that no pipe fills up while
    /// the test waits for another process).
    fn start(&self, what: &str, args: &[&str], stdin: Option<&str>) -> Running {
        let logs = self.path().join("test-logs");
        std::fs::create_dir_all(&logs).unwrap();
        let n = std::fs::read_dir(&logs).unwrap().count();
        let out = logs.join(format!("{n}.out"));
        let err = logs.join(format!("{n}.err"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_attesta"))
            .arg("--data-dir")
            .arg(self.path())
            .args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .expect("run attesta");
        if let Some(input) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{input}\n").as_bytes())
                .unwrap();
        }
        Running {
            what: format!("{what} ({})", args.join(" ")),
            child,
            out,
            err,
        }
    }

    /// `archive check --json` from this desktop: its report, after asserting it found nothing wrong.
    fn check_clean(&self, when: &str) -> serde_json::Value {
        let out = attesta(self.path(), &["archive", "check", "--json"], None);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{when}: no report from check: {}", text(&out)));
        assert_eq!(
            report["problems"],
            serde_json::json!([]),
            "{when}, from {}: {report}",
            self.path().display()
        );
        assert!(out.status.success(), "{when}: {}", text(&out));
        report
    }

    /// What this desktop's archive holds (see [`Holdings`]).
    fn holdings(&self) -> Holdings {
        let dir = pec_engine::DataDir::resolve(Some(self.path())).unwrap();
        let archive = pec_engine::shared_archive::location(&dir)
            .unwrap()
            .open_read_only()
            .unwrap();
        let status = attesta_at(self.path(), &["status", "--json"]);
        assert!(status.status.success(), "{}", text(&status));
        Holdings::read(&archive, &String::from_utf8_lossy(&status.stdout))
    }
}

/// `attesta ARGS` judged at [`STATUS_NOW`].
fn attesta_at(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attesta"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("ATTESTA_NOW", STATUS_NOW)
        .output()
        .unwrap()
}

/// A process started by [`Desktop::start`].
struct Running {
    what: String,
    child: Child,
    out: PathBuf,
    err: PathBuf,
}

impl Running {
    /// Waits for it; its status, standard output, and all it said.
    fn finish(mut self) -> (ExitStatus, String, String) {
        let status = self.child.wait().unwrap();
        let out = std::fs::read_to_string(&self.out).unwrap_or_default();
        let err = std::fs::read_to_string(&self.err).unwrap_or_default();
        let said = format!("{}: {status}\n{out}{err}", self.what);
        (status, out, said)
    }

    /// Waits for it and asserts it succeeded; returns its standard output.
    fn succeeds(self) -> String {
        let (status, out, said) = self.finish();
        assert!(status.success(), "{said}");
        out
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL
    }
}

/// The `new` count of a `--json` summary (sync or import).
fn new_in(summary: &str) -> u64 {
    let line: serde_json::Value = serde_json::from_str(summary.trim()).unwrap();
    line["new"].as_u64().unwrap()
}

// ---------------------------------------------------------------------------------------------
// What an archive holds

/// An archive's holdings, independent of its row ids (which differ from archive to archive): each
/// message's SHA-256 with its origins, and each send as `status --json` shows it, with its evidence
/// named by SHA-256.
#[derive(Debug, PartialEq, Eq)]
struct Holdings {
    messages: BTreeMap<String, BTreeSet<String>>,
    sends: BTreeMap<String, serde_json::Value>,
}

impl Holdings {
    fn read(archive: &Archive, status: &str) -> Holdings {
        let mut messages = BTreeMap::new();
        let mut sha_of = BTreeMap::new();
        let mut last = 0;
        loop {
            let page = archive.archived_after(last, 1000).unwrap();
            let Some(end) = page.last() else { break };
            last = end.id;
            for row in page {
                let sha = pec_archive::journal::hex(&pec_archive::store::address(
                    &archive.raw(row.id).unwrap(),
                ));
                let origins = archive
                    .origins(row.id)
                    .unwrap()
                    .iter()
                    .map(|o| format!("{o:?}"))
                    .collect();
                sha_of.insert(row.id, sha.clone());
                assert!(
                    messages.insert(sha, origins).is_none(),
                    "the same bytes stored twice"
                );
            }
        }
        let by_sha = |v: &serde_json::Value| match v.as_i64() {
            Some(id) => serde_json::json!(sha_of[&id]),
            None => v.clone(),
        };
        let mut sends = BTreeMap::new();
        for line in status.lines() {
            let mut send: serde_json::Value = serde_json::from_str(line).unwrap();
            send["id"] = serde_json::Value::Null;
            let mut evidence: Vec<String> = send["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| by_sha(v).as_str().unwrap().to_owned())
                .collect();
            evidence.sort();
            send["evidence"] = serde_json::json!(evidence);
            for r in send["recipients"].as_array_mut().unwrap() {
                r["evidence"] = by_sha(&r["evidence"]);
                r["disputed_by"] = by_sha(&r["disputed_by"]);
            }
            // Findings come in the order their evidence arrived, which differs from run to run.
            let mut findings: Vec<serde_json::Value> = send["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    let mut f = f.clone();
                    f["evidence"] = by_sha(&f["evidence"]);
                    f
                })
                .collect();
            findings.sort_by_key(|f| f.to_string());
            send["findings"] = serde_json::json!(findings);
            let key = send["msgid"].as_str().unwrap().to_owned();
            assert!(sends.insert(key.clone(), send).is_none(), "two sends {key}");
        }
        Holdings { messages, sends }
    }

    fn origins(&self) -> usize {
        self.messages.values().map(BTreeSet::len).sum()
    }

    /// Asserts `self` (the shared archive) holds what `alone` (one desktop's own file) holds, saying
    /// what differs.
    fn assert_same_as(&self, alone: &Holdings) {
        let ours: BTreeSet<&String> = self.messages.keys().collect();
        let theirs: BTreeSet<&String> = alone.messages.keys().collect();
        assert_eq!(
            ours.difference(&theirs).count() + theirs.difference(&ours).count(),
            0,
            "messages only in the shared archive: {:?}; only in the single desktop's: {:?}",
            ours.difference(&theirs).collect::<Vec<_>>(),
            theirs.difference(&ours).collect::<Vec<_>>()
        );
        for (sha, origins) in &self.messages {
            assert_eq!(origins, &alone.messages[sha], "the origins of {sha}");
        }
        assert_eq!(
            self.sends.keys().collect::<Vec<_>>(),
            alone.sends.keys().collect::<Vec<_>>()
        );
        for (msgid, send) in &self.sends {
            assert_eq!(send, &alone.sends[msgid], "the send {msgid}");
        }
    }
}

/// The shared database's own account of what it holds: each message's bytes once, and the journal one
/// chain numbered 1..n without a gap.
fn assert_one_copy_and_one_chain(
    server: &Server,
    url: &str,
    holdings: &Holdings,
    report: &serde_json::Value,
) {
    let raw = server.count(url, "SELECT count(*) FROM raw");
    let distinct = server.count(url, "SELECT count(DISTINCT sha256) FROM raw");
    assert_eq!(raw, distinct);
    assert_eq!(raw as usize, holdings.messages.len());
    let origins = server.count(url, "SELECT count(*) FROM origins");
    assert_eq!(origins as usize, holdings.origins());
    let entries = server.count(url, "SELECT count(*) FROM journal");
    let first = server.count(url, "SELECT min(seq) FROM journal");
    let last = server.count(url, "SELECT max(seq) FROM journal");
    assert_eq!((first, last), (1, entries), "the journal is numbered 1..n");
    assert_eq!(report["head_seq"], entries);
    // One entry per message archived, one per further origin and one per signed attachment's verdict
    // (issue 15 §6; nothing is re-verified here, so one verdict per attachment): nothing was recorded
    // twice.
    let documents = server.count(url, "SELECT count(*) FROM document_verdicts");
    let attachments = server.count(
        url,
        "SELECT count(*) FROM (SELECT DISTINCT raw_id, part FROM document_verdicts) d",
    );
    assert_eq!(documents, attachments);
    assert_eq!(entries, origins + documents);
}

/// The reference: one desktop doing `work` alone, one command after the other, on its own SQLite file.
fn alone(mailbox: &Mailbox, accounts: &[&str], imports: &[&str]) -> (Holdings, serde_json::Value) {
    let desktop = Desktop::new(mailbox, accounts);
    for account in accounts {
        desktop
            .start("sync alone", &["sync", "--account", account], None)
            .succeeds();
    }
    let mut args = vec!["import"];
    args.extend(imports);
    let (status, _, said) = desktop.start("import alone", &args, None).finish();
    assert!(
        status.code() == Some(0) || status.code() == Some(1),
        "{said}"
    );
    let report = desktop.check_clean("the single desktop's own file");
    (desktop.holdings(), report)
}

/// Three desktops choosing the same new server archive at once (each brings the schema up to date if
/// it is first).
fn three_desktops_on(
    mailbox: &Mailbox,
    server: &Server,
    url: &str,
    accounts: &[&str],
) -> [Desktop; 3] {
    let desktops = [(); 3].map(|()| Desktop::new(mailbox, accounts));
    let password = server.password.as_deref();
    let using: Vec<Running> = desktops
        .iter()
        .map(|d| match password {
            Some(p) => d.start("archive use", &["archive", "use", url], Some(p)),
            None => d.start(
                "archive use",
                &["archive", "use", "--no-password", url],
                None,
            ),
        })
        .collect();
    for u in using {
        u.succeeds();
    }
    desktops
}

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn three_desktops_syncing_and_importing_into_one_server_archive_at_once_store_everything_once() {
    let Some(server) = Server::from_env() else {
        return;
    };
    let Some(corpus) = real_corpus() else { return };
    let Some(mailbox) = Mailbox::with_mail(120) else {
        return;
    };
    let corpus = corpus.to_str().unwrap();
    let account = mailbox.address.as_str();
    let started = Instant::now();
    let (single, single_report) = alone(&mailbox, &[account], &[corpus]);
    println!(
        "one desktop alone: {} messages, {} origins, {} sends ({:?})",
        single.messages.len(),
        single.origins(),
        single.sends.len(),
        started.elapsed()
    );

    let url = server.fresh_database("three");
    let desktops = three_desktops_on(&mailbox, &server, &url, &[account]);
    // A fourth desktop that only reads: it checks the archive again and again while the others write.
    let reader = Desktop::new(&mailbox, &[]);
    match server.password.as_deref() {
        Some(p) => attesta(reader.path(), &["archive", "use", &url], Some(p)),
        None => attesta(
            reader.path(),
            &["archive", "use", "--no-password", &url],
            None,
        ),
    };

    let started = Instant::now();
    let mut running = Vec::new();
    for d in &desktops {
        running.push(d.start("sync", &["sync", "--json", "--account", account], None));
        running.push(d.start("import", &["import", "--json", corpus], None));
    }
    let mut checks = 0;
    while running.iter_mut().any(Running::running) {
        reader.check_clean("checked from a desktop that never wrote, while three others write");
        checks += 1;
    }
    let mut new = 0;
    for r in running {
        let (status, out, said) = r.finish();
        // An import of the corpus folder skips its loose parts (a daticert, a signature): status 1.
        assert!(
            status.code() == Some(0) || status.code() == Some(1),
            "{said}"
        );
        new += new_in(&out);
    }
    println!(
        "three desktops at once: {:?}, checked {checks} times meanwhile",
        started.elapsed()
    );

    let reports: Vec<serde_json::Value> = desktops
        .iter()
        .map(|d| d.check_clean("after three desktops wrote at once"))
        .collect();
    reader.check_clean("from the desktop that never wrote");
    for r in &reports {
        assert_eq!(r["head_hash"], reports[0]["head_hash"], "one chain");
        assert_eq!(r["messages"], single_report["messages"]);
        assert_eq!(r["journal_entries"], single_report["journal_entries"]);
        assert_eq!(r["sends"], single_report["sends"]);
    }
    assert_eq!(
        new as usize,
        single.messages.len(),
        "each message was new to exactly one of the six processes"
    );
    let shared = desktops[0].holdings();
    assert_one_copy_and_one_chain(&server, &url, &shared, &reports[0]);
    shared.assert_same_as(&single);
    for d in &desktops[1..] {
        assert_eq!(d.holdings(), shared, "every desktop sees the same archive");
    }
}

#[test]
fn a_desktop_killed_in_the_middle_of_a_commit_loses_nothing_of_the_shared_archive() {
    let Some(server) = Server::from_env() else {
        return;
    };
    let Some(corpus) = real_corpus() else { return };
    let Some(mailbox) = Mailbox::with_mail(60) else {
        return;
    };
    let corpus = corpus.to_str().unwrap();
    let account = mailbox.address.as_str();
    // A folder only the desktop that will be killed imports: nobody else brings it in.
    let own = tempfile::tempdir().unwrap();
    crate::archive::write_mail(own.path(), 400);
    let own = own.path().to_str().unwrap();
    let started = Instant::now();
    let (single, _) = alone(&mailbox, &[account], &[corpus, own]);
    println!(
        "one desktop alone: {} messages ({:?})",
        single.messages.len(),
        started.elapsed()
    );

    let url = server.fresh_database("killed");
    let desktops = three_desktops_on(&mailbox, &server, &url, &[account]);
    let started = Instant::now();
    // The first desktop imports the corpus and its own folder; the two others sync the mailbox and
    // import the corpus, all at once.
    let mut killed = desktops[0].start("import", &["import", corpus, own], None);
    let mut others = Vec::new();
    for d in &desktops[1..] {
        others.push(d.start("sync", &["sync", "--account", account], None));
        others.push(d.start("import", &["import", corpus], None));
    }
    // The moment: once the import committed a batch, the next time its head file says a commit is
    // under way (`pending`: written after the batch's journal entries, just before COMMIT, and
    // replaced just after it). So some of its folder is in, some is in the transaction the kill cuts
    // off, and some is not read yet.
    let head = desktops[0].path().join(format!(
        "archive.postgres.{}.head",
        Address::parse(&url, None).unwrap().file_key()
    ));

    let mut committed: Option<String> = None;
    let mut inside_a_commit = false;
    while killed.running() {
        let said = std::fs::read_to_string(&head).unwrap_or_default();
        if said.contains("pending") {
            if committed.is_some() {
                inside_a_commit = true;
                break;
            }
        } else if said.contains("committed") {
            match &committed {
                // Committed twice without the kill's poll landing in a commit: kill now, between two.
                Some(first) if *first != said => break,
                _ => committed = Some(said),
            }
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let interrupted = killed.running();
    killed.kill();
    let _ = killed.finish();
    println!(
        "killed the import of one desktop after {:?}, {}",
        started.elapsed(),
        if inside_a_commit {
            "inside its second commit"
        } else {
            "between two commits"
        }
    );
    assert!(
        interrupted,
        "the import was killed while it worked (watching {}: {committed:?})",
        head.display()
    );
    for r in others {
        let (status, _, said) = r.finish();
        assert!(
            status.code() == Some(0) || status.code() == Some(1),
            "{said}"
        );
    }
    // Its head file may still say `pending` for the transaction the kill cut off, whose entries the
    // others have since replaced with theirs: from it too, the archive is intact.
    for d in &desktops[..2] {
        d.check_clean("after one desktop was killed and the others finished");
    }
    // Some of its folder is in (what it committed before the kill), and not all.
    let of_own = format!("SELECT count(*) FROM origins WHERE path LIKE '{own}/%'");
    let (before, all) = (
        server.count(&url, &of_own),
        single
            .messages
            .values()
            .filter(|origins| origins.iter().any(|o| o.contains(own)))
            .count() as i64,
    );
    println!("{before} of the {all} messages of its own folder were in when it started again");
    assert!(0 < before && before < all, "{before} of {all}");

    // The killed import runs again, to the end.
    let (status, _, said) = desktops[0]
        .start("import again", &["import", corpus, own], None)
        .finish();
    assert!(
        status.code() == Some(0) || status.code() == Some(1),
        "{said}"
    );
    let reports: Vec<serde_json::Value> = desktops
        .iter()
        .map(|d| d.check_clean("after the killed desktop ran again"))
        .collect();
    let shared = desktops[0].holdings();
    assert_one_copy_and_one_chain(&server, &url, &shared, &reports[0]);
    shared.assert_same_as(&single);
}
