// The interface's words: Italian first, English available. `t(key, params)` fills {placeholders}.
import { en } from './en';
import { it, type Key } from './it';

export type { Key };
export type Lang = 'it' | 'en';

export const dictionaries: Record<Lang, Record<Key, string>> = { it, en };

let current: Lang = 'it';

export function setLanguage(lang: Lang): void {
  current = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

export function language(): Lang {
  return current;
}

/** Fills `{name}` placeholders with `params`; unknown placeholders stay visible. */
export function fill(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function translate(lang: Lang, key: Key, params?: Record<string, string | number>): string {
  return fill(dictionaries[lang][key], params);
}

/** Whether `key` is a known key (for codes that come from the engine). */
export function isKey(key: string): key is Key {
  return key in it;
}
