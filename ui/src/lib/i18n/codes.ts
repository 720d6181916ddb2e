// Every code the engine can send has its sentence (issue 16 §2): the finding codes are the engine's own
// types (generated bindings), so a new code without an Italian key `finding.<code>` fails `npm run
// check`; English follows, since `en` must have every key of `it`.
import type {
  AppError,
  DocumentFormat,
  InvoiceStatus,
  MessageFindingCode,
  QualifiedWord,
  Overdue,
  PecKind,
  PersonProblem,
  RecipientState,
  RemEvent,
  SentCopy,
  SentFindingCode,
  SentSummary,
  Severity,
  SignatureFindingCode,
  SignatureRole,
  SignatureStatus,
  TimeBasis,
  UpdateRefusal,
} from '../bindings';
import type { Key } from './it';

/** A finding code of any of the engine's three sets. */
export type FindingCode = SignatureFindingCode | MessageFindingCode | SentFindingCode;

/** The codes whose sentence is missing: `never` when every code has one. */
export type Unworded = Exclude<`finding.${FindingCode}`, Key>;

/** Compiles only while `Unworded` is `never`. */
export const everyFindingIsWorded: [Unworded] extends [never] ? true : Unworded = true;

/** The key of a finding code's sentence. */
export function findingKey(code: FindingCode): Key {
  return `finding.${code}`;
}

// The same for every closed set the window names (issue 16 "done when": a new variant without its
// sentences fails): each engine type's spellings must all have their key.
type Missing<Prefix extends string, Code extends string> = Exclude<`${Prefix}.${Code}`, Key>;
type AllWorded =
  | Missing<'summary', SentSummary>
  | Missing<'state', RecipientState>
  | Missing<'kind', PecKind>
  | Missing<'rem.event', RemEvent>
  | Missing<'verdict', SignatureStatus>
  | Missing<'verdict_long', SignatureStatus>
  | Missing<'overdue', Overdue>
  | Missing<'severity', Severity>
  | Missing<'copy', SentCopy>
  | Missing<'doc.format', DocumentFormat>
  | Missing<'doc.role', SignatureRole>
  | Missing<'doc.qualified', QualifiedWord>
  | Missing<'doc.qualified_ts', QualifiedWord>
  | Missing<'doc.basis', TimeBasis>
  | Missing<'invoice.sdi', InvoiceStatus>
  | Missing<'error', AppError['code']>
  | Missing<'update.refusal', UpdateRefusal>
  | Missing<'person.problem', PersonProblem>;

/** Compiles only while every closed set the window shows is worded. */
export const everyStateIsWorded: [AllWorded] extends [never] ? true : AllWorded = true;
