//! The archive's reading hands its own parse of a message to the document checker (issue 18: the
//! import parsed every message a second time only to find its signed attachments). Over the real
//! corpus (PEC and REM) and over envelopes and sent copies carrying every file of the signed set, the
//! attachments found on the reading's parse, and their verdicts, are exactly those found on a parse
//! of the message's bytes made again (`DocumentChecker::check`, the path a checker without a reading
//! takes, as the import did before).

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use pec_archive::{DocumentChecker, understand_checking};
use pec_core::signature::{TimeWitnesses, TrustAnchors};
use pec_testkit::{Attachment, Pec, PecKindSpec, PlaceholderSigner, Send};

use super::*;

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(at) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&at) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if !matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("md" | "tsv")
            ) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// For every folder of the signed set, a transport envelope and a sent copy carrying all its files.
fn carrying_the_signed_set(signed: &Path, at: DateTime<Utc>) -> Vec<(String, Vec<u8>)> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(signed)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let mut messages = Vec::new();
    for folder in folders {
        let mut send = Send::new("tribunale@pec.example", &["studio@pec.it"], "Atti", at);
        for file in files_under(&folder) {
            send.attachments.push(Attachment {
                name: file.file_name().unwrap().to_string_lossy().into_owned(),
                content_type: "application/octet-stream".into(),
                bytes: std::fs::read(&file).unwrap(),
            });
        }
        let name = folder.display().to_string();
        messages.push((
            format!("{name} (envelope)"),
            Pec::new(&send, PecKindSpec::Envelope).build(&PlaceholderSigner),
        ));
        messages.push((format!("{name} (sent copy)"), send.original()));
    }
    messages
}

#[test]
fn the_reading_s_own_parse_finds_the_same_signed_attachments_as_parsing_again_issue_18() {
    let Some(corpus) = pec_testkit::corpus::dir_or_skip("engine one parse") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let data = DataDir::resolve(Some(data.path())).unwrap();
    let checker = ArchiveDocuments::new(&data, &EngineConfig::default());
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let anchors = TrustAnchors::builtin();
    let witnesses = TimeWitnesses::at(now);
    let mut messages: Vec<(String, Vec<u8>)> = [corpus.join("real"), corpus.join("rem")]
        .iter()
        .chain(std::iter::once(&corpus.join("signed/pec-eml")))
        .flat_map(|dir| files_under(dir))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("eml"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    let real = messages.len();
    messages.extend(carrying_the_signed_set(&corpus.join("signed"), now));
    assert!(real >= 25, "only {real} corpus messages found");
    let mut signed = 0;
    for (name, raw) in &messages {
        let oracle = checker.check(raw, now);
        let read = understand_checking(raw, Some((&anchors, &witnesses)), Some((&checker, now)));
        assert_eq!(read.documents.as_ref(), Some(&oracle), "{name}");
        assert_eq!(checker.check(raw, now), oracle, "{name}");
        signed += oracle.attachments.len();
    }
    // Not vacuous: the signed set's p7m, m7m, tsd and signed PDFs are found in every carrier.
    assert!(signed >= 60, "only {signed} signed attachments found");
}
