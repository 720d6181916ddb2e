//! A PDF opened for reading a few objects by number: direct objects at their offset, compressed
//! ones out of their object stream (ISO 32000-1 §7.5.7), streams decoded within the file's budget.
//!
//! An offset that does not hold the object named (a damaged or hand-edited table) is corrected
//! from a scan of the file, made once.
//!
//! Bounded: a reference is followed through at most [`MAX_HOPS`] other references (a cycle ends
//! there), at most [`MAX_LOOKUPS`] objects are looked up per file, an object stream's objects are
//! never themselves looked up in object streams, and an object stream is inflated once.

use std::collections::HashMap;

use super::object::{Dict, Object, Parser, Ref};
use super::stream::{self, Budget};
use super::xref::{self, Entry, Xref};

/// References followed in a row at most (`1 0 R` → `2 0 R` → … → a value).
const MAX_HOPS: usize = 8;
/// Objects looked up per file at most.
const MAX_LOOKUPS: usize = 4096;
/// Objects an object stream may declare at most.
const MAX_IN_STREAM: usize = 100_000;

/// An object stream decoded: its data and, per object, its number and where it starts.
struct ObjectStream {
    data: Vec<u8>,
    offsets: Vec<(u32, usize)>,
}

/// An object as found: a value, or a stream (its dictionary and decoded data).
#[derive(Debug, Clone)]
pub(crate) enum Found {
    Value(Object),
    Stream(Dict, Option<Vec<u8>>),
}

/// The file, its cross-reference, and what was decoded so far.
pub(crate) struct PdfFile<'a> {
    bytes: &'a [u8],
    pub(crate) xref: Xref,
    budget: Budget,
    lookups: usize,
    /// The objects a scan of the file finds, made when the table points at the wrong place.
    scanned: Option<Xref>,
    /// Object streams already decoded: their data and the offsets of their objects.
    object_streams: HashMap<u32, Option<ObjectStream>>,
}

impl<'a> PdfFile<'a> {
    pub(crate) fn open(bytes: &'a [u8]) -> Self {
        let mut budget = Budget::default();
        let xref = Xref::read(bytes, &mut budget);
        PdfFile {
            bytes,
            xref,
            budget,
            lookups: 0,
            scanned: None,
            object_streams: HashMap::new(),
        }
    }

    /// `object` with references followed to a value or a stream.
    pub(crate) fn resolve(&mut self, object: &Object) -> Option<Found> {
        let mut current = Found::Value(object.clone());
        for _ in 0..=MAX_HOPS {
            match current {
                Found::Value(Object::Ref(r)) => current = self.get(r, 0)?,
                other => return Some(other),
            }
        }
        None
    }

    /// `object` resolved to a dictionary (a stream's dictionary counts).
    pub(crate) fn dict(&mut self, object: &Object) -> Option<Dict> {
        match self.resolve(object)? {
            Found::Value(Object::Dict(d)) | Found::Stream(d, _) => Some(d),
            Found::Value(_) => None,
        }
    }

    /// `object` resolved to an array.
    pub(crate) fn array(&mut self, object: &Object) -> Option<Vec<Object>> {
        match self.resolve(object)? {
            Found::Value(Object::Array(a)) => Some(a),
            _ => None,
        }
    }

    /// The object numbered `r` (its generation is not checked against the table: updates reuse
    /// numbers with generation 0 in every real file).
    fn get(&mut self, r: Ref, depth: usize) -> Option<Found> {
        if self.lookups >= MAX_LOOKUPS || depth > MAX_HOPS {
            return None;
        }
        self.lookups += 1;
        match *self.xref.entries.get(&r.0)? {
            Entry::At(at) => self.direct(r.0, at, depth),
            Entry::InStream { stream, index } => {
                self.in_stream(r.0, stream, index, depth).map(Found::Value)
            }
            Entry::Free => None,
        }
    }

    /// Object `number` at `at`; when the table's offset is wrong (no such object there, a common
    /// defect), at the offset a scan of the file finds for it.
    fn direct(&mut self, number: u32, at: usize, depth: usize) -> Option<Found> {
        let (object, after) = match xref::object_at(self.bytes, at) {
            Some((r, object, after)) if r.0 == number => (object, after),
            _ => {
                let at = *self
                    .scanned
                    .get_or_insert_with(|| Xref::scan(self.bytes))
                    .entries
                    .get(&number)?;
                let Entry::At(at) = at else { return None };
                match xref::object_at(self.bytes, at)? {
                    (r, object, after) if r.0 == number => (object, after),
                    _ => return None,
                }
            }
        };
        let Object::Dict(dict) = object else {
            return Some(Found::Value(object));
        };
        let Some(start) = stream::data_start(self.bytes, after) else {
            return Some(Found::Value(Object::Dict(dict)));
        };
        let length = match dict.get(b"Length") {
            Some(Object::Int(n)) => usize::try_from(*n).ok(),
            Some(Object::Ref(r)) => match self.get(*r, depth + 1) {
                Some(Found::Value(Object::Int(n))) => usize::try_from(n).ok(),
                _ => None,
            },
            _ => None,
        };
        let data = stream::raw(self.bytes, start, length)
            .and_then(|raw| stream::decode(&dict, raw, &mut self.budget));
        Some(Found::Stream(dict, data))
    }

    /// Object `wanted`, the `index`th object of object stream `number` (§7.5.7: `/N` pairs of
    /// number and offset, offsets from `/First`); found by its number when the index is wrong.
    fn in_stream(&mut self, wanted: u32, number: u32, index: u32, depth: usize) -> Option<Object> {
        if !self.object_streams.contains_key(&number) {
            let decoded = self.object_stream(number, depth);
            self.object_streams.insert(number, decoded);
        }
        let stream = self.object_streams.get(&number)?.as_ref()?;
        let &(_, offset) = stream
            .offsets
            .get(usize::try_from(index).ok()?)
            .filter(|(n, _)| *n == wanted)
            .or_else(|| stream.offsets.iter().find(|(n, _)| *n == wanted))?;
        Parser::new(&stream.data, offset).object().ok()
    }

    fn object_stream(&mut self, number: u32, depth: usize) -> Option<ObjectStream> {
        // An object stream is a direct object (§7.5.7): never looked up inside another one.
        let Entry::At(at) = *self.xref.entries.get(&number)? else {
            return None;
        };
        let Found::Stream(dict, Some(data)) = self.direct(number, at, depth + 1)? else {
            return None;
        };
        if !dict.is_name(b"Type", b"ObjStm") {
            return None;
        }
        let count = usize::try_from(dict.int(b"N")?).ok()?.min(MAX_IN_STREAM);
        let first = usize::try_from(dict.int(b"First")?).ok()?;
        let mut header = Parser::new(&data, 0);
        let mut offsets = Vec::new();
        for _ in 0..count {
            let (Some(n), Some(off)) = (header.unsigned(), header.unsigned()) else {
                break;
            };
            let (Ok(n), Some(at)) = (
                u32::try_from(n),
                usize::try_from(off).ok().and_then(|o| o.checked_add(first)),
            ) else {
                break;
            };
            offsets.push((n, at));
        }
        Some(ObjectStream { data, offsets })
    }
}
