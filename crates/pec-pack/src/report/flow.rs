//! Typesetting for the report: spans of styled text broken into lines with the fonts' real widths,
//! label–value rows, boxes, and the flow of rows onto A4 pages.
//!
//! Lines break at spaces; a word wider than its column (a SHA-256, a long address or Message-ID) is
//! broken between characters, so nothing ever runs off the page. A block can ask to stay together
//! (a file's description) or with the next one (a heading), and moves to a new page when it would not
//! fit on this one.

use super::fonts::Face;
use super::geometry::Columns;
use super::winansi;

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color(pub f32, pub f32, pub f32);

impl Color {
    pub const TEXT: Color = Color(0.11, 0.11, 0.12);
    pub const MUTED: Color = Color(0.38, 0.40, 0.43);
    pub const ACCENT: Color = Color(0.10, 0.23, 0.42);
    pub const GOOD: Color = Color(0.05, 0.42, 0.20);
    pub const BAD: Color = Color(0.70, 0.09, 0.09);
    pub const NEUTRAL: Color = Color(0.55, 0.38, 0.02);
    pub const RULE: Color = Color(0.78, 0.80, 0.83);
    pub const PANEL: Color = Color(0.955, 0.963, 0.975);
}

/// How a span of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    pub color: Color,
}

impl Style {
    pub const fn new(face: Face, size: f32, color: Color) -> Style {
        Style { face, size, color }
    }

    fn space(&self) -> f32 {
        self.face.text_width(b" ", self.size)
    }
}

/// Styled text.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub style: Style,
    pub text: String,
}

impl Span {
    pub fn new(style: Style, text: impl Into<String>) -> Span {
        Span {
            style,
            text: text.into(),
        }
    }
}

/// Something drawn, relative to the top-left corner of its row (y grows downwards).
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        style: Style,
        bytes: Vec<u8>,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Color,
    },
    Rule {
        x: f32,
        y: f32,
        w: f32,
        width: f32,
        color: Color,
    },
}

impl Op {
    fn shifted(mut self, dx: f32, dy: f32) -> Op {
        match &mut self {
            Op::Text { x, y, .. } | Op::Fill { x, y, .. } | Op::Rule { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
        }
        self
    }
}

/// One unbreakable strip of a page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub height: f32,
    pub ops: Vec<Op>,
}

/// A block laid out: its rows and how it wants to be placed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Laid {
    pub rows: Vec<Row>,
    /// Move to the next page rather than split (when it fits on one page).
    pub keep_together: bool,
    /// Never end a page with this block (a heading).
    pub keep_with_next: bool,
    /// Space before the block (dropped at the top of a page).
    pub space_before: f32,
}

impl Laid {
    pub fn height(&self) -> f32 {
        self.rows.iter().map(|r| r.height).sum()
    }
}

/// Line height as a multiple of the font size.
const LEADING: f32 = 1.34;

/// Breaks text into lines and counts what the fonts cannot show.
#[derive(Debug, Default)]
pub struct Typesetter {
    /// Characters shown as `?` so far.
    pub lost: usize,
}

struct Token {
    style: Style,
    bytes: Vec<u8>,
    width: f32,
    /// A space came before it in the text.
    space_before: bool,
    /// A forced line break comes before it.
    break_before: bool,
}

/// A line: runs of text at x offsets, and its height.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub runs: Vec<(f32, Style, Vec<u8>)>,
    pub size: f32,
}

impl Typesetter {
    fn tokens(&mut self, spans: &[Span]) -> Vec<Token> {
        let mut out = Vec::new();
        let mut space = false;
        for span in spans {
            for (i, paragraph) in span.text.split('\n').enumerate() {
                let mut forced = i > 0;
                for (j, word) in paragraph.split(' ').enumerate() {
                    if j > 0 {
                        space = true;
                    }
                    if word.is_empty() {
                        continue;
                    }
                    let (bytes, lost) = winansi::encode(word);
                    self.lost += lost;
                    out.push(Token {
                        width: span.style.face.text_width(&bytes, span.style.size),
                        style: span.style,
                        bytes,
                        space_before: space && !forced,
                        break_before: forced,
                    });
                    space = false;
                    forced = false;
                }
            }
        }
        out
    }

