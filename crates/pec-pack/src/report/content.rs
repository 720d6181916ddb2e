//! What the report says, in order: the outcome at a glance, the message, each recipient's outcome, each
//! file with its verdict and SHA-256, notes, the statement of conformity, how to verify — all from the
//! manifest, in the manifest's language.

use pec_core::PecKind;
use pec_core::correlate::RecipientState;
use pec_core::signature::SignatureStatus;

use super::flow::{Color, Laid, Row, Span, Style, Typesetter, panel, rule};
use super::fonts::Face;
use super::geometry::{COLUMNS, CONTENT_WIDTH, LEFT};
use crate::Language;
use crate::manifest::{Manifest, MessageFacts, SignatureFacts};
use crate::time;
use crate::words::{Words, findings, kinds, kinds::Tone};

const TITLE: Style = Style::new(Face::Bold, 17.0, Color::ACCENT);
const SUBTITLE: Style = Style::new(Face::Regular, 8.5, Color::MUTED);
const HEADING: Style = Style::new(Face::Bold, 12.0, Color::ACCENT);
const BODY: Style = Style::new(Face::Regular, 9.0, Color::TEXT);
const STRONG: Style = Style::new(Face::Bold, 9.0, Color::TEXT);
const ITEM: Style = Style::new(Face::Bold, 9.5, Color::TEXT);
const LABEL: Style = Style::new(Face::Regular, 8.0, Color::MUTED);
const NOTE: Style = Style::new(Face::Oblique, 8.0, Color::MUTED);
const MONO: Style = Style::new(Face::Mono, 8.0, Color::TEXT);
const OUTCOME: Style = Style::new(Face::Bold, 12.5, Color::TEXT);

fn tone_color(tone: Tone) -> Color {
    match tone {
        Tone::Good => Color::GOOD,
        Tone::Bad => Color::BAD,
        Tone::Neutral => Color::NEUTRAL,
    }
}

fn with_color(style: Style, color: Color) -> Style {
    Style { color, ..style }
}

/// Builds the report's blocks.
pub struct Composer<'a> {
    pub typesetter: Typesetter,
    manifest: &'a Manifest,
    language: Language,
    words: &'static Words,
    blocks: Vec<Laid>,
}

