//! The lab's PEC circuit: what the providers do with a submission, an incoming ordinary message and the
//! passing of time (PEC rules §1–§8). Pure composition and routing: it returns the messages to deliver
//! (mailbox, folder, bytes) and leaves the I/O to the daemon, so it can be tested without servers.
//!
//! For one accepted submission from a mailbox of provider P: P's acceptance to the sender (and, for a
//! provider that does so, the submitted bytes in the sender's `Sent`); P's transport envelope to every
//! certified recipient that exists; from each recipient's provider Q, a delivery receipt (`completa`,
//! `breve`, `sintetica`; Cc recipients `sintetica`) or, for an unknown mailbox, a delivery failure; for the
//! silent domain, P's 12 h and 24 h notices once the lab clock gets there; nothing for external recipients.

mod checks;
mod directory;
mod ids;
mod rem;
mod submission;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

pub use checks::{Refusal, check};
pub use directory::{Directory, Route};
pub use ids::IdGenerator;
pub use submission::{Headers, Submission, clean_text};

use crate::compose::{
    Original, PecKindSpec, ProviderMessage, ReceiptType, breve_original, zone::italian_offset,
};
use crate::info::{LabInfo, LabService};
use crate::rem::RemKeys;
use crate::signer::CmsSigner;

/// One message to put in a mailbox.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub mailbox: String,
    /// `None` = INBOX.
    pub folder: Option<&'static str>,
    /// The envelope sender for LMTP.
    pub from: String,
    pub message: Vec<u8>,
    /// What it is, for the log (`accettazione`, `posta-certificata`, …).
    pub what: &'static str,
}

/// A certified recipient whose provider has not answered yet (the silent domain).
#[derive(Debug, Clone)]
pub struct Pending {
    pub original: Arc<Original>,
    /// The sender's provider, which sends the notices.
    pub provider: usize,
    pub identificativo: String,
    pub recipient: String,
    pub accepted_at: DateTime<Utc>,
    pub warned: bool,
}

/// What the circuit did with one input.
#[derive(Debug, Default)]
pub struct Outcome {
    pub deliveries: Vec<Delivery>,
    pub pending: Vec<Pending>,
    /// One line for the log (never a password).
    pub summary: String,
}

/// The lab's providers, with their signing keys.
pub struct Circuit {
    pub directory: Directory,
    signers: Vec<CmsSigner>,
    ids: IdGenerator,
    /// The REM providers' evidence signers and the lab TSA (`None` in a PEC-only lab).
    rem: Option<RemKeys>,
}

impl Circuit {
    /// `signers[i]` signs for `info.providers[i]`.
    pub fn new(info: &LabInfo, signers: Vec<CmsSigner>) -> Circuit {
        Circuit {
            directory: Directory::new(info),
            signers,
            ids: IdGenerator::default(),
            rem: None,
        }
    }

    /// This circuit with the keys its REM providers sign evidence with.
    pub fn with_rem(mut self, keys: RemKeys) -> Circuit {
        self.rem = Some(keys);
        self
    }

    /// The identifier generator (also used by `fill`).
    pub fn ids(&self) -> &IdGenerator {
        &self.ids
    }

    /// Compose and sign one message of provider `provider` about `original`.
    pub fn compose(
        &self,
        provider: usize,
        original: &Original,
        kind: PecKindSpec,
        identificativo: &str,
        at: DateTime<Utc>,
    ) -> Vec<u8> {
        let p = &self.directory.providers[provider];
        let message_id = self.ids.next(&p.domain, at);
        let extra_headers = match kind {
            PecKindSpec::Envelope | PecKindSpec::Anomaly => {
                vec![("X-Mittente".to_owned(), original.sender.clone())]
            }
            _ => Vec::new(),
        };
        let boundary_tag = message_id
            .split('@')
            .next()
            .unwrap_or_default()
            .replace('.', "_");
        let message = ProviderMessage {
            original,
            kind,
            provider_domain: p.domain.clone(),
            provider_name: p.name.clone(),
            at,
            offset: italian_offset(at),
            identificativo: identificativo.to_owned(),
            message_id: Some(message_id),
            boundary_tag,
            extra_headers,
            header_overrides: Vec::new(),
            unsigned: false,
            daticert_edit: None,
        };
        match self.signers.get(provider) {
            Some(signer) => message.build(&signer.at(at)),
            None => message.build(&crate::compose::PlaceholderSigner),
        }
    }

