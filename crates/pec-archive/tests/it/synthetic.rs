//! A generator of realistic sends — 1 to 20 recipients, certified and external, every outcome, receipts
//! in any order across batches, sent copies arriving late — and the states the archive must give them.

use chrono::{DateTime, Duration, TimeZone, Utc};
use pec_archive::query::StatusFilter;
use pec_archive::{Archive, Incoming, Origin, Reading};
use pec_core::correlate::{Overdue, RecipientState, SentSummary};
use pec_testkit::{Pec, PecKindSpec, Rng, Send};

use super::{fresh, pki, trusting};

/// What the generator intends for one recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Delivered,
    Failed,
    Warned,
    TimedOut,
    External,
    Waiting,
}

struct Planned {
    send: Send,
    not_accepted: bool,
    fates: Vec<(String, Fate)>,
    /// The messages the providers (and the client) produced, each with its file name.
    messages: Vec<(String, Vec<u8>)>,
}

fn fate(rng: &mut Rng) -> Fate {
    match rng.below(100) {
        0..=54 => Fate::Delivered,
        55..=64 => Fate::Failed,
        65..=69 => Fate::Warned,
        70..=79 => Fate::TimedOut,
        80..=91 => Fate::External,
        _ => Fate::Waiting,
    }
}

fn plan(rng: &mut Rng, n: usize, signer: &dyn pec_testkit::Signer) -> Planned {
    let sent_at =
        Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap() + Duration::minutes(n as i64 * 7);
    let count = 1 + rng.below(20) as usize;
    let fates: Vec<(String, Fate)> = (0..count)
        .map(|i| {
            let f = fate(rng);
            let domain = if f == Fate::External {
                "gmail.example"
            } else {
                "pec.altro.example"
            };
            (format!("r{n}x{i}@{domain}"), f)
        })
        .collect();
    let to: Vec<(String, bool)> = fates
        .iter()
        .map(|(a, f)| (a.clone(), *f != Fate::External))
        .collect();
    let mut send = Send::new(
        "studio.rossi@pec.provider.example",
        &[],
        &format!("Pratica {n} — {}", rng.word(8)),
        sent_at,
    );
    send.to = to;
    send.msgid = format!("send-{n}.{}@client.example", rng.word(6));
    let not_accepted = rng.below(20) == 0;
    let at = |pec: &mut Pec, d: Duration| pec.at = sent_at + d;
    let mut messages = vec![(format!("s{n}-sent.eml"), send.original())];
    if not_accepted {
        let pec = Pec::new(
            &send,
            PecKindSpec::NonAcceptance {
                virus: false,
                reason: "destinatari in Bcc non ammessi".into(),
            },
        );
        messages.push((format!("s{n}-non-acceptance.eml"), pec.build(signer)));
    } else {
        messages.push((
            format!("s{n}-acceptance.eml"),
            Pec::new(&send, PecKindSpec::Acceptance).build(signer),
        ));
        for (i, (address, f)) in fates.iter().enumerate() {
            let recipient = address.clone();
            let mut kinds: Vec<(PecKindSpec, Duration)> = match f {
                Fate::Delivered => {
                    vec![(PecKindSpec::Delivery { recipient }, Duration::seconds(5))]
                }
                Fate::Failed => vec![(
                    PecKindSpec::Failure {
                        recipient,
                        virus: false,
                        reason: "5.1.1 - indirizzo non valido".into(),
                    },
                    Duration::seconds(9),
                )],
                Fate::Warned => vec![(PecKindSpec::Warning12h { recipient }, Duration::hours(12))],
                Fate::TimedOut => vec![
                    (
                        PecKindSpec::Warning12h {
                            recipient: recipient.clone(),
                        },
                        Duration::hours(12),
                    ),
                    (PecKindSpec::Timeout24h { recipient }, Duration::hours(24)),
                ],
                Fate::External | Fate::Waiting => vec![],
            };
            for (j, (kind, d)) in kinds.drain(..).enumerate() {
                let mut pec = Pec::new(&send, kind);
                at(&mut pec, d);
                pec.identificativo = format!("opec.{n}.{i}.{j}@pec.provider.example");
                messages.push((format!("s{n}-r{i}-{j}.eml"), pec.build(signer)));
            }
        }
    }
    Planned {
        send,
        not_accepted,
        fates,
        messages,
    }
}

