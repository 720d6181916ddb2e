//! A stream's data (ISO 32000-1 §7.3.8): its bytes between `stream` and `endstream`, undone of
//! `/FlateDecode` and its PNG predictors (§7.4.4), within a budget.
//!
//! Thinking like a forger: a few kilobytes of deflate can expand to gigabytes (a "zip bomb"), so
//! every stream is inflated at most to [`MAX_STREAM`] bytes and all streams of a file together to
//! the [`Budget`]; past it the stream is unreadable, never a memory blow-up. Other filters (LZW,
//! ASCII85, …) are not undone: a DSS in a real file uses none or Flate.

use std::io::Read;

use memchr::memmem;

use super::object::{Dict, Object};

/// Decoded bytes of one stream at most.
pub(crate) const MAX_STREAM: usize = 8 << 20;
/// Decoded bytes of all streams of one file at most.
pub(crate) const MAX_TOTAL: usize = 32 << 20;

/// What is left of the file's decoding allowance.
#[derive(Debug)]
pub(crate) struct Budget(pub usize);

impl Default for Budget {
    fn default() -> Self {
        Budget(MAX_TOTAL)
    }
}

/// The raw data of a stream whose data start at `start` (just after the `stream` keyword's end
/// of line): `length` bytes when `endstream` follows them, else up to the first `endstream`.
pub(crate) fn raw(bytes: &[u8], start: usize, length: Option<usize>) -> Option<&[u8]> {
    let rest = bytes.get(start..)?;
    if let Some(len) = length
        && let Some(data) = rest.get(..len)
    {
        let after = &rest[len..];
        let skip = after.iter().take_while(|c| c.is_ascii_whitespace()).count();
        if after[skip..].starts_with(b"endstream") {
            return Some(data);
        }
    }
    let end = memmem::find(rest, b"endstream")?;
    // The end of line before `endstream` is not data (§7.3.8.1).
    let data = &rest[..end];
    let data = data.strip_suffix(b"\n").unwrap_or(data);
    Some(data.strip_suffix(b"\r").unwrap_or(data))
}

/// Where a stream's data begin, given the position just after its dictionary: `stream` then CRLF
/// or LF (a lone CR is tolerated).
pub(crate) fn data_start(bytes: &[u8], after_dict: usize) -> Option<usize> {
    let rest = bytes.get(after_dict..)?;
    let skip = rest.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let rest = rest[skip..].strip_prefix(b"stream")?;
    let eol = if rest.starts_with(b"\r\n") {
        2
    } else {
        usize::from(rest.starts_with(b"\n") || rest.starts_with(b"\r"))
    };
    Some(after_dict + skip + b"stream".len() + eol)
}

/// The stream's decoded data, or `None` when a filter is unknown, the data are damaged, or the
/// budget would be exceeded.
pub(crate) fn decode(dict: &Dict, data: &[u8], budget: &mut Budget) -> Option<Vec<u8>> {
    let filters: Vec<&[u8]> = match dict.get(b"Filter") {
        None | Some(Object::Null) => Vec::new(),
        Some(Object::Name(n)) => vec![n.as_slice()],
        Some(Object::Array(items)) => items
            .iter()
            .map(|i| match i {
                Object::Name(n) => Some(n.as_slice()),
                _ => None,
            })
            .collect::<Option<_>>()?,
        Some(_) => return None,
    };
    let out = match filters.as_slice() {
        [] => data.to_vec(),
        [b"FlateDecode" | b"Fl"] => {
            let limit = MAX_STREAM.min(budget.0);
            let inflated = inflate(data, limit)?;
            let parms = match dict.get(b"DecodeParms").or(dict.get(b"DP")) {
                Some(Object::Dict(d)) => Some(d),
                Some(Object::Array(a)) => match a.first() {
                    Some(Object::Dict(d)) => Some(d),
                    _ => None,
                },
                _ => None,
            };
            match parms {
                Some(p) => unpredict(p, inflated)?,
                None => inflated,
            }
        }
        _ => return None,
    };
    if out.len() > budget.0 {
        return None;
    }
    budget.0 -= out.len();
    Some(out)
}

