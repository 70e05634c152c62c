// What every pin-level driver (GPIO, Firmata) shares: electrical level → logical value (polarity,
// NO/NC contact), software debounce with age, and an output latch that re-asserts periodically.
import type { Reading } from '../core/types.js';
import type { BoolPolarity } from './pin-board.js';

/**
 * The logical value of an input whose pin reads `high`. activeLow: the contact pulls the pin low
 * when closed (pull-up wiring). An NC contact is closed in the rest state, so its signal is the
 * opposite of "contact closed".
 */
export function logicalInput(high: boolean, p: BoolPolarity): boolean {
  const contactClosed = p.activeLow ? !high : high;
  return p.contact === 'NC' ? !contactClosed : contactClosed;
}

/** The electrical level that makes an output's logical value `on` (active-low relay boards). */
export const outputLevel = (on: boolean, activeLow: boolean): 0 | 1 => (on !== activeLow ? 1 : 0);

/** A debounced input: the raw level, since when it has held, the accepted value and the last good sample. */
export interface Debounced {
  readonly raw: boolean | undefined;
  readonly rawSinceMs: number;
  readonly stable: boolean | undefined;
  readonly sampledMs: number | undefined;
}

export const NEVER_SAMPLED: Debounced = { raw: undefined, rawSinceMs: 0, stable: undefined, sampledMs: undefined };

/**
 * Takes one sample. The very first sample is accepted at once: at boot there is no earlier value
 * to bounce from, and the runtime must see breaker positions in its first scan (bumpless start).
 */
export function sample(d: Debounced, value: boolean, atMs: number): Debounced {
  if (d.raw === undefined) return { raw: value, rawSinceMs: atMs, stable: value, sampledMs: atMs };
  const rawSinceMs = value === d.raw ? d.rawSinceMs : atMs;
  return { raw: value, rawSinceMs, stable: d.stable, sampledMs: Math.max(atMs, d.sampledMs ?? atMs) };
}

/** Accepts the raw level once it has held for `debounceMs` (a contact's bounce never reaches the core). */
export function settle(d: Debounced, nowMs: number, debounceMs: number): Debounced {
  if (d.raw === undefined || d.raw === d.stable || nowMs - d.rawSinceMs < debounceMs) return d;
  return { ...d, stable: d.raw };
}

/** The reading for the core: a pin that could not be read for `staleMs` is stale, never "last known". */
export function pinReading(d: Debounced, nowMs: number, staleMs: number): Reading {
  if (d.stable === undefined || d.sampledMs === undefined) return { value: undefined, reason: 'stale' };
  const ageMs = Math.max(0, nowMs - d.sampledMs);
  return ageMs > staleMs ? { value: undefined, reason: 'stale' } : { value: d.stable, ageMs };
}

/** The last value written to an output and when; `undefined` until the runtime's first image. */
export interface Latch {
  readonly written: boolean | undefined;
  readonly atMs: number;
}

export const UNWRITTEN: Latch = { written: undefined, atMs: 0 };

/** Writes only on change, but re-asserts every `refreshMs` so that a lost or overridden write heals. */
export const needsWrite = (l: Latch, want: boolean, nowMs: number, refreshMs: number): boolean => l.written !== want || nowMs - l.atMs >= refreshMs;

/** Logs a failing pin once when it starts failing and once when it recovers, not every scan. */
export interface FaultTracker {
  fail(key: string, err: unknown): boolean;
  ok(key: string): boolean;
  readonly count: number;
}

export function faultTracker(): FaultTracker {
  const failing = new Set<string>();
  let count = 0;
  return {
    fail(key) {
      count++;
      if (failing.has(key)) return false;
      failing.add(key);
      return true;
    },
    ok: (key) => failing.delete(key),
    get count() {
      return count;
    },
  };
}

export const errorText = (err: unknown): string => {
  if (err instanceof Error) return err.message;
  // modbus-serial rejects with its own objects ({ name, message, errno }) that are not Errors.
  const message = (err as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(err);
};
