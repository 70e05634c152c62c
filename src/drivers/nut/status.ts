// What a NUT variable means to a twinfeed signal: the default variable per UPS signal, the
// `ups.status` tokens that set each on/off signal, and how a value text becomes a reading.

import type { SignalName } from '../../core/signals.js';
/** The variable a UPS signal reads when its board entry names none. */
export const DEFAULT_VARS: Readonly<Record<string, string>> = {
  'ups.onBattery': 'ups.status',
  'ups.lowBattery': 'ups.status',
  'ups.fault': 'ups.status',
  'ups.chargePct': 'battery.charge',
  'ups.runtimeS': 'battery.runtime',
};

export const STATUS_VAR = 'ups.status';

/**
 * The `ups.status` tokens that turn an on/off signal on. FSD (forced shutdown: upsmon is taking the
 * load down) counts as on battery and low. A fault is an overload (OVER), a battery to replace (RB)
 * or the UPS's own alarm (ALARM, details in ups.alarm). Every other token is ignored, as NUT asks.
 */
export const STATUS_TOKENS: Readonly<Record<string, readonly string[]>> = {
  'ups.onBattery': ['OB', 'FSD'],
  'ups.lowBattery': ['LB', 'FSD'],
  'ups.fault': ['OVER', 'RB', 'ALARM'],
};

/** upsd's placeholder status while its driver has not yet sent its data: nothing is known. */
export const WAIT_TOKEN = 'WAIT';

export interface NutSignal {
  readonly name: SignalName;
  readonly kind: 'bool' | 'number';
  /** The NUT variable read, e.g. ups.status or battery.charge. */
  readonly variable: string;
  /** For ups.status: the tokens that make the signal on. Absent: the value is a number or a yes/no word. */
  readonly tokens: readonly string[] | undefined;
  readonly staleMs: number;
}

const TRUE_WORDS = /^(1|yes|on|true|enabled)$/i;
const FALSE_WORDS = /^(0|no|off|false|disabled)$/i;

/** The reading a value text gives, or undefined when the text is not a value of that kind. */
export function decodeNut(sig: NutSignal, text: string): boolean | number | undefined {
  if (sig.tokens) {
    const present = text.split(/\s+/);
    return sig.tokens.some((t) => present.includes(t));
  }
  const t = text.trim();
  if (sig.kind === 'bool') return TRUE_WORDS.test(t) ? true : FALSE_WORDS.test(t) ? false : undefined;
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : undefined;
}

/** True when `ups.status` says the data is not there yet (upsd sends WAIT until its driver has dumped). */
export const isWaiting = (status: string | undefined): boolean => status !== undefined && status.split(/\s+/).includes(WAIT_TOKEN);
