// Keyboard use of a tab list or a radio group (WAI-ARIA): Left/Right (and Up/Down) move to the
// previous/next choice (wrapping), Home/End to the first/last; any other key leaves the choice alone.

export function nextTab<T>(key: string, current: T, tabs: readonly T[]): T | null {
  const at = tabs.indexOf(current);
  if (at < 0 || tabs.length === 0) return null;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return tabs[(at + 1) % tabs.length] ?? null;
    case 'ArrowLeft':
    case 'ArrowUp':
      return tabs[(at - 1 + tabs.length) % tabs.length] ?? null;
    case 'Home':
      return tabs[0] ?? null;
    case 'End':
      return tabs[tabs.length - 1] ?? null;
    default:
      return null;
  }
}
