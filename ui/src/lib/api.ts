// The shell's commands and events (generated bindings), with results unwrapped: a failed command
// throws a `Failure` carrying the typed error, which `errorText` words.
import { commands, events, type AppError } from './bindings';

export type Result<T, E> = { status: 'ok'; data: T } | { status: 'error'; error: E };

export class Failure extends Error {
  constructor(readonly error: AppError) {
    super(error.code);
  }
}

export async function ok<T>(call: Promise<Result<T, AppError>>): Promise<T> {
  const r = await call;
  if (r.status === 'ok') return r.data;
  throw new Failure(r.error);
}

/** The typed error of anything thrown. */
export function failureOf(e: unknown): AppError {
  if (e instanceof Failure) return e.error;
  return { code: 'internal', detail: e instanceof Error ? e.message : String(e) };
}

export { commands, events };
