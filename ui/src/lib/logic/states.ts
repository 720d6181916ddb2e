// How each state looks: a tone (the colour) that always goes with its words (never colour alone).
import type {
  Family,
  PecKind as Kind,
  Overdue,
  RecipientState,
  RemEvent,
  SentCopy,
  SentSummary as Summary,
  SignatureStatus as Verdict,
} from '../bindings';
import type { Key } from '../i18n';

export type Tone = 'ok' | 'wait' | 'warn' | 'bad' | 'info' | 'muted';

export function recipientTone(state: RecipientState, overdue: Overdue | null): Tone {
  switch (state) {
    case 'delivered':
      return 'ok';
    case 'failed':
    case 'timed-out-24h':
    case 'not-accepted':
    case 'disputed':
      return 'bad';
    case 'warned-12h':
      return 'warn';
    case 'external':
      return 'info';
    case 'pending':
      return overdue ? 'warn' : 'wait';
  }
}

export function summaryTone(summary: Summary, overdue: Overdue | null): Tone {
  switch (summary) {
    case 'delivered':
      return 'ok';
    case 'partially-delivered':
      return 'warn';
    case 'failed':
    case 'not-accepted':
    case 'disputed':
      return 'bad';
    case 'not-certifiable':
      return 'info';
    case 'pending':
      return overdue ? 'warn' : 'wait';
  }
}

export function verdictTone(verdict: Verdict): Tone {
  switch (verdict) {
    case 'valid':
      return 'ok';
    case 'invalid':
      return 'bad';
    case 'untrusted':
    case 'indeterminate':
      return 'warn';
    case 'unsigned':
      return 'muted';
  }
}

export function kindTone(kind: Kind): Tone {
  switch (kind) {
    case 'delivery':
    case 'acceptance':
      return 'ok';
    case 'delivery-failure':
    case 'delivery-timeout24h':
    case 'non-acceptance':
    case 'virus-detected':
      return 'bad';
    case 'delivery-warning12h':
    case 'anomaly-envelope':
      return 'warn';
    case 'transport-envelope':
    case 'taken-in-charge':
      return 'info';
    case 'not-pec':
      return 'muted';
  }
}

/** A glyph beside the words, for who cannot tell colours apart. */
export function toneGlyph(tone: Tone): string {
  return { ok: '✔', wait: '…', warn: '!', bad: '✖', info: 'i', muted: '–' }[tone];
}

export const stateKey = (s: RecipientState): Key => `state.${s}`;
export const summaryKey = (s: Summary): Key => `summary.${s}`;
export const kindKey = (k: Kind): Key => `kind.${k}`;
/** What an item is called: the sender's own copies of a send by which copy they are, else by kind. */
export const itemKey = (k: Kind, copy: SentCopy | null): Key => (copy ? `copy.${copy}` : kindKey(k));

/** A REM message is named by its own event (a dispatch by `rem.dispatch`), anything else by its PEC kind. */
export const familyKindKey = (family: Family, k: Kind, event: RemEvent | null, copy: SentCopy | null = null): Key =>
  family === 'rem' && !copy ? (event ? `rem.event.${event}` : 'rem.dispatch') : itemKey(k, copy);
export const verdictKey = (v: Verdict): Key => `verdict.${v}`;
