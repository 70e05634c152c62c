// The `nut:` section of a board file (the upsd to ask and the UPS name) and its signals: a NUT
// variable per signal, by default the UPS signals' own (status tokens, battery charge and runtime).
import { z } from 'zod';
import { duration } from '../../config/duration.js';
import type { SectionContext, SectionSession, SignalAt } from '../../io/board-section.js';
import { staleMs } from '../keys.js';
import { DEFAULT_VARS, STATUS_TOKENS, STATUS_VAR, type NutSignal } from './status.js';

/** NUT names (UPS and variable names): letters, digits and . _ - (they go on the wire unquoted). */
const nutName = z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-" (e.g. "ups" or "battery.charge")');

export const NUT_KEYS = { staleMs, var: nutName.optional() } as const;
type Entry = { readonly [K in keyof typeof NUT_KEYS]?: z.output<(typeof NUT_KEYS)[K]> };

export const nutSectionSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(3493),
    /** The UPS's name in upsd (its section in ups.conf, as in `upsc NAME@host`). */
    ups: nutName,
    pollMs: duration().default(1000),
    /** For a connect and for each answer. */
    timeoutMs: duration().default(1000),
    staleMs: duration().default(5000),
  })
  .strict()
  .optional();
type Raw = z.output<typeof nutSectionSchema>;

export interface NutSection {
  readonly host: string;
  readonly port: number;
  readonly ups: string;
  readonly pollMs: number;
  readonly timeoutMs: number;
  readonly signals: readonly NutSignal[];
}

/** Undefined when the file has no `nut:` section (then no signal may use NUT). */
export function beginNut(raw: unknown, ctx: SectionContext): SectionSession<NutSection | undefined> {
  const t = raw as Raw;
  const signals: NutSignal[] = [];
  return {
    check() {
      if (t && t.staleMs <= t.pollMs)
        ctx.err('nut.staleMs', 'not longer than pollMs: every value would read stale between polls', 'make staleMs a few poll periods, e.g. 5s with pollMs 1s');
    },
    resolve(sig, e) {
      if (sig.direction === 'out') return; // already refused by the loader (noOutputs)
      const s = resolveNut(sig, e as Entry, t?.staleMs ?? 5000, ctx);
      if (s) signals.push(s);
    },
    finish() {
      if (signals.length > 0 && !t) ctx.err('nut', 'missing', 'signals use driver nut: give nut: { ups: NAME } (host 127.0.0.1, port 3493 by default)');
      return t ? { host: t.host, port: t.port, ups: t.ups, pollMs: t.pollMs, timeoutMs: t.timeoutMs, signals } : undefined;
    },
  };
}

function resolveNut(sig: SignalAt, e: Entry, sectionStaleMs: number, ctx: SectionContext): NutSignal | undefined {
  const variable = e.var ?? DEFAULT_VARS[sig.name];
  const example = sig.kind === 'number' ? 'input.voltage' : 'ups.beeper.status';
  if (variable === undefined)
    return void ctx.err(`${sig.at}.var`, 'missing', `only the ups.* signals have a default NUT variable: name one, e.g. var: ${example}`);
  const tokens = variable === STATUS_VAR ? STATUS_TOKENS[sig.name] : undefined;
  if (variable === STATUS_VAR && !tokens) {
    const problem = sig.kind === 'number' ? 'ups.status is a list of flags, not a number' : `ups.status has no flag for ${sig.name}`;
    return void ctx.err(`${sig.at}.var`, problem, 'ups.onBattery, ups.lowBattery and ups.fault read ups.status; name another variable');
  }
  return { name: sig.name, kind: sig.kind, variable, tokens, staleMs: e.staleMs ?? sectionStaleMs };
}