fn expected(p: &Planned, fate: Fate) -> RecipientState {
    if p.not_accepted {
        return RecipientState::NotAccepted;
    }
    match fate {
        Fate::Delivered => RecipientState::Delivered,
        Fate::Failed => RecipientState::Failed,
        Fate::Warned => RecipientState::Warned12h,
        Fate::TimedOut => RecipientState::TimedOut24h,
        Fate::External => RecipientState::External,
        Fate::Waiting => RecipientState::Pending,
    }
}

/// Stores everything in random order and random batch sizes; some sent copies only at the very end.
fn store_shuffled(
    archive: &mut Archive,
    plans: &[Planned],
    rng: &mut Rng,
    anchors: &pec_core::signature::TrustAnchors,
    now: DateTime<Utc>,
) {
    let mut early = Vec::new();
    let mut late = Vec::new();
    for p in plans {
        for (i, m) in p.messages.iter().enumerate() {
            if i == 0 && rng.below(3) == 0 {
                late.push(m.clone());
            } else {
                early.push(m.clone());
            }
        }
    }
    for i in (1..early.len()).rev() {
        early.swap(i, rng.below(i as u64 + 1) as usize);
    }
    early.extend(late);
    let mut rest = early.as_slice();
    while !rest.is_empty() {
        let take = (1 + rng.below(40) as usize).min(rest.len());
        let (batch, tail) = rest.split_at(take);
        rest = tail;
        let incoming = batch
            .iter()
            .map(|(name, raw)| Incoming {
                received: None,
                reading: Some(Reading::of(
                    raw,
                    anchors,
                    std::time::SystemTime::now().into(),
                )),
                raw: raw.clone(),
                origin: Origin::File {
                    path: format!("/import/{name}"),
                    part: 0,
                    mailbox: None,
                },
            })
            .collect();
        archive.store(incoming, now).unwrap();
    }
}

#[test]
fn generated_sends_get_exactly_the_states_the_generator_intended_whatever_the_order() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let mut rng = Rng::new(20_261_202);
    let plans: Vec<Planned> = (0..36).map(|n| plan(&mut rng, n, pki)).collect();
    let (_dir, mut archive) = fresh();
    let now = Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap();
    store_shuffled(&mut archive, &plans, &mut rng, &anchors, now);

    let all = archive.status(&StatusFilter::default(), now).unwrap();
    assert_eq!(all.len(), plans.len());
    for p in &plans {
        let msgid = format!("<{}>", p.send.msgid);
        let s = all.iter().find(|s| s.msgid == msgid).unwrap();
        assert_eq!(
            s.sent_at,
            Some(p.send.sent_at),
            "{msgid}: the sent copy was linked"
        );
        assert_eq!(
            s.evidence.len(),
            p.messages.len(),
            "{msgid}: every item linked"
        );
        assert_eq!(s.recipients.len(), p.fates.len(), "{msgid}");
        for (address, fate) in &p.fates {
            let r = s.recipients.iter().find(|r| &r.address == address).unwrap();
            assert_eq!(r.state, expected(p, *fate), "{msgid} {address} ({fate:?})");
            let waiting = matches!(r.state, RecipientState::Pending | RecipientState::Warned12h);
            assert_eq!(
                r.overdue,
                waiting.then_some(Overdue::After24h),
                "{msgid} {address}"
            );
        }
        let certified: Vec<RecipientState> = p
            .fates
            .iter()
            .filter(|(_, f)| *f != Fate::External)
            .map(|(_, f)| expected(p, *f))
            .collect();
        let summary = if p.not_accepted {
            SentSummary::NotAccepted
        } else if certified.is_empty() {
            SentSummary::NotCertifiable
        } else if certified.iter().any(|s| !s.is_settled()) {
            SentSummary::Pending
        } else if certified.iter().all(|s| *s == RecipientState::Delivered) {
            SentSummary::Delivered
        } else if certified.contains(&RecipientState::Delivered) {
            SentSummary::PartiallyDelivered
        } else {
            SentSummary::Failed
        };
        assert_eq!(s.summary, summary, "{msgid}");
    }

    // The filters pick exactly the sends needing each kind of attention.
    let pick = |f: StatusFilter| -> Vec<String> {
        let mut v: Vec<String> = archive
            .status(&f, now)
            .unwrap()
            .into_iter()
            .map(|s| s.msgid)
            .collect();
        v.sort();
        v
    };
    let wanted = |pred: &dyn Fn(RecipientState) -> bool| -> Vec<String> {
        let mut v: Vec<String> = plans
            .iter()
            .filter(|p| p.fates.iter().any(|(_, f)| pred(expected(p, *f))))
            .map(|p| format!("<{}>", p.send.msgid))
            .collect();
        v.sort();
        v
    };
    let waiting =
        |s: RecipientState| matches!(s, RecipientState::Pending | RecipientState::Warned12h);
    let failed = |s: RecipientState| {
        matches!(
            s,
            RecipientState::Failed | RecipientState::TimedOut24h | RecipientState::NotAccepted
        )
    };
    assert_eq!(
        pick(StatusFilter {
            pending: true,
            ..Default::default()
        }),
        wanted(&waiting)
    );
    assert_eq!(
        pick(StatusFilter {
            failed: true,
            ..Default::default()
        }),
        wanted(&failed)
    );
    assert_eq!(
        pick(StatusFilter {
            overdue: true,
            ..Default::default()
        }),
        wanted(&waiting)
    );
    // A page is the first sends of the whole list, in its order, whether the most recent sends hold
    // it or not.
    for (pending, failed, overdue) in [
        (false, false, false),
        (true, false, false),
        (false, true, false),
        (false, false, true),
    ] {
        let filter = StatusFilter {
            pending,
            failed,
            overdue,
            ..Default::default()
        };
        let all: Vec<String> = archive
            .status(&filter, now)
            .unwrap()
            .into_iter()
            .map(|s| s.msgid)
            .collect();
        for limit in [1, 3, all.len() + 5] {
            let page: Vec<String> = archive
                .status(
                    &StatusFilter {
                        limit: Some(limit),
                        ..filter.clone()
                    },
                    now,
                )
                .unwrap()
                .into_iter()
                .map(|s| s.msgid)
                .collect();
            assert_eq!(page, all[..limit.min(all.len())], "{filter:?}, {limit}");
        }
    }
    assert!(archive.check().unwrap().is_clean());
}

