//! Write seed inputs for the fuzz targets: one synthetic message of every kind, wrapped and LF variants,
//! and their daticert files; for `agreement`, the same messages really signed by the test CA (when the
//! `openssl` binary is there) and a forger's re-wraps of them, so that mutations start from intact
//! signatures. Usage: `cargo run -p pec-testkit --example fuzz_seeds -- fuzz/corpus`.

use chrono::{TimeZone, Utc};
use pec_testkit::forgery::{Genuine, Rewrap, rewrap};
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, PlaceholderSigner, Send, to_lf, wrap_in_list};

fn main() -> std::io::Result<()> {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fuzz/corpus".into()),
    );
    let inspect_dir = out.join("inspect");
    let daticert_dir = out.join("daticert");
    let agreement_dir = out.join("agreement");
    std::fs::create_dir_all(&agreement_dir)?;
    std::fs::create_dir_all(&inspect_dir)?;
    std::fs::create_dir_all(&daticert_dir)?;
    let mut send = Send::new(
        "mittente@pec.example",
        &["destinatario@pec.example"],
        "Seme",
        Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap(),
    );
    send.to.push(("esterno@mail.example".into(), false));
    let r = "destinatario@pec.example".to_string();
    let kinds = [
        PecKindSpec::Envelope,
        PecKindSpec::Anomaly,
        PecKindSpec::Acceptance,
        PecKindSpec::NonAcceptance {
            virus: true,
            reason: "virus".into(),
        },
        PecKindSpec::TakenInCharge,
        PecKindSpec::Delivery {
            recipient: r.clone(),
        },
        PecKindSpec::Failure {
            recipient: r.clone(),
            virus: false,
            reason: "5.1.1".into(),
        },
        PecKindSpec::Warning12h {
            recipient: r.clone(),
        },
        PecKindSpec::Timeout24h {
            recipient: r.clone(),
        },
        PecKindSpec::VirusDetected { recipient: r },
    ];
    let pki = openssl_available()
        .then(|| TestPki::new(&PkiSpec::provider("posta-certificata@pec.example")));
    if pki.is_none() {
        println!("no openssl binary: the agreement seeds are not signed");
    }
    let mut signed = Vec::new();
    for (n, kind) in kinds.into_iter().enumerate() {
        let pec = Pec::new(&send, kind);
        if let Some(pki) = &pki {
            let raw = pec.build(pki);
            std::fs::write(agreement_dir.join(format!("{n:02}.eml")), &raw)?;
            signed.push((raw, pec.signed_content()));
        }
        let raw = pec.build(&PlaceholderSigner);
        std::fs::write(inspect_dir.join(format!("{n:02}.eml")), &raw)?;
        std::fs::write(inspect_dir.join(format!("{n:02}-lf.eml")), to_lf(&raw))?;
        std::fs::write(
            inspect_dir.join(format!("{n:02}-list.eml")),
            wrap_in_list(&raw, "lista@example.org"),
        )?;
        std::fs::write(
            daticert_dir.join(format!("{n:02}.xml")),
            pec.daticert().to_xml(),
        )?;
    }
    // Every signed receipt re-wrapped with every other one's content, in every layout a forger tries.
    for (n, (raw, _)) in signed.iter().enumerate() {
        let (Some(genuine), Some((other_raw, forged))) =
            (Genuine::new(raw), signed.get((n + 1) % signed.len()))
        else {
            continue;
        };
        let Some(other) = Genuine::new(other_raw) else {
            continue;
        };
        for (m, how) in Rewrap::ALL.into_iter().enumerate() {
            std::fs::write(
                agreement_dir.join(format!("{n:02}-rewrap-{m}.eml")),
                rewrap(&genuine, how, forged, &other),
            )?;
        }
    }
    println!("seeds written under {}", out.display());
    Ok(())
}
