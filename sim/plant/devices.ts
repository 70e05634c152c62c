// The simulated cabinet's field devices as a Modbus TCP gateway would present them, one unit id per
// device (`twinfeed plant`): an I/O module (coils drive the relays, discrete inputs are contacts),
// one Eastron SDM120-style meter per feed, and the UPS card. Pure: readings in, register values out.
import {
  ALARM_COMMON,
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

export const UNIT = { io: 1, meterA: 2, meterB: 3, ups: 4 } as const;

/** SDM120 input registers (float32, high word first): the ones the plant fills. */
export const METER_REGISTERS = { voltage: 0x0000, current: 0x0006, power: 0x000c, frequency: 0x0046, importKwh: 0x0048 } as const;
/** Input registers a meter answers (0 where the plant has no value); past this, exception 02. */
export const METER_INPUT_WORDS = 0x004a;

/** UPS card holding registers. */
export const UPS_REGISTERS = { flags: 0, chargePct: 1, runtimeS: 2 } as const;
/** Bits of the flags register. */
export const UPS_FLAG_BITS = { onBattery: 0, lowBattery: 1, fault: 2 } as const;
export const UPS_HOLDING_WORDS = 3;

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
