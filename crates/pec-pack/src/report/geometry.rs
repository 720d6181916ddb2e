//! The page: A4 portrait, 20 mm side margins, a running header and a footer with page numbers.

/// A4 in points (210 × 297 mm).
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;

pub const LEFT: f32 = 56.7;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * LEFT;
/// Top of the body, from the top of the page.
pub const BODY_TOP: f32 = 62.0;
/// Bottom of the body, from the top of the page.
pub const BODY_BOTTOM: f32 = PAGE_HEIGHT - 60.0;
pub const BODY_HEIGHT: f32 = BODY_BOTTOM - BODY_TOP;

/// Baselines of the running header and of the footer, from the top of the page.
pub const HEADER_BASELINE: f32 = 38.0;
pub const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 34.0;

/// The label column of label–value rows.
pub const LABEL_WIDTH: f32 = 104.0;
pub const VALUE_X: f32 = LEFT + LABEL_WIDTH + 10.0;
pub const VALUE_WIDTH: f32 = CONTENT_WIDTH - LABEL_WIDTH - 10.0;

/// Where a label–value row puts its two columns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Columns {
    pub label_x: f32,
    pub label_width: f32,
    pub value_x: f32,
    pub value_width: f32,
}

/// The report's label–value columns.
pub const COLUMNS: Columns = Columns {
    label_x: LEFT,
    label_width: LABEL_WIDTH,
    value_x: VALUE_X,
    value_width: VALUE_WIDTH,
};
