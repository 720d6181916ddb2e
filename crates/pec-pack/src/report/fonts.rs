//! The base-14 fonts the report uses, and their glyph widths for line breaking.
//!
//! NOTE: the report uses the PDF base-14 fonts (Helvetica, Helvetica-Bold, Helvetica-Oblique, Courier)
//! with WinAnsiEncoding: every PDF reader has them, so nothing is embedded and a report is a few KB,
//! and WinAnsi covers Italian and the other Western European languages. Wrapping needs each glyph's
//! advance width: the tables below are Adobe's AFM metrics for Helvetica and Helvetica-Bold (as
//! distributed with groff's `devps` fonts), indexed by WinAnsi code from 32 to 255, in 1/1000 em.
//! Helvetica-Oblique has Helvetica's widths; Courier is 600 for every glyph.

/// A typeface of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    Regular,
    Bold,
    Oblique,
    Mono,
}

impl Face {
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Oblique, Face::Mono];

    /// The resource name in the PDF's font dictionary.
    pub fn resource(self) -> &'static [u8] {
        match self {
            Face::Regular => b"F1",
            Face::Bold => b"F2",
            Face::Oblique => b"F3",
            Face::Mono => b"F4",
        }
    }

    /// The base-14 font name.
    pub fn base_font(self) -> &'static [u8] {
        match self {
            Face::Regular => b"Helvetica",
            Face::Bold => b"Helvetica-Bold",
            Face::Oblique => b"Helvetica-Oblique",
            Face::Mono => b"Courier",
        }
    }

    /// The advance width of WinAnsi code `code`, in 1/1000 em.
    pub fn width(self, code: u8) -> u16 {
        let index = usize::from(code).saturating_sub(32);
        match self {
            Face::Regular | Face::Oblique => HELVETICA.get(index).copied().unwrap_or(0),
            Face::Bold => HELVETICA_BOLD.get(index).copied().unwrap_or(0),
            Face::Mono => 600,
        }
    }

    /// The width in points of WinAnsi-encoded `text` at `size`.
    pub fn text_width(self, text: &[u8], size: f32) -> f32 {
        let units: u32 = text.iter().map(|&c| u32::from(self.width(c))).sum();
        units as f32 * size / 1000.0
    }
}

const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    0, 556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 222, 222,
    333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556,
    260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 556, 537, 278, 333,
    333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667,
    278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
    611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    0, 556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 278, 278,
    500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556,
    280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 611, 556, 278, 333,
    333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667,
    278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
    611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611, 611,
    611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_helveticas() {
        assert_eq!(Face::Regular.width(b'A'), 667);
        assert_eq!(Face::Regular.width(b'i'), 222);
        assert_eq!(Face::Bold.width(b'i'), 278);
        assert_eq!(Face::Regular.width(0xE8), 556); // è
        assert_eq!(Face::Mono.width(b'W'), 600);
        assert!((Face::Mono.text_width(&[b'0'; 64], 10.0) - 384.0).abs() < 0.01);
    }
}
