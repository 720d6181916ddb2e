//! A message to send, and the PEC rules a provider enforces, checked before anything leaves (PEC rules
//! §8): at least one To; To and Cc only (a PEC message cannot have Bcc: there is no field for it); valid,
//! distinct addresses; size × recipients and the number of recipients within the account's limits. From
//! is always the account itself.

use pec_core::daticert::ReceiptType;
use serde::{Deserialize, Serialize};

/// A file to attach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftAttachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What the user wants to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<DraftAttachment>,
    /// The receipt type asked of the provider (`X-TipoRicevuta`, PEC rules §5).
    pub receipt: ReceiptType,
    /// REM (issue 14 §6): ask the provider for signed evidence when a recipient is an ordinary mailbox
    /// (`REM-RelayToNonERDS: evidence-required`). Only a REM account may ask.
    #[serde(default)]
    pub rem_relay_evidence: bool,
}

/// Why a draft cannot be sent, typed so the UI can word it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum SendError {
    #[error("a PEC message needs at least one To recipient")]
    NoRecipient,
    #[error(
        "{account} is not a REM account: only REM can ask for evidence of a relay to an ordinary mailbox"
    )]
    NotRemAccount { account: String },
    #[error("{address:?} is not a valid e-mail address")]
    BadAddress { address: String },
    #[error("{address} is listed twice")]
    DuplicateRecipient { address: String },
    #[error("{count} recipients is more than the provider accepts ({max})")]
    TooManyRecipients { count: usize, max: usize },
    #[error(
        "the message is {bytes} bytes for {recipients} recipients ({total} in all), more than the provider accepts ({limit})"
    )]
    TooLarge {
        bytes: u64,
        recipients: usize,
        total: u64,
        limit: u64,
    },
    #[error("the subject must not be empty")]
    NoSubject,
    #[error("the message could not be composed: {detail}")]
    Compose { detail: String },
}

/// Every recipient (To then Cc), checked and normalised, or the first rule broken.
pub fn check_recipients(draft: &Draft, max_recipients: usize) -> Result<Vec<String>, SendError> {
    if draft.to.iter().all(|a| a.trim().is_empty()) {
        return Err(SendError::NoRecipient);
    }
    if draft.subject.trim().is_empty() {
        return Err(SendError::NoSubject);
    }
    let mut all: Vec<String> = Vec::new();
    for address in draft.to.iter().chain(&draft.cc) {
        let a = address.trim();
        if a.is_empty() {
            continue;
        }
        if a.parse::<lettre::Address>().is_err() {
            return Err(SendError::BadAddress {
                address: a.to_owned(),
            });
        }
        if all.iter().any(|b| b.eq_ignore_ascii_case(a)) {
            return Err(SendError::DuplicateRecipient {
                address: a.to_owned(),
            });
        }
        all.push(a.to_owned());
    }
    if all.len() > max_recipients {
        return Err(SendError::TooManyRecipients {
            count: all.len(),
            max: max_recipients,
        });
    }
    Ok(all)
}

/// Checks that the draft asks only what the account's service offers: REM's relay evidence needs a REM
/// account (issue 14 §6).
pub fn check_service(
    draft: &Draft,
    account: &str,
    service: crate::accounts::Service,
) -> Result<(), SendError> {
    if draft.rem_relay_evidence && !service.sends_rem() {
        return Err(SendError::NotRemAccount {
            account: account.to_owned(),
        });
    }
    Ok(())
}

/// The size rule: the provider multiplies the message by its recipients (PEC rules §8).
pub fn check_size(bytes: usize, recipients: usize, limit: u64) -> Result<(), SendError> {
    let total = bytes as u64 * recipients as u64;
    if total > limit {
        return Err(SendError::TooLarge {
            bytes: bytes as u64,
            recipients,
            total,
            limit,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(to: &[&str], cc: &[&str]) -> Draft {
        Draft {
            to: to.iter().map(|s| s.to_string()).collect(),
            cc: cc.iter().map(|s| s.to_string()).collect(),
            subject: "Diffida".into(),
            body: "Testo".into(),
            attachments: vec![],
            receipt: ReceiptType::Completa,
            rem_relay_evidence: false,
        }
    }

    #[test]
    fn only_a_rem_account_may_ask_for_relay_evidence() {
        use crate::accounts::Service;
        let mut d = draft(&["a@pec.it"], &[]);
        for service in Service::ALL {
            assert_eq!(check_service(&d, "studio@pec.it", service), Ok(()));
        }
        d.rem_relay_evidence = true;
        assert_eq!(
            check_service(&d, "studio@pec.it", Service::Pec),
            Err(SendError::NotRemAccount {
                account: "studio@pec.it".into()
            })
        );
        assert_eq!(check_service(&d, "studio@pec.it", Service::Rem), Ok(()));
        assert_eq!(check_service(&d, "studio@pec.it", Service::Both), Ok(()));
    }

    #[test]
    fn the_rules_a_provider_enforces_are_checked_first() {
        assert_eq!(
            check_recipients(&draft(&[], &["a@pec.it"]), 50),
            Err(SendError::NoRecipient)
        );
        assert!(matches!(
            check_recipients(&draft(&["not an address"], &[]), 50),
            Err(SendError::BadAddress { .. })
        ));
        assert!(matches!(
            check_recipients(&draft(&["a@pec.it"], &["A@pec.it"]), 50),
            Err(SendError::DuplicateRecipient { .. })
        ));
        assert_eq!(
            check_recipients(&draft(&["a@pec.it", "b@pec.it"], &[]), 1),
            Err(SendError::TooManyRecipients { count: 2, max: 1 })
        );
        assert_eq!(
            check_recipients(&draft(&["a@pec.it"], &["b@pec.it"]), 50).unwrap(),
            ["a@pec.it", "b@pec.it"]
        );
        assert!(check_size(10, 3, 30).is_ok());
        assert!(matches!(
            check_size(11, 3, 30),
            Err(SendError::TooLarge { total: 33, .. })
        ));
    }
}
