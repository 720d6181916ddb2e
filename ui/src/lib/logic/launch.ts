// What the app was launched for (issue 17), as the window acts on it: a file opened from disk shown
// in the reader (not archived), a message the archive already holds, a signed document's panel, a
// compose window prefilled from a mailto: link (never sent by itself), or a failure in words.
import type { AccountInfo, DocumentView, DraftForm, Launched, MailtoDraft, MessageView } from '../bindings';

/** A message opened from disk: the shell's token for it, its file name, the reader's view. */
export interface OpenedMessage {
  token: number;
  name: string;
  message: MessageView;
}

/** A signed document opened from disk. */
export interface OpenedDocument {
  token: number;
  name: string;
  document: DocumentView;
}

/** The compose form for a mailto: draft, from the first mailbox (the person can change it). */
export function draftFromMailto(draft: MailtoDraft, accounts: AccountInfo[]): DraftForm {
  return {
    id: null,
    account: accounts[0]?.address ?? '',
    to: draft.to,
    cc: draft.cc,
    subject: draft.subject,
    body: draft.body,
    attachments: [],
    receipt: 'completa',
    rem_relay_evidence: false,
  };
}

/** What the window shows after the requests, in order: the last file or message wins the reader. */
export interface LaunchOutcome {
  opened: OpenedMessage | null;
  document: OpenedDocument | null;
  /** An archived message to select. */
  archived: number | null;
  compose: MailtoDraft | null;
  failures: Extract<Launched, { kind: 'failed' }>[];
  /** Names of files the archive already held (said in a notice). */
  alreadyArchived: string[];
}

export function outcomeOf(list: Launched[]): LaunchOutcome {
  const out: LaunchOutcome = { opened: null, document: null, archived: null, compose: null, failures: [], alreadyArchived: [] };
  for (const l of list) {
    switch (l.kind) {
      case 'message':
        out.opened = { token: l.token, name: l.name, message: l.message };
        out.document = null;
        out.archived = null;
        break;
      case 'archived':
        out.archived = l.id;
        out.opened = null;
        out.document = null;
        out.alreadyArchived.push(l.name);
        break;
      case 'document':
        out.document = { token: l.token, name: l.name, document: l.document };
        out.opened = null;
        out.archived = null;
        break;
      case 'compose':
        out.compose = l.draft;
        break;
      case 'failed':
        out.failures.push(l);
        break;
    }
  }
  return out;
}

/** Whether the outcome has something for the reader (then the main window shows, even before any
 *  mailbox is set up). */
export function showsSomething(o: LaunchOutcome): boolean {
  return o.opened !== null || o.document !== null || o.archived !== null;
}
