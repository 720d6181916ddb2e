import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RecordedVerdict, RecordedView } from '../bindings';
import { agreementNotice, notArchivedKey, recordedLine, trustPhrase } from './recorded';
import { translate } from '../i18n';

// NOTE: the lines are in local time; the tests read them as a lawyer in Italy would.
beforeAll(() => {
  vi.stubEnv('TZ', 'Europe/Rome');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const atArchiving: RecordedVerdict = {
  checked_at: '2026-03-02T09:15:00Z',
  format: 'cades',
  status: 'untrusted',
  qualified: 'unknown',
  signer: 'Mario Rossi',
  signed_at: '2026-03-01T08:00:00Z',
  judged_at: '2026-03-01T08:00:00Z',
  time_basis: 'signing-time',
  file_sha256: 'ab'.repeat(32),
  content_sha256: 'cd'.repeat(32),
  trust: { lists: [], from_lists: 0, from_dirs: 0 },
};
const afterTheLists: RecordedVerdict = {
  ...atArchiving,
  checked_at: '2026-12-03T09:02:00Z',
  status: 'valid',
  qualified: 'yes',
  trust: { lists: ['EU 332', 'IT 194'], from_lists: 180, from_dirs: 0 },
};

describe('the recorded verdicts of a signed attachment (issue 15 §5/§6)', () => {
  it('says when each was recorded, what it said and with what trust, in Italian and English', () => {
    expect(recordedLine('it', afterTheLists)).toBe(
      'Registrato il 03/12/2026 alle 10:02: valida, qualificata (fiducia: elenchi di fiducia EU 332, IT 194)',
    );
    expect(recordedLine('en', afterTheLists)).toBe(
      'Recorded on 03 Dec 2026 at 10:02: valid, qualified (trust: Trusted Lists EU 332, IT 194)',
    );
    expect(recordedLine('it', atArchiving)).toBe(
      'Registrato il 02/03/2026 alle 10:15: non riconosciuta, qualifica non verificabile (fiducia: nessun elenco di fiducia importato)',
    );
  });

  it('counts the certificates of trusted folders beside the lists', () => {
    expect(trustPhrase('it', { lists: [], from_lists: 0, from_dirs: 2 })).toBe(
      'nessun elenco di fiducia importato; 2 certificati da cartelle fidate',
    );
  });

  it('confirms a check made now that agrees with the latest recorded verdict', () => {
    const view: RecordedView = { history: [atArchiving], now: { ...atArchiving, checked_at: '2026-12-07T18:00:00Z' }, agreement: 'same' };
    expect(agreementNotice('it', view)).toEqual({
      tone: 'ok',
      badge: 'Confermato',
      text: 'La verifica di adesso conferma l’ultimo esito registrato.',
    });
  });

  it('says plainly that the verdict changed, from what to what, and that the Trusted Lists changed', () => {
    const view: RecordedView = { history: [atArchiving], now: afterTheLists, agreement: 'differs-lists-changed' };
    const notice = agreementNotice('it', view);
    expect(notice.tone).toBe('warn');
    expect(notice.badge).toBe('Esito cambiato');
    expect(notice.text).toContain(
      'Verificata adesso, la firma risulta valida, qualificata; l’ultimo esito registrato, del 02/03/2026 alle 10:15, era non riconosciuta, qualifica non verificabile.',
    );
    expect(notice.text).toContain('Gli elenchi di fiducia sono cambiati da allora (ora: elenchi di fiducia EU 332, IT 194).');
    expect(notice.text).toContain('attesta archive rebuild');
    expect(agreementNotice('en', view).text).toContain('The Trusted Lists have changed since then');
  });

  it('says when nothing was recorded rather than showing nothing', () => {
    const view: RecordedView = { history: [], now: atArchiving, agreement: 'nothing-recorded' };
    expect(agreementNotice('it', view)).toMatchObject({ tone: 'info', badge: null });
    expect(agreementNotice('it', view).text).toContain('non ha registrato alcun esito');
  });

  it('says a file opened from disk has nothing recorded, and how a message gets it recorded', () => {
    expect(translate('it', notArchivedKey('message-not-archived'))).toContain('archivia il messaggio per registrarlo');
    expect(translate('it', notArchivedKey('document-not-archived'))).toContain('Questo file non è nell’archivio');
    expect(translate('en', notArchivedKey('document-not-archived'))).not.toContain('archive the message');
  });
});
