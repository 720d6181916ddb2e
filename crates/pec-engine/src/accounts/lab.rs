//! An account for a mailbox of a running lab (`lab.json`, crate `pec-lab-info`): its servers on loopback,
//! the lab's TLS CA as a root for those servers only, and the lab's PEC CA as a trust anchor for this
//! account's evidence only — never for anything else. A mailbox of a REM lab is a REM account.

use std::path::Path;

use pec_lab_info::LabInfo;
use pec_mail::{Endpoint, Security};

use super::Account;
use crate::{DataDir, EngineError};

fn endpoint(e: &pec_lab_info::Endpoint) -> Endpoint {
    Endpoint::new(&e.host, e.port, Security::ImplicitTls)
}

/// The account for `address` in `lab`, with the lab's PEC CA copied into the data directory (so the
/// account keeps its anchor even when the lab directory is gone). Returns the account and its password.
pub fn from_lab(
    lab: &LabInfo,
    address: &str,
    dir: &DataDir,
) -> Result<(Account, String), EngineError> {
    let wanted = address.trim();
    let mailbox = lab
        .accounts
        .iter()
        .find(|a| a.address.eq_ignore_ascii_case(wanted))
        .ok_or_else(|| EngineError::NoAccount {
            address: format!(
                "{wanted} (not a mailbox of the lab in {})",
                lab.dir.display()
            ),
        })?;
    let provider = lab
        .providers
        .iter()
        .find(|p| p.id == mailbox.provider)
        .ok_or_else(|| {
            EngineError::Internal(format!("lab.json names no provider {}", mailbox.provider))
        })?;
    let anchors = dir
        .path()
        .join("trust")
        .join(format!("lab-{}", safe(&mailbox.address)));
    copy_into(&lab.pec_ca_pem, &anchors.join("lab-pec-ca.pem"))?;
    let roots = dir
        .path()
        .join("tls")
        .join(format!("lab-{}.pem", safe(&mailbox.address)));
    copy_into(&lab.tls_ca_pem, &roots)?;
    let account = Account {
        address: mailbox.address.clone(),
        provider: "lab".into(),
        imap: endpoint(&lab.imap),
        smtp: endpoint(&provider.smtp),
        login: mailbox.login.clone(),
        tls_roots: vec![roots],
        trust_dirs: vec![anchors],
        max_message_bytes: provider.max_message_bytes,
        max_recipients: provider.max_recipients,
        stores_sent_copy: Some(provider.stores_sent_copy),
        sent_folder: Some(lab.sent_folder.clone()),
        lab_dir: Some(lab.dir.clone()),
        // A REM lab's mailboxes speak REM (`attesta lab up --rem`).
        service: match provider.service {
            pec_lab_info::LabService::Pec => super::Service::Pec,
            pec_lab_info::LabService::Rem => super::Service::Rem,
        },
    };
    Ok((account, mailbox.password.clone()))
}

fn safe(address: &str) -> String {
    address
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn copy_into(from: &Path, to: &Path) -> Result<(), EngineError> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|source| EngineError::Write {
            path: parent.to_owned(),
            source,
        })?;
    }
    let bytes = std::fs::read(from).map_err(|source| EngineError::Read {
        path: from.to_owned(),
        source,
    })?;
    crate::private::write_private_file(to, &bytes).map_err(|source| EngineError::Write {
        path: to.to_owned(),
        source,
    })
}
