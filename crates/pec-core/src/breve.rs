//! `breve` receipts (PEC rules §5): the delivery receipt carries the original with every attachment
//! replaced by `<filename>.hash`, the SHA-1 of the attachment part as transmitted. The sender can later
//! prove which attachments were delivered only by keeping the original and matching those hashes —
//! which is what this module makes possible.
//!
//! NOTE: the rules say "as transmitted" without fixing the span. Providers and test kits differ on the
//! line break before the next boundary (RFC 2046 gives it to the delimiter), so a hash matches if it is
//! the SHA-1 of the encoded body without that line break, with it, or of the decoded content. Which one
//! matched is not evidence by itself; that some attachment of the kept original matches is.
//!
//! SHA-1 is broken for collisions: a forger can make two attachments with one SHA-1 (SHAttered), send
//! the harmless one and later claim the receipt certified the other. Every digest here is computed with
//! collision-detecting SHA-1 (`sha1-checked`, the SHA-1DC counter-cryptanalysis): the standard SHA-1
//! value, and whether the bytes carry a known collision attack. A stand-in that matches only such an
//! attachment is `collided`, never `matched` (issue 13 §5).

use mail_parser::{Message, MimeHeaders, PartType};
use serde::{Deserialize, Serialize};

/// One attachment of a message Attesta (or the sender's client) submitted, with the SHA-1 values a
/// provider may have computed for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentDigest {
    pub name: String,
    /// Lower-case hex SHA-1 candidates (see the module note).
    pub sha1: Vec<String>,
    /// The bytes hashed carry a SHA-1 collision attack (collision-detecting SHA-1): a match with
    /// this attachment proves nothing.
    #[serde(default)]
    pub collision: bool,
}

/// One `<filename>.hash` stand-in of a `breve` receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashStandIn {
    /// The attachment's name (the stand-in's name without `.hash`).
    pub name: String,
    /// The 40 hex characters it holds, lower-cased.
    pub sha1: String,
}

/// The standard SHA-1 of `bytes` in lower-case hex, and whether collision detection fired.
fn checked_sha1(bytes: &[u8]) -> (String, bool) {
    // Not the "safe hash" variant: the provider wrote the standard SHA-1.
    let mut hasher = sha1_checked::Sha1::builder().safe_hash(false).build();
    sha1_checked::Digest::update(&mut hasher, bytes);
    let result = hasher.try_finalize();
    (hex(result.hash()), result.has_collision())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The digests of every attachment of `message` (parsed from `raw`, whose offsets it carries).
pub fn attachment_digests(raw: &[u8], message: &Message<'_>) -> Vec<AttachmentDigest> {
    message
        .parts
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            *i != 0 && !matches!(p.body, PartType::Multipart(_) | PartType::Message(_))
        })
        .filter_map(|(_, part)| {
            let name = part.attachment_name()?.trim().to_owned();
            let (body, end) = (part.offset_body as usize, part.offset_end as usize);
            let encoded = raw.get(body..end)?;
            let mut collision = false;
            let mut digest = |bytes: &[u8]| {
                let (hex, hit) = checked_sha1(bytes);
                collision |= hit;
                hex
            };
            let mut sha1 = vec![digest(encoded)];
            let with_break = if raw.get(end..).is_some_and(|r| r.starts_with(b"\r\n")) {
                raw.get(body..end + 2)
            } else if raw.get(end) == Some(&b'\n') {
                raw.get(body..end + 1)
            } else {
                None
            };
            if let Some(b) = with_break {
                sha1.push(digest(b));
            }
            sha1.push(digest(part.contents()));
            Some(AttachmentDigest {
                name,
                sha1,
                collision,
            })
        })
        .collect()
}

/// The `.hash` stand-ins of a `breve` original.
pub fn hash_stand_ins(message: &Message<'_>) -> Vec<HashStandIn> {
    message
        .parts
        .iter()
        .filter_map(|part| {
            let name = part.attachment_name()?.trim();
            let stem = name
                .strip_suffix(".hash")
                .or_else(|| name.strip_suffix(".HASH"))?;
            let text = match &part.body {
                PartType::Text(t) => t.trim().to_ascii_lowercase(),
                _ => String::from_utf8_lossy(part.contents())
                    .trim()
                    .to_ascii_lowercase(),
            };
            (text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit())).then(|| HashStandIn {
                name: stem.to_owned(),
                sha1: text,
            })
        })
        .collect()
}

