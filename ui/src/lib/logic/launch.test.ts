import { describe, expect, it } from 'vitest';
import type { AccountInfo, DocumentView, Launched, MessageView } from '../bindings';
import { draftFromMailto, outcomeOf, showsSomething } from './launch';

const message = { id: 1 } as unknown as MessageView;
const document = { name: 'atto.pdf.p7m' } as unknown as DocumentView;

describe('launch requests', () => {
  it('fills compose from a mailto draft, with the first mailbox and nothing attached', () => {
    const accounts = [{ address: 'studio@pec.it' }, { address: 'altro@pec.it' }] as AccountInfo[];
    const form = draftFromMailto({ to: ['a@pec.it'], cc: ['b@pec.it'], subject: 'Diffida', body: 'Testo', bcc_left_out: [] }, accounts);
    expect(form).toEqual({
      id: null,
      account: 'studio@pec.it',
      to: ['a@pec.it'],
      cc: ['b@pec.it'],
      subject: 'Diffida',
      body: 'Testo',
      attachments: [],
      receipt: 'completa',
      rem_relay_evidence: false,
    });
    expect(draftFromMailto({ to: [], cc: [], subject: '', body: '', bcc_left_out: [] }, []).account).toBe('');
  });

  it('shows the last file asked for, keeps every failure, and a mailto draft besides', () => {
    const list: Launched[] = [
      { kind: 'message', token: 1, name: 'a.eml', message },
      { kind: 'failed', name: 'b.eml', error: { code: 'not-a-message', name: 'b.eml', detail: 'x' } },
      { kind: 'document', token: 2, name: 'atto.pdf.p7m', document },
      { kind: 'compose', draft: { to: ['a@pec.it'], cc: [], subject: '', body: '', bcc_left_out: [] } },
    ];
    const o = outcomeOf(list);
    expect(o.opened).toBeNull();
    expect(o.document).toEqual({ token: 2, name: 'atto.pdf.p7m', document });
    expect(o.failures.map((f) => f.name)).toEqual(['b.eml']);
    expect(o.compose?.to).toEqual(['a@pec.it']);
    expect(showsSomething(o)).toBe(true);
  });

  it('selects a message the archive already holds instead of showing the file', () => {
    const o = outcomeOf([
      { kind: 'message', token: 1, name: 'a.eml', message },
      { kind: 'archived', id: 42, name: 'b.eml' },
    ]);
    expect(o.opened).toBeNull();
    expect(o.archived).toBe(42);
    expect(o.alreadyArchived).toEqual(['b.eml']);
  });

  it('a mailto link or a failure alone shows nothing in the reader', () => {
    expect(showsSomething(outcomeOf([{ kind: 'compose', draft: { to: [], cc: [], subject: '', body: '', bcc_left_out: [] } }]))).toBe(false);
    expect(showsSomething(outcomeOf([]))).toBe(false);
  });
});
