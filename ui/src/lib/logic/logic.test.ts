import { describe, expect, it } from 'vitest';
import { localCheck, parseAddresses } from './compose';
import { listRequest, sentRequest, viewKey } from './filters';
import { formatDay, formatPerson, formatSize } from './format';
import { nextIndex } from './keys';
import { PageCache } from './pages';
import { ariaSort, nextSort } from './sort';
import { familyKindKey, itemKey, kindTone, recipientTone, summaryTone, toneGlyph, verdictTone } from './states';
import { pagesFor, scrollFor, visibleRange } from './window';

describe('state wording and colour', () => {
  it('gives every recipient state a tone, pending turning to a warning once overdue', () => {
    expect(recipientTone('delivered', null)).toBe('ok');
    expect(recipientTone('external', null)).toBe('info');
    expect(recipientTone('failed', null)).toBe('bad');
    expect(recipientTone('timed-out-24h', null)).toBe('bad');
    expect(recipientTone('pending', null)).toBe('wait');
    expect(recipientTone('pending', '12h')).toBe('warn');
    expect(summaryTone('partially-delivered', null)).toBe('warn');
    expect(summaryTone('pending', '24h')).toBe('warn');
    expect(verdictTone('valid')).toBe('ok');
    expect(verdictTone('invalid')).toBe('bad');
    expect(kindTone('delivery-failure')).toBe('bad');
  });

  it('names the sender’s own copies by which copy they are, everything else by its kind', () => {
    expect(itemKey('not-pec', 'sent')).toBe('copy.sent');
    expect(itemKey('not-pec', 'sent-folder')).toBe('copy.sent-folder');
    expect(itemKey('not-pec', null)).toBe('kind.not-pec');
    expect(itemKey('delivery', null)).toBe('kind.delivery');
  });

  it('names a REM message by its signed event, a REM dispatch as such, and PEC by its kind', () => {
    expect(familyKindKey('rem', 'delivery', 'content-consignment')).toBe('rem.event.content-consignment');
    expect(familyKindKey('rem', 'transport-envelope', null)).toBe('rem.dispatch');
    expect(familyKindKey('pec', 'delivery', null)).toBe('kind.delivery');
    expect(familyKindKey('rem', 'not-pec', null, 'sent')).toBe('copy.sent');
  });

  it('never relies on colour alone: every tone has a glyph', () => {
    for (const tone of ['ok', 'wait', 'warn', 'bad', 'info', 'muted'] as const) expect(toneGlyph(tone)).not.toBe('');
  });
});

describe('filters and sorting', () => {
  it('turns the Sent filter chips into the shell request', () => {
    const r = sentRequest('overdue', '  diffida ', { key: 'date', descending: true }, 100, 50);
    expect(r).toEqual({ pending: false, failed: false, overdue: true, text: 'diffida', sort: 'date', descending: true, offset: 100, limit: 50 });
    expect(sentRequest('all', '', { key: 'subject', descending: false }, 0, 10).pending).toBe(false);
    const l = listRequest({ view: 'folder', account: 'a@pec.it', folder: 'INBOX' }, 'x', true, { key: 'sender', descending: false }, 0, 100);
    expect(l.problems_only).toBe(true);
    expect(viewKey({ view: 'folder', account: 'a', folder: 'B' })).toBe('folder:a:B');
    expect(viewKey('sent')).toBe('sent');
  });

  it('flips the order on the same column and starts a new one in its natural order', () => {
    expect(nextSort({ key: 'date', descending: true }, 'date', 'date')).toEqual({ key: 'date', descending: false });
    expect(nextSort({ key: 'date', descending: true }, 'subject', 'date')).toEqual({ key: 'subject', descending: false });
    expect(nextSort({ key: 'subject', descending: false }, 'date', 'date')).toEqual({ key: 'date', descending: true });
    expect(ariaSort({ key: 'date', descending: true }, 'date')).toBe('descending');
    expect(ariaSort({ key: 'date', descending: true }, 'subject')).toBe('none');
  });
});

