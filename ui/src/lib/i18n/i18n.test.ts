import { describe, expect, it as test } from 'vitest';
import { en } from './en';
import { it } from './it';
import { errorText } from './errors';
import { fill, translate } from './index';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the words of the interface', () => {
  test('every key is in Italian and in English, with the same placeholders, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(it).sort());
    for (const [key, text] of Object.entries(it)) {
      const english = en[key as keyof typeof it];
      expect(text.trim(), key).not.toBe('');
      expect(english.trim(), key).not.toBe('');
      expect(placeholders(english), key).toEqual(placeholders(text));
    }
  });

  test('every closed set of the engine has its words', () => {
    const sets: Record<string, string[]> = {
      state: ['pending', 'delivered', 'failed', 'warned-12h', 'timed-out-24h', 'external', 'not-accepted', 'disputed'],
      summary: ['pending', 'delivered', 'partially-delivered', 'failed', 'not-accepted', 'not-certifiable', 'disputed'],
      verdict: ['valid', 'invalid', 'untrusted', 'unsigned', 'indeterminate'],
      kind: [
        'transport-envelope', 'anomaly-envelope', 'acceptance', 'non-acceptance', 'taken-in-charge', 'delivery',
        'delivery-failure', 'delivery-warning12h', 'delivery-timeout24h', 'virus-detected', 'not-pec',
      ],
      outbox: ['queued', 'submitting', 'uncertain', 'submitted', 'failed'],
      overdue: ['12h', '24h'],
      risk: ['safe', 'active-content', 'macro', 'shortcut', 'script', 'executable'],
    };
    for (const [prefix, values] of Object.entries(sets)) {
      for (const v of values) expect(`${prefix}.${v}` in it, `${prefix}.${v}`).toBe(true);
    }
  });

  test('placeholders are filled, unknown ones stay visible', () => {
    expect(fill('{n} messaggi', { n: 3 })).toBe('3 messaggi');
    expect(fill('{a} e {b}', { a: 'x' })).toBe('x e {b}');
    expect(translate('en', 'list.count', { n: 5 })).toBe('5 messages');
  });

  test('typed errors are worded in both languages from their code and data', () => {
    expect(errorText('it', { code: 'too-many-recipients', count: 60, max: 50 })).toBe(
      '60 destinatari: il gestore ne accetta al massimo 50.',
    );
    expect(errorText('en', { code: 'no-password', address: 'a@pec.it' })).toContain('a@pec.it');
    expect(errorText('en', 'boom')).toContain('boom');
    expect(
      errorText('it', { code: 'dangerous-attachment', name: 'fatturafdp.exe', extension: 'exe', risk: 'executable' }),
    ).toBe('«fatturafdp.exe» è un programma (estensione .exe): non è stato aperto.');
    expect(errorText('it', { code: 'too-large', bytes: 1, recipients: 2, total: 3 * 1024 * 1024, limit: 1024 * 1024 })).toContain(
      '3 MB',
    );
  });

  test('issue 18: a person that cannot be recorded says why, in both languages', () => {
    expect(errorText('it', { code: 'bad-person', problem: 'email-invalid' })).toBe(
      'Questa persona non può essere registrata: l’e-mail non è un indirizzo semplice (nome@dominio.it).',
    );
    expect(errorText('en', { code: 'bad-person', problem: 'name-empty' })).toBe(
      'This person cannot be recorded: the name is empty.',
    );
  });

  test('issue 17: a failed archive upgrade says what failed and where the copy is kept, in both languages', () => {
    const copy = '/home/a/.local/share/attesta/archive.v6.before-upgrade.sqlite3';
    const unverified = { code: 'archive-upgrade-unverified', copy, findings: ['journal entries: 27 before the upgrade, 26 after', 'x'] } as const;
    expect(errorText('it', unverified)).toBe(
      `L’aggiornamento dell’archivio non supera la verifica (journal entries: 27 before the upgrade, 26 after; x): l’archivio non viene aperto in scrittura. L’archivio com’era prima è conservato in ${copy}.`,
    );
    expect(errorText('en', { code: 'archive-upgrade-failed', version: 7, detail: 'disk full', copy })).toContain(`kept at ${copy}`);
    expect(errorText('it', { code: 'archive-no-room', needed: 3 * 1024 * 1024, free: 1024 * 1024 })).toContain('3 MB');
  });
});
