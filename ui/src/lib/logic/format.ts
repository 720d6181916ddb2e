// Dates, sizes and people as an Italian (or English) professional reads them. Times are shown in local
// time.
import type { Person } from '../bindings';
import type { Lang } from '../i18n';

const locales: Record<Lang, string> = { it: 'it-IT', en: 'en-GB' };

/** `02/12/2026, 10:15` (it) or `02 Dec 2026, 10:15` (en); empty for no time. */
export function formatDate(iso: string | null | undefined, lang: Lang, seconds = false): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locales[lang], {
    day: '2-digit',
    month: lang === 'it' ? '2-digit' : 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
  });
}

/** The day and the time of a moment, apart, for a sentence: `{ day: '03/12/2026', time: '10:02' }` (it) or
 *  `{ day: '03 Dec 2026', time: '10:02' }` (en), in local time; the text as given if it is no time. */
export function dayAndTime(iso: string, lang: Lang): { day: string; time: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { day: iso, time: '' };
  return {
    day: d.toLocaleDateString(locales[lang], { day: '2-digit', month: lang === 'it' ? '2-digit' : 'short', year: 'numeric' }),
    time: d.toLocaleTimeString(locales[lang], { hour: '2-digit', minute: '2-digit' }),
  };
}

/** A calendar day as written in a document (`2014-12-18`): `18/12/2014` (it) or `18 Dec 2014` (en),
 *  never shifted by the time zone; anything else is shown as written. */
export function formatDay(day: string | null | undefined, lang: Lang): string {
  if (!day) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toLocaleDateString(locales[lang], { day: '2-digit', month: lang === 'it' ? '2-digit' : 'short', year: 'numeric', timeZone: 'UTC' });
}

/** A list's date: the time for today, the day otherwise. */
export function formatListDate(iso: string | null | undefined, lang: Lang, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = d.toDateString() === now.toDateString();
  if (sameDay) return d.toLocaleTimeString(locales[lang], { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString(locales[lang], { day: '2-digit', month: '2-digit', year: 'numeric' });
}

/** `1,5 MB` (it) or `1.5 MB` (en). */
export function formatSize(bytes: number, lang: Lang): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toLocaleString(locales[lang], { maximumFractionDigits: digits })} ${units[unit]}`;
}

/** A person of the firm (issue 18 §3): `Avv. Maria Rossi <maria.rossi@studio.example>`, or the name alone. */
export function formatPerson(person: Person): string {
  return person.email ? `${person.name} <${person.email}>` : person.name;
}