    /// What the providers do with one submission at lab time `now`.
    pub fn submit(&self, sub: &Submission, now: DateTime<Utc>) -> Outcome {
        let p = sub.provider;
        let provider = &self.directory.providers[p];
        let service = provider.service_address.clone();
        let headers = Headers::read(&sub.raw);
        if provider.service == LabService::Rem {
            return self.submit_rem(sub, &headers, now);
        }
        if let Err(refusal) = check(sub, &headers, provider) {
            let original = self.original(&headers, sub, false);
            let original = Original {
                sender: sub.login.clone(),
                ..original
            };
            let id = self.ids.next(&provider.domain, now);
            let reason = refusal.errore_esteso();
            let message = self.compose(
                p,
                &original,
                PecKindSpec::NonAcceptance {
                    virus: false,
                    reason: reason.clone(),
                },
                &id,
                now,
            );
            return Outcome {
                deliveries: vec![Delivery {
                    mailbox: sub.login.clone(),
                    folder: None,
                    from: service,
                    message,
                    what: "non-accettazione",
                }],
                pending: Vec::new(),
                summary: format!("{}: non-accettazione ({reason})", provider.id),
            };
        }

        let original = Arc::new(self.original(&headers, sub, true));
        let id = self.ids.next(&provider.domain, now);
        let mut out = Outcome::default();
        let mut deliver = |mailbox: &str, folder, from: &str, message, what| {
            out.deliveries.push(Delivery {
                mailbox: mailbox.to_owned(),
                folder,
                from: from.to_owned(),
                message,
                what,
            });
        };
        deliver(
            &sub.login,
            None,
            &service,
            self.compose(p, &original, PecKindSpec::Acceptance, &id, now),
            "accettazione",
        );
        if provider.stores_sent_copy {
            deliver(
                &sub.login,
                Some("Sent"),
                &sub.login,
                sub.raw.clone(),
                "copia inviata",
            );
        }
        let envelope = self.compose(p, &original, PecKindSpec::Envelope, &id, now);
        let mut counts = [0usize; 4];
        for (recipient, _) in original.recipients() {
            match self.directory.route(recipient) {
                Route::Mailbox { provider: q } => {
                    counts[0] += 1;
                    deliver(
                        recipient,
                        None,
                        &service,
                        envelope.clone(),
                        "posta-certificata",
                    );
                    let receipt = self.compose(
                        q,
                        &original,
                        PecKindSpec::Delivery {
                            recipient: recipient.clone(),
                        },
                        &id,
                        now,
                    );
                    let q_service = &self.directory.providers[q].service_address;
                    deliver(&sub.login, None, q_service, receipt, "avvenuta-consegna");
                }
                Route::Unknown { provider: q } => {
                    counts[1] += 1;
                    let q_info = &self.directory.providers[q];
                    let failure = self.compose(
                        q,
                        &original,
                        PecKindSpec::Failure {
                            recipient: recipient.clone(),
                            virus: false,
                            reason: format!("5.1.1 - {} - indirizzo non valido", q_info.name),
                        },
                        &id,
                        now,
                    );
                    deliver(
                        &sub.login,
                        None,
                        &q_info.service_address,
                        failure,
                        "errore-consegna",
                    );
                }
                Route::Silent => {
                    counts[2] += 1;
                    out.pending.push(Pending {
                        original: Arc::clone(&original),
                        provider: p,
                        identificativo: id.clone(),
                        recipient: recipient.clone(),
                        accepted_at: now,
                        warned: false,
                    });
                }
                Route::External => counts[3] += 1,
            }
        }
        out.summary = format!(
            "{}: accettazione {id} from {} ({} delivered, {} unknown, {} silent, {} external)",
            provider.id, sub.login, counts[0], counts[1], counts[2], counts[3]
        );
        out
    }

