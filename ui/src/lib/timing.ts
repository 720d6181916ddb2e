// Figures the speed benchmark reads from the window (scripts/bench-ui): when the first list was painted
// (milliseconds since the epoch) and how long the last message took to open.

interface Timings {
  firstPaint?: number;
  lastOpenMs?: number;
}

const w = (typeof window === 'undefined' ? {} : window) as unknown as { __attesta?: Timings };

function timings(): Timings {
  w.__attesta ??= {};
  return w.__attesta;
}

/** Call once rows are in the DOM: records the first time, after the browser painted them. */
export function markListPainted(): void {
  if (timings().firstPaint !== undefined || typeof requestAnimationFrame === 'undefined') return;
  requestAnimationFrame(() => {
    timings().firstPaint ??= performance.timeOrigin + performance.now();
  });
}

/** Records how long opening a message took, from the click to the reader painted. */
export function markOpened(started: number): void {
  if (typeof requestAnimationFrame === 'undefined') return;
  requestAnimationFrame(() => {
    timings().lastOpenMs = performance.now() - started;
  });
}

/** Reads its arguments so that a Svelte effect re-runs when any of them changes. */
export function track(...values: unknown[]): number {
  return values.length;
}
