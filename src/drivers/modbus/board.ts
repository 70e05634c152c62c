// The `modbus:` section of a board file and its signals: registers and bits read from a device, or
// coils the controller drives, by address or by a profile's named point, checked against the device
// and the 65 536-word space. Coils mapped to an output of the controller's vocabulary are written.
import { z } from 'zod';
import type { SignalName } from '../../core/signals.js';
import { hintFrom, parseEach, type SectionContext, type SectionSession, type SignalAt } from '../../io/board-section.js';
import { nameKey, offset, scale, staleMs } from '../keys.js';
import { PROFILES, type ProfilePoint } from './profiles.js';
import { checkDevices, deviceSchema, namesHint, parseBuses, type BusSpec, type DeviceSpec } from './spec.js';

export { isTcpBus, type BusSpec, type DeviceSpec, type SerialBusSpec, type TcpBusSpec } from './spec.js';

export const MODBUS_KEYS = {
  staleMs,
  device: nameKey.optional(),
  table: z.enum(['holding', 'input', 'coil', 'discrete']).optional(),
  register: z.number().int().min(0).max(65535).optional(),
  type: z.enum(['u16', 's16', 'u32', 's32', 'float32']).optional(),
  bit: z.number().int().min(0).max(15).optional(),
  wordOrder: z.enum(['big', 'little']).optional(),
  scale,
  offset,
  point: z.string().optional(),
} as const;
type Entry = { readonly [K in keyof typeof MODBUS_KEYS]?: z.output<(typeof MODBUS_KEYS)[K]> } & { readonly command?: ModbusSignal['command'] };

/** Map entries stay `unknown` here and are parsed one by one, so every error shows. */
export const modbusSectionSchema = z
  .object({ buses: z.record(z.string(), z.unknown()).default({}), devices: z.record(z.string(), z.unknown()).default({}) })
  .strict()
  .prefault({});

export interface ModbusSignal {
  readonly name: SignalName;
  /** `out`: a coil the controller drives (FC5/FC15); `in`: a value polled from the device. */
  readonly direction: 'in' | 'out';
  readonly kind: 'bool' | 'number';
  readonly device: string;
  readonly table: 'holding' | 'input' | 'coil' | 'discrete';
  readonly register: number;
  readonly type: 'u16' | 's16' | 'u32' | 's32' | 'float32';
  readonly bit: number | undefined;
  readonly wordOrder: 'big' | 'little';
  readonly scale: number;
  readonly offset: number;
  readonly staleMs: number;
  /** An output written as a key and its complement (FC16) on each change, not as a coil: its on/off keys. */
  readonly command?: { readonly on: number; readonly off: number };
}

export interface ModbusSection {
  readonly buses: Readonly<Record<string, BusSpec>>;
  readonly devices: Readonly<Record<string, DeviceSpec>>;
  readonly signals: readonly ModbusSignal[];
}

const WORDS: Record<ModbusSignal['type'], number> = { u16: 1, s16: 1, u32: 2, s32: 2, float32: 2 };
/** Keys a profile point supplies; a signal naming a point does not repeat them. */
const POINT_KEYS = ['table', 'register', 'type', 'wordOrder'] as const;

export function beginModbus(raw: unknown, ctx: SectionContext): SectionSession<ModbusSection> {
  const t = raw as z.output<typeof modbusSectionSchema>;
  const { err } = ctx;
  const buses = parseBuses(t.buses, err);
  const devices = parseEach(deviceSchema, t.devices, 'modbus.devices', err);
  const signals: ModbusSignal[] = [];
  return {
    check: () => checkDevices(devices, buses, err),
    resolve(sig, e) {
      const m = resolveModbus(sig, e as Entry, devices, ctx);
      if (m) signals.push(m);
    },
    finish: () => ({ buses: Object.fromEntries(buses), devices: Object.fromEntries(devices), signals }),
  };
}

type Fail = (path: string, problem: string, hint?: string) => void;

