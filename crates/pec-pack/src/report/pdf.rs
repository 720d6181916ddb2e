//! Writing the laid-out pages as a PDF with `pdf-writer` (typst's low-level writer): base-14 fonts
//! with WinAnsiEncoding (nothing embedded, text selectable and extractable), Flate-compressed content
//! streams, document information and language, a running header and "page n of N" on every page.
//!
//! NOTE: pdf-writer over printpdf or krilla: it is small, well kept, pure Rust and fast (a whole pack,
//! report included, takes 2.2 ms: docs/benchmarks.md), and the report needs no font embedding, which
//! krilla would require (a font file to ship) and printpdf wraps in a larger API. The cost is doing our
//! own line breaking, with Helvetica's metrics (see `fonts`).

use std::io::Write;

use chrono::{DateTime, Datelike, Timelike, Utc};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::flow::{Color, Op, Style};
use super::fonts::Face;
use super::geometry::{
    BODY_TOP, CONTENT_WIDTH, FOOTER_BASELINE, HEADER_BASELINE, LEFT, PAGE_HEIGHT, PAGE_WIDTH,
};
use super::winansi;

/// What goes around the body of every page.
pub struct Frame {
    pub title: String,
    pub header: String,
    pub footer: String,
    /// "Pagina" / "Page" and "di" / "of".
    pub page: &'static str,
    pub of: &'static str,
    pub language_tag: &'static str,
    pub producer: String,
    pub created: DateTime<Utc>,
}

const SMALL: Style = Style::new(Face::Regular, 7.5, Color::MUTED);

/// The PDF for `pages` (ops with y from the top of the body).
pub fn write(pages: &[Vec<Op>], frame: &Frame) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let info = Ref::new(3);
    let font_ids: Vec<Ref> = (0..Face::ALL.len() as i32)
        .map(|i| Ref::new(4 + i))
        .collect();
    let first_page = 4 + Face::ALL.len() as i32;
    let page_ids: Vec<Ref> = (0..pages.len() as i32)
        .map(|i| Ref::new(first_page + 2 * i))
        .collect();

    pdf.catalog(catalog)
        .pages(tree)
        .lang(TextStr(frame.language_tag));
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(pages.len() as i32);
    for (face, id) in Face::ALL.iter().zip(&font_ids) {
        // The widths the layout used: a reader that substitutes another font scales it to them.
        pdf.type1_font(*id)
            .base_font(Name(face.base_font()))
            .encoding_predefined(Name(b"WinAnsiEncoding"))
            .first_char(32)
            .last_char(255)
            .widths((32..=255u8).map(|c| f32::from(face.width(c))));
    }
    {
        let mut doc = pdf.document_info(info);
        doc.title(TextStr(&frame.title));
        doc.producer(TextStr(&frame.producer));
        doc.creator(TextStr(&frame.producer));
        doc.creation_date(pdf_date(frame.created));
        doc.finish();
    }

    let total = pages.len();
    for (i, ops) in pages.iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        for (face, id) in Face::ALL.iter().zip(&font_ids) {
            fonts.pair(Name(face.resource()), *id);
        }
        fonts.finish();
        resources.finish();
        page.finish();

        let mut content = Content::new();
        if i > 0 {
            text(&mut content, LEFT, HEADER_BASELINE, SMALL, &frame.header);
            rule(&mut content, LEFT, HEADER_BASELINE + 5.0, CONTENT_WIDTH);
        }
        for op in ops {
            draw(&mut content, op);
        }
        rule(&mut content, LEFT, FOOTER_BASELINE - 10.0, CONTENT_WIDTH);
        text(&mut content, LEFT, FOOTER_BASELINE, SMALL, &frame.footer);
        let number = format!("{} {} {} {}", frame.page, i + 1, frame.of, total);
        let (bytes, _) = winansi::encode(&number);
        let width = SMALL.face.text_width(&bytes, SMALL.size);
        text(
            &mut content,
            LEFT + CONTENT_WIDTH - width,
            FOOTER_BASELINE,
            SMALL,
            &number,
        );
        let raw = content.finish().into_vec();
        pdf.stream(content_id, &deflate(&raw))
            .filter(Filter::FlateDecode);
    }
    pdf.finish()
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into memory does not fail; if it ever did, an empty page beats a broken file.
    encoder
        .write_all(data)
        .and_then(|()| encoder.finish())
        .unwrap_or_default()
}

fn pdf_date(t: DateTime<Utc>) -> Date {
    Date::new(t.year().clamp(0, 9999) as u16)
        .month(t.month() as u8)
        .day(t.day() as u8)
        .hour(t.hour() as u8)
        .minute(t.minute() as u8)
        .second(t.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// y from the top of the page to PDF space (from the bottom).
fn flip(y: f32) -> f32 {
    PAGE_HEIGHT - y
}

fn text(content: &mut Content, x: f32, y: f32, style: Style, s: &str) {
    let (bytes, _) = winansi::encode(s);
    show(content, x, y, style, &bytes);
}

fn show(content: &mut Content, x: f32, y: f32, style: Style, bytes: &[u8]) {
    let Color(r, g, b) = style.color;
    content.set_fill_rgb(r, g, b);
    content.begin_text();
    content.set_font(Name(style.face.resource()), style.size);
    content.next_line(x, flip(y));
    content.show(Str(bytes));
    content.end_text();
}

fn rule(content: &mut Content, x: f32, y: f32, w: f32) {
    let Color(r, g, b) = Color::RULE;
    content.set_stroke_rgb(r, g, b);
    content.set_line_width(0.6);
    content.move_to(x, flip(y));
    content.line_to(x + w, flip(y));
    content.stroke();
}

fn draw(content: &mut Content, op: &Op) {
    match op {
        Op::Text { x, y, style, bytes } => show(content, *x, BODY_TOP + y, *style, bytes),
        Op::Fill { x, y, w, h, color } => {
            let Color(r, g, b) = *color;
            content.set_fill_rgb(r, g, b);
            content.rect(*x, flip(BODY_TOP + y + h), *w, *h);
            content.fill_nonzero();
        }
        Op::Rule {
            x,
            y,
            w,
            width,
            color,
        } => {
            let Color(r, g, b) = *color;
            content.set_stroke_rgb(r, g, b);
            content.set_line_width(*width);
            content.move_to(*x, flip(BODY_TOP + y));
            content.line_to(x + w, flip(BODY_TOP + y));
            content.stroke();
        }
    }
}