describe('the virtual list', () => {
  it('renders only the rows in view plus the overscan, even for 100,000 rows', () => {
    const r = visibleRange({ scrollTop: 2_800_000, viewport: 600, rowHeight: 28, total: 100_000, overscan: 5 });
    expect(r.start).toBe(99_995);
    expect(r.end).toBe(100_000);
    expect(r.height).toBe(2_800_000);
    const top = visibleRange({ scrollTop: 0, viewport: 600, rowHeight: 28, total: 100_000, overscan: 5 });
    expect(top).toEqual({ start: 0, end: 28, offset: 0, height: 2_800_000 });
    expect(top.end - top.start).toBeLessThan(40);
    expect(visibleRange({ scrollTop: 500, viewport: 600, rowHeight: 28, total: 0, overscan: 5 })).toEqual({ start: 0, end: 0, offset: 0, height: 0 });
  });

  it('asks each page once and serves rows from the pages that arrived', () => {
    expect(pagesFor(95, 130, 100)).toEqual([0, 1]);
    expect(pagesFor(5, 5, 100)).toEqual([]);
    const cache = new PageCache<number>(100);
    expect(cache.claim(95, 130)).toEqual([0, 1]);
    expect(cache.claim(95, 130)).toEqual([]);
    cache.put(1, Array.from({ length: 100 }, (_, i) => 100 + i), 1000);
    expect(cache.get(130)).toBe(130);
    expect(cache.get(5)).toBeUndefined();
    expect(cache.total).toBe(1000);
    cache.clear();
    expect(cache.claim(130, 131)).toEqual([1]);
  });

  it('scrolls just enough to show the selected row, and moves with the keyboard', () => {
    expect(scrollFor(0, 280, 560, 28)).toBe(0);
    expect(scrollFor(30, 0, 560, 28)).toBe(31 * 28 - 560);
    expect(scrollFor(5, 0, 560, 28)).toBe(0);
    expect(nextIndex('ArrowDown', -1, 10, 5)).toBe(0);
    expect(nextIndex('ArrowDown', 9, 10, 5)).toBe(9);
    expect(nextIndex('PageDown', 2, 10, 5)).toBe(7);
    expect(nextIndex('End', 2, 10, 5)).toBe(9);
    expect(nextIndex('Home', 2, 10, 5)).toBe(0);
    expect(nextIndex('x', 2, 10, 5)).toBeNull();
    expect(nextIndex('ArrowDown', 0, 0, 5)).toBeNull();
  });
});

describe('compose checks (PEC rules §8)', () => {
  it('reads addresses separated by commas, semicolons or lines', () => {
    expect(parseAddresses(' a@pec.it, b@pec.it;\nc@x.it ,')).toEqual(['a@pec.it', 'b@pec.it', 'c@x.it']);
  });

  it('needs a To, a subject, valid distinct addresses within the provider limit', () => {
    expect(localCheck([], ['a@pec.it'], 'Oggetto', 50)).toEqual({ code: 'no-recipient' });
    expect(localCheck(['a@pec.it'], [], ' ', 50)).toEqual({ code: 'no-subject' });
    expect(localCheck(['a@pec'], [], 'x', 50)).toEqual({ code: 'bad-address', address: 'a@pec' });
    expect(localCheck(['a@pec.it'], ['A@pec.it'], 'x', 50)).toEqual({ code: 'duplicate-recipient', address: 'A@pec.it' });
    expect(localCheck(['a@pec.it', 'b@pec.it'], [], 'x', 1)).toEqual({ code: 'too-many-recipients', count: 2, max: 1 });
    expect(localCheck(['a@pec.it'], ['b@esterno.it'], 'x', 50)).toBeNull();
  });

  it('words sizes the Italian way', () => {
    expect(formatSize(1536 * 1024, 'it')).toBe('1,5 MB');
    expect(formatSize(1536 * 1024, 'en')).toBe('1.5 MB');
    expect(formatSize(12, 'it')).toBe('12 B');
  });
});

describe('a document day', () => {
  it('is shown as the day written, never shifted by the time zone', () => {
    expect(formatDay('2014-12-18', 'it')).toBe('18/12/2014');
    expect(formatDay('2014-12-31', 'en')).toBe('31 Dec 2014');
    expect(formatDay('18/12/2014', 'it')).toBe('18/12/2014');
    expect(formatDay(null, 'it')).toBe('');
  });
});

describe('a person of the firm (issue 18)', () => {
  it('is named with the e-mail when there is one', () => {
    expect(formatPerson({ name: 'Avv. Maria Rossi', email: 'maria.rossi@studio.example' })).toBe(
      'Avv. Maria Rossi <maria.rossi@studio.example>',
    );
    expect(formatPerson({ name: 'Luca Bianchi', email: null })).toBe('Luca Bianchi');
  });
});