impl<'a> Composer<'a> {
    pub fn new(manifest: &'a Manifest) -> Composer<'a> {
        Composer {
            typesetter: Typesetter::default(),
            manifest,
            language: manifest.language,
            words: Words::of(manifest.language),
            blocks: Vec::new(),
        }
    }

    /// Every block of the report.
    pub fn compose(mut self) -> (Vec<Laid>, usize) {
        self.title();
        self.outcome_panel();
        self.message();
        self.recipients();
        self.files();
        self.notes();
        self.closing();
        let lost = self.typesetter.lost;
        (self.blocks, lost)
    }

    fn push(&mut self, rows: Vec<Row>, space_before: f32, keep_together: bool) {
        self.blocks.push(Laid {
            rows,
            keep_together,
            keep_with_next: false,
            space_before,
        });
    }

    fn heading(&mut self, text: &str) {
        let mut rows =
            self.typesetter
                .paragraph(&[Span::new(HEADING, text)], LEFT, CONTENT_WIDTH, 0.0);
        rows.push(rule(LEFT, CONTENT_WIDTH, 7.0));
        self.blocks.push(Laid {
            rows,
            keep_together: true,
            keep_with_next: true,
            space_before: 16.0,
        });
    }

    fn paragraph(&mut self, spans: &[Span], space_before: f32) {
        let rows = self.typesetter.paragraph(spans, LEFT, CONTENT_WIDTH, 0.0);
        self.push(rows, space_before, false);
    }

    fn field(&mut self, label: &str, value: Vec<Span>) -> Vec<Row> {
        self.typesetter
            .field(&[Span::new(LABEL, label)], &value, &COLUMNS, 0.0)
    }

    fn text_field(&mut self, label: &str, value: &str) -> Vec<Row> {
        self.field(label, vec![Span::new(BODY, value)])
    }

    fn title(&mut self) {
        let w = self.words;
        let rows =
            self.typesetter
                .paragraph(&[Span::new(TITLE, w.title)], LEFT, CONTENT_WIDTH, 0.0);
        self.push(rows, 0.0, true);
        let produced = format!(
            "{} {} · {}",
            w.produced_by,
            self.manifest.producer,
            time::long(self.language, self.manifest.produced_at)
        );
        let rows =
            self.typesetter
                .paragraph(&[Span::new(SUBTITLE, produced)], LEFT, CONTENT_WIDTH, 0.0);
        self.push(rows, 3.0, true);
        // NOTE: a pack made before people were recorded has no field and says nothing here, so its
        // report prints again exactly as it was (verify-pack compares it byte for byte).
        if let Some(exported_by) = &self.manifest.exported_by {
            let who = exported_by
                .as_ref()
                .map_or_else(|| w.not_recorded.to_owned(), |p| p.describe());
            let text = format!("{}: {who}", w.exported_by);
            let rows =
                self.typesetter
                    .paragraph(&[Span::new(SUBTITLE, text)], LEFT, CONTENT_WIDTH, 0.0);
            self.push(rows, 1.0, true);
        }
    }

    fn outcome_panel(&mut self) {
        let w = self.words;
        let send = &self.manifest.send;
        let color = tone_color(kinds::summary_tone(send.summary));
        let inner = CONTENT_WIDTH - 28.0;
        let x = LEFT + 16.0;
        let mut rows = self.typesetter.paragraph(
            &[Span::new(LABEL, w.h_outcome.to_uppercase())],
            x,
            inner,
            0.0,
        );
        rows.extend(self.typesetter.paragraph(
            &[Span::new(
                with_color(OUTCOME, color),
                kinds::summary(self.language, send.summary),
            )],
            x,
            inner,
            0.0,
        ));
        let mut counts: Vec<(RecipientState, usize)> = Vec::new();
        for r in &send.recipients {
            match counts.iter_mut().find(|(s, _)| *s == r.state) {
                Some((_, n)) => *n += 1,
                None => counts.push((r.state, 1)),
            }
        }
        let mut line = vec![Span::new(
            STRONG,
            format!("{}: {}", w.recipients, send.recipients.len()),
        )];
        for (state, n) in counts {
            line.push(Span::new(
                BODY,
                format!(" · {}: {n}", kinds::state(self.language, state)),
            ));
        }
        rows.push(Row {
            height: 3.0,
            ops: Vec::new(),
        });
        rows.extend(self.typesetter.paragraph(&line, x, inner, 0.0));
        let subject = send.subject.as_deref().unwrap_or(w.no_subject);
        rows.extend(self.typesetter.paragraph(
            &[
                Span::new(LABEL, format!("{}: ", w.subject)),
                Span::new(BODY, subject),
            ],
            x,
            inner,
            0.0,
        ));
        let panel_row = panel(rows, LEFT, CONTENT_WIDTH, 9.0, color);
        self.push(vec![panel_row], 14.0, true);
    }

    fn message(&mut self) {
        let w = self.words;
        let l = self.language;
        let send = &self.manifest.send;
        self.heading(w.h_message);
        let mut rows = Vec::new();
        rows.extend(self.text_field(w.sender, send.sender.as_deref().unwrap_or(w.unknown)));
        rows.extend(self.text_field(w.subject, send.subject.as_deref().unwrap_or(w.no_subject)));
        rows.extend(self.field(w.msgid, vec![Span::new(MONO, send.msgid.clone())]));
        rows.extend(self.text_field(w.sent_at, &time::long_or(l, send.sent_at)));
        rows.extend(self.text_field(w.accepted_at, &time::long_or(l, send.accepted_at)));
        let color = tone_color(kinds::summary_tone(send.summary));
        rows.extend(self.field(
            w.outcome,
            vec![Span::new(
                with_color(STRONG, color),
                kinds::summary(l, send.summary),
            )],
        ));
        self.push(rows, 0.0, true);
        self.paragraph(&[Span::new(NOTE, w.times_note)], 5.0);
    }

    fn recipients(&mut self) {
        let w = self.words;
        let l = self.language;
        self.heading(w.h_recipients);
        let recipients = self.manifest.send.recipients.clone();
        for (i, r) in recipients.iter().enumerate() {
            let mut rows = self.typesetter.paragraph(
                &[Span::new(ITEM, r.address.clone())],
                LEFT,
                CONTENT_WIDTH,
                0.0,
            );
            rows.extend(self.text_field(w.recipient_type, kinds::recipient_type(l, r.kind)));
            let color = tone_color(kinds::state_tone(r.state));
            rows.extend(self.field(
                w.outcome,
                vec![Span::new(
                    with_color(STRONG, color),
                    kinds::state(l, r.state),
                )],
            ));
            if r.at.is_some() || r.state != RecipientState::Pending {
                rows.extend(self.text_field(w.at, &time::long_or(l, r.at)));
            }
            if let Some(reason) = &r.reason {
                rows.extend(self.text_field(w.reason, reason));
            }
            if let Some(path) = &r.evidence {
                rows.extend(self.field(w.proof, vec![Span::new(MONO, path.clone())]));
            }
            self.push(rows, if i == 0 { 0.0 } else { 9.0 }, true);
        }
    }

    fn files(&mut self) {
        let w = self.words;
        self.heading(w.h_files);
        self.paragraph(&[Span::new(BODY, w.files_intro)], 0.0);
        let members: Vec<_> = self
            .manifest
            .messages()
            .map(|(m, f)| (m.path.clone(), m.size, m.sha256.clone(), f.clone()))
            .collect();
        let count = members.len();
        for (i, (path, size, sha256, facts)) in members.into_iter().enumerate() {
            let rows = self.file(i + 1, &path, size, &sha256, &facts);
            self.push(rows, 11.0, true);
        }
        let evidences: Vec<_> = self
            .manifest
            .evidences()
            .map(|(m, f)| (m.path.clone(), m.size, m.sha256.clone(), f.clone()))
            .collect();
        for (i, (path, size, sha256, facts)) in evidences.into_iter().enumerate() {
            let rows = self.evidence_file(count + i + 1, &path, size, &sha256, &facts);
            self.push(rows, 11.0, true);
        }
    }

    /// The signature line of a file: the verdict in its colour, then what it means.
    fn status_field(&mut self, status: SignatureStatus, sent_copy: bool) -> Vec<Row> {
        let l = self.language;
        let color = tone_color(kinds::status_tone(status, sent_copy));
        self.field(
            self.words.signature,
            vec![
                Span::new(with_color(STRONG, color), kinds::status_word(l, status)),
                Span::new(
                    BODY,
                    format!(" — {}", kinds::status_text(l, status, sent_copy)),
                ),
            ],
        )
    }

    /// A REM evidence member: whose it is, its own signature's verdict, its size and hash.
    fn evidence_file(
        &mut self,
        n: usize,
        path: &str,
        size: u64,
        sha256: &str,
        f: &crate::manifest::EvidenceFacts,
    ) -> Vec<Row> {
        let w = self.words;
        let l = self.language;
        let s = &f.signature;
        let mut rows = self.typesetter.paragraph(
            &[Span::new(ITEM, format!("{n}. {path}"))],
            LEFT,
            CONTENT_WIDTH,
            0.0,
        );
        rows.extend(self.field(
            w.document,
            vec![
                Span::new(BODY, format!("{} ", w.rem_evidence_of)),
                Span::new(MONO, f.of.clone()),
            ],
        ));
        rows.extend(self.status_field(s.status, false));
        if let Some(t) = s.signed_at {
            rows.extend(self.text_field(w.signed_at, &time::long(l, t)));
        }
        rows.extend(self.text_field(w.size, &format!("{} {}", thousands(l, size), w.bytes)));
        rows.extend(self.field(w.sha256, vec![Span::new(MONO, sha256.to_owned())]));
        rows
    }

    fn file(
        &mut self,
        n: usize,
        path: &str,
        size: u64,
        sha256: &str,
        f: &MessageFacts,
    ) -> Vec<Row> {
        let w = self.words;
        let l = self.language;
        let s = &f.signature;
        let mut rows = self.typesetter.paragraph(
            &[Span::new(ITEM, format!("{n}. {path}"))],
            LEFT,
            CONTENT_WIDTH,
            0.0,
        );
        rows.extend(self.text_field(w.document, kinds::document(l, f.kind)));
        rows.extend(self.status_field(s.status, f.kind == PecKind::NotPec));
        if let Some(provider) = f
            .provider
            .clone()
            .or_else(|| s.signer.as_ref().and_then(|x| x.organization.clone()))
        {
            rows.extend(self.text_field(w.provider, &provider));
        }
        if let Some(signer) = &s.signer {
            let who = signer
                .common_name
                .clone()
                .unwrap_or_else(|| signer.subject.clone());
            let text = match &signer.email {
                Some(e) => format!("{who} <{e}>"),
                None => who,
            };
            rows.extend(self.text_field(w.signer, &text));
        }
        if let Some(t) = s.signed_at {
            rows.extend(self.text_field(w.signed_at, &time::long(l, t)));
        }
        if let Some(text) = algorithms(l, s) {
            rows.extend(self.text_field(w.algorithm, &text));
        }
        if !s.chain.is_empty() {
            let chain = s
                .chain
                .iter()
                .map(|c| {
                    let name = common_name(&c.subject);
                    if c.is_anchor {
                        format!("{name} ({})", w.trusted_ca)
                    } else {
                        name
                    }
                })
                .collect::<Vec<_>>()
                .join(" › ");
            rows.extend(self.text_field(w.chain, &chain));
        }
        let notes: Vec<String> = f
            .findings
            .iter()
            .chain(s.findings.iter())
            .map(|x| findings::finding(l, &x.code, &x.message))
            .chain(
                f.archived_status
                    .filter(|a| *a != s.status)
                    .map(|a| archived_note(l, a, s.status)),
            )
            .collect();
        for (i, note) in notes.iter().enumerate() {
            let label = if i == 0 { w.observations } else { "" };
            let bullet = Span::new(BODY, format!("• {note}"));
            let hang = bullet_hang();
            rows.extend(self.typesetter.field(
                &[Span::new(LABEL, label)],
                &[bullet],
                &COLUMNS,
                hang,
            ));
        }
        if let Some(id) = &f.identificativo {
            rows.extend(self.field(w.identificativo, vec![Span::new(MONO, id.clone())]));
        }
        for (i, o) in f.origins.iter().enumerate() {
            let label = if i == 0 { w.origin } else { "" };
            rows.extend(self.text_field(label, &kinds::origin(l, o)));
        }
        rows.extend(self.text_field(w.size, &format!("{} {}", thousands(l, size), w.bytes)));
        rows.extend(self.field(w.sha256, vec![Span::new(MONO, sha256.to_owned())]));
        for d in &f.documents {
            rows.extend(self.document(d));
        }
        rows
    }

    /// A signed attachment of a message (issue 15 §6): its name, verdict, whether qualified, signer,
    /// the time the verdict rests on and what that time is, the lists it was judged against, hashes.
    fn document(&mut self, d: &crate::manifest::DocumentFacts) -> Vec<Row> {
        let w = self.words;
        let l = self.language;
        let mut rows = self.field(
            w.signed_attachment,
            vec![
                Span::new(MONO, d.name.clone()),
                Span::new(BODY, format!(" — {}", kinds::document_format(d.format))),
            ],
        );
        let color = tone_color(kinds::status_tone(d.status, false));
        rows.extend(self.field(
            w.document_signature,
            vec![Span::new(
                with_color(STRONG, color),
                kinds::status_word(l, d.status),
            )],
        ));
        let qualified = match d.qualified {
            pec_document::Qualified::Yes => w.qualified_yes,
            pec_document::Qualified::No => w.qualified_no,
            pec_document::Qualified::Unknown => w.qualified_unknown,
        };
        rows.extend(self.text_field(w.qualified, qualified));
        if let Some(signer) = &d.signer {
            rows.extend(self.text_field(w.signer, signer));
        }
        if let Some(t) = d.signed_at {
            rows.extend(self.text_field(w.signed_at, &time::long(l, t)));
        }
        let basis = kinds::time_basis(l, d.time_basis);
        let judged = match d.judged_at {
            Some(t) => format!("{} ({basis})", time::long(l, t)),
            None => basis.to_owned(),
        };
        rows.extend(self.text_field(w.judged_at, &judged));
        let lists = if d.trusted_lists.is_empty() {
            w.no_trusted_list.to_owned()
        } else {
            d.trusted_lists.join(", ")
        };
        rows.extend(self.text_field(w.trusted_lists, &lists));
        rows.extend(self.field(w.sha256, vec![Span::new(MONO, d.sha256.clone())]));
        if let Some(content) = &d.content_sha256 {
            rows.extend(self.field(w.content_sha256, vec![Span::new(MONO, content.clone())]));
        }
        rows
    }

    fn notes(&mut self) {
        let w = self.words;
        let l = self.language;
        let notes = self.manifest.send.notes.clone();
        if notes.is_empty() {
            return;
        }
        self.heading(w.h_notes);
        for note in notes {
            let mut text = findings::finding(l, &note.code, &note.message);
            if let Some(r) = &note.recipient {
                text = format!("{r}: {text}");
            }
            if let Some(m) = &note.member {
                text = format!("{text} ({m})");
            }
            let hang = bullet_hang();
            let rows = self.typesetter.paragraph(
                &[Span::new(BODY, format!("• {text}"))],
                LEFT,
                CONTENT_WIDTH,
                hang,
            );
            self.push(rows, 3.0, true);
        }
    }

    fn closing(&mut self) {
        let w = self.words;
        let l = self.language;
        self.heading(w.h_conformity);
        let files = self.manifest.messages().count();
        let text = crate::words::conformity(
            l,
            files,
            &self.manifest.producer,
            &time::long(l, self.manifest.produced_at),
        );
        self.paragraph(&[Span::new(BODY, text)], 0.0);
        if let Some(head) = &self.manifest.archive_head {
            let text = crate::words::archive_head(l, head);
            self.paragraph(&[Span::new(BODY, &text)], 6.0);
        }
        if let Some(exported_by) = &self.manifest.exported_by {
            let who = exported_by.as_ref().map(|p| p.describe());
            let text = crate::words::exporter(l, who.as_deref());
            self.paragraph(&[Span::new(BODY, &text)], 6.0);
        }
        self.heading(w.h_verify);
        self.paragraph(&[Span::new(BODY, w.verify_text)], 0.0);
        if self.typesetter.lost > 0 {
            self.paragraph(&[Span::new(NOTE, w.lossy_text)], 8.0);
        }
    }
}

/// How far the lines of a bulleted item after the first are indented: the width of "• ".
fn bullet_hang() -> f32 {
    let (bytes, _) = super::winansi::encode("• ");
    Face::Regular.text_width(&bytes, BODY.size)
}

/// `RSA PKCS#1 v1.5 con SHA-256, chiave da 2048 bit`.
fn algorithms(language: Language, s: &SignatureFacts) -> Option<String> {
    let w = Words::of(language);
    let digest = s.digest_algorithm.as_deref().map(|d| match d {
        "sha1" => "SHA-1".to_owned(),
        "sha256" => "SHA-256".to_owned(),
        "sha384" => "SHA-384".to_owned(),
        "sha512" => "SHA-512".to_owned(),
        other => other.to_uppercase(),
    });
    let algorithm = s.signature_algorithm.as_deref().map(|a| match a {
        "rsa-pkcs1v15" => "RSA PKCS#1 v1.5".to_owned(),
        "rsa-pss" => "RSA-PSS".to_owned(),
        "ecdsa" => "ECDSA".to_owned(),
        other => other.to_uppercase(),
    });
    let mut text = match (algorithm, digest) {
        (Some(a), Some(d)) => format!("{a} {} {d}", w.with),
        (Some(a), None) => a,
        (None, Some(d)) => d,
        (None, None) => return None,
    };
    if let Some(bits) = s.key_bits {
        text.push_str(", ");
        text.push_str(&w.key_bits.replace("{}", &bits.to_string()));
    }
    Some(text)
}

/// The `CN=` of an RFC 4514 name, else the whole name.
fn common_name(dn: &str) -> String {
    dn.split(',')
        .find_map(|part| part.trim().strip_prefix("CN="))
        .map_or_else(|| dn.to_owned(), str::to_owned)
}

fn archived_note(language: Language, archived: SignatureStatus, now: SignatureStatus) -> String {
    let base = findings::finding(language, "archived-verdict-differs", "");
    match language {
        Language::It => format!(
            "{base} Archiviazione: {}; ora: {}.",
            kinds::status_word(language, archived),
            kinds::status_word(language, now)
        ),
        Language::En => format!(
            "When archived the signature was judged {}; verified now it is {} (for example because the \
             trusted authorities changed since).",
            kinds::status_word(language, archived),
            kinds::status_word(language, now)
        ),
    }
}

/// `12.345` (Italian) or `12,345` (English).
fn thousands(language: Language, n: u64) -> String {
    let sep = match language {
        Language::It => '.',
        Language::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(thousands(Language::It, 1234567), "1.234.567");
        assert_eq!(thousands(Language::En, 999), "999");
        assert_eq!(thousands(Language::En, 1000), "1,000");
    }

    #[test]
    fn chains_show_common_names() {
        assert_eq!(
            common_name("CN=DigitPA CA1,OU=Ufficio,O=DigitPA,C=IT"),
            "DigitPA CA1"
        );
        assert_eq!(common_name("O=Nobody"), "O=Nobody");
    }
}
