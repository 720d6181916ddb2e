//! The export's index: `index.json` for programs and `index.txt` for people, listing every pack
//! written with its SHA-256 (what a lawyer quotes in a filing), the send and each recipient's outcome.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use pec_core::correlate::SentSummary;
use pec_pack::manifest::RecipientFacts;
use pec_pack::words::{Words, kinds};
use pec_pack::{Language, time};
use serde::Serialize;

use super::{ExportRequest, ExportedPack, write_atomically};
use crate::EngineError;

pub const INDEX_JSON: &str = "index.json";
pub const INDEX_TEXT: &str = "index.txt";

#[derive(Serialize)]
struct Index<'a> {
    format: &'static str,
    producer: &'a str,
    produced_at: DateTime<Utc>,
    language: Language,
    interrupted: bool,
    packs: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    file: &'a str,
    sha256: &'a str,
    size: u64,
    send_id: i64,
    msgid: &'a str,
    subject: Option<&'a str>,
    sender: Option<&'a str>,
    sent_at: Option<DateTime<Utc>>,
    accepted_at: Option<DateTime<Utc>>,
    summary: SentSummary,
    recipients: &'a [RecipientFacts],
    /// Who exported it (`null`: not recorded).
    exported_by: Option<&'a pec_archive::Person>,
}

/// Writes both indexes into `out`; returns their paths (JSON, text).
pub fn write(
    out: &Path,
    request: &ExportRequest,
    packs: &[ExportedPack],
    interrupted: bool,
) -> Result<(PathBuf, PathBuf), EngineError> {
    let index = Index {
        format: "attesta-export-index/1",
        producer: &request.producer,
        produced_at: request.produced_at,
        language: request.language,
        interrupted,
        packs: packs
            .iter()
            .map(|p| Entry {
                file: &p.file,
                sha256: &p.sha256,
                size: p.size,
                send_id: p.send_id,
                msgid: &p.msgid,
                subject: p.subject.as_deref(),
                sender: p.sender.as_deref(),
                sent_at: p.sent_at,
                accepted_at: p.accepted_at,
                summary: p.summary,
                recipients: &p.recipients,
                exported_by: p.exported_by.as_ref(),
            })
            .collect(),
    };
    let mut json = serde_json::to_vec_pretty(&index).map_err(|e| EngineError::Write {
        path: out.join(INDEX_JSON),
        source: std::io::Error::other(e),
    })?;
    json.push(b'\n');
    let json_path = out.join(INDEX_JSON);
    write_atomically(&json_path, &json)?;
    let text_path = out.join(INDEX_TEXT);
    write_atomically(&text_path, text(request, packs, interrupted).as_bytes())?;
    Ok((json_path, text_path))
}

/// The index for people, in the export's language.
fn text(request: &ExportRequest, packs: &[ExportedPack], interrupted: bool) -> String {
    let l = request.language;
    let w = Words::of(l);
    let (title, count, stopped, file_label) = match l {
        Language::It => (
            "Attesta — fascicoli di prova esportati",
            format!("{} fascicoli (uno per messaggio inviato)", packs.len()),
            "Esportazione interrotta: sono elencati solo i fascicoli scritti.",
            "Fascicolo",
        ),
        Language::En => (
            "Attesta — exported evidence packs",
            format!("{} packs (one per sent message)", packs.len()),
            "Export interrupted: only the packs written are listed.",
            "Pack",
        ),
    };
    let mut out = format!(
        "{title}\n{} {} · {}\n{count}\n",
        w.produced_by,
        request.producer,
        time::long(l, request.produced_at)
    );
    if interrupted {
        out.push_str(stopped);
        out.push('\n');
    }
    for p in packs {
        out.push('\n');
        let line = |out: &mut String, label: &str, value: &str| {
            out.push_str(&format!("  {label:<14} {value}\n"));
        };
        out.push_str(&format!("{file_label}: {}\n", p.file));
        line(
            &mut out,
            w.subject,
            p.subject.as_deref().unwrap_or(w.no_subject),
        );
        line(&mut out, w.sender, p.sender.as_deref().unwrap_or(w.unknown));
        line(&mut out, w.msgid, &p.msgid);
        line(&mut out, w.sent_at, &time::long_or(l, p.sent_at));
        line(&mut out, w.accepted_at, &time::long_or(l, p.accepted_at));
        line(&mut out, w.outcome, kinds::summary(l, p.summary));
        for (i, r) in p.recipients.iter().enumerate() {
            let when =
                r.at.map(|t| format!(" ({})", time::long(l, t)))
                    .unwrap_or_default();
            let label = if i == 0 { w.recipients } else { "" };
            line(
                &mut out,
                label,
                &format!("{} — {}{when}", r.address, kinds::state(l, r.state)),
            );
        }
        let by = p
            .exported_by
            .as_ref()
            .map_or_else(|| w.not_recorded.to_owned(), |b| b.describe());
        line(&mut out, w.exported_by, &by);
        line(&mut out, w.sha256, &p.sha256);
    }
    out
}
