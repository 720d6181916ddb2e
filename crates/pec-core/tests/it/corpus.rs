//! Every real message of `shared/corpus` reads as its MANIFEST says; the full model is snapshotted so a
//! reviewer can read what Attesta makes of each file.

use chrono::{DateTime, Utc};
use pec_core::{Artifact, recognise};
use pec_testkit::corpus;

/// NOTE: the MANIFEST time is the CMS signingTime; daticert's certified time is written by the same
/// provider within seconds of it (seen: up to 9 s either way). The signature tests compare signingTime
/// exactly.
const CERTIFIED_VS_SIGNED_TOLERANCE_SECS: i64 = 60;

#[test]
fn every_real_message_has_the_kind_provider_recipients_and_time_of_its_manifest() {
    let Some(dir) = corpus::dir_or_skip("corpus manifest") else {
        return;
    };
    let rows = corpus::manifest(&dir);
    assert_eq!(rows.len(), 29, "the corpus MANIFEST should list 29 files");
    for row in rows {
        let raw = std::fs::read(dir.join("real").join(&row.file)).unwrap();
        let artifact = recognise(&raw);
        match (&artifact, row.kind.as_str()) {
            (Artifact::Signature, "p7s") => continue,
            (Artifact::Daticert(d), "daticert") => {
                assert_provider(&row.file, d.gestore_emittente.as_deref(), &row.provider);
                assert_eq!(d.destinatari.len(), row.recipients.unwrap(), "{}", row.file);
            }
            (Artifact::Message(i), kind) => {
                assert_eq!(i.kind.tipo(), kind, "{}: kind", row.file);
                if let Some(d) = &i.daticert {
                    assert_provider(&row.file, d.gestore_emittente.as_deref(), &row.provider);
                    assert_eq!(
                        Some(d.destinatari.len()),
                        row.recipients,
                        "{}: recipients",
                        row.file
                    );
                    let signed: DateTime<Utc> = row.signing_time.parse().unwrap();
                    let certified = d.data.expect("a certified time");
                    let gap = (certified - signed).num_seconds().abs();
                    assert!(
                        gap <= CERTIFIED_VS_SIGNED_TOLERANCE_SECS,
                        "{}: certified {certified} vs signed {signed}",
                        row.file
                    );
                } else {
                    // Only the file whose daticert a contributor removed has none.
                    assert_eq!(row.recipients, None, "{}: daticert expected", row.file);
                    assert!(i.structure.signed.is_some(), "{}", row.file);
                }
            }
            (other, kind) => panic!("{}: expected {kind}, read {other:?}", row.file),
        }
    }
}

fn assert_provider(file: &str, gestore: Option<&str>, manifest: &str) {
    let gestore = gestore.unwrap_or_default().to_lowercase();
    assert!(
        gestore.contains(&manifest.to_lowercase()),
        "{file}: provider {gestore:?} should name {manifest:?}"
    );
}

#[test]
fn every_real_message_reads_as_its_snapshot() {
    let Some(dir) = corpus::dir_or_skip("corpus snapshots") else {
        return;
    };
    for row in corpus::manifest(&dir) {
        let raw = std::fs::read(dir.join("real").join(&row.file)).unwrap();
        let artifact = recognise(&raw);
        insta::with_settings!({ snapshot_suffix => row.file.clone(), prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!("corpus", artifact);
        });
    }
}

#[test]
fn the_signed_span_of_every_real_message_starts_at_a_part_header_and_excludes_the_delimiter() {
    let Some(dir) = corpus::dir_or_skip("corpus signed spans") else {
        return;
    };
    for row in corpus::manifest(&dir) {
        let raw = std::fs::read(dir.join("real").join(&row.file)).unwrap();
        let Artifact::Message(i) = recognise(&raw) else {
            continue;
        };
        let content = i.signed_content(&raw).expect("signed content");
        let first_line = content.split(|&b| b == b'\n').next().unwrap();
        let colon = first_line.iter().position(|&b| b == b':').unwrap_or(0);
        assert!(
            colon > 0 && first_line[..colon].iter().all(|b| b.is_ascii_graphic()),
            "{}: the signed span starts with the part's headers",
            row.file
        );
        let signed = i.structure.signed.as_ref().unwrap();
        let after = &raw[signed.content.end..];
        let after = after
            .strip_prefix(b"\r\n")
            .or(after.strip_prefix(b"\n"))
            .unwrap();
        assert!(
            after.starts_with(b"--"),
            "{}: the span ends right before the delimiter's line break",
            row.file
        );
        assert!(
            i.signature
                .as_ref()
                .is_some_and(|s| s.first() == Some(&0x30)),
            "{}",
            row.file
        );
    }
}

#[test]
fn the_edited_subject_and_the_edited_ids_are_reported_as_findings() {
    let Some(dir) = corpus::dir_or_skip("corpus findings") else {
        return;
    };
    let codes = |file: &str| {
        let raw = std::fs::read(dir.join("real").join(file)).unwrap();
        let Artifact::Message(i) = recognise(&raw) else {
            panic!("{file} is a message");
        };
        i.findings.iter().map(|f| f.code).collect::<Vec<_>>()
    };
    use pec_core::FindingCode::*;
    assert_eq!(
        codes("aruba_transport_2018_docway-msa_segnatura-tags_HDRMOD.eml"),
        vec![HeaderSubjectMismatch]
    );
    assert_eq!(
        codes("aruba_transport_2018_docway-msa_segnatura-solo-testo.eml"),
        vec![]
    );
    assert!(codes("aruba_transport_2014_seedoo_MODIFIED.eml").contains(&HeaderMsgidMismatch));
}
