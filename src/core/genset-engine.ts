// What a genset controller says about its engine (DSE GenComm), read where a board maps it: whether
// the engine runs (engine state, register 1408) and its named alarms (page 154), so the generator
// machine need not guess "running" from the feed voltage and a fail-to-start is known at once.
import { gensetSignal } from './signals.js';
import type { Reading, SignalName } from './types.js';

/**
 * GenComm engine state codes (register 1408) as twinfeed reads them. DSE's GenComm document was not
 * at hand; this table is the one Victron's driver for real DSE modules uses (victronenergy/
 * dbus-modbus-client, dse.py: 0 engine stopped, 1 pre-start, 2 warming up, 3 running, 4 cooling down,
 * 5 engine stopped, 6 post run, 15 not available). Which codes count as running is config
 * (`power.generator.engineStates`), to correct from the module's own document where it differs.
 */
export const GEN_ENGINE_STATES: Readonly<Record<number, string>> = {
  0: 'stopped',
  1: 'pre-start',
  2: 'warming up',
  3: 'running',
  4: 'cooling down',
  5: 'stopped',
  6: 'post run',
  15: 'not available',
};
/** Which codes mean running and which not (config `power.generator.engineStates`; defaults 2, 3, 4 / 0, 1, 5, 6). */
export interface EngineStateCodes {
  readonly running: readonly number[];
  readonly notRunning: readonly number[];
}

/**
 * Named alarm condition codes, 4 bits each (55xGenComm v1.29 "Alarm condition codes": 0 disabled,
 * 1 not active, 2 warning, 3 shutdown, 4 electrical trip, 8–10 indications, 15 unimplemented).
 */
export const ALARM_WARNING = 2;
export const ALARM_SHUTDOWN = 3;
export const ALARM_ELECTRICAL_TRIP = 4;

/**
 * The named alarms in order (GenComm alarm list: pages 32–33 of the alarm strings, the same order as
 * the page-154 registers): alarm 1 sits in the top nibble of the first register, 4 in its bottom one.
 */
export const GEN_NAMED_ALARMS = [
  'emergency stop',
  'low oil pressure',
  'high coolant temperature',
  'low coolant temperature',
  'under speed',
  'over speed',
  'fail to start',
  'fail to come to rest',
] as const;
const FAIL_TO_START_INDEX = GEN_NAMED_ALARMS.indexOf('fail to start');
const ALARM_WORDS = [gensetSignal('namedAlarms1'), gensetSignal('namedAlarms2')] as const;
const ENGINE_STATE = gensetSignal('engineState');

/** What the controller reports of its engine this scan; undefined fields are not mapped or not fresh. */
export interface EngineReport {
  /** True while the engine runs, false while it does not; undefined: ask the feed voltage, as before. */
  readonly running: boolean | undefined;
  /** The controller itself reports "fail to start" (warning, shutdown or trip). */
  readonly failToStart: boolean;
  /** The named alarms at shutdown or electrical trip level, e.g. "low oil pressure (shutdown)". */
  readonly shutdowns: readonly string[];
}

export const ENGINE_UNKNOWN: EngineReport = { running: undefined, failToStart: false, shutdowns: [] };

const numberOf = (r: Reading | undefined): number | undefined => (typeof r?.value === 'number' ? r.value : undefined);

/** The 4-bit condition code of named alarm `i` (0-based), or undefined where its register is not fresh. */
function conditionOf(inputs: ReadonlyMap<SignalName, Reading>, i: number): number | undefined {
  const signal = ALARM_WORDS[Math.floor(i / 4)];
  const word = signal === undefined ? undefined : numberOf(inputs.get(signal));
  if (word === undefined) return undefined;
  return (word >> (12 - 4 * (i % 4))) & 0xf;
}

export function engineReport(inputs: ReadonlyMap<SignalName, Reading>, codes: EngineStateCodes): EngineReport {
  const state = numberOf(inputs.get(ENGINE_STATE));
  // Most cabinets map none of it: no per-scan work or allocation for them (this runs twice a scan).
  if (state === undefined && !inputs.has(ALARM_WORDS[0]) && !inputs.has(ALARM_WORDS[1])) return ENGINE_UNKNOWN;
  const fts = conditionOf(inputs, FAIL_TO_START_INDEX);
  const shutdowns: string[] = [];
  GEN_NAMED_ALARMS.forEach((name, i) => {
    const c = conditionOf(inputs, i);
    if (c === ALARM_SHUTDOWN) shutdowns.push(`${name} (shutdown)`);
    else if (c === ALARM_ELECTRICAL_TRIP) shutdowns.push(`${name} (electrical trip)`);
  });
  return {
    // A code in neither list says nothing we can trust (15 not available, 0xFFFF unimplemented, a module's own code): the voltage judges.
    running: state === undefined ? undefined : codes.running.includes(state) ? true : codes.notRunning.includes(state) ? false : undefined,
    failToStart: fts !== undefined && fts >= ALARM_WARNING && fts <= ALARM_ELECTRICAL_TRIP,
    shutdowns,
  };
}
