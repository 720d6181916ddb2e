// Where the user is in the folders pane.
import type { View } from './bindings';

export type Place =
  | { kind: 'inbox' }
  | { kind: 'sent' }
  | { kind: 'receipts' }
  | { kind: 'anomalies' }
  | { kind: 'drafts' }
  | { kind: 'outbox' }
  | { kind: 'search'; text: string }
  | { kind: 'folder'; account: string; folder: string };

/** The shell's view for a place that lists archived messages; null for the others. */
export function viewOf(p: Place): View | null {
  switch (p.kind) {
    case 'inbox':
    case 'receipts':
    case 'anomalies':
      return { view: p.kind };
    case 'folder':
      return { view: 'folder', account: p.account, folder: p.folder };
    default:
      return null;
  }
}
