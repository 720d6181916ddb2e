// Clicking a column header: the same column flips the order; a new one starts in its natural order
// (dates newest first, words A to Z).

export interface Sort<K extends string> {
  key: K;
  descending: boolean;
}

export function nextSort<K extends string>(current: Sort<K>, clicked: K, dateKey: K): Sort<K> {
  if (current.key === clicked) return { key: clicked, descending: !current.descending };
  return { key: clicked, descending: clicked === dateKey };
}

/** The ARIA value of a header. */
export function ariaSort<K extends string>(current: Sort<K>, key: K): 'ascending' | 'descending' | 'none' {
  if (current.key !== key) return 'none';
  return current.descending ? 'descending' : 'ascending';
}
