//! The short, deterministic run of issue 13 §6's agreement check, on the stable toolchain in every CI run:
//! structural mutations of real and synthetic PEC messages (the moves a forger makes with delimiters,
//! parts and encodings), each read by Attesta and by the lenient oracle ([`super::lenient`]). Any fact a
//! lenient reader takes differently from Attesta, without Attesta saying the message is ambiguous, fails
//! the test; the mutant is written under `target/` to replay. The long run is the `agreement` fuzz target
//! (`fuzz/README.md`).

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use pec_testkit::forgery::{Genuine, Rewrap, rewrap};
use pec_testkit::pki::{PkiSpec, TestPki, openssl_available};
use pec_testkit::{Pec, PecKindSpec, Send, corpus};

use super::lenient::compare;

/// How many mutants each source message gives.
const MUTANTS_PER_MESSAGE: usize = 48;

/// A small deterministic generator (xorshift64*): the same mutants on every run and machine.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }
}

/// The boundaries a message declares (every `boundary=` parameter, quoted or not).
fn boundaries(raw: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8_lossy(raw);
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find("boundary=") {
        let start = at + i + "boundary=".len();
        let rest = &text[start..];
        let value: String = match rest.strip_prefix('"') {
            Some(quoted) => quoted.chars().take_while(|c| *c != '"').collect(),
            None => rest
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ';')
                .collect(),
        };
        if !value.is_empty() && !found.contains(&value.as_bytes().to_vec()) {
            found.push(value.into_bytes());
        }
        at = start;
    }
    found
}

/// Where each line of `raw` starts.
fn line_starts(raw: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            raw.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .filter(|&i| i < raw.len())
        .collect()
}

/// Where the delimiter lines of `boundary` start (at a line start, as the strict scan reads them).
fn delimiter_lines(raw: &[u8], boundary: &[u8]) -> Vec<usize> {
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    line_starts(raw)
        .into_iter()
        .filter(|&i| raw[i..].starts_with(&delimiter))
        .collect()
}

