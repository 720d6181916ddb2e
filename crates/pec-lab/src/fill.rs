//! `attesta lab fill`: a mailbox full of realistic signed PEC mail, quickly — what a real sender's INBOX
//! holds after months of use: acceptances and delivery receipts for what they sent (now and then a
//! delivery failure, a 12 h and a 24 h notice), transport envelopes for what they received. For the sync
//! benchmark of issue 5.
//!
//! Messages are composed and signed exactly as the running providers do (same [`Circuit`]), on every core,
//! and written straight into the maildir (see [`maildir`](crate::maildir)); no daemon is needed.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::LabError;
use crate::clock::LabClock;
use crate::compose::{Attachment, Original, PecKindSpec, Rng, Send};
use crate::daemon::mail_home;
use crate::info::LabInfo;
use crate::maildir::Maildir;
use crate::provider::{Circuit, Route};
use crate::signer::CmsSigner;

/// One message to compose.
struct Job {
    original: Arc<Original>,
    provider: usize,
    kind: PecKindSpec,
    identificativo: String,
    at: DateTime<Utc>,
}

const SUBJECTS: &[&str] = &[
    "Fattura elettronica n. {n}",
    "Convocazione assemblea del {d}",
    "Notifica atto giudiziario R.G. {n}/2026",
    "Diffida ad adempiere",
    "Richiesta documentazione pratica {n}",
    "Trasmissione contratto firmato",
    "Comunicazione di avvio del procedimento",
    "Sollecito di pagamento n. {n}",
    "Offerta economica gara CIG {n}",
    "Risposta alla Vostra del {d}",
];

/// Load the providers' signers from the lab directory.
pub(crate) fn signers(info: &LabInfo) -> Result<Vec<CmsSigner>, LabError> {
    let ca = std::fs::read_to_string(&info.pec_ca_pem)
        .map_err(|e| LabError::io("read", &info.pec_ca_pem, e))?;
    info.providers
        .iter()
        .map(|p| {
            let key_path = info.dir.join("providers").join(&p.id).join("signer.key");
            let key = std::fs::read_to_string(&key_path)
                .map_err(|e| LabError::io("read", &key_path, e))?;
            let cert = std::fs::read_to_string(&p.signer_cert_pem)
                .map_err(|e| LabError::io("read", &p.signer_cert_pem, e))?;
            CmsSigner::from_pem(&key, &cert, &ca)
        })
        .collect()
}

/// Put `count` signed PEC messages into `mailbox`'s INBOX; returns how many were written.
pub fn fill(dir: &Path, mailbox: &str, count: usize) -> Result<usize, LabError> {
    let info = LabInfo::load(dir)?;
    let account = info
        .account(mailbox)
        .ok_or_else(|| LabError::UnknownMailbox(mailbox.to_owned()))?
        .address
        .clone();
    let circuit = Circuit::new(&info, signers(&info)?);
    let now = LabClock {
        offset_seconds: info.clock_offset_seconds,
    }
    .now();
    let jobs = plan(&circuit, &info, &account, count, now);
    let maildir = Maildir::open(&mail_home(&info.dir, &account).join("Maildir"))?;
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let chunk = jobs.len().div_ceil(threads).max(1);
    let results: Vec<Result<usize, LabError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                let (circuit, maildir) = (&circuit, &maildir);
                scope.spawn(move || {
                    for job in part {
                        let message = circuit.compose(
                            job.provider,
                            &job.original,
                            job.kind.clone(),
                            &job.identificativo,
                            job.at,
                        );
                        maildir.deliver(&message)?;
                    }
                    Ok(part.len())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(LabError::Control("a fill thread panicked".into())))
            })
            .collect()
    });
    results.into_iter().sum()
}