/// zlib data inflated, refused past `limit` bytes.
fn inflate(data: &[u8], limit: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut reader = flate2::read::ZlibDecoder::new(data).take(limit as u64 + 1);
    reader.read_to_end(&mut out).ok()?;
    (out.len() <= limit).then_some(out)
}

/// Undoes a PNG predictor (`/Predictor` 10–15, one byte of filter type per row); predictor 1 or
/// none leaves the data; TIFF (2) is not supported.
fn unpredict(parms: &Dict, data: Vec<u8>) -> Option<Vec<u8>> {
    let predictor = parms.int(b"Predictor").unwrap_or(1);
    if predictor == 1 {
        return Some(data);
    }
    if !(10..=15).contains(&predictor) {
        return None;
    }
    let colors = parms.int(b"Colors").unwrap_or(1);
    let bits = parms.int(b"BitsPerComponent").unwrap_or(8);
    let columns = parms.int(b"Columns").unwrap_or(1);
    if !(1..=4).contains(&colors) || bits != 8 || !(1..=1 << 16).contains(&columns) {
        return None;
    }
    let bpp = colors as usize;
    let row = bpp * columns as usize;
    let mut out = Vec::with_capacity(data.len());
    let mut previous = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (&kind, line) = chunk.split_first()?;
        let mut current = line.to_vec();
        current.resize(row, 0);
        for i in 0..row {
            let left = if i >= bpp { current[i - bpp] } else { 0 };
            let up = previous[i];
            let up_left = if i >= bpp { previous[i - bpp] } else { 0 };
            let add = match kind {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, up_left),
                _ => return None,
            };
            current[i] = current[i].wrapping_add(add);
        }
        out.extend_from_slice(&current[..line.len().min(row)]);
        previous = current;
    }
    Some(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn flate() -> Dict {
        Dict(vec![(
            b"Filter".to_vec(),
            Object::Name(b"FlateDecode".to_vec()),
        )])
    }

    #[test]
    fn a_flate_stream_is_inflated() {
        let mut budget = Budget::default();
        let out = decode(&flate(), &deflate(b"hello"), &mut budget).unwrap();
        assert_eq!(out, b"hello");
        assert_eq!(budget.0, MAX_TOTAL - 5);
    }

    #[test]
    fn a_flate_bomb_is_refused_not_inflated() {
        let bomb = deflate(&vec![0u8; MAX_STREAM + 1]);
        assert!(bomb.len() < 64 * 1024, "a small file");
        assert!(decode(&flate(), &bomb, &mut Budget::default()).is_none());
        // Under the per-stream limit, but over what the file has left.
        let mut budget = Budget(10);
        assert!(decode(&flate(), &deflate(&[0u8; 11]), &mut budget).is_none());
        assert_eq!(budget.0, 10);
    }

    #[test]
    fn png_up_predictor_rows_are_undone() {
        let parms = Dict(vec![
            (b"Predictor".to_vec(), Object::Int(12)),
            (b"Columns".to_vec(), Object::Int(2)),
        ]);
        let data = vec![2, 1, 2, 2, 1, 1];
        assert_eq!(unpredict(&parms, data).unwrap(), vec![1, 2, 2, 3]);
    }

    #[test]
    fn a_stream_ends_at_its_length_or_at_endstream() {
        let file = b"stream\r\nABCD\nendstream";
        let start = data_start(file, 0).unwrap();
        assert_eq!(raw(file, start, Some(4)), Some(&b"ABCD"[..]));
        assert_eq!(raw(file, start, Some(999)), Some(&b"ABCD"[..]));
        assert_eq!(raw(file, start, None), Some(&b"ABCD"[..]));
    }
}
