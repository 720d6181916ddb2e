//! The access point's formal checks (PEC rules §8): From is the authenticated mailbox and the envelope
//! sender, at least one To, no Bcc (an envelope recipient in neither To nor Cc), envelope recipients are
//! To + Cc, the recipient count and size × recipients within the provider's limits. A failed check is
//! not an SMTP error: the transaction completes and the sender gets a signed non-acceptance.

use super::submission::{Headers, Submission};
use crate::info::ProviderInfo;

/// Why the access point did not accept a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `From` is not exactly one address, the authenticated one.
    FromNotAccount {
        from: Vec<String>,
        account: String,
    },
    /// The envelope sender differs from the authenticated account.
    EnvelopeSender {
        mail_from: String,
        account: String,
    },
    /// No `To` recipient.
    NoTo,
    /// Envelope recipients that are in neither `To` nor `Cc` (blind copies).
    Bcc(Vec<String>),
    /// `To`/`Cc` recipients that are not envelope recipients.
    NotInEnvelope(Vec<String>),
    TooManyRecipients {
        count: usize,
        max: usize,
    },
    TooBig {
        size: u64,
        recipients: usize,
        max: u64,
    },
}

impl Refusal {
    /// The text the non-acceptance carries in `errore-esteso` (Italian, as providers write it).
    pub fn errore_esteso(&self) -> String {
        match self {
            Refusal::FromNotAccount { from, account } => format!(
                "5.7.1 - il mittente ({}) non corrisponde all'utente autenticato ({account})",
                if from.is_empty() {
                    "assente".to_owned()
                } else {
                    from.join(", ")
                }
            ),
            Refusal::EnvelopeSender { mail_from, account } => format!(
                "5.7.1 - il mittente della busta ({mail_from}) non corrisponde all'utente autenticato ({account})"
            ),
            Refusal::NoTo => "5.5.4 - nessun destinatario principale (To)".into(),
            Refusal::Bcc(list) => format!(
                "5.7.1 - destinatari in copia nascosta non ammessi: {}",
                list.join(", ")
            ),
            Refusal::NotInEnvelope(list) => format!(
                "5.5.4 - destinatari delle intestazioni non presenti nella busta: {}",
                list.join(", ")
            ),
            Refusal::TooManyRecipients { count, max } => {
                format!("5.5.3 - troppi destinatari: {count} (massimo {max})")
            }
            Refusal::TooBig {
                size,
                recipients,
                max,
            } => format!(
                "5.3.4 - dimensione per numero di destinatari oltre il limite: {size} × {recipients} > {max} byte"
            ),
        }
    }
}

fn contains(list: &[String], address: &str) -> bool {
    list.iter().any(|a| a.eq_ignore_ascii_case(address))
}

