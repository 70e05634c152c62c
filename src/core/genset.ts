// What a generator controller reports over Modbus (DSE GenComm numbering), read where a board maps
// it: its control mode, so a key left out of auto is an alarm before the outage that needs the set,
// and its engine hours, starts and fuel level for status, metrics and SCADA.
import { GEN_CONTROL_MODE, gensetSignal } from './signals.js';
import type { Reading, SignalName } from './types.js';

/** GenComm control mode codes (register 772); 1 is the only mode in which a remote start runs the set. */
export const GEN_CONTROL_MODES: Readonly<Record<number, string>> = {
  0: 'stop',
  1: 'auto',
  2: 'manual',
  3: 'test on load',
  6: 'test off load',
  7: 'off',
};
export const GEN_MODE_AUTO = 1;

/**
 * The GEN_NOT_IN_AUTO message while the controller reports a mode other than auto; undefined in auto,
 * and while the mode is not mapped or not fresh (unknown is not "not in auto").
 */
export function genNotInAuto(inputs: ReadonlyMap<SignalName, Reading>): string | undefined {
  const mode = inputs.get(GEN_CONTROL_MODE)?.value;
  if (typeof mode !== 'number' || mode === GEN_MODE_AUTO) return undefined;
  const name = GEN_CONTROL_MODES[mode] ?? `unknown mode ${mode}`;
  return `generator controller is in ${name}, not auto: it will not start on an outage`;
}

/** What the genset controller last reported, fresh; null where not mapped or not fresh. */
export interface GensetReadings {
  readonly controlMode: number | null;
  readonly engineHours: number | null;
  readonly starts: number | null;
  readonly fuelPct: number | null;
  /** GenComm engine state code (src/core/genset-engine.ts). */
  readonly engineState: number | null;
}

export const GENSET_UNKNOWN: GensetReadings = { controlMode: null, engineHours: null, starts: null, fuelPct: null, engineState: null };

const numberOf = (r: Reading | undefined): number | null => (typeof r?.value === 'number' ? r.value : null);

/** The readings of this scan; the previous object when nothing changed (state stays cheap to compare). */
export function stepGenset(prev: GensetReadings, inputs: ReadonlyMap<SignalName, Reading>): GensetReadings {
  const next: GensetReadings = {
    controlMode: numberOf(inputs.get(GEN_CONTROL_MODE)),
    engineHours: numberOf(inputs.get(gensetSignal('engineHours'))),
    starts: numberOf(inputs.get(gensetSignal('starts'))),
    fuelPct: numberOf(inputs.get(gensetSignal('fuelPct'))),
    engineState: numberOf(inputs.get(gensetSignal('engineState'))),
  };
  const same =
    next.controlMode === prev.controlMode &&
    next.engineHours === prev.engineHours &&
    next.starts === prev.starts &&
    next.fuelPct === prev.fuelPct &&
    next.engineState === prev.engineState;
  return same ? prev : next;
}
