// Keyboard use of a list: arrows, Page Up/Down, Home/End move the selection.

export function nextIndex(key: string, index: number, total: number, pageRows: number): number | null {
  if (total === 0) return null;
  const at = index < 0 ? -1 : index;
  switch (key) {
    case 'ArrowDown':
      return Math.min(total - 1, at + 1);
    case 'ArrowUp':
      return Math.max(0, at - 1);
    case 'PageDown':
      return Math.min(total - 1, Math.max(0, at) + pageRows);
    case 'PageUp':
      return Math.max(0, at - pageRows);
    case 'Home':
      return 0;
    case 'End':
      return total - 1;
    default:
      return null;
  }
}
