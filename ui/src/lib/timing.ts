// Figures the speed benchmark reads from the window (scripts/bench-ui): when the first list was painted
// (milliseconds since the epoch), how long the last message took to open, the last list to show its
// first page after its order or filter changed, the last search to show its results; and, once the
// benchmark starts it, the longest delay of the page's own 4 ms timer (the page's script thread busy).

interface Timings {
  firstPaint?: number;
  lastOpenMs?: number | null;
  lastListMs?: number | null;
  lastSearchMs?: number | null;
  pageStallMs?: number;
  beat?: () => void;
}

type Figure = 'lastOpenMs' | 'lastListMs' | 'lastSearchMs';

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

/** Records how long `figure` took, from `started` (a `performance.now()`) to the next paint. */
export function markDone(figure: Figure, started: number): void {
  if (typeof requestAnimationFrame === 'undefined') return;
  requestAnimationFrame(() => {
    timings()[figure] = performance.now() - started;
  });
}

/** Records how long opening a message took, from the click to the reader painted. */
export function markOpened(started: number): void {
  markDone('lastOpenMs', started);
}

/** Reads its arguments so that a Svelte effect re-runs when any of them changes. */
export function track(...values: unknown[]): number {
  return values.length;
}

// The page's heartbeat, started (and reset) by the benchmark only.
const BEAT_MS = 4;
let beating = false;
timings().beat = () => {
  timings().pageStallMs = 0;
  if (beating) return;
  beating = true;
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const late = now - last - BEAT_MS;
    if (late > (timings().pageStallMs ?? 0)) timings().pageStallMs = late;
    last = now;
  }, BEAT_MS);
};
