// The logical signals a board file may map: which exist, which way they flow, and whether they
// carry a level (bool) or a measurement (number). The names come from the core's vocabulary.
import { closest } from '../config/errors.js';
import {
  ALARM_COMMON,
  closeCmdSignal,
  closedFbSignal,
  feedSignal,
  GEN_CONTROL_MODE,
  GENSET_ENGINE,
  GENSET_METERS,
  gensetSignal,
  GENERATOR_START,
  LOAD_LIVE,
  powerCycleSignal,
  psuOkSignal,
  selectedSignal,
  upsSignal,
  type SignalName,
} from '../core/signals.js';

export type SignalDirection = 'in' | 'out';
export type SignalKind = 'bool' | 'number';

export interface SignalInfo {
  readonly direction: SignalDirection;
  readonly kind: SignalKind;
}

const IN_BOOL: SignalInfo = { direction: 'in', kind: 'bool' };
const IN_NUMBER: SignalInfo = { direction: 'in', kind: 'number' };
const OUT_BOOL: SignalInfo = { direction: 'out', kind: 'bool' };

// The names without an id, in the order the "known signals" hint lists them.
const FIXED_LIST: readonly (readonly [SignalName, SignalInfo])[] = [
  [closedFbSignal('A'), IN_BOOL],
  [closedFbSignal('B'), IN_BOOL],
  [feedSignal('A', 'voltage'), IN_NUMBER],
  [feedSignal('A', 'frequency'), IN_NUMBER],
  [feedSignal('B', 'voltage'), IN_NUMBER],
  [feedSignal('B', 'frequency'), IN_NUMBER],
  [feedSignal('A', 'available'), IN_BOOL],
  [feedSignal('B', 'available'), IN_BOOL],
  [upsSignal('onBattery'), IN_BOOL],
  [upsSignal('lowBattery'), IN_BOOL],
  [upsSignal('fault'), IN_BOOL],
  [upsSignal('chargePct'), IN_NUMBER],
  [upsSignal('runtimeS'), IN_NUMBER],
  [LOAD_LIVE, IN_BOOL],
  [GEN_CONTROL_MODE, IN_NUMBER],
  ...GENSET_METERS.map((k) => [gensetSignal(k), IN_NUMBER] as const),
  ...GENSET_ENGINE.map((k) => [gensetSignal(k), IN_NUMBER] as const),
  [closeCmdSignal('A'), OUT_BOOL],
  [closeCmdSignal('B'), OUT_BOOL],
  [GENERATOR_START, OUT_BOOL],
  [ALARM_COMMON, OUT_BOOL],
];
const FIXED: ReadonlyMap<string, readonly [SignalName, SignalInfo]> = new Map(FIXED_LIST.map((e) => [e[0], e]));
const FIXED_NAMES = FIXED_LIST.map(([n]) => n);

/** PSU ids follow the config's rule for `psu.ids` (letters, digits, _ or -). */
const PSU = /^psu\.([A-Za-z0-9_-]+)\.ok$/;
const UPLINK = /^uplink\.[^.]+\.carrier$/;
/** The modem power relay of an uplink (config `uplinks.links[].powerCycle`), or an A/B Ethernet switch relay (`selected`). */
const POWER_CYCLE = /^uplink\.([a-z][a-z0-9_-]*)\.(powerCycle|selected)$/;

export type SignalLookup = { ok: true; name: SignalName; info: SignalInfo } | { ok: false; problem: string; hint: string };

/** Tells what a signal name means, or why a board file cannot map it (with a did-you-mean hint). */
export function lookupSignal(name: string): SignalLookup {
  const fixed = FIXED.get(name);
  if (fixed) return { ok: true, name: fixed[0], info: fixed[1] };
  // Rebuilt from the id, so the name is one of the vocabulary's types (and equal to `name`).
  const psu = PSU.exec(name);
  if (psu) return { ok: true, name: psuOkSignal(psu[1] as string), info: IN_BOOL };
  const relay = POWER_CYCLE.exec(name);
  if (relay) return { ok: true, name: relay[2] === 'selected' ? selectedSignal(relay[1] as string) : powerCycleSignal(relay[1] as string), info: OUT_BOOL };
  if (UPLINK.test(name)) {
    return { ok: false, problem: 'uplink carrier is read by the uplink driver, not the board', hint: 'configure it under "uplinks:" in the config' };
  }
  const near = closest(name, [...FIXED_NAMES, psuOkSignal('1'), powerCycleSignal('lte')]);
  return {
    ok: false,
    problem: 'unknown signal',
    hint: near ? `did you mean "${near}"?` : `known signals: ${FIXED_NAMES.join(', ')}, psu.<id>.ok, uplink.<id>.powerCycle, uplink.<id>.selected`,
  };
}
