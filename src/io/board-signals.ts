// The logical signals a board file may map: which exist, which way they flow, and whether they
// carry a level (bool) or a measurement (number). The core uses exactly these names.
import { closest } from '../config/errors.js';

export type SignalDirection = 'in' | 'out';
export type SignalKind = 'bool' | 'number';

export interface SignalInfo {
  readonly direction: SignalDirection;
  readonly kind: SignalKind;
}

const FIXED: Readonly<Record<string, SignalInfo>> = {
  'breaker.A.closedFb': { direction: 'in', kind: 'bool' },
  'breaker.B.closedFb': { direction: 'in', kind: 'bool' },
  'feed.A.voltage': { direction: 'in', kind: 'number' },
  'feed.A.frequency': { direction: 'in', kind: 'number' },
  'feed.B.voltage': { direction: 'in', kind: 'number' },
  'feed.B.frequency': { direction: 'in', kind: 'number' },
  'feed.A.available': { direction: 'in', kind: 'bool' },
  'feed.B.available': { direction: 'in', kind: 'bool' },
  'ups.onBattery': { direction: 'in', kind: 'bool' },
  'ups.lowBattery': { direction: 'in', kind: 'bool' },
  'ups.fault': { direction: 'in', kind: 'bool' },
  'ups.chargePct': { direction: 'in', kind: 'number' },
  'ups.runtimeS': { direction: 'in', kind: 'number' },
  'load.live': { direction: 'in', kind: 'bool' },
  'breaker.A.closeCmd': { direction: 'out', kind: 'bool' },
  'breaker.B.closeCmd': { direction: 'out', kind: 'bool' },
  'generator.start': { direction: 'out', kind: 'bool' },
  'alarm.common': { direction: 'out', kind: 'bool' },
};

/** PSU ids follow the config's rule for `psu.ids` (letters, digits, _ or -). */
const PSU = /^psu\.([A-Za-z0-9_-]+)\.ok$/;
const UPLINK = /^uplink\.[^.]+\.carrier$/;
/** The modem power relay of an uplink (config `uplinks.links[].powerCycle`), or an A/B Ethernet switch relay (`selected`). */
const POWER_CYCLE = /^uplink\.[a-z][a-z0-9_-]*\.(powerCycle|selected)$/;

export type SignalLookup = { ok: true; info: SignalInfo } | { ok: false; problem: string; hint: string };

/** Tells what a signal name means, or why a board file cannot map it (with a did-you-mean hint). */
export function lookupSignal(name: string): SignalLookup {
  const fixed = FIXED[name];
  if (fixed) return { ok: true, info: fixed };
  if (PSU.test(name)) return { ok: true, info: { direction: 'in', kind: 'bool' } };
  if (POWER_CYCLE.test(name)) return { ok: true, info: { direction: 'out', kind: 'bool' } };
  if (UPLINK.test(name)) {
    return { ok: false, problem: 'uplink carrier is read by the uplink driver, not the board', hint: 'configure it under "uplinks:" in the config' };
  }
  const near = closest(name, [...Object.keys(FIXED), 'psu.1.ok', 'uplink.lte.powerCycle']);
  return {
    ok: false,
    problem: 'unknown signal',
    hint: near ? `did you mean "${near}"?` : `known signals: ${Object.keys(FIXED).join(', ')}, psu.<id>.ok, uplink.<id>.powerCycle, uplink.<id>.selected`,
  };
}
