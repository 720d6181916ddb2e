// What Attesta recorded about a signed attachment, in sentences (issue 15 §5/§6): each verdict the archive
// recorded — "Registrato il 03/12/2026 alle 10:02: valida, qualificata (fiducia: elenchi di fiducia EU 332,
// IT 194)" — and, below the history, whether the check made now agrees with the latest, saying plainly
// what changed when it does not.
import type { RecordedVerdict, RecordedView, TrustView } from '../bindings';
import { translate, type Key, type Lang } from '../i18n';
import { dayAndTime } from './format';

/** What the signature panel knows of the recorded verdicts: none asked yet (or the asking failed), an
 *  attachment of a message opened from disk (not archived), a signed file opened from disk on its own
 *  (only the attachments of archived messages have verdicts recorded), or the archive's answer. */
export type Recorded = null | 'message-not-archived' | 'document-not-archived' | RecordedView;

/** The note for a file that is not in the archive. */
export function notArchivedKey(recorded: 'message-not-archived' | 'document-not-archived'): Key {
  return recorded === 'message-not-archived' ? 'recorded.not_archived' : 'recorded.document_not_archived';
}

/** `valida, qualificata`: the status and the first signer's qualification. */
export function verdictPhrase(lang: Lang, v: RecordedVerdict): string {
  return `${translate(lang, `recorded.status.${v.status}` as Key)}, ${translate(lang, `recorded.qualified.${v.qualified}` as Key)}`;
}

/** `elenchi di fiducia EU 332, IT 194; 2 certificati da cartelle fidate`, `nessun elenco di fiducia importato`. */
export function trustPhrase(lang: Lang, trust: TrustView): string {
  const lists = trust.lists.length
    ? translate(lang, 'recorded.trust.lists', { lists: trust.lists.join(', ') })
    : translate(lang, 'recorded.trust.no_lists');
  return trust.from_dirs > 0 ? `${lists}; ${translate(lang, 'recorded.trust.dirs', { n: trust.from_dirs })}` : lists;
}

/** One line of the history: when it was recorded, what it said, with what trust. */
export function recordedLine(lang: Lang, v: RecordedVerdict): string {
  return translate(lang, 'recorded.line', { ...dayAndTime(v.checked_at, lang), verdict: verdictPhrase(lang, v), trust: trustPhrase(lang, v.trust) });
}

/** The notice under the history: a tone (colour and a word, never colour alone), its word and its text. */
export interface Notice {
  tone: 'ok' | 'warn' | 'info';
  badge: string | null;
  text: string;
}

/** What the panel says of the check made now against the latest recorded verdict. */
export function agreementNotice(lang: Lang, view: RecordedView): Notice {
  const latest = view.history.at(-1);
  switch (view.agreement) {
    case 'nothing-recorded':
      return { tone: 'info', badge: null, text: translate(lang, 'recorded.none') };
    case 'same':
      return { tone: 'ok', badge: translate(lang, 'recorded.confirmed'), text: translate(lang, 'recorded.same') };
    case 'differs-lists-changed':
    case 'differs-directories-changed':
    case 'differs-same-trust': {
      const when = latest ? dayAndTime(latest.checked_at, lang) : { day: '', time: '' };
      const differs = translate(lang, 'recorded.differs', {
        now: verdictPhrase(lang, view.now),
        then: latest ? verdictPhrase(lang, latest) : '',
        ...when,
      });
      const why = translate(lang, `recorded.differs.${view.agreement.slice('differs-'.length)}` as Key, { trust: trustPhrase(lang, view.now.trust) });
      return { tone: 'warn', badge: translate(lang, 'recorded.changed'), text: `${differs} ${why} ${translate(lang, 'recorded.differs.not_recorded')}` };
    }
  }
}