/// Decide what the mailbox holds: sends of its own (with their receipts) and mail received.
fn plan(circuit: &Circuit, info: &LabInfo, me: &str, count: usize, now: DateTime<Utc>) -> Vec<Job> {
    let mut rng = Rng::new(count as u64 ^ 0x5EC_1A8);
    let noise = noise(&mut rng);
    let others: Vec<&str> = info
        .accounts
        .iter()
        .map(|a| a.address.as_str())
        .filter(|a| !a.eq_ignore_ascii_case(me))
        .collect();
    let external = format!("cliente@{}", info.external_domain);
    let silent = info.silent_accounts.first().cloned().unwrap_or_default();
    // Spread over the last 25 days at most (inside the signing certificates' validity).
    let step = (Duration::days(25).num_seconds() / count.max(1) as i64).clamp(1, 3600);
    let my_provider = circuit.directory.provider_of(me).unwrap_or(0);
    let mut jobs = Vec::with_capacity(count + 4);
    let mut n = 0u64;
    while jobs.len() < count {
        n += 1;
        let at = now - Duration::seconds(step * (count - jobs.len()) as i64);
        let outgoing = rng.below(100) < 55;
        let (sender, recipients) = if outgoing {
            let mut r: Vec<String> = (0..1 + rng.below(3))
                .map(|_| (*rng.pick(&others)).to_owned())
                .collect();
            match rng.below(100) {
                0..=9 => r.push(external.clone()),
                10..=13 => r.push(info.unknown_example.clone()),
                14..=15 => r.push(silent.clone()),
                _ => {}
            }
            r.dedup();
            (me.to_owned(), r)
        } else {
            ((*rng.pick(&others)).to_owned(), vec![me.to_owned()])
        };
        let send = realistic_send(&mut rng, &noise, &sender, &recipients, circuit, at, n);
        let original = Arc::new(Original {
            raw: send.original(),
            ..send.facts()
        });
        let sender_provider = circuit
            .directory
            .provider_of(&sender)
            .unwrap_or(my_provider);
        let id = circuit
            .ids()
            .next(&info.providers[sender_provider].domain, at);
        let job = |provider, kind, at| Job {
            original: Arc::clone(&original),
            provider,
            kind,
            identificativo: id.clone(),
            at,
        };
        if !outgoing {
            jobs.push(job(sender_provider, PecKindSpec::Envelope, at));
            continue;
        }
        jobs.push(job(my_provider, PecKindSpec::Acceptance, at));
        for recipient in &recipients {
            let later = at + Duration::seconds(1 + rng.below(20) as i64);
            match circuit.directory.route(recipient) {
                Route::Mailbox { provider } => jobs.push(job(
                    provider,
                    PecKindSpec::Delivery {
                        recipient: recipient.clone(),
                    },
                    later,
                )),
                Route::Unknown { provider } => jobs.push(job(
                    provider,
                    PecKindSpec::Failure {
                        recipient: recipient.clone(),
                        virus: false,
                        reason: format!(
                            "5.1.1 - {} - indirizzo non valido",
                            info.providers[provider].name
                        ),
                    },
                    later,
                )),
                // Notices only once they are due (a send of the last day has none yet).
                Route::Silent if at + Duration::hours(24) > now => {}
                Route::Silent => {
                    jobs.push(job(
                        my_provider,
                        PecKindSpec::Warning12h {
                            recipient: recipient.clone(),
                        },
                        at + Duration::hours(12),
                    ));
                    jobs.push(job(
                        my_provider,
                        PecKindSpec::Timeout24h {
                            recipient: recipient.clone(),
                        },
                        at + Duration::hours(24),
                    ));
                }
                Route::External => {}
            }
        }
    }
    jobs.truncate(count);
    jobs
}

/// Random bytes that attachments are cut from (generating each attachment byte by byte would be the slow
/// part of planning).
fn noise(rng: &mut Rng) -> Vec<u8> {
    (0..(64 << 10) / 8)
        .flat_map(|_| rng.next_u64().to_le_bytes())
        .collect()
}

fn realistic_send(
    rng: &mut Rng,
    noise: &[u8],
    sender: &str,
    recipients: &[String],
    circuit: &Circuit,
    at: DateTime<Utc>,
    n: u64,
) -> Send {
    let subject = rng
        .pick(SUBJECTS)
        .replace("{n}", &(1000 + rng.below(9000)).to_string())
        .replace("{d}", &at.format("%d/%m/%Y").to_string());
    let mut send = Send::new(sender, &[], &subject, at);
    send.to = recipients
        .iter()
        .map(|r| (r.clone(), circuit.directory.is_certified(r)))
        .collect();
    send.msgid = format!("{}.{n}.{}@client.attesta.lab", at.timestamp(), rng.word(8));
    send.receipt_type = match rng.below(10) {
        0 => "breve",
        1 => "sintetica",
        _ => "completa",
    };
    if rng.below(100) < 60 {
        let size = 2_000 + rng.below(30_000) as usize;
        let start = rng.below((noise.len() - size) as u64) as usize;
        let bytes = noise[start..start + size].to_vec();
        send.attachments.push(Attachment {
            name: format!("documento_{}.pdf", rng.word(6)),
            content_type: "application/pdf".into(),
            bytes,
        });
    }
    send
}
