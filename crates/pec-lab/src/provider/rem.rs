//! The circuit when the lab's providers answer as REM services (`attesta lab up --rem`; REM-Policy-IT
//! 1.2 as the AgID kit shows it, `docs/rem.md` §5). For one submission from a mailbox of provider P:
//!
//! - refused by the formal checks: P's **SubmissionRejection** (`RA05`) to the sender, nothing else;
//! - otherwise P's **SubmissionAcceptance** (`RA01`) to the sender; the **dispatch** (the original and
//!   that evidence) to every recipient with a lab mailbox; then per recipient, in `RecipientDetails`
//!   order: from its provider Q a **ContentConsignment** (`RD01`), or for an unknown mailbox of a lab
//!   domain a **ContentConsignmentFailure** (`RD21`, unregistered recipient); for an ordinary mailbox
//!   (the external domain) P's **RelayToNonERDS** (`RF01`) when the sender asked for relay evidence
//!   (`REM-RelayToNonERDS: evidence-required`), else nothing; for the silent domain, P's
//!   **ContentConsignmentFailure** (`RD03`, no news from the recipient's provider) 24 h later by the
//!   lab clock (REM has no 12 h warning).
//!
//! Every evidence is signed XAdES-B-T (`rem::xades`) and every message S/MIME by the provider that
//! issues it.

use std::sync::Arc;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::{Circuit, Delivery, Headers, Outcome, Pending, Route, Submission, check};
use crate::compose::{Original, zone::italian_offset};
use crate::rem::{EvidenceSpec, LabEvent, RemMessageSpec};

/// What one REM message is about, besides its event.
struct About<'a> {
    original: &'a Original,
    message_identifier: &'a str,
    recipients: &'a [String],
    digest: Option<&'a str>,
    submitted_at: DateTime<Utc>,
}