    /// Breaks `spans` into lines at most `width` wide; lines after the first start `hang` further in.
    pub fn lines(&mut self, spans: &[Span], width: f32, hang: f32) -> Vec<Line> {
        let size = spans.iter().map(|s| s.style.size).fold(0.0, f32::max);
        let mut lines: Vec<Line> = Vec::new();
        let mut current = Line {
            runs: Vec::new(),
            size,
        };
        let mut x = 0.0_f32;
        let mut tokens = self
            .tokens(spans)
            .into_iter()
            .collect::<std::collections::VecDeque<_>>();
        while let Some(token) = tokens.pop_front() {
            let indent = if lines.is_empty() { 0.0 } else { hang };
            let room = (width - indent).max(1.0);
            let gap = if current.runs.is_empty() || !token.space_before {
                0.0
            } else {
                token.style.space()
            };
            let fits = x + gap + token.width <= room + 0.01;
            // A word no line can hold starts right here if a good part of this line is free.
            let split_here = !fits && token.width > room && room - x - gap > room * 0.3;
            if token.break_before || (!fits && !split_here && !current.runs.is_empty()) {
                if !current.runs.is_empty() || token.break_before {
                    lines.push(std::mem::replace(
                        &mut current,
                        Line {
                            runs: Vec::new(),
                            size,
                        },
                    ));
                }
                x = 0.0;
                tokens.push_front(Token {
                    break_before: false,
                    space_before: false,
                    ..token
                });
                continue;
            }
            if !fits {
                // A word wider than the whole line: as much as fits here, the rest on the next line.
                let cut = fit(&token, room - x - gap);
                let (head, tail) = token.bytes.split_at(cut);
                let head_width = token.style.face.text_width(head, token.style.size);
                push(
                    &mut current,
                    indent + x + gap,
                    token.style,
                    head.to_vec(),
                    gap > 0.0,
                );
                x += gap + head_width;
                tokens.push_front(Token {
                    width: token.style.face.text_width(tail, token.style.size),
                    bytes: tail.to_vec(),
                    space_before: false,
                    break_before: true,
                    style: token.style,
                });
                continue;
            }
            push(
                &mut current,
                indent + x + gap,
                token.style,
                token.bytes,
                gap > 0.0,
            );
            x += gap + token.width;
        }
        if !current.runs.is_empty() || lines.is_empty() {
            lines.push(current);
        }
        lines
    }

    /// A paragraph: each line one row.
    pub fn paragraph(&mut self, spans: &[Span], x: f32, width: f32, hang: f32) -> Vec<Row> {
        self.lines(spans, width, hang)
            .into_iter()
            .map(|line| line_row(line, x))
            .collect()
    }

    /// A label in the label column, its value beside it, both wrapped.
    pub fn field(
        &mut self,
        label: &[Span],
        value: &[Span],
        columns: &Columns,
        hang: f32,
    ) -> Vec<Row> {
        let (x, value_x) = (columns.label_x, columns.value_x);
        let labels = self.lines(label, columns.label_width, 0.0);
        let values = self.lines(value, columns.value_width, hang);
        let n = labels.len().max(values.len());
        let mut labels = labels.into_iter();
        let mut values = values.into_iter();
        (0..n)
            .map(|_| {
                let l = labels.next();
                let v = values.next();
                let size = l.iter().chain(v.iter()).map(|l| l.size).fold(0.0, f32::max);
                let mut row = Row {
                    height: size * LEADING,
                    ops: Vec::new(),
                };
                for (line, at) in [(l, x), (v, value_x)] {
                    if let Some(line) = line {
                        row.ops.extend(line_ops(&line, at, size));
                    }
                }
                row
            })
            .collect()
    }
}

/// How many bytes of `token` fit in `room` points (at least one, so progress is always made),
/// preferring to end after a separator (`/`, `_`, `.`, `@`, `-`) when one falls in the latter half.
fn fit(token: &Token, room: f32) -> usize {
    let mut used = 0.0;
    let mut cut = token.bytes.len();
    for (i, &b) in token.bytes.iter().enumerate() {
        used += f32::from(token.style.face.width(b)) * token.style.size / 1000.0;
        if used > room {
            cut = i;
            break;
        }
    }
    if cut == token.bytes.len() {
        return cut;
    }
    let separator = token.bytes[..cut]
        .iter()
        .rposition(|b| matches!(b, b'/' | b'_' | b'.' | b'@' | b'-'))
        .map(|p| p + 1)
        .filter(|&p| p > cut / 2);
    separator.unwrap_or(cut).max(1)
}

/// Appends a word to a line, joining it to the previous run when the style is the same.
fn push(line: &mut Line, x: f32, style: Style, bytes: Vec<u8>, spaced: bool) {
    if let Some((_, last_style, last)) = line.runs.last_mut()
        && *last_style == style
    {
        if spaced {
            last.push(b' ');
        }
        last.extend(bytes);
        return;
    }
    line.runs.push((x, style, bytes));
}

fn line_ops(line: &Line, x: f32, row_size: f32) -> Vec<Op> {
    line.runs
        .iter()
        .map(|(dx, style, bytes)| Op::Text {
            x: x + dx,
            y: row_size * 1.02,
            style: *style,
            bytes: bytes.clone(),
        })
        .collect()
}

fn line_row(line: Line, x: f32) -> Row {
    Row {
        height: line.size * LEADING,
        ops: line_ops(&line, x, line.size),
    }
}

