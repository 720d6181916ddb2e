//! The IMAP side of a sync, on its own thread with its own tokio runtime: folder by folder, decide with
//! `plan`, list, fetch what the archive lacks and hand it to the pipeline. A lost connection is
//! restored with backoff and the folder resumed; wrong credentials or an untrusted certificate stop at
//! once with a clear error.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pec_archive::sync_state::FolderMark;
use pec_archive::{Archive, FolderRole, Location, Origin};
use pec_mail::imap::{Folder, KnownFolder, ServerFolder, Session, SyncPlan, missing, plan};
use pec_mail::{MailError, TlsRoots};

use super::backoff::Backoff;
use super::{Fetched, FolderSync};
use crate::EngineError;
use crate::accounts::Account;
use crate::import::pipeline::{Sink, Unit};

/// UIDs per FETCH command.
const CHUNK: usize = 200;

pub(crate) fn run(
    db: &Location,
    account: &Account,
    roots: &TlsRoots,
    password: &str,
    sink: &Sink,
    cancel: &AtomicBool,
) -> Result<Fetched, EngineError> {
    let runtime = crate::runtime::network()?;
    runtime.block_on(fetch_all(db, account, roots, password, sink, cancel))
}

fn role(r: pec_mail::imap::FolderRole) -> FolderRole {
    match r {
        pec_mail::imap::FolderRole::Inbox => FolderRole::Inbox,
        pec_mail::imap::FolderRole::Sent => FolderRole::Sent,
        pec_mail::imap::FolderRole::Other => FolderRole::Other,
    }
}

fn transient(e: &EngineError) -> bool {
    matches!(e, EngineError::Mail(m) if m.is_transient())
}

async fn connect(
    account: &Account,
    roots: &TlsRoots,
    password: &str,
) -> Result<Session, MailError> {
    Session::connect(&account.imap, roots, &account.login, password).await
}

async fn fetch_all(
    db: &Location,
    account: &Account,
    roots: &TlsRoots,
    password: &str,
    sink: &Sink,
    cancel: &AtomicBool,
) -> Result<Fetched, EngineError> {
    let holdings = db.open_read_only()?;
    let mut backoff = Backoff::new(Duration::from_secs(10), 10);
    let mut reconnects = 0;
    let mut session = connect(account, roots, password).await?;
    let folders = session.folders().await?;
    let mut out = Vec::new();
    for folder in folders {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let mut handed = BTreeSet::new();
        let mut report = FolderSync {
            folder: folder.name.clone(),
            role: folder.role,
            on_server: 0,
            fetched: 0,
            uidvalidity_changed: false,
            complete: false,
            mark: None,
        };
        loop {
            let step = sync_folder(
                &mut session,
                &holdings,
                account,
                &folder,
                &mut handed,
                &mut report,
                sink,
                cancel,
            )
            .await;
            match step {
                Ok(()) => {
                    backoff.reset();
                    break;
                }
                Err(e) if transient(&e) => {
                    let Some(wait) = backoff.next_wait() else {
                        return Err(e);
                    };
                    tokio::time::sleep(wait).await;
                    if let Ok(s) = connect(account, roots, password).await {
                        session = s;
                        reconnects += 1;
                    }
                }
                Err(e) => return Err(e),
            }
        }
        out.push(report);
    }
    session.logout().await;
    Ok(Fetched {
        folders: out,
        reconnects,
    })
}

#[allow(clippy::too_many_arguments)]
async fn sync_folder(
    session: &mut Session,
    holdings: &Archive,
    account: &Account,
    folder: &Folder,
    handed: &mut BTreeSet<u32>,
    report: &mut FolderSync,
    sink: &Sink,
    cancel: &AtomicBool,
) -> Result<(), EngineError> {
    let server = session.examine(&folder.name).await?;
    let held = holdings.folder_holdings(&account.address, &folder.name, server.uidvalidity)?;
    let mut archived = held.uids;
    archived.extend(handed.iter().copied());
    let known = KnownFolder {
        archived,
        other_uidvalidity: held.other_uidvalidity,
        last_complete: held.last_complete.map(|m| ServerFolder {
            uidvalidity: m.uidvalidity,
            uid_next: m.uid_next,
            exists: m.exists,
            highest_modseq: m.highest_modseq,
        }),
    };
    report.on_server = server.exists;
    report.mark = Some(FolderMark {
        uidvalidity: server.uidvalidity,
        uid_next: server.uid_next,
        exists: server.exists,
        highest_modseq: server.highest_modseq,
    });
    let SyncPlan::ListAndFetch {
        uidvalidity_changed,
    } = plan(&known, &server)
    else {
        report.complete = true;
        return Ok(());
    };
    report.uidvalidity_changed |= uidvalidity_changed;
    let on_server = session.uids().await?;
    let todo = missing(&on_server, &known);
    sink.add_total(todo.len() as u64);
    let origin = |uid| Origin::Imap {
        account: account.address.clone(),
        folder: folder.name.clone(),
        role: role(folder.role),
        uidvalidity: server.uidvalidity,
        uid,
    };
    for chunk in todo.chunks(CHUNK) {
        if cancel.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut open = true;
        session
            .fetch(chunk, &mut |f| {
                handed.insert(f.uid);
                report.fetched += 1;
                open = sink.send(Unit {
                    raw: f.bytes,
                    origin: origin(f.uid),
                    bytes: 1,
                    always: true,
                    received: f.received,
                });
                open
            })
            .await?;
        if !open {
            return Ok(());
        }
    }
    report.complete = !cancel.load(Ordering::Relaxed);
    Ok(())
}