impl Circuit {
    /// [`Circuit::submit`] for a REM provider.
    pub(super) fn submit_rem(
        &self,
        sub: &Submission,
        headers: &Headers,
        now: DateTime<Utc>,
    ) -> Outcome {
        let p = sub.provider;
        let provider = &self.directory.providers[p];
        let service = provider.service_address.clone();
        if let Err(refusal) = check(sub, headers, provider) {
            let original = Original {
                sender: sub.login.clone(),
                ..self.original(headers, sub, false)
            };
            let id = self.ids.next(&provider.domain, now);
            let recipients: Vec<String> = original.recipients().map(|(a, _)| a.clone()).collect();
            let about = About {
                original: &original,
                message_identifier: &id,
                recipients: &recipients,
                digest: None,
                submitted_at: now,
            };
            let message = self.rem_receipt(p, &about, LabEvent::SubmissionRejection, None, now);
            return Outcome {
                deliveries: vec![Delivery {
                    mailbox: sub.login.clone(),
                    folder: None,
                    from: service,
                    message,
                    what: "rem submission-rejection",
                }],
                pending: Vec::new(),
                summary: format!(
                    "{}: rem submission-rejection ({})",
                    provider.id,
                    refusal.errore_esteso()
                ),
            };
        }

        let original = Arc::new(self.original(headers, sub, true));
        let id = self.ids.next(&provider.domain, now);
        let recipients: Vec<String> = original.recipients().map(|(a, _)| a.clone()).collect();
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&sub.raw));
        let about = About {
            original: &original,
            message_identifier: &id,
            recipients: &recipients,
            digest: Some(&digest),
            submitted_at: now,
        };
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
        let (acceptance, evidence_id, evidence_xml) =
            self.rem_message(p, &about, LabEvent::SubmissionAcceptance, None, now, None);
        deliver(
            &sub.login,
            None,
            &service,
            acceptance,
            "rem submission-acceptance",
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
        let dispatch = self.rem_dispatch(p, &about, &evidence_id, &evidence_xml, now);
        let mut counts = [0usize; 4];
        for (index, recipient) in recipients.iter().enumerate() {
            let position = index + 1;
            match self.directory.route(recipient) {
                Route::Mailbox { provider: q } => {
                    counts[0] += 1;
                    deliver(recipient, None, &service, dispatch.clone(), "rem dispatch");
                    let receipt = self.rem_receipt(
                        q,
                        &about,
                        LabEvent::ContentConsignment,
                        Some(position),
                        now,
                    );
                    let q_service = &self.directory.providers[q].service_address;
                    deliver(
                        &sub.login,
                        None,
                        q_service,
                        receipt,
                        "rem content-consignment",
                    );
                }
                Route::Unknown { provider: q } => {
                    counts[1] += 1;
                    let receipt = self.rem_receipt(
                        q,
                        &about,
                        LabEvent::ConsignmentFailureUnregistered,
                        Some(position),
                        now,
                    );
                    let q_service = &self.directory.providers[q].service_address;
                    deliver(
                        &sub.login,
                        None,
                        q_service,
                        receipt,
                        "rem content-consignment-failure",
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
                        // NOTE: REM has no 12 h warning (docs/rem.md §5): only the RD03 failure.
                        warned: true,
                    });
                }
                Route::External => {
                    counts[3] += 1;
                    if headers.rem_relay_evidence {
                        let receipt = self.rem_receipt(
                            p,
                            &about,
                            LabEvent::RelayToNonErds,
                            Some(position),
                            now,
                        );
                        deliver(&sub.login, None, &service, receipt, "rem relay-to-non-erds");
                    }
                }
            }
        }
        out.summary = format!(
            "{}: rem submission-acceptance {id} from {} ({} consigned, {} unregistered, {} silent, {} non-ERDS)",
            provider.id, sub.login, counts[0], counts[1], counts[2], counts[3]
        );
        out
    }

    /// The RD03 failure for a silent recipient of a REM send, certified at `at` by the sender's
    /// provider.
    pub(super) fn rem_no_news(&self, entry: &Pending, at: DateTime<Utc>) -> Vec<u8> {
        let recipients: Vec<String> = entry
            .original
            .recipients()
            .map(|(a, _)| a.clone())
            .collect();
        let digest =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&entry.original.raw));
        let position = recipients
            .iter()
            .position(|r| r.eq_ignore_ascii_case(&entry.recipient))
            .map(|i| i + 1);
        let about = About {
            original: &entry.original,
            message_identifier: &entry.identificativo,
            recipients: &recipients,
            digest: Some(&digest),
            submitted_at: entry.accepted_at,
        };
        self.rem_receipt(
            entry.provider,
            &about,
            LabEvent::ConsignmentFailureNoNews,
            position,
            at,
        )
    }

    fn rem_receipt(
        &self,
        provider: usize,
        about: &About<'_>,
        event: LabEvent,
        position: Option<usize>,
        at: DateTime<Utc>,
    ) -> Vec<u8> {
        self.rem_message(provider, about, event, position, at, None)
            .0
    }

    /// The dispatch: the original and the acceptance's evidence, from the sender's provider.
    fn rem_dispatch(
        &self,
        provider: usize,
        about: &About<'_>,
        evidence_id: &str,
        evidence_xml: &str,
        at: DateTime<Utc>,
    ) -> Vec<u8> {
        self.rem_message(
            provider,
            about,
            LabEvent::SubmissionAcceptance,
            None,
            at,
            Some((evidence_id, evidence_xml)),
        )
        .0
    }

    /// One REM message of `provider` (a receipt, or with `dispatch` the dispatch carrying that
    /// evidence), with its evidence's identifier and XML.
    fn rem_message(
        &self,
        provider: usize,
        about: &About<'_>,
        event: LabEvent,
        position: Option<usize>,
        at: DateTime<Utc>,
        dispatch: Option<(&str, &str)>,
    ) -> (Vec<u8>, String, String) {
        let p = &self.directory.providers[provider];
        let o = about.original;
        let ua = o.msgid.as_ref().map(|m| format!("<{m}>"));
        let (evidence_id, evidence_xml) = match dispatch {
            Some((id, xml)) => (id.to_owned(), xml.to_owned()),
            None => {
                let evidence_id = self.ids.next(&p.domain, at);
                let xml = self.rem_evidence(provider, about, event, position, at, &evidence_id);
                (evidence_id, xml)
            }
        };
        let about_recipient = position.and_then(|n| about.recipients.get(n - 1));
        let to = match dispatch {
            Some(_) => about.recipients.to_vec(),
            None => vec![o.sender.clone()],
        };
        let message_id = if dispatch.is_some() {
            about.message_identifier.to_owned()
        } else {
            self.ids.next(&p.domain, at)
        };
        let spec = RemMessageSpec {
            event,
            service_address: &p.service_address,
            provider_name: &p.name,
            provider_domain: &p.domain,
            sender: &o.sender,
            recipients: about.recipients,
            to: &to,
            subject: &o.subject,
            message_id: &message_id,
            message_identifier: about.message_identifier,
            ua_message_identifier: ua.as_deref(),
            evidence_identifier: &evidence_id,
            digest: about.digest,
            about: about_recipient.map(String::as_str),
            original: dispatch.map(|_| o.raw.as_slice()),
            evidence_xml: &evidence_xml,
            at,
            offset: italian_offset(at),
        };
        let bytes = match self.signers.get(provider) {
            Some(signer) => spec.build(signer).unwrap_or_default(),
            None => Vec::new(),
        };
        (bytes, evidence_id, evidence_xml)
    }

    /// The signed evidence `provider` issues about `about`.
    fn rem_evidence(
        &self,
        provider: usize,
        about: &About<'_>,
        event: LabEvent,
        position: Option<usize>,
        at: DateTime<Utc>,
        evidence_id: &str,
    ) -> String {
        let p = &self.directory.providers[provider];
        let o = about.original;
        let ua = o.msgid.as_ref().map(|m| format!("<{m}>"));
        let relay = event == LabEvent::RelayToNonErds;
        let spec = EvidenceSpec {
            identifier: evidence_id,
            event,
            event_time: at,
            submission_time: about.submitted_at,
            issuer: &p.name,
            sender: &o.sender,
            recipients: about.recipients,
            refers_to: if relay { None } else { position },
            relay_refers_to: if relay { position } else { None },
            message_identifier: about.message_identifier,
            app_layer_identifier: ua.as_deref(),
            digest: about.digest,
            subject: &o.subject,
        };
        let tag = evidence_id.replace(['@', '.'], "-");
        let signer = self
            .rem
            .as_ref()
            .and_then(|keys| keys.signers.get(provider).map(|signer| (signer, &keys.tsa)));
        // NOTE: a lab that could not sign writes the evidence unsigned, which every verifier reports
        // as unsigned evidence rather than a valid one.
        match signer {
            Some((signer, tsa)) => signer
                .sign(&spec.to_xml(), &tag, at, tsa)
                .unwrap_or_else(|_| spec.to_xml()),
            None => spec.to_xml(),
        }
    }
}
