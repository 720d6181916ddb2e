//! A lab, an account on it, an archive, and the engine calls every test needs.

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use pec_archive::query::{SentStatus, StatusFilter};
use pec_archive::{Archive, Location};
use pec_core::daticert::ReceiptType;
use pec_engine::accounts::Account;
use pec_engine::accounts::lab::from_lab;
use pec_engine::send::{Draft, DraftAttachment, SendOutcome, send};
use pec_engine::sync::{SyncSummary, sync_account};
use pec_engine::{DataDir, EngineConfig, EngineError, Trust};
use pec_lab::{Lab, LabHandle};

/// One lab and one client data directory.
pub struct World {
    pub lab: LabHandle,
    pub data: DataDir,
    /// The client's archive: the data directory's file, or — with `ATTESTA_TEST_ENGINE=postgres` (the
    /// test command runs this suite so a second time, issue 18) — a new database on the test server.
    pub place: Location,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

/// A client's view of one lab mailbox.
pub struct Client {
    pub account: Account,
    pub password: String,
    pub trust: Trust,
    /// The lab it talks to: its clock is this client's clock (the lab signs at its own time, which runs
    /// ahead of real time after `advance`; a signing time after "now" is refused, issue 13 §4).
    lab: pec_lab::LabInfo,
}

/// A new database on the test server (`scripts/lib/postgres-cluster`).
fn fresh_database() -> pec_archive::db::postgres::Address {
    pec_archive::db::postgres::Address::test_server()
        .expect("ATTESTA_TEST_ENGINE=postgres needs ATTESTA_TEST_POSTGRES (scripts/lib/postgres-cluster)")
        .unwrap()
        .create_fresh_database("attesta_flow")
        .unwrap()
}

/// A running lab, or `None` (with a SKIPPED line) when Dovecot is not installed.
pub fn world() -> Option<World> {
    world_with(pec_lab::LabOptions::default())
}

/// A running lab whose providers answer as REM services, or `None` as [`world`].
pub fn rem_world() -> Option<World> {
    world_with(pec_lab::LabOptions { rem: true })
}

fn world_with(options: pec_lab::LabOptions) -> Option<World> {
    if !Lab::available() {
        println!("SKIPPED: dovecot not installed (apt-get install dovecot-imapd dovecot-lmtpd)");
        return None;
    }
    let lab_dir = tempfile::tempdir().unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let lab = Lab::start_with(lab_dir.path(), options).unwrap();
    let data = DataDir::resolve(Some(data_dir.path())).unwrap();
    let place = if std::env::var("ATTESTA_TEST_ENGINE").as_deref() == Ok("postgres") {
        Location::Server {
            address: Box::new(fresh_database()),
            local: data.path().to_path_buf(),
        }
    } else {
        Location::File(data.archive_file())
    };
    Some(World {
        lab,
        data,
        place,
        _dirs: (lab_dir, data_dir),
    })
}

impl World {
    pub fn client(&self, address: &str) -> Client {
        let (account, password) = from_lab(&self.lab.info, address, &self.data).unwrap();
        let trust = Trust::for_account(&EngineConfig::default(), &account, &[]).unwrap();
        Client {
            account,
            password,
            trust,
            lab: self.lab.info.clone(),
        }
    }

    pub fn archive(&self) -> Archive {
        self.place.open().unwrap()
    }

    pub fn sender(&self) -> String {
        self.lab.info.accounts[0].address.clone()
    }

    /// A certified mailbox at the other provider.
    pub fn other_provider_mailbox(&self) -> String {
        let first = &self.lab.info.accounts[0].provider;
        self.lab
            .info
            .accounts
            .iter()
            .find(|a| &a.provider != first)
            .unwrap()
            .address
            .clone()
    }
}

impl Client {
    pub fn sync(&self, archive: &mut Archive) -> Result<SyncSummary, EngineError> {
        sync_account(
            archive,
            &self.account,
            &self.password,
            &self.trust.anchors,
            // Real time, as a user's sync passes it: the engine judges a lab account at the lab's clock
            // (`Account::clock`), which the receipts test moves a day ahead.
            Utc::now(),
            &AtomicBool::new(false),
            &mut |_| {},
        )
    }

    pub fn send(&self, archive: &mut Archive, draft: &Draft) -> Result<SendOutcome, EngineError> {
        send(
            archive,
            &self.account,
            &self.password,
            draft,
            &self.trust.anchors,
            self.now(),
        )
    }

    /// The lab's clock now.
    pub fn now(&self) -> DateTime<Utc> {
        self.lab.clock_now()
    }
}

pub fn draft(to: &[&str], subject: &str) -> Draft {
    Draft {
        to: to.iter().map(|s| s.to_string()).collect(),
        cc: vec![],
        subject: subject.into(),
        body: format!("Si trasmette: {subject}."),
        attachments: vec![],
        receipt: ReceiptType::Completa,
        rem_relay_evidence: false,
    }
}

pub fn attachment(name: &str, bytes: &[u8]) -> DraftAttachment {
    DraftAttachment {
        name: name.into(),
        content_type: "application/pdf".into(),
        bytes: bytes.to_vec(),
    }
}

/// The send with this Message-ID, judged at `now`.
pub fn send_status(archive: &Archive, msgid: &str, now: DateTime<Utc>) -> SentStatus {
    archive
        .status(
            &StatusFilter {
                msgid: Some(msgid.to_owned()),
                ..StatusFilter::default()
            },
            now,
        )
        .unwrap()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no send {msgid} in the archive"))
}

/// Syncs until `done` holds for the send (receipts travel through the lab asynchronously), at most a
/// few seconds.
pub fn sync_until(
    client: &Client,
    archive: &mut Archive,
    msgid: &str,
    done: impl Fn(&SentStatus) -> bool,
) -> SentStatus {
    for _ in 0..50 {
        client.sync(archive).unwrap();
        let s = archive
            .status(
                &StatusFilter {
                    msgid: Some(msgid.to_owned()),
                    ..StatusFilter::default()
                },
                client.now(),
            )
            .unwrap();
        if let Some(s) = s.into_iter().next()
            && done(&s)
        {
            return s;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the receipts for {msgid} did not arrive")
}
