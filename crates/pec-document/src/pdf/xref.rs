//! The cross-reference of a PDF (ISO 32000-1 §7.5.4–§7.5.8): where each object is, newest update
//! first, and the trailer's `/Root`.
//!
//! Read from the last `startxref` back through every `/Prev` (and a hybrid file's `/XRefStm`): a
//! classic `xref` table or a cross-reference stream (`/Type /XRef`, `/W`, `/Index`, Flate with a
//! PNG predictor). An object keeps the location its newest update gives. A chain that loops, or is
//! longer than [`MAX_SECTIONS`], stops there. When no cross-reference can be read at all (a
//! damaged or rebuilt file), the objects are found by scanning for `n g obj`, the last one of each
//! number winning, and the root by the last `/Root n g R` — as a viewer's repair would.

use std::collections::{HashMap, HashSet};

use memchr::memmem;

use super::object::{Dict, Object, Parser, Ref};
use super::stream::{self, Budget};

/// Cross-reference sections followed at most (one per incremental update).
const MAX_SECTIONS: usize = 256;
/// Entries read from all sections at most.
const MAX_ENTRIES: usize = 1 << 20;

/// Where an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// At this offset of the file.
    At(usize),
    /// The `index`th object of object stream `stream`.
    InStream {
        stream: u32,
        index: u32,
    },
    Free,
}

/// The objects' locations and the document catalog's reference.
#[derive(Debug, Default)]
pub(crate) struct Xref {
    pub(crate) entries: HashMap<u32, Entry>,
    pub(crate) root: Option<Ref>,
}

impl Xref {
    /// Reads the cross-reference from the end of the file, else by scanning.
    pub(crate) fn read(bytes: &[u8], budget: &mut Budget) -> Xref {
        let mut xref = Xref::default();
        if let Some(start) = last_startxref(bytes) {
            xref.follow(bytes, start, budget);
        }
        if xref.root.is_none() || xref.entries.is_empty() {
            xref = Xref::scan(bytes);
        }
        xref
    }

    fn follow(&mut self, bytes: &[u8], start: usize, budget: &mut Budget) {
        let mut next = Some(start);
        let mut seen = HashSet::new();
        while let Some(at) = next.take() {
            if seen.len() >= MAX_SECTIONS || !seen.insert(at) {
                break;
            }
            let Some(trailer) = self.section(bytes, at, budget) else {
                break;
            };
            if self.root.is_none()
                && let Some(Object::Ref(r)) = trailer.get(b"Root")
            {
                self.root = Some(*r);
            }
            if let Some(stm) = trailer
                .int(b"XRefStm")
                .and_then(|n| usize::try_from(n).ok())
                && seen.len() < MAX_SECTIONS
                && seen.insert(stm)
            {
                self.section(bytes, stm, budget);
            }
            next = trailer.int(b"Prev").and_then(|n| usize::try_from(n).ok());
        }
    }

    fn insert(&mut self, number: u32, entry: Entry) -> bool {
        if self.entries.len() >= MAX_ENTRIES {
            return false;
        }
        self.entries.entry(number).or_insert(entry);
        true
    }

    /// One section at `at`, its entries added (older than those already known); its trailer.
    fn section(&mut self, bytes: &[u8], at: usize, budget: &mut Budget) -> Option<Dict> {
        let mut p = Parser::new(bytes, at);
        if p.keyword(b"xref") {
            self.table(&mut p)?;
            if !p.keyword(b"trailer") {
                return None;
            }
            return match p.object() {
                Ok(Object::Dict(d)) => Some(d),
                _ => None,
            };
        }
        let (_, dict, data_start) = indirect_at(bytes, at)?;
        if !dict.is_name(b"Type", b"XRef") {
            return None;
        }
        let length = dict.int(b"Length").and_then(|n| usize::try_from(n).ok());
        let raw = stream::raw(bytes, data_start?, length)?;
        let data = stream::decode(&dict, raw, budget)?;
        self.stream_entries(&dict, &data);
        Some(dict)
    }