/// Check one submission against its provider's rules.
pub fn check(sub: &Submission, headers: &Headers, provider: &ProviderInfo) -> Result<(), Refusal> {
    let account = &sub.login;
    if headers.from.len() != 1 || !headers.from[0].eq_ignore_ascii_case(account) {
        return Err(Refusal::FromNotAccount {
            from: headers.from.clone(),
            account: account.clone(),
        });
    }
    if !sub.mail_from.eq_ignore_ascii_case(account) {
        return Err(Refusal::EnvelopeSender {
            mail_from: sub.mail_from.clone(),
            account: account.clone(),
        });
    }
    if headers.to.is_empty() {
        return Err(Refusal::NoTo);
    }
    let mut blind: Vec<String> = sub
        .rcpt_to
        .iter()
        .filter(|r| !contains(&headers.to, r) && !contains(&headers.cc, r))
        .cloned()
        .collect();
    blind.extend(headers.bcc.iter().cloned());
    if !blind.is_empty() {
        return Err(Refusal::Bcc(blind));
    }
    let missing: Vec<String> = headers
        .to
        .iter()
        .chain(&headers.cc)
        .filter(|a| !contains(&sub.rcpt_to, a))
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Err(Refusal::NotInEnvelope(missing));
    }
    let recipients = sub.rcpt_to.len();
    if recipients > provider.max_recipients {
        return Err(Refusal::TooManyRecipients {
            count: recipients,
            max: provider.max_recipients,
        });
    }
    if sub.size.saturating_mul(recipients as u64) > provider.max_message_bytes {
        return Err(Refusal::TooBig {
            size: sub.size,
            recipients,
            max: provider.max_message_bytes,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::info::{Endpoint, Security};

    fn provider() -> ProviderInfo {
        ProviderInfo {
            id: "alfa".into(),
            name: "Lab PEC Alfa".into(),
            domain: "alfa.pec.lab".into(),
            service_address: "posta-certificata@alfa.pec.lab".into(),
            smtp: Endpoint {
                host: "127.0.0.1".into(),
                port: 1,
                security: Security::ImplicitTls,
            },
            stores_sent_copy: true,
            max_message_bytes: 1000,
            max_recipients: 3,
            signer_cert_pem: Default::default(),
            service: Default::default(),
        }
    }

    fn submission(rcpt: &[&str], size: u64) -> Submission {
        Submission {
            provider: 0,
            login: "mario.rossi@alfa.pec.lab".into(),
            mail_from: "mario.rossi@alfa.pec.lab".into(),
            rcpt_to: rcpt.iter().map(|s| s.to_string()).collect(),
            raw: Vec::new(),
            size,
        }
    }

    fn headers(from: &str, to: &[&str], cc: &[&str]) -> Headers {
        Headers {
            from: vec![from.into()],
            to: to.iter().map(|s| s.to_string()).collect(),
            cc: cc.iter().map(|s| s.to_string()).collect(),
            ..Headers::default()
        }
    }

    const ME: &str = "mario.rossi@alfa.pec.lab";

    #[test]
    fn a_well_formed_submission_passes() {
        let h = headers(ME, &["a@beta.pec.lab"], &["b@beta.pec.lab"]);
        assert_eq!(
            check(
                &submission(&["a@beta.pec.lab", "b@beta.pec.lab"], 100),
                &h,
                &provider()
            ),
            Ok(())
        );
    }

    #[test]
    fn from_must_be_the_authenticated_mailbox() {
        let h = headers("altro@alfa.pec.lab", &["a@beta.pec.lab"], &[]);
        let r = check(&submission(&["a@beta.pec.lab"], 10), &h, &provider());
        assert!(matches!(r, Err(Refusal::FromNotAccount { .. })));
    }

    #[test]
    fn an_envelope_recipient_outside_to_and_cc_is_a_bcc() {
        let h = headers(ME, &["a@beta.pec.lab"], &[]);
        let r = check(
            &submission(&["a@beta.pec.lab", "nascosto@beta.pec.lab"], 10),
            &h,
            &provider(),
        );
        assert_eq!(r, Err(Refusal::Bcc(vec!["nascosto@beta.pec.lab".into()])));
    }

    #[test]
    fn at_least_one_to() {
        let h = headers(ME, &[], &["a@beta.pec.lab"]);
        let r = check(&submission(&["a@beta.pec.lab"], 10), &h, &provider());
        assert_eq!(r, Err(Refusal::NoTo));
    }

    #[test]
    fn size_times_recipients_is_limited() {
        let h = headers(ME, &["a@beta.pec.lab", "b@beta.pec.lab"], &[]);
        let r = check(
            &submission(&["a@beta.pec.lab", "b@beta.pec.lab"], 600),
            &h,
            &provider(),
        );
        assert!(matches!(r, Err(Refusal::TooBig { .. })));
        let ok = check(
            &submission(&["a@beta.pec.lab", "b@beta.pec.lab"], 500),
            &h,
            &provider(),
        );
        assert_eq!(ok, Ok(()));
    }

    #[test]
    fn the_recipient_count_is_limited() {
        let to = ["a@x.lab", "b@x.lab", "c@x.lab", "d@x.lab"];
        let h = headers(ME, &to, &[]);
        let r = check(&submission(&to, 1), &h, &provider());
        assert!(matches!(r, Err(Refusal::TooManyRecipients { .. })));
    }
}