#[test]
fn a_receipt_that_does_not_verify_never_delivers_and_is_kept() {
    let Some(pki) = pki() else { return };
    let send = Send::new(
        "studio.rossi@pec.provider.example",
        &["a@pec.altro.example"],
        "Atto di citazione",
        Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(),
    );
    let acceptance = Pec::new(&send, PecKindSpec::Acceptance).build(pki);
    let delivery = Pec::new(
        &send,
        PecKindSpec::Delivery {
            recipient: "a@pec.altro.example".into(),
        },
    )
    .build(pki);
    // A forger edits one letter of the signed summary text: the bytes no longer match the signature.
    let mut forged = delivery.clone();
    let text = pec_core::inspect(&delivery).structure.text_parts[0];
    let letter = (text.start..text.end)
        .find(|&i| forged[i].is_ascii_lowercase())
        .unwrap();
    forged[letter] = forged[letter].to_ascii_uppercase();
    // Another forger sends a "CONSEGNA" e-mail with no signature at all.
    let mut unsigned = Pec::new(
        &send,
        PecKindSpec::Delivery {
            recipient: "a@pec.altro.example".into(),
        },
    );
    unsigned.unsigned = true;
    unsigned.identificativo = "forged@pec.provider.example".into();
    let unsigned = unsigned.build(pki);
    let (_dir, mut archive) = fresh();
    let anchors = trusting(pki);
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap();
    for (name, raw) in [
        ("acc.eml", acceptance),
        ("forged.eml", forged),
        ("unsigned.eml", unsigned),
    ] {
        archive
            .store(
                vec![Incoming {
                    received: None,
                    reading: Some(Reading::of(
                        &raw,
                        &anchors,
                        std::time::SystemTime::now().into(),
                    )),
                    raw,
                    origin: Origin::File {
                        path: name.into(),
                        part: 0,
                        mailbox: None,
                    },
                }],
                now,
            )
            .unwrap();
    }
    let s = &archive.status(&StatusFilter::default(), now).unwrap()[0];
    assert_eq!(s.recipients[0].state, RecipientState::Pending);
    assert_eq!(
        s.evidence.len(),
        3,
        "the forged receipts are kept and listed"
    );
    let flagged: Vec<i64> = s
        .findings
        .iter()
        .filter(|f| f.code == pec_core::correlate::SentFindingCode::UntrustedEvidence)
        .filter_map(|f| f.evidence)
        .collect();
    assert_eq!(flagged.len(), 2, "{:?}", s.findings);
    let verdicts: Vec<&str> = flagged
        .iter()
        .map(|id| archive.item(*id, now).unwrap().verdicts[0].status.as_str())
        .collect();
    assert!(
        verdicts.contains(&"invalid") && verdicts.contains(&"unsigned"),
        "{verdicts:?}"
    );
}
