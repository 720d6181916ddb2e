//! Byte spans into the raw message, so the verifier gets the exact bytes that were signed.

use serde::Serialize;

/// A half-open byte range `[start, end)` into the raw message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// A span; `end` is clamped to be at least `start`.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The bytes this span covers, or `None` if it lies outside `raw`.
    pub fn slice(self, raw: &[u8]) -> Option<&[u8]> {
        raw.get(self.start..self.end)
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// This span moved by `offset` bytes.
    pub fn shifted(self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }
}
