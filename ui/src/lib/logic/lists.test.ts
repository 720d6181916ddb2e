// The list and notice logic of issue 16 §5: a failed fetch is a failure with a retry, never an empty
// list; notices expire, can be dismissed and follow the language.
import { describe, expect, it } from 'vitest';
import { ListLoader } from './listload';
import { nextTab } from './tabs';
import { addToast, dismissToast, LIFETIME, liveToasts, MAX_TOASTS, toastText, type Toast } from './toasts';

describe('a long list loading page by page', () => {
  it('shows a failed first fetch as a failure, not as an empty list, and asks again on retry', () => {
    const list = new ListLoader<string, string>(100);
    const { generation, pages } = list.restart();
    expect(pages).toEqual([0]);
    list.failed(generation, 0, 'archive-busy');
    expect(list.status).toEqual({ kind: 'failed', error: 'archive-busy' });
    expect(list.empty).toBe(false);
    expect(list.claim(0, 40)).toEqual([]);
    const again = list.retry(0, 0);
    expect(again.pages).toEqual([0]);
    expect(list.status.kind).toBe('loading');
    list.arrived(again.generation, 0, [], 0);
    expect(list.empty).toBe(true);
  });

  it('ignores the answer to a request made before the list started over', () => {
    const list = new ListLoader<string, string>(2);
    const old = list.restart();
    const fresh = list.restart();
    expect(list.arrived(old.generation, 0, ['stale'], 9)).toBe(false);
    expect(list.failed(old.generation, 0, 'late')).toBe(false);
    expect(list.status.kind).toBe('loading');
    expect(list.arrived(fresh.generation, 0, ['a', 'b'], 5)).toBe(true);
    expect(list.cache.get(1)).toBe('b');
    expect(list.total).toBe(5);
  });

  it('keeps the first page\'s count when a later page comes uncounted', () => {
    const list = new ListLoader<number, string>(2);
    const { generation } = list.restart();
    list.arrived(generation, 0, [0, 1], 250_000);
    expect(list.claim(2, 4)).toEqual([1]);
    expect(list.arrived(generation, 1, [2, 3], null)).toBe(true);
    expect(list.total).toBe(250_000);
    expect(list.cache.get(3)).toBe(3);
    expect(list.empty).toBe(false);
  });

  it('asks again for a later page whose fetch failed, keeping the rows it has', () => {
    const list = new ListLoader<number, string>(2);
    const { generation } = list.restart();
    list.arrived(generation, 0, [0, 1], 6);
    expect(list.claim(0, 4)).toEqual([1]);
    list.failed(generation, 1, 'timeout');
    expect(list.retry(0, 4).pages).toEqual([1]);
    expect(list.status.kind).toBe('ready');
    expect(list.cache.get(0)).toBe(0);
  });
});

describe('notices', () => {
  const at = 1_000_000;

  it('expire after their lifetime, errors later than good news', () => {
    let toasts: Toast[] = [];
    toasts = addToast(toasts, { key: 'compose.sent', params: { msgid: '<a@b>' } }, 'ok', 1, at);
    toasts = addToast(toasts, { error: { code: 'archive-busy' } }, 'bad', 2, at);
    expect(liveToasts(toasts, at + LIFETIME.ok - 1).map((x) => x.id)).toEqual([1, 2]);
    expect(liveToasts(toasts, at + LIFETIME.ok).map((x) => x.id)).toEqual([2]);
    expect(liveToasts(toasts, at + LIFETIME.bad)).toEqual([]);
  });

  it('can be dismissed, and never pile up beyond a few', () => {
    let toasts: Toast[] = [];
    for (let id = 1; id <= MAX_TOASTS + 2; id++) toasts = addToast(toasts, { key: 'job.cancel' }, 'warn', id, at);
    expect(toasts.map((x) => x.id)).toEqual([3, 4, 5]);
    expect(dismissToast(toasts, 4).map((x) => x.id)).toEqual([3, 5]);
  });

  it('follow the language chosen after they appeared', () => {
    const toast = addToast([], { key: 'job.failed', keyParams: { job: 'job.import' }, error: { code: 'archive-busy' } }, 'bad', 1, at)[0]!;
    const italian = toastText(toast, 'it');
    const english = toastText(toast, 'en');
    expect(italian).toMatch(/^Importazione non riuscita: /);
    expect(english).toMatch(/^Import failed: /);
    expect(english).not.toBe(italian);
    expect(toastText({ error: { code: 'archive-busy' } }, 'en')).not.toMatch(/^:/);
  });
});

describe('tabs', () => {
  const tabs = ['letter', 'evidence'] as const;

  it('move with the arrows, wrapping, and jump with Home and End', () => {
    expect(nextTab('ArrowRight', 'letter', tabs)).toBe('evidence');
    expect(nextTab('ArrowRight', 'evidence', tabs)).toBe('letter');
    expect(nextTab('ArrowLeft', 'letter', tabs)).toBe('evidence');
    expect(nextTab('Home', 'evidence', tabs)).toBe('letter');
    expect(nextTab('End', 'letter', tabs)).toBe('evidence');
  });

  it('move with Up and Down too, as a radio group does', () => {
    const filters = ['all', 'pending', 'failed'] as const;
    expect(nextTab('ArrowDown', 'all', filters)).toBe('pending');
    expect(nextTab('ArrowUp', 'all', filters)).toBe('failed');
  });

  it('ignore other keys', () => {
    expect(nextTab('Enter', 'letter', tabs)).toBeNull();
    expect(nextTab('a', 'evidence', tabs)).toBeNull();
  });
});
