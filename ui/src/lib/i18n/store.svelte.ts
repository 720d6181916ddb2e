// The language in force, as Svelte state: every `t()` in a template follows a change at once.
import { setLanguage, translate, type Key, type Lang } from './index';

export const ui = $state({ lang: 'it' as Lang });

export function t(key: Key, params?: Record<string, string | number>): string {
  return translate(ui.lang, key, params);
}

export function useLanguage(lang: Lang): void {
  ui.lang = lang;
  setLanguage(lang);
}