/** The entry with its profile point filled in, or the entry itself when it names no point. */
function withPoint(sig: SignalAt, e: Entry, device: DeviceSpec | undefined, fail: Fail): Entry | undefined {
  if (e.point === undefined) return e;
  const { at } = sig;
  if (!device) return undefined;
  const profile = device.profile === undefined ? undefined : PROFILES.get(device.profile);
  if (!profile) {
    if (device.profile === undefined)
      fail(`${at}.point`, `device "${e.device}" has no profile`, 'give the device a profile (twinfeed profiles), or give table and register here');
    return undefined;
  }
  const point: ProfilePoint | undefined = profile.points[e.point];
  if (!point) return void fail(`${at}.point`, `no point "${e.point}" in profile ${profile.name}`, namesHint(e.point, Object.keys(profile.points), 'points'));
  for (const k of POINT_KEYS) if (e[k] !== undefined) fail(`${at}.${k}`, `given by the profile's point "${e.point}"`, 'remove it');
  if (point.access === 'write' && sig.direction === 'in')
    fail(`${at}.point`, `"${e.point}" is a command register, written, never read`, 'map a point that can be read');
  const words = point.table === 'holding' || point.table === 'input' ? { type: point.type, wordOrder: point.wordOrder } : {};
  const command = sig.direction === 'out' ? point.commands : undefined;
  if (sig.direction === 'out' && point.table !== 'coil' && !command)
    return void fail(
      `${at}.point`,
      `"${e.point}" is not a command register an output can drive`,
      'map the output to a coil, or to a point with on/off commands (twinfeed profiles)',
    );
  const resolved = { ...e, table: point.table, register: point.register, ...words, scale: e.scale ?? (sig.kind === 'number' ? point.scale : undefined) };
  return command ? { ...resolved, command } : resolved;
}

function resolveModbus(sig: SignalAt, entry: Entry, devices: ReadonlyMap<string, DeviceSpec>, ctx: SectionContext): ModbusSignal | undefined {
  const { at, kind, direction } = sig;
  let failures = 0;
  const fail: Fail = (path, problem, hint) => {
    failures++;
    ctx.err(path, problem, hint);
  };
  const device = entry.device === undefined ? undefined : devices.get(entry.device);
  if (entry.device === undefined) fail(`${at}.device`, 'missing', 'name a device from modbus.devices');
  else if (!device) fail(`${at}.device`, `no device "${entry.device}"`, hintFrom(entry.device, [...devices.keys()], 'modbus.devices'));
  const e = withPoint(sig, entry, device, fail);
  if (!e) return undefined;
  if (e.register === undefined) fail(`${at}.register`, 'missing', 'give the register or coil address (0-based, as on the wire)');
  // An output is a relay: a coil of an I/O module, written with FC5/FC15.
  const table = e.table ?? (direction === 'out' ? 'coil' : 'holding');
  if (direction === 'out' && table !== 'coil' && e.command === undefined)
    fail(`${at}.table`, `an output is written as a coil, not a ${table} register`, 'use table: coil (FC5/FC15)');
  const bitTable = table === 'coil' || table === 'discrete';
  const type = e.type ?? 'u16';
  if (bitTable && kind === 'number') fail(`${at}.table`, `a ${table} is one bit and cannot carry a measurement`, 'use table: holding or input');
  if (bitTable && (e.type !== undefined || e.bit !== undefined || e.wordOrder !== undefined))
    fail(`${at}.${e.type !== undefined ? 'type' : e.bit !== undefined ? 'bit' : 'wordOrder'}`, `does not apply to a ${table}`, 'remove it');
  if (e.bit !== undefined && WORDS[type] !== 1) fail(`${at}.bit`, `a bit of a ${type} is not supported`, 'use a 16-bit register (type: u16)');
  if (kind === 'bool' && (e.scale !== undefined || e.offset !== undefined))
    fail(`${at}.scale`, 'does not apply to an on/off signal', 'remove scale and offset');
  if (e.register !== undefined && e.register + WORDS[type] - 1 > 65535) fail(`${at}.register`, 'the value runs past register 65535', 'check the address');
  if (failures > 0 || e.device === undefined || e.register === undefined || !device) return undefined;
  return {
    name: sig.name,
    direction,
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
    ...(e.command ? { command: e.command } : {}),
  };
}
