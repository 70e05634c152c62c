// The simulated cabinet's field devices as a Modbus TCP gateway would present them, one unit id per
// device (`twinfeed plant`): an I/O module (coils drive the relays, discrete inputs are contacts),
// one Eastron SDM120-style meter per feed, the UPS card and a DSE GenComm genset controller. Pure:
// readings in, register values out.
import {
  ALARM_COMMON,
  GEN_CONTROL_MODE,
  gensetSignal,
  carrierSignal,
  closeCmdSignal,
  closedFbSignal,
  feedSignal,
  GENERATOR_START,
  powerCycleSignal,
  psuOkSignal,
  upsSignal,
} from '../../src/core/signals.js';
import type { InputSignal, OutputSignal, Reading, SignalName } from '../../src/core/types.js';

export const UNIT = { io: 1, meterA: 2, meterB: 3, ups: 4, genset: 5 } as const;

/** SDM120 input registers (float32, high word first): the ones the plant fills. */
export const METER_REGISTERS = { voltage: 0x0000, current: 0x0006, power: 0x000c, frequency: 0x0046, importKwh: 0x0048 } as const;
/** Input registers a meter answers (0 where the plant has no value); past this, exception 02. */
export const METER_INPUT_WORDS = 0x004a;

/** UPS card holding registers. */
export const UPS_REGISTERS = { flags: 0, chargePct: 1, runtimeS: 2 } as const;
/** Bits of the flags register. */
export const UPS_FLAG_BITS = { onBattery: 0, lowBattery: 1, fault: 2 } as const;
export const UPS_HOLDING_WORDS = 3;

/** The GenComm holding registers the genset controller answers (0-based, the dse-gencomm profile's). */
export const GENCOMM_REGISTERS = { controlMode: 772, fuelLevel: 1027, engineState: 1408, engineSeconds: 1798, engineStarts: 1808 } as const;
/** Page 16: the system control key, written with its complement in the next register by one FC16. */
export const GENCOMM_CONTROL_KEY = 16 * 256 + 8;
/** Page 154: the number of named alarms, then 4 per register (alarm 1 in the top nibble). */
export const GENCOMM_NAMED_ALARMS = { count: 154 * 256, first: 154 * 256 + 1 } as const;
/** The named alarms the simulated controller implements (1–8: two registers). */
const NAMED_ALARM_WORDS = 2;

/** Pages 3 to 7 (register = page × 256 + offset) answer; 0xFFFF is GenComm's value for an unimplemented register. */
export const GENCOMM_PAGES = { from: 3 * 256, to: 8 * 256 } as const;
export const GENCOMM_UNIMPLEMENTED = 0xffff;

export interface DeviceLayout {
  /** Coil addresses of the I/O module, in order: the controller's outputs. */
  readonly coils: readonly OutputSignal[];
  /** Discrete-input addresses of the I/O module, in order: contacts the controller reads. */
  readonly discretes: readonly InputSignal[];
}

/** The I/O module's point list for a cabinet with these PSU and uplink ids (config order). */
export function deviceLayout(psuIds: readonly string[], uplinkIds: readonly string[]): DeviceLayout {
  return {
    coils: [closeCmdSignal('A'), closeCmdSignal('B'), GENERATOR_START, ALARM_COMMON, ...uplinkIds.map(powerCycleSignal)],
    discretes: [closedFbSignal('A'), closedFbSignal('B'), ...psuIds.map(psuOkSignal), ...uplinkIds.map(carrierSignal)],
  };
}

/** A device that is not answering (its link is cut): a gateway answers exception 0x0B for it. */
export const NO_ANSWER = Symbol('no answer');

const valueOf = (inputs: ReadonlyMap<SignalName, Reading>, name: SignalName) => inputs.get(name)?.value;

/** float32 as two words, high word first (SDM120 byte order). */
export function floatWords(v: number): [number, number] {
  const b = Buffer.alloc(4);
  b.writeFloatBE(v);
  return [b.readUInt16BE(0), b.readUInt16BE(2)];
}

