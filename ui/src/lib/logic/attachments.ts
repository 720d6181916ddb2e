// Opening a received attachment (issue 13 §5): the shell refuses one that could run something with a
// typed `dangerous-attachment` error naming its real extension; the window asks the person, showing
// that extension, and asks the shell again, confirmed, only if they said yes.
import type { AppError, AttachmentRisk } from '../bindings';

export type Danger = Extract<AppError, { code: 'dangerous-attachment' }>;

/** The typed error inside anything thrown by a command call, if there is one. */
type ErrorOf = (e: unknown) => AppError;

/**
 * Opens an attachment through `open(confirmed)`. A dangerous one is opened only after `confirm` saw the
 * danger and said yes; `null` when the person declined. Other failures are thrown as they came.
 */
export async function openAttachment(
  open: (confirmed: boolean) => Promise<string>,
  confirm: (danger: Danger) => Promise<boolean>,
  errorOf: ErrorOf,
): Promise<string | null> {
  try {
    return await open(false);
  } catch (e) {
    const error = errorOf(e);
    if (error.code !== 'dangerous-attachment') throw e;
    if (!(await confirm(error))) return null;
    return await open(true);
  }
}

/** The extension as the person should read it: `.exe`, or a word for none. */
export function shownExtension(extension: string | null): string | null {
  return extension ? `.${extension}` : null;
}

/** The i18n key that names a risk. */
export function riskKey(risk: AttachmentRisk): `risk.${AttachmentRisk}` {
  return `risk.${risk}`;
}
