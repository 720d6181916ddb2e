//! PDF objects (ISO 32000-1 §7.3), parsed from bytes already in memory, for the few objects the
//! document security store needs.
//!
//! Total and bounded: nesting deeper than [`MAX_DEPTH`] or more than [`MAX_ITEMS`] values in one
//! parse is an error, never a stack overflow or a memory blow-up; strings are skipped, not decoded.

/// Arrays and dictionaries nested deeper than this are refused (real files nest a few levels).
pub(crate) const MAX_DEPTH: usize = 32;
/// Values read by one parse at most (a DSS array of 100,000 references still fits).
pub(crate) const MAX_ITEMS: usize = 1 << 18;

/// An indirect reference `n g R`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Ref(pub u32, pub u16);

/// A PDF value; strings keep no content (nothing here reads them).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Object {
    Null,
    Bool(bool),
    Int(i64),
    Real,
    Name(Vec<u8>),
    String,
    Array(Vec<Object>),
    Dict(Dict),
    Ref(Ref),
}

/// A dictionary, its entries in file order (the first of a repeated key wins).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Dict(pub Vec<(Vec<u8>, Object)>);

impl Dict {
    pub(crate) fn get(&self, key: &[u8]) -> Option<&Object> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn int(&self, key: &[u8]) -> Option<i64> {
        match self.get(key) {
            Some(Object::Int(n)) => Some(*n),
            _ => None,
        }
    }

    pub(crate) fn is_name(&self, key: &[u8], name: &[u8]) -> bool {
        matches!(self.get(key), Some(Object::Name(n)) if n == name)
    }
}

/// Why a parse stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed;

/// A cursor over PDF bytes.
pub(crate) struct Parser<'a> {
    bytes: &'a [u8],
    pub(crate) pos: usize,
    items: usize,
}