    /// A classic table: subsections `first count`, then `offset generation n|f` per entry.
    fn table(&mut self, p: &mut Parser<'_>) -> Option<()> {
        while let Some(first) = p.unsigned() {
            let count = p.unsigned()?;
            for i in 0..count {
                let (Some(offset), Some(_generation)) = (p.unsigned(), p.unsigned()) else {
                    return None;
                };
                let number = u32::try_from(first.checked_add(i)?).ok()?;
                let entry = if p.keyword(b"n") {
                    Entry::At(usize::try_from(offset).ok()?)
                } else if p.keyword(b"f") {
                    Entry::Free
                } else {
                    return None;
                };
                if !self.insert(number, entry) {
                    return Some(());
                }
            }
        }
        Some(())
    }

    /// A cross-reference stream's entries (§7.5.8.3): fields of `/W` widths, big-endian.
    fn stream_entries(&mut self, dict: &Dict, data: &[u8]) {
        let widths: Vec<usize> = match dict.get(b"W") {
            Some(Object::Array(w)) => w
                .iter()
                .filter_map(|o| match o {
                    Object::Int(n) if (0..=8).contains(n) => Some(*n as usize),
                    _ => None,
                })
                .collect(),
            _ => return,
        };
        let [w0, w1, w2] = widths[..] else { return };
        let width = w0 + w1 + w2;
        if width == 0 {
            return;
        }
        let size = dict.int(b"Size").unwrap_or(0);
        let index: Vec<i64> = match dict.get(b"Index") {
            Some(Object::Array(items)) => items
                .iter()
                .filter_map(|o| match o {
                    Object::Int(n) => Some(*n),
                    _ => None,
                })
                .collect(),
            _ => vec![0, size],
        };
        let mut rows = data.chunks_exact(width);
        for pair in index.chunks_exact(2) {
            let (Ok(first), Ok(count)) = (u32::try_from(pair[0]), u32::try_from(pair[1])) else {
                return;
            };
            for i in 0..count {
                let Some(row) = rows.next() else { return };
                let field = |from: usize, len: usize| {
                    row[from..from + len]
                        .iter()
                        .fold(0u64, |v, &b| (v << 8) | u64::from(b))
                };
                // A missing type field means type 1 (§7.5.8.2, Table 17).
                let kind = if w0 == 0 { 1 } else { field(0, w0) };
                let (a, b) = (field(w0, w1), field(w0 + w1, w2));
                let entry = match kind {
                    0 => Entry::Free,
                    1 => match usize::try_from(a) {
                        Ok(offset) => Entry::At(offset),
                        Err(_) => Entry::Free,
                    },
                    2 => match (u32::try_from(a), u32::try_from(b)) {
                        (Ok(stream), Ok(index)) => Entry::InStream { stream, index },
                        _ => Entry::Free,
                    },
                    _ => continue,
                };
                let Some(number) = first.checked_add(i) else {
                    return;
                };
                if !self.insert(number, entry) {
                    return;
                }
            }
        }
    }

    /// The repair: every `n g obj` of the file (the last of a number wins) and the last `/Root`.
    pub(crate) fn scan(bytes: &[u8]) -> Xref {
        let mut xref = Xref::default();
        let mut found: Vec<(u32, usize)> = Vec::new();
        for at in memmem::find_iter(bytes, b"obj") {
            if let Some(start) = object_header_before(bytes, at) {
                found.push(start);
                if found.len() >= MAX_ENTRIES {
                    break;
                }
            }
        }
        for (number, offset) in found.into_iter().rev() {
            xref.insert(number, Entry::At(offset));
        }
        xref.root = memmem::rfind(bytes, b"/Root").and_then(|at| {
            match Parser::new(bytes, at + b"/Root".len()).object() {
                Ok(Object::Ref(r)) => Some(r),
                _ => None,
            }
        });
        xref
    }
}

