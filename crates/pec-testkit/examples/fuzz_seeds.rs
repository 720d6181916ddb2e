//! Write seed inputs for the fuzz targets: one synthetic message of every kind, wrapped and LF variants,
//! and their daticert files. Usage: `cargo run -p pec-testkit --example fuzz_seeds -- fuzz/corpus`.

use chrono::{TimeZone, Utc};
use pec_testkit::{Pec, PecKindSpec, PlaceholderSigner, Send, to_lf, wrap_in_list};

fn main() -> std::io::Result<()> {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fuzz/corpus".into()),
    );
    let inspect_dir = out.join("inspect");
    let daticert_dir = out.join("daticert");
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
    for (n, kind) in kinds.into_iter().enumerate() {
        let pec = Pec::new(&send, kind);
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
    println!("seeds written under {}", out.display());
    Ok(())
}
