//! Exporting 1,000 evidence packs from an archive: packs per second, against the target of 1,000 packs
//! in under 60 s on the project's 2-core machine (issue 7).
//!
//! `cargo bench -p pec-pack --bench export` (add `-- --packs N` for another count). The archive holds N
//! sends of 3 certified recipients each (sent copy, acceptance, 2 deliveries, 1 failure: 5 messages, 4
//! signed), every receipt really signed in process (pec-lab's RustCrypto CMS signer, RSA-2048 /
//! SHA-256) by a lab CA that the anchors trust, so each export re-verifies real signatures. Each pack is
//! built exactly as `attesta export` builds it (read, re-verify, name, correlate, PDF, manifest, ZIP) and
//! written to a file in a temporary directory. Figures go in `docs/benchmarks.md`.

use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use pec_archive::query::StatusFilter;
use pec_archive::{Archive, FolderRole, Incoming, Origin, Reading};
use pec_core::signature::TrustAnchors;
use pec_lab::CmsSigner;
use pec_lab::pki::{SignerSpec, generate};
use pec_pack::{Language, PackOptions, build_pack, verify_pack_bytes};
use pec_testkit::{Pec, PecKindSpec, Send};

/// 1,000 packs in 60 s.
const TARGET_PACKS_PER_SECOND: f64 = 1000.0 / 60.0;

fn main() {
    let packs: usize = std::env::args()
        .skip_while(|a| a != "--packs")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let now = Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap();

    let started = Instant::now();
    let pki = generate(
        &[SignerSpec {
            domain: "pec.provider.example",
            organisation: "Provider PEC di Prova S.p.A.",
        }],
        now,
    )
    .expect("lab PKI");
    let signer = CmsSigner::from_pem(
        &pki.signers[0].key_pem,
        &pki.signers[0].cert_pem,
        &pki.pec_ca_pem,
    )
    .expect("lab signer");
    let mut anchors = TrustAnchors::builtin();
    anchors.add_pem(pki.pec_ca_pem.as_bytes()).expect("lab CA");

    let dir = tempfile::tempdir().expect("temp dir");
    let mut archive = Archive::open(&Archive::file_in(dir.path())).expect("archive");
    let mut batch = Vec::new();
    let mut signatures = 0;
    for i in 0..packs {
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::minutes(i as i64);
        let to: Vec<String> = (0..3)
            .map(|r| format!("dest{r}.{i}@pec.altro.example"))
            .collect();
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        let send = Send::new(
            "studio.rossi@pec.provider.example",
            &to,
            &format!("Pratica n. {i}/2026 — diffida ad adempiere"),
            at,
        );
        let origin = |folder: &str, role, uid| Origin::Imap {
            account: "studio.rossi@pec.provider.example".into(),
            folder: folder.into(),
            role,
            uidvalidity: 1,
            uid,
        };
        let mut messages = vec![(origin("Sent", FolderRole::Sent, i as u32), send.original())];
        let kinds = [
            PecKindSpec::Acceptance,
            PecKindSpec::Delivery {
                recipient: to[0].into(),
            },
            PecKindSpec::Delivery {
                recipient: to[1].into(),
            },
            PecKindSpec::Failure {
                recipient: to[2].into(),
                virus: false,
                reason: "5.1.1 - indirizzo non valido".into(),
            },
        ];
        for (k, kind) in kinds.into_iter().enumerate() {
            let mut pec = Pec::new(&send, kind);
            pec.at = at + Duration::seconds(2 + 20 * k as i64);
            let raw = pec.build(&signer.at(pec.at));
            signatures += 1;
            messages.push((origin("INBOX", FolderRole::Inbox, (i * 4 + k) as u32), raw));
        }
        for (origin, raw) in messages {
            batch.push(Incoming {
                reading: Some(Reading::of(&raw, &anchors, now)),
                raw,
                origin,
                received: None,
            });
        }
        if batch.len() >= 256 || i + 1 == packs {
            archive
                .store(std::mem::take(&mut batch), now)
                .expect("store");
        }
    }
    let sends = archive
        .status(&StatusFilter::default(), now)
        .expect("status");
    assert_eq!(sends.len(), packs);
    println!(
        "setup: {packs} sends, {} messages ({signatures} signed), archived in {:.1} s",
        archive.message_count().unwrap_or(0),
        started.elapsed().as_secs_f64()
    );

    let out = tempfile::tempdir().expect("out dir");
    let options = PackOptions::new(Language::It, now);
    let started = Instant::now();
    let mut bytes = 0u64;
    let mut zips = Vec::with_capacity(packs);
    for send in &sends {
        let pack = build_pack(&archive, send, &anchors, &options).expect("pack");
        std::fs::write(out.path().join(&pack.file_name), &pack.bytes).expect("write");
        bytes += pack.bytes.len() as u64;
        zips.push(pack.bytes);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rate = packs as f64 / elapsed;
    println!(
        "export: {packs} packs in {elapsed:.2} s = {rate:.0} packs/s ({:.1} ms per pack, {:.0} KB per pack)",
        1000.0 * elapsed / packs as f64,
        bytes as f64 / packs as f64 / 1024.0
    );
    println!(
        "target: 1,000 packs in 60 s = {TARGET_PACKS_PER_SECOND:.1} packs/s; measured / target = {:.1}x",
        rate / TARGET_PACKS_PER_SECOND
    );

    let started = Instant::now();
    let holding = zips
        .iter()
        .filter(|z| verify_pack_bytes(z, &anchors, now).holds)
        .count();
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(holding, packs, "every pack verifies");
    println!(
        "verify-pack: {packs} packs in {elapsed:.2} s = {:.0} packs/s",
        packs as f64 / elapsed
    );
}