    /// The facts a provider certifies, from the submitted headers.
    fn original(&self, headers: &Headers, sub: &Submission, with_bytes: bool) -> Original {
        let certified = |list: &[String]| -> Vec<(String, bool)> {
            list.iter()
                .map(|a| (a.clone(), self.directory.is_certified(a)))
                .collect()
        };
        let breve = with_bytes && headers.receipt_type == ReceiptType::Breve;
        Original {
            sender: headers
                .from
                .first()
                .cloned()
                .unwrap_or_else(|| sub.login.clone()),
            to: certified(&headers.to),
            cc: certified(&headers.cc),
            subject: headers.subject.clone(),
            msgid: headers.msgid.clone(),
            receipt_type: headers.receipt_type.as_str().to_owned(),
            raw: if with_bytes {
                sub.raw.clone()
            } else {
                Vec::new()
            },
            breve: breve.then(|| breve_original(&sub.raw)),
        }
    }

    /// Ordinary (non-PEC) mail reaching lab mailbox `to`: the recipient's provider wraps it in a signed
    /// anomaly envelope (PEC rules §1). `None` when `to` is not a lab mailbox.
    pub fn inject(&self, to: &str, raw: &[u8], now: DateTime<Utc>) -> Option<Outcome> {
        let Route::Mailbox { provider: q } = self.directory.route(to) else {
            return None;
        };
        let headers = Headers::read(raw);
        let q_info = &self.directory.providers[q];
        let original = Original {
            sender: headers
                .from
                .first()
                .cloned()
                .unwrap_or_else(|| "mittente-sconosciuto@esterno.lab".into()),
            to: headers.to.iter().map(|a| (a.clone(), false)).collect(),
            cc: headers.cc.iter().map(|a| (a.clone(), false)).collect(),
            subject: headers.subject.clone(),
            msgid: headers.msgid.clone(),
            receipt_type: ReceiptType::Completa.as_str().to_owned(),
            raw: raw.to_vec(),
            breve: None,
        };
        let id = self.ids.next(&q_info.domain, now);
        let message = self.compose(q, &original, PecKindSpec::Anomaly, &id, now);
        Some(Outcome {
            deliveries: vec![Delivery {
                mailbox: to.to_owned(),
                folder: None,
                from: q_info.service_address.clone(),
                message,
                what: "anomalia",
            }],
            pending: Vec::new(),
            summary: format!("{}: anomalia {id} for {to}", q_info.id),
        })
    }

    /// The notices due at `now` for recipients that never answered: the 12 h warning, then the final
    /// 24 h notice (PEC rules §1), certified at the moment each fell due. Finished entries are removed.
    pub fn due_notices(&self, pending: &mut Vec<Pending>, now: DateTime<Utc>) -> Vec<Delivery> {
        let mut out = Vec::new();
        pending.retain_mut(|entry| {
            let service = &self.directory.providers[entry.provider].service_address;
            let twelve = entry.accepted_at + Duration::hours(12);
            let twenty_four = entry.accepted_at + Duration::hours(24);
            if !entry.warned && now >= twelve {
                entry.warned = true;
                out.push(Delivery {
                    mailbox: entry.original.sender.clone(),
                    folder: None,
                    from: service.clone(),
                    message: self.compose(
                        entry.provider,
                        &entry.original,
                        PecKindSpec::Warning12h {
                            recipient: entry.recipient.clone(),
                        },
                        &entry.identificativo,
                        twelve,
                    ),
                    what: "preavviso-errore-consegna (12 h)",
                });
            }
            let rem = self.directory.providers[entry.provider].service == LabService::Rem;
            if rem && now >= twenty_four {
                out.push(Delivery {
                    mailbox: entry.original.sender.clone(),
                    folder: None,
                    from: service.clone(),
                    message: self.rem_no_news(entry, twenty_four),
                    what: "rem content-consignment-failure (RD03)",
                });
                return false;
            }
            if now >= twenty_four {
                out.push(Delivery {
                    mailbox: entry.original.sender.clone(),
                    folder: None,
                    from: service.clone(),
                    message: self.compose(
                        entry.provider,
                        &entry.original,
                        PecKindSpec::Timeout24h {
                            recipient: entry.recipient.clone(),
                        },
                        &entry.identificativo,
                        twenty_four,
                    ),
                    what: "preavviso-errore-consegna (24 h)",
                });
                return false;
            }
            true
        });
        out
    }
}