/// One structural mutation of `raw`, chosen by `dice`, and its description.
fn mutate(raw: &[u8], dice: &mut Dice) -> (Vec<u8>, String) {
    let bounds = boundaries(raw);
    let lines = line_starts(raw);
    if bounds.is_empty() || lines.is_empty() {
        return (raw.to_vec(), "unchanged (no boundary)".into());
    }
    let boundary = &bounds[dice.below(bounds.len())];
    let name = String::from_utf8_lossy(boundary).into_owned();
    let delimiters = delimiter_lines(raw, boundary);
    let mut out = raw.to_vec();
    // A whole part of this multipart, delimiter line included, when there are two delimiters to cut at.
    let part = (delimiters.len() >= 2).then(|| {
        let n = dice.below(delimiters.len() - 1);
        raw[delimiters[n]..delimiters[n + 1]].to_vec()
    });
    let line = lines[dice.below(lines.len())];
    let line_end = raw[line..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(raw.len(), |i| line + i);
    let mid = line + dice.below(line_end - line + 1);
    let description = match dice.below(9) {
        0 if part.is_some() => {
            // A copy of a part placed mid-line: only a lax reader sees a delimiter there.
            let mut inserted = b"--".to_vec();
            inserted.extend_from_slice(&part.unwrap()[2..]);
            out.splice(mid..mid, inserted);
            format!("part of {name} copied mid-line at byte {mid}")
        }
        1 if part.is_some() => {
            out.splice(line..line, part.unwrap());
            format!("part of {name} duplicated at line start {line}")
        }
        2 if !delimiters.is_empty() => {
            let at = delimiters[dice.below(delimiters.len())] + 2 + boundary.len();
            let garbage: &[u8] = [b"x" as &[u8], b" trailing", b"--x", b"\t-- "][dice.below(4)];
            out.splice(at..at, garbage.iter().copied());
            format!("text after a delimiter of {name} at byte {at}")
        }
        3 if !delimiters.is_empty() => {
            let at = delimiters[dice.below(delimiters.len())];
            let end = raw[at..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(raw.len(), |i| at + i + 1);
            out.drain(at..end);
            format!("a delimiter line of {name} removed at byte {at}")
        }
        4 => {
            // A bare delimiter (or a close delimiter) mid-line.
            let mut inserted = b"\r\n--".to_vec();
            inserted.extend_from_slice(boundary);
            if dice.below(2) == 0 {
                inserted.extend_from_slice(b"--");
            }
            inserted.extend_from_slice(b"\r\n");
            let skip = dice.below(2) * 2;
            out.splice(mid..mid, inserted[skip..].iter().copied());
            format!("a delimiter of {name} inserted at byte {mid}")
        }
        5 => {
            let header: &[u8] = [
                b"Content-Transfer-Encoding: base64\r\n" as &[u8],
                b"Content-Transfer-Encoding: quoted-printable\r\n",
                b"Content-Type: multipart/mixed; boundary=\"x\"\r\n",
                b"Content-Disposition: attachment; filename=\"daticert.xml\"\r\n",
            ][dice.below(4)];
            out.splice(line..line, header.iter().copied());
            format!("a header line inserted at line start {line}")
        }
        7 => {
            // A line that is almost a delimiter put where a part's headers end (the blank line): the
            // part's headers now run on, and readers disagree on where its body starts (the agreement
            // fuzz target's finding of 2026-12-06, on a re-wrapped anomaly envelope).
            let blanks: Vec<usize> = lines
                .iter()
                .copied()
                .filter(|&l| raw[l..].starts_with(b"\r\n") || raw[l..].starts_with(b"\n"))
                .collect();
            let at = if blanks.is_empty() {
                line
            } else {
                blanks[dice.below(blanks.len())]
            };
            let mut inserted = b"--".to_vec();
            inserted.extend_from_slice(boundary);
            let flip = 2 + dice.below(boundary.len().max(1));
            if let Some(b) = inserted.get_mut(flip) {
                *b = b'?';
            }
            out.splice(at..at, inserted);
            format!("an almost-delimiter of {name} put at the blank line {at}")
        }
        6 => {
            // A byte a delimiter scan cares about, anywhere on a line.
            let byte = [b'-', b'\n', b'\r', b' ', b'"', b';', b'='][dice.below(7)];
            out.insert(mid, byte);
            format!("byte {byte:#04x} inserted at {mid}")
        }
        _ => {
            let at = mid.min(out.len().saturating_sub(1));
            if !out.is_empty() {
                out.remove(at);
            }
            format!("byte removed at {at}")
        }
    };
    (out, description)
}

/// The messages mutated: every real message of the corpus (when present) and receipts really signed by
/// the test CA (when the `openssl` binary is there to sign them), plus the forger's re-wraps of them.
fn sources() -> Vec<(String, Vec<u8>)> {
    let mut sources = Vec::new();
    if let Some(dir) = corpus::dir_or_skip("mutation: real messages") {
        for row in corpus::manifest(&dir) {
            if let Ok(raw) = std::fs::read(dir.join("real").join(&row.file)) {
                sources.push((row.file, raw));
            }
        }
    }
    if !openssl_available() {
        println!("synthetic sources SKIPPED: the openssl binary is needed to sign them");
        return sources;
    }
    let pki = TestPki::new(&PkiSpec::provider("posta-certificata@pec.provider.example"));
    let send = Send::new(
        "studio.rossi@pec.provider.example",
        &["cliente@pec.altro.example"],
        "Diffida ad adempiere n. 42/2026",
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).unwrap(),
    );
    let recipient = "cliente@pec.altro.example".to_owned();
    let kinds = [
        PecKindSpec::Acceptance,
        PecKindSpec::Delivery {
            recipient: recipient.clone(),
        },
        PecKindSpec::Failure {
            recipient: recipient.clone(),
            virus: false,
            reason: "5.1.1 utente sconosciuto".into(),
        },
    ];
    let built: Vec<Vec<u8>> = kinds
        .into_iter()
        .map(|kind| Pec::new(&send, kind).build(&pki))
        .collect();
    let forged = Pec::new(&send, PecKindSpec::Delivery { recipient }).signed_content();
    let genuine = Genuine::new(&built[2]).expect("a synthetic failure receipt");
    let other = Genuine::new(&built[0]).expect("a synthetic acceptance");
    for how in Rewrap::ALL {
        sources.push((
            format!("synthetic failure re-wrapped {how:?}"),
            rewrap(&genuine, how, &forged, &other),
        ));
    }
    for (n, raw) in built.into_iter().enumerate() {
        sources.push((format!("synthetic receipt {n}"), raw));
    }
    sources
}

#[test]
fn no_mutation_of_a_pec_message_lets_a_lax_reader_see_other_facts_without_a_finding() {
    let mut dice = Dice(0x5eed_1ec7_a77e_57a1);
    let (mut checked, mut differing) = (0usize, 0usize);
    for (name, raw) in sources() {
        let variants = std::iter::once((raw.clone(), "unchanged".to_owned()))
            .chain((0..MUTANTS_PER_MESSAGE).map(|_| mutate(&raw, &mut dice)));
        for (mutant, how) in variants {
            let Some(comparison) = compare(&mutant) else {
                continue;
            };
            checked += 1;
            if !comparison.differs.is_empty() {
                differing += 1;
            }
            if comparison.accepted() {
                let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("accepted-mutant.eml");
                std::fs::write(&path, &mutant).unwrap();
                panic!(
                    "{name}, {how}: a lenient reader takes {:?} differently and Attesta reports no \
                     ambiguity (mutant written to {})",
                    comparison.differs,
                    path.display()
                );
            }
        }
    }
    println!("{checked} signed mutants checked; {differing} read differently by a lenient reader");
    // The check only means something if the mutations reach the disagreements it looks for: the re-wraps
    // alone give several.
    assert!(
        differing >= 5,
        "only {differing} of {checked} mutants were read differently: the mutations no longer reach \
         the structure"
    );
}

/// Exhaustively, on every re-wrap: an almost-delimiter of each boundary put at each blank line (where a
/// part's headers end). The agreement fuzz target found that one such line after a forged
/// `multipart/signed`'s headers hid the forged entity from the strict reading while a lax reader still
/// took its `postacert.eml` (2026-12-06); a `postacert.eml` outside the signed entity is now reported.
#[test]
fn no_almost_delimiter_at_a_blank_line_of_a_rewrap_lets_a_lax_reader_see_another_original() {
    if !openssl_available() {
        println!("SKIPPED: the openssl binary is needed to sign the re-wrapped messages");
        return;
    }
    let mut checked = 0usize;
    for (name, raw) in rewraps_carrying_an_original() {
        let blanks: Vec<usize> = line_starts(&raw)
            .into_iter()
            .filter(|&l| raw[l..].starts_with(b"\r\n") || raw[l..].starts_with(b"\n"))
            .collect();
        for boundary in boundaries(&raw) {
            let mut almost = b"--".to_vec();
            almost.extend_from_slice(&boundary);
            let flip = almost.len() - boundary.len() / 2 - 1;
            almost[flip] = b'?';
            for &at in &blanks {
                let mut mutant = raw.clone();
                mutant.splice(at..at, almost.iter().copied());
                let Some(comparison) = compare(&mutant) else {
                    continue;
                };
                checked += 1;
                assert!(
                    !comparison.accepted(),
                    "{name}: an almost-delimiter at byte {at} lets a lenient reader take {:?} with no \
                     finding",
                    comparison.differs
                );
            }
        }
    }
    assert!(
        checked >= 50,
        "only {checked} mutants were signed and checked"
    );
}

/// Envelopes (which carry the sender's `postacert.eml`) re-wrapped beside an acceptance, every way.
fn rewraps_carrying_an_original() -> Vec<(String, Vec<u8>)> {
    let pki = TestPki::new(&PkiSpec::provider("posta-certificata@pec.example"));
    let send = Send::new(
        "mittente@pec.example",
        &["destinatario@pec.example"],
        "Seme",
        Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap(),
    );
    let acceptance = Pec::new(&send, PecKindSpec::Acceptance);
    let acceptance_raw = acceptance.build(&pki);
    let other = Genuine::new(&acceptance_raw).expect("a synthetic acceptance");
    let mut out = Vec::new();
    for kind in [PecKindSpec::Envelope, PecKindSpec::Anomaly] {
        let raw = Pec::new(&send, kind.clone()).build(&pki);
        let genuine = Genuine::new(&raw).expect("a synthetic envelope");
        for how in Rewrap::ALL {
            out.push((
                format!("{kind:?} re-wrapped {how:?}"),
                rewrap(&genuine, how, &acceptance.signed_content(), &other),
            ));
        }
    }
    out
}
