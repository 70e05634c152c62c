// Resolving one board-file signal entry: which driver it goes to, which keys fit that driver,
// pins used twice, Modbus addresses that exist, and the defaults a driver relies on.
import { closest } from '../config/errors.js';
import { lookupSignal } from './board-signals.js';
import type { DeviceSpec, FirmataAnalogSignal, HardwareDriver, ModbusSignal, PinSignal, SignalEntry } from './board-schema.js';

export type Report = (path: string, problem: string, hint?: string) => void;

/** What the signals resolved to so far, per driver (and which pins are taken, by whom). */
export interface Resolved {
  readonly gpio: PinSignal[];
  readonly firmata: PinSignal[];
  readonly analog: FirmataAnalogSignal[];
  readonly modbus: ModbusSignal[];
  readonly pinsUsed: Map<string, string>;
}

export interface ResolveContext {
  readonly defaultDriver: HardwareDriver | undefined;
  readonly gpioStaleMs: number;
  readonly devices: ReadonlyMap<string, DeviceSpec>;
  readonly err: Report;
  readonly out: Resolved;
}

const PIN_KEYS = ['pin', 'activeLow', 'contact', 'debounceMs'] as const;
const MODBUS_KEYS = ['device', 'table', 'register', 'type', 'bit', 'wordOrder'] as const;
const INPUT_ONLY = ['contact', 'debounceMs', 'staleMs'] as const;
const WORDS: Record<ModbusSignal['type'], number> = { u16: 1, s16: 1, u32: 2, s32: 2, float32: 2 };

export function resolveSignal(name: string, e: SignalEntry, ctx: ResolveContext): void {
  const { err, out } = ctx;
  const at = `signals.${name}`;
  const look = lookupSignal(name);
  if (!look.ok) return err(at, look.problem, look.hint);
  const { direction, kind } = look.info;
  const driver = e.driver ?? ctx.defaultDriver;
  if (!driver) return err(`${at}.driver`, 'missing', 'give driver: gpio | firmata | modbus here, or a top-level "driver:"');
  const stray = (keys: readonly (keyof SignalEntry)[], why: string) => {
    for (const k of keys) if (e[k] !== undefined) err(`${at}.${k}`, `does not apply ${why}`, 'remove it');
  };
  if (direction === 'out') {
    stray(INPUT_ONLY, 'to an output');
    if (driver === 'modbus') err(`${at}.driver`, 'outputs cannot be Modbus registers yet', 'drive outputs from gpio or firmata');
  }
  if (driver === 'modbus') {
    stray([...PIN_KEYS, 'analog'], 'to a modbus signal');
    const m = resolveModbus(name, kind, e, ctx.devices, at, err);
    if (m) out.modbus.push(m);
    return;
  }
  stray(MODBUS_KEYS, `to a ${driver} signal`);
  if (driver === 'firmata' && kind === 'number') {
    stray(PIN_KEYS, 'to an analog signal');
    if (e.analog === undefined) return err(`${at}.analog`, 'missing', 'a measurement on Firmata needs an analog channel, e.g. analog: 0 for A0');
    out.analog.push({ name, analog: e.analog, scale: e.scale ?? 1, offset: e.offset ?? 0 });
    return;
  }
  if (kind === 'number') return err(`${at}.driver`, 'a GPIO pin cannot carry a measurement', 'read it from a modbus device (or a firmata analog channel)');
  stray(['analog', 'scale', 'offset'], 'to a digital signal');
  if (e.pin === undefined) {
    return err(`${at}.pin`, 'missing', driver === 'gpio' ? 'give the BCM GPIO number (e.g. pin: 17)' : 'give the Arduino digital pin (e.g. pin: 7)');
  }
  const pinKey = `${driver}:${e.pin}`;
  const clash = out.pinsUsed.get(pinKey);
  if (clash) err(`${at}.pin`, `${driver} pin ${e.pin} is already used by ${clash}`, 'every signal needs its own pin');
  out.pinsUsed.set(pinKey, name);
  (driver === 'gpio' ? out.gpio : out.firmata).push({
    name,
    direction,
    pin: e.pin,
    activeLow: e.activeLow ?? false,
    contact: e.contact ?? 'NO',
    debounceMs: e.debounceMs ?? 20,
    // Firmata pins are confirmed by the live link on every read, so only GPIO has a tunable default.
    staleMs: e.staleMs ?? (driver === 'gpio' ? ctx.gpioStaleMs : 1000),
  });
}

export function hintFrom(word: string, known: string[], where: string): string {
  const near = closest(word, known);
  if (near) return `did you mean "${near}"?`;
  return known.length ? `known in ${where}: ${known.join(', ')}` : `define it under ${where}`;
}

function resolveModbus(
  name: string,
  kind: 'bool' | 'number',
  e: SignalEntry,
  devices: ReadonlyMap<string, DeviceSpec>,
  at: string,
  err: Report,
): ModbusSignal | undefined {
  let failures = 0;
  const fail = (path: string, problem: string, hint?: string) => {
    failures++;
    err(path, problem, hint);
  };
  const device = e.device === undefined ? undefined : devices.get(e.device);
  if (e.device === undefined) fail(`${at}.device`, 'missing', 'name a device from modbus.devices');
  else if (!device) fail(`${at}.device`, `no device "${e.device}"`, hintFrom(e.device, [...devices.keys()], 'modbus.devices'));
  if (e.register === undefined) fail(`${at}.register`, 'missing', 'give the register or coil address (0-based, as on the wire)');
  const table = e.table ?? 'holding';
  const bitTable = table === 'coil' || table === 'discrete';
  const type = e.type ?? 'u16';
  if (bitTable && kind === 'number') fail(`${at}.table`, `a ${table} is one bit and cannot carry a measurement`, 'use table: holding or input');
  if (bitTable && (e.type !== undefined || e.bit !== undefined || e.wordOrder !== undefined))
    fail(`${at}.${e.type !== undefined ? 'type' : e.bit !== undefined ? 'bit' : 'wordOrder'}`, `does not apply to a ${table}`, 'remove it');
  if (e.bit !== undefined && WORDS[type] !== 1) fail(`${at}.bit`, `a bit of a ${type} is not supported`, 'use a 16-bit register (type: u16)');
  if (kind === 'bool' && (e.scale !== undefined || e.offset !== undefined)) fail(`${at}.scale`, 'does not apply to an on/off signal', 'remove scale and offset');
  if (e.register !== undefined && e.register + WORDS[type] - 1 > 65535) fail(`${at}.register`, 'the value runs past register 65535', 'check the address');
  if (failures > 0 || e.device === undefined || e.register === undefined || !device) return undefined;
  return {
    name,
    kind,
    device: e.device,
    table,
    register: e.register,
    type,
    bit: e.bit,
    wordOrder: e.wordOrder ?? 'big',
    scale: e.scale ?? 1,
    offset: e.offset ?? 0,
    staleMs: e.staleMs ?? device.staleMs,
  };
}
