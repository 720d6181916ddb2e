// The requests a list sends: which view, the filter chips, the text filter, the order, the page.
import type { ListRequest, SentRequest, SentSortKey, SortKey, View } from '../bindings';
import type { Sort } from './sort';

export type SentFilter = 'all' | 'pending' | 'failed' | 'overdue';

export const SENT_FILTERS: SentFilter[] = ['all', 'pending', 'failed', 'overdue'];

export function sentRequest(
  filter: SentFilter,
  text: string,
  sort: Sort<SentSortKey>,
  offset: number,
  limit: number,
): SentRequest {
  return {
    pending: filter === 'pending',
    failed: filter === 'failed',
    overdue: filter === 'overdue',
    text: text.trim(),
    sort: sort.key,
    descending: sort.descending,
    offset,
    limit,
  };
}

export function listRequest(
  view: View,
  text: string,
  problemsOnly: boolean,
  sort: Sort<SortKey>,
  offset: number,
  limit: number,
): ListRequest {
  return { view, text: text.trim(), problems_only: problemsOnly, sort: sort.key, descending: sort.descending, offset, limit };
}

/** A stable key for a view, to tell when the list must start over. */
export function viewKey(view: View | 'sent'): string {
  if (view === 'sent') return 'sent';
  return view.view === 'folder' ? `folder:${view.account}:${view.folder}` : view.view;
}
