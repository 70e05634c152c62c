// The contract a driver fulfils to take part in board files: its top-level section, the signal
// keys it reads, and how it resolves a signal. The loader (board.ts) runs any table of these.
import type { z } from 'zod';
import { closest, zodErrors } from '../config/errors.js';
import type { SignalName } from '../core/signals.js';
import type { SignalDirection, SignalKind } from './board-signals.js';

export type Report = (path: string, problem: string, hint?: string) => void;

/** A signal entry after the loader's checks: the logical signal, where it sits, its raw keys. */
export interface SignalAt {
  readonly name: SignalName;
  /** `signals.<name>`, the prefix of every error about this entry. */
  readonly at: string;
  readonly direction: SignalDirection;
  readonly kind: SignalKind;
}

/** What the loader hands a section while it resolves signals. */
export interface SectionContext {
  readonly err: Report;
  /** Reports each of `keys` present in the entry as `does not apply <why>`. */
  stray(entry: object, at: string, keys: readonly string[], why: string): void;
}

/** One board file's worth of a driver's section, from parse to result. */
export interface SectionSession<Out> {
  /** Cross-entry checks of the section itself (after every signal entry was parsed). */
  check?(): void;
  /** Resolves one signal entry given to this driver (its keys are already parsed and its own). */
  resolve(sig: SignalAt, entry: Readonly<Record<string, unknown>>): void;
  /** The section as the driver will open it; may report what is missing now that all signals are known. */
  finish(): Out;
}

export interface BoardSectionSpec<Out> {
  /** Schema of the driver's top-level section (its key is the driver's name in the table). */
  readonly section: z.ZodType;
  /** The signal-entry keys this driver reads; one zod schema per key, shared with drivers that read it too. */
  readonly signalKeys: Readonly<Record<string, z.ZodType>>;
  /** Keys of other drivers this one refuses with its own message (e.g. "to a digital signal"). */
  readonly refusesItself?: readonly string[];
  /** Set when the driver cannot drive outputs: the problem reported for an output mapped to it. */
  readonly noOutputs?: string;
  /** Starts resolving one file: parses the section's own maps, reporting every error. */
  begin(section: unknown, ctx: SectionContext & { readonly source: string }): SectionSession<Out>;
}

/** A did-you-mean hint for a name that must be one of `known` (defined under `where`). */
export function hintFrom(word: string, known: string[], where: string): string {
  const near = closest(word, known);
  if (near) return `did you mean "${near}"?`;
  return known.length ? `known in ${where}: ${known.join(', ')}` : `define it under ${where}`;
}

/** Parses each entry of a map on its own, so one bad entry does not hide the others' errors. */
export function parseEach<S extends z.ZodType>(schema: S, raw: Record<string, unknown>, prefix: string, err: Report): Map<string, z.output<S>> {
  const out = new Map<string, z.output<S>>();
  for (const [key, value] of Object.entries(raw)) {
    const r = schema.safeParse(value ?? {});
    if (r.success) out.set(key, r.data);
    else for (const e of zodErrors(schema, r.error, `${prefix}.${key}`)) err(e.path, e.problem, e.hint);
  }
  return out;
}