/// Rows drawn on a tinted panel with a coloured bar on the left, as one unbreakable row.
pub fn panel(rows: Vec<Row>, x: f32, width: f32, pad: f32, bar: Color) -> Row {
    let inner: f32 = rows.iter().map(|r| r.height).sum();
    let height = inner + 2.0 * pad;
    let mut ops = vec![
        Op::Fill {
            x,
            y: 0.0,
            w: width,
            h: height,
            color: Color::PANEL,
        },
        Op::Fill {
            x,
            y: 0.0,
            w: 3.0,
            h: height,
            color: bar,
        },
    ];
    let mut y = pad;
    for row in rows {
        ops.extend(row.ops.into_iter().map(|op| op.shifted(0.0, y)));
        y += row.height;
    }
    Row { height, ops }
}

/// A horizontal rule as a row of its own.
pub fn rule(x: f32, width: f32, gap: f32) -> Row {
    Row {
        height: gap,
        ops: vec![Op::Rule {
            x,
            y: gap / 2.0,
            w: width,
            width: 0.6,
            color: Color::RULE,
        }],
    }
}

/// Places blocks on pages `body_height` tall; returns, per page, each op with its y from the top of
/// the body.
pub fn paginate(blocks: &[Laid], body_height: f32) -> Vec<Vec<Op>> {
    let mut pages: Vec<Vec<Op>> = vec![Vec::new()];
    let mut y = 0.0_f32;
    for (i, block) in blocks.iter().enumerate() {
        let total = block.height();
        let mut needed = if block.keep_together && total <= body_height {
            total
        } else {
            block.rows.first().map_or(0.0, |r| r.height)
        };
        if block.keep_with_next
            && let Some(next) = blocks.get(i + 1)
        {
            needed += next.space_before
                + if next.keep_together && next.height() <= body_height - total {
                    next.height()
                } else {
                    next.rows.first().map_or(0.0, |r| r.height)
                };
        }
        let space = if y > 0.0 { block.space_before } else { 0.0 };
        if y > 0.0 && y + space + needed > body_height {
            pages.push(Vec::new());
            y = 0.0;
        } else {
            y += space;
        }
        for row in &block.rows {
            if y > 0.0 && y + row.height > body_height {
                pages.push(Vec::new());
                y = 0.0;
            }
            if let Some(page) = pages.last_mut() {
                page.extend(row.ops.iter().cloned().map(|op| op.shifted(0.0, y)));
            }
            y += row.height;
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Style = Style::new(Face::Regular, 10.0, Color::TEXT);
    const MONO: Style = Style::new(Face::Mono, 8.0, Color::TEXT);

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                l.runs
                    .iter()
                    .map(|(_, _, b)| String::from_utf8_lossy(b).into_owned())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    }

    #[test]
    fn words_wrap_at_spaces_within_the_width() {
        let mut t = Typesetter::default();
        let spans = [Span::new(
            BODY,
            "uno due tre quattro cinque sei sette otto nove dieci",
        )];
        let lines = t.lines(&spans, 100.0, 0.0);
        assert!(lines.len() > 1);
        for line in &lines {
            let (x, style, bytes) = line.runs.last().unwrap();
            assert!(x + style.face.text_width(bytes, style.size) <= 100.01);
        }
        assert_eq!(
            texts(&lines).join(" "),
            "uno due tre quattro cinque sei sette otto nove dieci"
        );
    }

    #[test]
    fn a_word_longer_than_the_line_is_broken_between_characters() {
        let mut t = Typesetter::default();
        let hash = "ab".repeat(32);
        let lines = t.lines(&[Span::new(MONO, hash.clone())], 150.0, 0.0);
        assert!(lines.len() >= 2, "{:?}", texts(&lines));
        assert_eq!(texts(&lines).concat(), hash);
        for line in &lines {
            let (x, style, bytes) = &line.runs[0];
            assert!(x + style.face.text_width(bytes, style.size) <= 150.01);
        }
    }

    #[test]
    fn styles_change_within_a_line_and_newlines_force_breaks() {
        let bold = Style::new(Face::Bold, 10.0, Color::GOOD);
        let mut t = Typesetter::default();
        let lines = t.lines(
            &[
                Span::new(bold, "VALIDA"),
                Span::new(BODY, " - firmata\nda un gestore"),
            ],
            400.0,
            0.0,
        );
        assert_eq!(texts(&lines), ["VALIDA|- firmata", "da un gestore"]);
        assert_eq!(t.lost, 0);
    }

    #[test]
    fn blocks_that_do_not_fit_move_to_the_next_page() {
        let row = Row {
            height: 30.0,
            ops: vec![Op::Rule {
                x: 0.0,
                y: 0.0,
                w: 1.0,
                width: 1.0,
                color: Color::RULE,
            }],
        };
        let block = |n: usize, together: bool| Laid {
            rows: vec![row.clone(); n],
            keep_together: together,
            keep_with_next: false,
            space_before: 0.0,
        };
        let pages = paginate(&[block(2, false), block(2, true)], 100.0);
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2]);
        let pages = paginate(&[block(2, false), block(2, false)], 100.0);
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 1]);
        // Taller than a page: split anyway.
        let pages = paginate(&[block(7, true)], 100.0);
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
    }
}
