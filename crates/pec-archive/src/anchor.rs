//! Anchoring the hash chain outside the data directory (issue 13 §5).
//!
//! The chain alone catches edits by a program that does not recompute it (a SQLite browser, a script);
//! someone who rewrites the whole journal and the head file with fresh hashes leaves a chain that is
//! consistent again. What catches that is a copy of the head kept somewhere the rewriter cannot reach:
//! printed by `attesta archive head`, written into every evidence pack's manifest, noted on paper.
//!
//! An anchor is `SEQ:HASH`, the number of the chain's last entry and its hash. `archive check --expect
//! SEQ:HASH` recomputes the chain from its first entry, ignoring the hashes stored beside each entry, and
//! holds only when entries 1 to SEQ are all there and entry SEQ recomputes to HASH: then the archive as
//! of the anchor is unchanged (every entry up to it is byte for byte what it was). Entries added since
//! are allowed and counted; what they say is vouched for by the chain and the head file only.
//!
//! Used by `attesta archive head|check --expect`, and by the export, which writes the head into packs.

use std::fmt;

use crate::error::ArchiveError;
use crate::journal::{self, GENESIS, Head, chain_hash, hex};
use crate::open::Archive;

/// The head of the chain as a user notes it down: `SEQ:HASH` (64 lowercase hex digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: [u8; 32],
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.seq, hex(&self.hash))
    }
}

impl Anchor {
    /// Reads `SEQ:HASH` (spaces around it are ignored; the hash in either case).
    pub fn parse(text: &str) -> Option<Anchor> {
        let (seq, hash) = text.trim().split_once(':')?;
        let seq: i64 = seq.parse().ok().filter(|s| *s >= 0)?;
        if hash.len() != 64 || !hash.is_ascii() {
            return None;
        }
        let mut out = GENESIS;
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hash[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Anchor { seq, hash: out })
    }
}

impl From<Head> for Anchor {
    fn from(head: Head) -> Anchor {
        Anchor {
            seq: head.seq,
            hash: head.hash,
        }
    }
}

/// What the chain says about an anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorCheck {
    /// Entries 1 to the anchor's are unchanged; `since` entries were added after it.
    Holds { since: u64 },
    /// Entry `seq` (the anchor's) recomputes to another hash: something up to it was changed, even if
    /// the stored hashes were recomputed to match.
    Differs { seq: i64 },
    /// The chain does not reach the anchor's entry intact: entry `missing` (at or before the
    /// anchor's) is not there. `last` is the entry read instead: after a gap, the one following it
    /// (`last > missing`); when the chain stops short, its end (`last < missing`).
    Short { missing: i64, last: i64 },
}

impl AnchorCheck {
    pub fn holds(&self) -> bool {
        matches!(self, AnchorCheck::Holds { .. })
    }
}

impl Archive {
    /// The chain's head as stored now, to note down outside the data directory.
    pub fn chain_head(&self) -> Result<Anchor, ArchiveError> {
        Ok(journal::head(&self.conn)?.into())
    }

    /// Recomputes the chain from its first entry and judges `anchor` (see the module's words).
    pub fn check_anchor(&self, anchor: &Anchor) -> Result<AnchorCheck, ArchiveError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, entry FROM journal ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        let mut recomputed = Head::EMPTY;
        let mut last = 0;
        let mut reached = anchor.seq == 0;
        let mut since = 0u64;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            last = seq;
            if reached {
                since += 1;
                continue;
            }
            if seq != recomputed.seq + 1 || seq > anchor.seq {
                return Ok(AnchorCheck::Short {
                    missing: recomputed.seq + 1,
                    last: seq,
                });
            }
            let text: String = row.get(1)?;
            recomputed = Head {
                seq,
                hash: chain_hash(&recomputed.hash, &text),
            };
            if seq == anchor.seq {
                if recomputed.hash != anchor.hash {
                    return Ok(AnchorCheck::Differs { seq });
                }
                reached = true;
            }
        }
        if !reached {
            return Ok(AnchorCheck::Short {
                missing: recomputed.seq + 1,
                last,
            });
        }
        if anchor.seq == 0 && anchor.hash != GENESIS {
            return Ok(AnchorCheck::Differs { seq: 0 });
        }
        Ok(AnchorCheck::Holds { since })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_reads_back_what_it_prints() {
        let a = Anchor {
            seq: 412,
            hash: [0xab; 32],
        };
        let text = a.to_string();
        assert_eq!(text, format!("412:{}", "ab".repeat(32)));
        assert_eq!(
            Anchor::parse(&format!(" {} ", text.to_uppercase())),
            Some(a)
        );
    }

    #[test]
    fn a_malformed_anchor_is_not_read() {
        for bad in [
            "",
            "412",
            "412:abc",
            "-1:00",
            &format!("x:{}", "0".repeat(64)),
        ] {
            assert_eq!(Anchor::parse(bad), None, "{bad}");
        }
        assert_eq!(Anchor::parse(&format!("1:{}é", "0".repeat(62))), None);
    }
}
