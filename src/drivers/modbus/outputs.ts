// Coil outputs, pure: which coils of a device are due (changed, or not re-written for refreshMs) and
// how they go on the wire — contiguous coils as one FC15, a lone coil as FC5.
import type { SignalName } from '../../core/types.js';
import { needsWrite, UNWRITTEN, type Latch } from '../pins.js';
import type { ModbusSignal } from './board.js';

/** One write request: consecutive coils from `start`, and the signals they carry. */
export interface CoilRun {
  readonly start: number;
  readonly values: readonly boolean[];
  readonly signals: readonly ModbusSignal[];
}

/** What the driver knows of its outputs: the image it was last given, and what it last wrote. */
export interface OutputImage {
  readonly desired: Map<SignalName, boolean>;
  readonly latches: Map<SignalName, Latch>;
}

/** One command write: the key for the wanted state and its one's complement, as one FC16 of two registers. */
export interface CommandWrite {
  readonly signal: ModbusSignal;
  readonly on: boolean;
  readonly words: readonly [number, number];
}

/**
 * The command writes due now: an output mapped to a command register is written when its wanted
 * state differs from the last one written, never again for a refresh (a key is an action, not a level).
 */
export function dueCommands(commands: readonly ModbusSignal[], image: OutputImage): CommandWrite[] {
  const out: CommandWrite[] = [];
  for (const s of commands) {
    const want = image.desired.get(s.name);
    if (want === undefined || !s.command || image.latches.get(s.name)?.written === want) continue;
    const key = want ? s.command.on : s.command.off;
    out.push({ signal: s, on: want, words: [key, 0xffff - key] });
  }
  return out;
}

/** FC15 carries at most 1968 coils (Modbus application protocol 1.1b3). */
const MAX_COILS = 1968;

/**
 * The writes due now for one device's coils. A coil with no value in the image yet is never
 * written (nothing is driven before the first image); due coils next to each other share a request.
 */
export function dueRuns(coils: readonly ModbusSignal[], image: OutputImage, nowMs: number, refreshMs: number): CoilRun[] {
  const due = coils
    .filter((s) => {
      const want = image.desired.get(s.name);
      return want !== undefined && needsWrite(image.latches.get(s.name) ?? UNWRITTEN, want, nowMs, refreshMs);
    })
    .sort((a, b) => a.register - b.register);
  const runs: { start: number; values: boolean[]; signals: ModbusSignal[] }[] = [];
  for (const s of due) {
    const last = runs[runs.length - 1];
    const value = image.desired.get(s.name) === true;
    if (last && s.register === last.start + last.values.length && last.values.length < MAX_COILS) {
      last.values.push(value);
      last.signals.push(s);
    } else runs.push({ start: s.register, values: [value], signals: [s] });
  }
  return runs;
}
