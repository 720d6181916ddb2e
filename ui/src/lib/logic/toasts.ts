// Short notices at the bottom of the window (App.svelte): each expires (errors stay longer), can be
// dismissed, at most a few are shown, and each keeps its message key and arguments rather than its
// text, so it is worded in the language in force when it is shown (issue 16 §5).
import type { AppError } from '../bindings';
import { errorText } from '../i18n/errors';
import { translate, type Key, type Lang } from '../i18n';

export type ToastTone = 'ok' | 'bad' | 'warn';

/** What a notice says: a key with its arguments (some of them keys too), and an error after it (or
 *  alone, without a key). */
export interface ToastWords {
  key?: Key;
  params?: Record<string, string | number>;
  /** Arguments that are themselves words, e.g. the name of a job. */
  keyParams?: Record<string, Key>;
  error?: AppError;
}

export interface Toast extends ToastWords {
  id: number;
  tone: ToastTone;
  /** When it goes, in milliseconds (as `Date.now()`). */
  until: number;
}

/** How long each tone stays on screen, in milliseconds. */
export const LIFETIME: Record<ToastTone, number> = { ok: 5000, warn: 8000, bad: 10000 };
/** At most this many at once: a new one pushes out the oldest. */
export const MAX_TOASTS = 3;

export function addToast(toasts: Toast[], words: ToastWords, tone: ToastTone, id: number, now: number): Toast[] {
  return [...toasts, { ...words, id, tone, until: now + LIFETIME[tone] }].slice(-MAX_TOASTS);
}

export function dismissToast(toasts: Toast[], id: number): Toast[] {
  return toasts.filter((x) => x.id !== id);
}

/** The notices still due at `now`. */
export function liveToasts(toasts: Toast[], now: number): Toast[] {
  return toasts.filter((x) => x.until > now);
}

/** A notice's text in `lang`. */
export function toastText(toast: ToastWords, lang: Lang): string {
  const params: Record<string, string | number> = { ...toast.params };
  for (const [name, key] of Object.entries(toast.keyParams ?? {})) params[name] = translate(lang, key);
  const text = toast.key ? translate(lang, toast.key, params) : '';
  if (!toast.error) return text;
  const error = errorText(lang, toast.error);
  return text ? `${text}: ${error}` : error;
}
