import { describe, expect, it } from 'vitest';
import type { AppError } from '../bindings';
import { openAttachment, riskKey, shownExtension, type Danger } from './attachments';

class Failure extends Error {
  constructor(readonly error: AppError) {
    super(error.code);
  }
}
const errorOf = (e: unknown): AppError => (e instanceof Failure ? e.error : { code: 'internal', detail: String(e) });

const danger: Danger = { code: 'dangerous-attachment', name: 'fatturafdp.exe', extension: 'exe', risk: 'executable' };

/** A shell that refuses risky files unless confirmed, recording every call. */
function shell(risky: boolean) {
  const calls: boolean[] = [];
  const open = async (confirmed: boolean) => {
    calls.push(confirmed);
    if (risky && !confirmed) throw new Failure(danger);
    return '/home/u/.local/share/attesta/opened/7-1/file';
  };
  return { calls, open };
}

describe('opening an attachment (issue 13)', () => {
  it('opens a document with one click and never asks', async () => {
    const s = shell(false);
    let asked = false;
    const out = await openAttachment(s.open, async () => ((asked = true), true), errorOf);
    expect(out).toContain('opened');
    expect(asked).toBe(false);
    expect(s.calls).toEqual([false]);
  });

  it('asks before opening a program, showing its real extension, and opens it only on yes', async () => {
    const s = shell(true);
    let shown: Danger | null = null;
    const out = await openAttachment(s.open, async (d) => ((shown = d), true), errorOf);
    expect(shown).toEqual(danger);
    expect(shownExtension(danger.extension)).toBe('.exe');
    expect(out).not.toBeNull();
    expect(s.calls).toEqual([false, true]);
  });

  it('leaves a program closed when the person says no', async () => {
    const s = shell(true);
    const out = await openAttachment(s.open, async () => false, errorOf);
    expect(out).toBeNull();
    expect(s.calls).toEqual([false]);
  });

  it('passes other failures on without asking', async () => {
    const boom = new Failure({ code: 'not-found', what: 'attachment 3 of 7' });
    let asked = false;
    await expect(
      openAttachment(
        async () => {
          throw boom;
        },
        async () => ((asked = true), true),
        errorOf,
      ),
    ).rejects.toBe(boom);
    expect(asked).toBe(false);
  });

  it('names each risk with its own words key', () => {
    expect(riskKey('script')).toBe('risk.script');
    expect(shownExtension(null)).toBeNull();
  });
});
