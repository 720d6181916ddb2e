// Wording of the shell's typed errors (a code plus data) in the interface language.
import type { AppError } from '../bindings';
import { formatSize } from '../logic/format';
import { isKey, translate, type Lang } from './index';

export function errorText(lang: Lang, error: AppError | unknown): string {
  if (typeof error !== 'object' || error === null || !('code' in error)) {
    return translate(lang, 'error.unknown', { detail: String(error) });
  }
  const e = error as AppError;
  const key = `error.${e.code}`;
  if (!isKey(key)) return translate(lang, 'error.unknown', { detail: JSON.stringify(e) });
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(e)) {
    if (name !== 'code' && value !== null && value !== undefined) params[name] = String(value);
  }
  if (e.code === 'dangerous-attachment') {
    params.risk = translate(lang, `risk.${e.risk}`);
    params.extension = e.extension ? `.${e.extension}` : translate(lang, 'reader.no_extension');
  }
  if (e.code === 'bad-person') params.problem = translate(lang, `person.problem.${e.problem}`);
  if (e.code === 'update-refused') {
    params.reason = translate(lang, `update.refusal.${e.reason}`);
  }
  if (e.code === 'file-too-large') {
    params.size = formatSize(e.size, lang);
    params.max = formatSize(e.max, lang);
  }
  if (e.code === 'archive-no-room') {
    params.needed = formatSize(e.needed, lang);
    params.free = formatSize(e.free, lang);
  }
  if (e.code === 'archive-upgrade-unverified') params.findings = e.findings.join('; ');
  if (e.code === 'too-large') {
    params.total = formatSize(e.total, lang);
    params.limit = formatSize(e.limit, lang);
  }
  return translate(lang, key, params);
}
