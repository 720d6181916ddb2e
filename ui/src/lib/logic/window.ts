// The virtual list's window: which rows exist in the DOM for a scroll position. Only these are
// rendered, so 100,000 rows cost what 40 do.

export interface WindowInput {
  scrollTop: number;
  viewport: number;
  rowHeight: number;
  total: number;
  /** Rows rendered above and below the visible ones, so fast scrolling shows no gap. */
  overscan: number;
}

export interface WindowRange {
  /** First row rendered (inclusive). */
  start: number;
  /** Last row rendered (exclusive). */
  end: number;
  /** Where the first rendered row sits, in pixels from the top of the list. */
  offset: number;
  /** The whole list's height, in pixels. */
  height: number;
}

export function visibleRange(w: WindowInput): WindowRange {
  const total = Math.max(0, Math.floor(w.total));
  const rowHeight = Math.max(1, w.rowHeight);
  const first = Math.floor(Math.max(0, w.scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, w.viewport) / rowHeight) + 1;
  const start = Math.min(total, Math.max(0, first - w.overscan));
  const end = Math.min(total, first + count + w.overscan);
  return { start, end, offset: start * rowHeight, height: total * rowHeight };
}

/** The pages (of `pageSize` rows) that hold rows `start..end`. */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/** The scroll position that brings row `index` into view (unchanged if it already is). */
export function scrollFor(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return scrollTop;
}
