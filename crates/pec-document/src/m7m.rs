//! `.m7m`: a MIME message holding a `.p7m` and an RFC 3161 timestamp over it (an Italian format of
//! the signing tools, DPCM 22/02/2013 era).
//!
//! Issue 15 §1 and the corpus README: the parts declare `binary` but are base64, and the
//! timestamp's imprint covers the base64 text of the `.p7m` part *as transported*. So the part's
//! raw body bytes are what the imprint is checked against (with and without its final line break,
//! which the boundary delimiter owns), and the `.p7m` itself is the base64 decoded.

use mail_parser::{MessageParser, PartType};
use pec_core::signature::{FindingCode, Imprint, SignatureFinding, verify_timestamp_revocation};

use crate::format::{self, DocumentFormat};
use crate::open::Checking;
use crate::report::{DocumentReport, SignatureRole};
use crate::{armor, cades, entry};

pub(crate) fn open(report: &mut DocumentReport, bytes: &[u8], checking: &Checking<'_>) {
    let Some(message) = MessageParser::default().parse(bytes) else {
        return damaged(report, "it is not a readable MIME message");
    };
    let mut p7m: Option<(&[u8], Vec<u8>)> = None;
    let mut token: Option<Vec<u8>> = None;
    for part in &message.parts {
        if matches!(part.body, PartType::Multipart(_)) {
            continue;
        }
        let raw = bytes
            .get(part.offset_body as usize..part.offset_end as usize)
            .unwrap_or_default();
        let decoded = part.contents();
        let der = armor::unwrap(decoded)
            .or_else(|| (decoded.first() == Some(&0x30)).then(|| decoded.to_vec()));
        let Some(der) = der else { continue };
        match format::recognise(&der) {
            Some(DocumentFormat::Cades) if p7m.is_none() => p7m = Some((raw, der)),
            Some(DocumentFormat::Tsr) if token.is_none() => token = Some(der),
            _ => {}
        }
    }
    let Some((raw, p7m)) = p7m else {
        return damaged(report, "it holds no signed (p7m) part");
    };
    let mut stamped_at = None;
    match token {
        Some(token) => {
            let trimmed = raw
                .strip_suffix(b"\r\n")
                .or_else(|| raw.strip_suffix(b"\n"))
                .unwrap_or(raw);
            // The imprint decides which of the two readings the token is about (never its trust).
            let mut ts = verify_timestamp_revocation(
                &token,
                Some(raw),
                checking.anchors,
                checking.revocation(None),
            );
            if ts.imprint != Imprint::Matches && trimmed.len() != raw.len() {
                let without = verify_timestamp_revocation(
                    &token,
                    Some(trimmed),
                    checking.anchors,
                    checking.revocation(None),
                );
                if without.imprint == Imprint::Matches {
                    ts = without;
                }
            }
            if ts.is_usable() {
                stamped_at = ts.time;
            }
            entry::push_timestamp(
                &mut report.signatures,
                ts,
                0,
                SignatureRole::Timestamp,
                checking.services,
            );
        }
        None => damaged(report, "it holds no timestamp"),
    }
    cades::open_nested(report, &p7m, 1, checking, stamped_at);
}

fn damaged(report: &mut DocumentReport, why: &str) {
    report.findings.push(SignatureFinding::new(
        FindingCode::MalformedCms,
        format!("The m7m file is damaged: {why}."),
    ));
}
