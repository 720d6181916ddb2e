//! The sent copy on the server: some providers keep one in Sent, some do not (PEC rules §9 leaves it to
//! them). When the account says its provider does not — or does not say — Attesta looks for the message
//! by its Message-ID in Sent and stores its exact bytes there if it is missing. The archive always has
//! them either way.

use std::time::Duration;

use pec_mail::TlsRoots;
use pec_mail::imap::{FolderRole, Session};

use crate::accounts::Account;

/// Makes sure the Sent folder has the message; returns what happened, in words.
pub(crate) async fn ensure(
    account: &Account,
    password: &str,
    roots: &TlsRoots,
    msgid: &str,
    bytes: &[u8],
) -> String {
    if account.stores_sent_copy == Some(true) {
        return "kept by the provider".into();
    }
    match store(account, password, roots, msgid, bytes).await {
        Ok(note) => note,
        Err(e) => format!("not stored in Sent ({e}); the exact copy is in Attesta's archive"),
    }
}

async fn store(
    account: &Account,
    password: &str,
    roots: &TlsRoots,
    msgid: &str,
    bytes: &[u8],
) -> Result<String, pec_mail::MailError> {
    let mut session = Session::connect(&account.imap, roots, &account.login, password).await?;
    let folder = match &account.sent_folder {
        Some(f) => f.clone(),
        None => match session
            .folders()
            .await?
            .into_iter()
            .find(|f| f.role == FolderRole::Sent)
        {
            Some(f) => f.name,
            None => {
                session.logout().await;
                return Ok(
                    "no Sent folder on the server; the exact copy is in Attesta's archive".into(),
                );
            }
        },
    };
    if account.stores_sent_copy.is_none() {
        // NOTE: a provider that keeps copies may file them a moment after accepting; look twice.
        for wait in [Duration::ZERO, Duration::from_millis(1500)] {
            tokio::time::sleep(wait).await;
            session.examine(&folder).await?;
            if !session.find_message_id(msgid).await?.is_empty() {
                session.logout().await;
                return Ok(format!("kept by the provider in {folder}"));
            }
        }
    }
    session.append(&folder, bytes).await?;
    session.logout().await;
    Ok(format!("stored by Attesta in {folder}"))
}

/// Whether the Sent folder holds a message with this Message-ID (the provider received it).
pub(crate) async fn found_in_sent(
    account: &Account,
    password: &str,
    roots: &TlsRoots,
    msgid: &str,
) -> Result<bool, pec_mail::MailError> {
    let mut session = Session::connect(&account.imap, roots, &account.login, password).await?;
    let folders = session.folders().await?;
    let mut found = false;
    for f in folders.iter().filter(|f| {
        f.role == FolderRole::Sent || account.sent_folder.as_deref() == Some(f.name.as_str())
    }) {
        session.examine(&f.name).await?;
        if !session.find_message_id(msgid).await?.is_empty() {
            found = true;
            break;
        }
    }
    session.logout().await;
    Ok(found)
}