/**
 * The meter's input registers. The plant keeps a quiet meter's last value with a growing age; a real
 * meter whose link is cut (`meter.X.comm: false`) does not answer at all.
 */
export function meterWords(inputs: ReadonlyMap<SignalName, Reading>, feed: 'A' | 'B', comm: boolean): number[] | typeof NO_ANSWER {
  const v = inputs.get(feedSignal(feed, 'voltage'));
  const hz = inputs.get(feedSignal(feed, 'frequency'));
  if (!comm || !v || v.value === undefined || !hz || hz.value === undefined) return NO_ANSWER;
  const words = new Array<number>(METER_INPUT_WORDS).fill(0);
  const put = (at: number, x: number) => ([words[at], words[at + 1]] = floatWords(x));
  put(METER_REGISTERS.voltage, Number(v.value));
  put(METER_REGISTERS.frequency, Number(hz.value));
  return words;
}

export function upsWords(inputs: ReadonlyMap<SignalName, Reading>, comm: boolean): number[] | typeof NO_ANSWER {
  if (!comm) return NO_ANSWER;
  const bit = (name: SignalName, b: number) => (valueOf(inputs, name) === true ? 1 << b : 0);
  const flags =
    bit(upsSignal('onBattery'), UPS_FLAG_BITS.onBattery) |
    bit(upsSignal('lowBattery'), UPS_FLAG_BITS.lowBattery) |
    bit(upsSignal('fault'), UPS_FLAG_BITS.fault);
  const word = (name: SignalName) => Math.max(0, Math.min(0xffff, Math.round(Number(valueOf(inputs, name) ?? 0))));
  return [flags, word(upsSignal('chargePct')), word(upsSignal('runtimeS'))];
}

/** The I/O module's discrete inputs (a contact that the plant does not report reads open). */
export const discreteBits = (inputs: ReadonlyMap<SignalName, Reading>, layout: DeviceLayout): boolean[] =>
  layout.discretes.map((n) => valueOf(inputs, n) === true);

/**
 * One GenComm holding register of the genset controller; undefined for an address it does not
 * implement (exception 02, as a DSE module answers for an unsupported register).
 */
export function gensetRegister(inputs: ReadonlyMap<SignalName, Reading>, addr: number): number | undefined {
  const G = GENCOMM_REGISTERS;
  const num = (name: SignalName) => Number(valueOf(inputs, name) ?? 0);
  // u32 values high word first, as GenComm sends them.
  const u32 = (v: number, low: boolean) => (low ? Math.round(v) % 0x10000 : Math.floor(Math.round(v) / 0x10000) & 0xffff);
  if (addr === G.controlMode) return num(GEN_CONTROL_MODE);
  if (addr === G.fuelLevel) return Math.round(num(gensetSignal('fuelPct')));
  // Engine state and named alarms only where the controller reports them (knob generator.reportsEngine).
  const reports = valueOf(inputs, gensetSignal('engineState')) !== undefined;
  if (addr === G.engineState && reports) return num(gensetSignal('engineState'));
  const N = GENCOMM_NAMED_ALARMS;
  if (reports && addr === N.count) return NAMED_ALARM_WORDS * 4;
  if (reports && addr >= N.first && addr < N.first + NAMED_ALARM_WORDS) return num(gensetSignal(addr === N.first ? 'namedAlarms1' : 'namedAlarms2'));
  if (addr === G.engineSeconds || addr === G.engineSeconds + 1) return u32(num(gensetSignal('engineHours')) * 3600, addr !== G.engineSeconds);
  if (addr === G.engineStarts || addr === G.engineStarts + 1) return u32(num(gensetSignal('starts')), addr !== G.engineStarts);
  // Other registers of the pages it serves read GenComm's "unimplemented" sentinel, so a master may
  // read across a gap; outside them, exception 02.
  return addr >= GENCOMM_PAGES.from && addr < GENCOMM_PAGES.to ? GENCOMM_UNIMPLEMENTED : undefined;
}
