// The PEC rules a provider enforces (PEC rules §8), checked as the user types; the shell checks again
// (check_draft) before anything is sent. There is no Bcc field: PEC has none.
import type { AppError } from '../bindings';

/** Addresses from what the user typed: separated by commas, semicolons or line breaks. */
export function parseAddresses(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

const ADDRESS = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

export function isAddress(a: string): boolean {
  return ADDRESS.test(a);
}

/** The first rule broken, or null. */
export function localCheck(to: string[], cc: string[], subject: string, maxRecipients: number): AppError | null {
  if (to.length === 0) return { code: 'no-recipient' };
  if (subject.trim() === '') return { code: 'no-subject' };
  const seen = new Set<string>();
  for (const a of [...to, ...cc]) {
    if (!isAddress(a)) return { code: 'bad-address', address: a };
    const low = a.toLowerCase();
    if (seen.has(low)) return { code: 'duplicate-recipient', address: a };
    seen.add(low);
  }
  if (seen.size > maxRecipients) return { code: 'too-many-recipients', count: seen.size, max: maxRecipients };
  return null;
}