/// How a receipt's stand-ins compare with the attachments that were sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreveCheck {
    /// Stand-ins whose hash is that of the attachment sent with the same name.
    pub matched: Vec<String>,
    /// Stand-ins whose hash is not that of the attachment sent with that name (or of any attachment).
    pub mismatched: Vec<String>,
    /// Stand-ins whose hash matches only attachments whose bytes carry a SHA-1 collision attack.
    #[serde(default)]
    pub collided: Vec<String>,
}

/// Compares `stand_ins` with the `sent` attachments (by name, then by any attachment at all).
pub fn compare(stand_ins: &[HashStandIn], sent: &[AttachmentDigest]) -> BreveCheck {
    let mut check = BreveCheck {
        matched: Vec::new(),
        mismatched: Vec::new(),
        collided: Vec::new(),
    };
    for s in stand_ins {
        let same_name: Vec<&AttachmentDigest> = sent.iter().filter(|a| a.name == s.name).collect();
        let candidates: Vec<&AttachmentDigest> = if same_name.is_empty() {
            sent.iter().collect()
        } else {
            same_name
        };
        let hits: Vec<&&AttachmentDigest> = candidates
            .iter()
            .filter(|a| a.sha1.contains(&s.sha1))
            .collect();
        if hits.iter().any(|a| !a.collision) {
            check.matched.push(s.name.clone());
        } else if !hits.is_empty() {
            check.collided.push(s.name.clone());
        } else {
            check.mismatched.push(s.name.clone());
        }
    }
    check
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::MessageParser;

    const SENT: &[u8] = b"From: a@pec.it\r\nTo: b@pec.it\r\nSubject: x\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\ntesto\r\n\
--B\r\nContent-Type: application/pdf; name=\"atto.pdf\"\r\nContent-Disposition: attachment; filename=\"atto.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--B--\r\n";

    #[test]
    fn a_stand_in_made_either_way_matches_the_attachment_sent() {
        let m = MessageParser::new().parse(SENT).unwrap();
        let digests = attachment_digests(SENT, &m);
        assert_eq!(digests.len(), 1);
        assert_eq!(digests[0].name, "atto.pdf");
        let without = checked_sha1(b"JVBERi0xLjQK").0;
        let with = checked_sha1(b"JVBERi0xLjQK\r\n").0;
        for sha1 in [without, with] {
            let check = compare(
                &[HashStandIn {
                    name: "atto.pdf".into(),
                    sha1,
                }],
                &digests,
            );
            assert_eq!(check.matched, ["atto.pdf"]);
        }
        let wrong = compare(
            &[HashStandIn {
                name: "atto.pdf".into(),
                sha1: "0".repeat(40),
            }],
            &digests,
        );
        assert_eq!(wrong.mismatched, ["atto.pdf"]);
    }

    #[test]
    fn issue_13_a_hash_that_matches_only_an_attachment_carrying_a_sha1_collision_is_not_a_match() {
        let digests = [AttachmentDigest {
            name: "atto.pdf".into(),
            sha1: vec!["38762cf7f55934b34d179ae6a4c80cadccbb7f0a".into()],
            collision: true,
        }];
        let stand_in = HashStandIn {
            name: "atto.pdf".into(),
            sha1: "38762cf7f55934b34d179ae6a4c80cadccbb7f0a".into(),
        };
        let check = compare(std::slice::from_ref(&stand_in), &digests);
        assert!(check.matched.is_empty());
        assert_eq!(check.collided, ["atto.pdf"]);
    }

    #[test]
    fn issue_13_collision_detecting_sha1_gives_the_standard_digest_of_ordinary_bytes() {
        let (hex, collision) = checked_sha1(b"abc");
        assert_eq!(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert!(!collision);
    }

    #[test]
    fn stand_ins_are_read_from_a_breve_original() {
        let breve = b"From: a@pec.it\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\n\
Content-Type: text/plain\r\n\r\ntesto\r\n--B\r\nContent-Type: text/plain; name=\"atto.pdf.hash\"\r\n\
Content-Disposition: attachment; filename=\"atto.pdf.hash\"\r\n\r\n0123456789ABCDEF0123456789abcdef01234567\r\n--B--\r\n";
        let m = MessageParser::new().parse(breve.as_slice()).unwrap();
        assert_eq!(
            hash_stand_ins(&m),
            [HashStandIn {
                name: "atto.pdf".into(),
                sha1: "0123456789abcdef0123456789abcdef01234567".into()
            }]
        );
    }
}