/// `n g ` right before `obj` at `at`: the object number and where the header starts.
fn object_header_before(bytes: &[u8], at: usize) -> Option<(u32, usize)> {
    if bytes.get(at + 3).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let before = bytes.get(at.saturating_sub(32)..at)?;
    // Only the ASCII run before `obj` (a stream's binary end may precede it).
    let ascii = before
        .iter()
        .rposition(|c| !c.is_ascii())
        .map_or(0, |i| i + 1);
    let text = std::str::from_utf8(&before[ascii..]).ok()?;
    let trimmed = text.trim_end();
    let mut words = trimmed.rsplitn(3, |c: char| c.is_ascii_whitespace());
    let generation = words.next()?;
    let number = words.next()?;
    generation.parse::<u16>().ok()?;
    let number_value = number.parse::<u32>().ok()?;
    let start = at - (text.len() - (trimmed.len() - generation.len() - 1 - number.len()));
    Some((number_value, start))
}

/// `n g obj <object>` at `at`: the number, the dictionary (empty for a non-dictionary object),
/// and where its stream data start when a stream follows.
pub(crate) fn indirect_at(bytes: &[u8], at: usize) -> Option<(Ref, Dict, Option<usize>)> {
    let (r, object, after) = object_at(bytes, at)?;
    match object {
        Object::Dict(d) => Some((r, d, stream::data_start(bytes, after))),
        _ => Some((r, Dict::default(), None)),
    }
}

/// `n g obj <object>` at `at`: its reference, the object, and where it ends.
pub(crate) fn object_at(bytes: &[u8], at: usize) -> Option<(Ref, Object, usize)> {
    let mut p = Parser::new(bytes, at);
    let number = u32::try_from(p.unsigned()?).ok()?;
    let generation = u16::try_from(p.unsigned()?).ok()?;
    if !p.keyword(b"obj") {
        return None;
    }
    let object = p.object().ok()?;
    Some((Ref(number, generation), object, p.pos))
}

/// The offset after the last `startxref` (§7.5.5).
fn last_startxref(bytes: &[u8]) -> Option<usize> {
    let at = memmem::rfind(bytes, b"startxref")?;
    let offset = Parser::new(bytes, at + b"startxref".len()).unsigned()?;
    usize::try_from(offset).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_classic_table_and_its_previous_update_are_read_newest_first() {
        let old =
            b"xref\n0 2\n0000000000 65535 f \n0000000010 00000 n \ntrailer\n<< /Root 1 0 R >>\n";
        let mut file = old.to_vec();
        let second = file.len();
        file.extend_from_slice(
            format!("xref\n1 1\n0000000099 00000 n \ntrailer\n<< /Root 1 0 R /Prev 0 >>\nstartxref\n{second}\n%%EOF").as_bytes(),
        );
        let xref = Xref::read(&file, &mut Budget::default());
        assert_eq!(xref.root, Some(Ref(1, 0)));
        assert_eq!(xref.entries.get(&1), Some(&Entry::At(99)));
        assert_eq!(xref.entries.get(&0), Some(&Entry::Free));
    }

    #[test]
    fn a_scan_finds_each_object_s_newest_definition() {
        let file = b"1 0 obj\n(a)\nendobj\n2 0 obj\n(b)\nendobj\n1 0 obj\n(c)\nendobj\n";
        let xref = Xref::scan(file);
        assert_eq!(xref.entries.get(&1), Some(&Entry::At(38)));
        assert_eq!(xref.entries.get(&2), Some(&Entry::At(19)));
    }

    #[test]
    fn a_prev_chain_that_loops_stops() {
        let file = b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R /Prev 0 >>\nstartxref\n0\n%%EOF";
        let xref = Xref::read(file, &mut Budget::default());
        assert_eq!(xref.root, Some(Ref(1, 0)));
    }

    #[test]
    fn without_a_cross_reference_objects_are_found_by_scanning() {
        let file = b"%PDF-1.7\n1 0 obj\n<< /A 1 >>\nendobj\n1 0 obj\n<< /A 2 >>\nendobj\ntrailer << /Root 1 0 R >>";
        let xref = Xref::read(file, &mut Budget::default());
        assert_eq!(xref.root, Some(Ref(1, 0)));
        let Some(Entry::At(at)) = xref.entries.get(&1) else {
            panic!("object 1 not found")
        };
        assert!(file[*at..].starts_with(b"1 0 obj\n<< /A 2"));
    }
}