fn is_white(c: u8) -> bool {
    matches!(c, 0 | b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(c: u8) -> bool {
    !is_white(c) && !is_delimiter(c)
}

impl<'a> Parser<'a> {
    pub(crate) fn new(bytes: &'a [u8], pos: usize) -> Self {
        Parser {
            bytes,
            pos,
            items: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips white space and comments.
    pub(crate) fn skip_white(&mut self) {
        while let Some(c) = self.peek() {
            if is_white(c) {
                self.pos += 1;
            } else if c == b'%' {
                while self.peek().is_some_and(|c| c != b'\r' && c != b'\n') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next keyword (a run of regular characters), consumed only when it equals `word`.
    pub(crate) fn keyword(&mut self, word: &[u8]) -> bool {
        self.skip_white();
        let end = self.pos + word.len();
        let follows = self.bytes.get(end).is_none_or(|&c| !is_regular(c));
        if self.bytes.get(self.pos..end) == Some(word) && follows {
            self.pos = end;
            true
        } else {
            false
        }
    }

    /// An unsigned integer token (for object numbers and cross-reference tables).
    pub(crate) fn unsigned(&mut self) -> Option<u64> {
        self.skip_white();
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) && self.pos - start < 19 {
            self.pos += 1;
        }
        if self.pos == start || self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos = start;
            return None;
        }
        std::str::from_utf8(&self.bytes[start..self.pos])
            .ok()?
            .parse()
            .ok()
    }

    /// One object; `n g R` is read as a reference.
    pub(crate) fn object(&mut self) -> Result<Object, Malformed> {
        self.value(0)
    }

    fn value(&mut self, depth: usize) -> Result<Object, Malformed> {
        if depth > MAX_DEPTH {
            return Err(Malformed);
        }
        self.items += 1;
        if self.items > MAX_ITEMS {
            return Err(Malformed);
        }
        self.skip_white();
        let c = self.peek().ok_or(Malformed)?;
        match c {
            b'/' => self.name().map(Object::Name),
            b'(' => self.literal_string(),
            b'<' if self.bytes.get(self.pos + 1) == Some(&b'<') => {
                self.dict(depth).map(Object::Dict)
            }
            b'<' => self.hex_string(),
            b'[' => self.array(depth),
            b'+' | b'-' | b'.' | b'0'..=b'9' => Ok(self.number()),
            _ => {
                if self.keyword(b"true") {
                    Ok(Object::Bool(true))
                } else if self.keyword(b"false") {
                    Ok(Object::Bool(false))
                } else if self.keyword(b"null") {
                    Ok(Object::Null)
                } else {
                    Err(Malformed)
                }
            }
        }
    }

    fn name(&mut self) -> Result<Vec<u8>, Malformed> {
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(c) = self.peek().filter(|&c| is_regular(c)) {
            self.pos += 1;
            if c == b'#'
                && let Some(hex) = self.bytes.get(self.pos..self.pos + 2)
                && let Ok(text) = std::str::from_utf8(hex)
                && let Ok(byte) = u8::from_str_radix(text, 16)
            {
                out.push(byte);
                self.pos += 2;
            } else {
                out.push(c);
            }
        }
        Ok(out)
    }

    fn literal_string(&mut self) -> Result<Object, Malformed> {
        self.pos += 1;
        let mut open = 1usize;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'\\' => self.pos += 1,
                b'(' => open += 1,
                b')' => {
                    open -= 1;
                    if open == 0 {
                        return Ok(Object::String);
                    }
                }
                _ => {}
            }
        }
        Err(Malformed)
    }

    fn hex_string(&mut self) -> Result<Object, Malformed> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let end = rest.iter().position(|&c| c == b'>').ok_or(Malformed)?;
        self.pos += end + 1;
        Ok(Object::String)
    }

    fn number(&mut self) -> Object {
        let start = self.pos;
        if let Some(n) = self.unsigned() {
            // `n g R`: two unsigned integers then R.
            let after = self.pos;
            if let Some(generation) = self.unsigned()
                && self.keyword(b"R")
                && let (Ok(number), Ok(generation)) = (u32::try_from(n), u16::try_from(generation))
            {
                return Object::Ref(Ref(number, generation));
            }
            self.pos = after;
            if self.peek() != Some(b'.') {
                return i64::try_from(n).map_or(Object::Real, Object::Int);
            }
        }
        self.pos = start;
        let sign = self.peek().filter(|c| matches!(c, b'+' | b'-'));
        self.pos += usize::from(sign.is_some());
        let digits_start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == b'.') {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.bytes[digits_start..self.pos]).unwrap_or_default();
        match (text.contains('.'), text.parse::<i64>()) {
            (false, Ok(n)) => Object::Int(if sign == Some(b'-') { -n } else { n }),
            _ => Object::Real,
        }
    }

    fn array(&mut self, depth: usize) -> Result<Object, Malformed> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_white();
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Object::Array(items));
                }
                Some(_) => items.push(self.value(depth + 1)?),
                None => return Err(Malformed),
            }
        }
    }

    fn dict(&mut self, depth: usize) -> Result<Dict, Malformed> {
        self.pos += 2;
        let mut entries = Vec::new();
        loop {
            self.skip_white();
            match self.peek() {
                Some(b'>') if self.bytes.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    return Ok(Dict(entries));
                }
                Some(b'/') => {
                    let key = self.name()?;
                    let value = self.value(depth + 1)?;
                    entries.push((key, value));
                }
                _ => return Err(Malformed),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &[u8]) -> Result<Object, Malformed> {
        Parser::new(text, 0).object()
    }

    #[test]
    fn a_dictionary_with_references_names_and_strings_is_read() {
        let Ok(Object::Dict(d)) =
            parse(b"<< /Type /DSS /CRLs [709 0 R 12 0 R] /N -3 /S (a(b)\\)) /H <0a> /R 1.5 >>")
        else {
            panic!("not a dictionary")
        };
        assert!(d.is_name(b"Type", b"DSS"));
        assert_eq!(
            d.get(b"CRLs"),
            Some(&Object::Array(vec![
                Object::Ref(Ref(709, 0)),
                Object::Ref(Ref(12, 0))
            ]))
        );
        assert_eq!(d.int(b"N"), Some(-3));
        assert_eq!(d.get(b"R"), Some(&Object::Real));
    }

    #[test]
    fn names_with_escapes_and_numbers_without_a_reference_are_read() {
        assert_eq!(parse(b"/A#42C"), Ok(Object::Name(b"ABC".to_vec())));
        assert_eq!(
            parse(b"[1 2]"),
            Ok(Object::Array(vec![Object::Int(1), Object::Int(2)]))
        );
    }

    #[test]
    fn deep_nesting_and_endless_input_are_refused_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse(deep.as_bytes()), Err(Malformed));
        assert_eq!(parse(b"<< /A [1 2"), Err(Malformed));
        assert_eq!(parse(b"(never closed"), Err(Malformed));
        assert_eq!(parse(b""), Err(Malformed));
        let many = "0 ".repeat(MAX_ITEMS + 10);
        assert_eq!(parse(format!("[{many}]").as_bytes()), Err(Malformed));
    }
}
