// The `modbus:` section of a board file (RS-485 buses, the devices on them) and its signals:
// registers and bits read from a device, checked against the device and the 65 536-word space.
import { z } from 'zod';
import { duration } from '../../config/duration.js';
import { hintFrom, parseEach, type SectionContext, type SectionSession, type SignalAt } from '../../io/board-section.js';
import { nameKey, offset, scale, staleMs } from '../keys.js';

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
} as const;
type Entry = { readonly [K in keyof typeof MODBUS_KEYS]?: z.output<(typeof MODBUS_KEYS)[K]> };

export const busSchema = z
  .object({
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
    parity: z.enum(['none', 'even', 'odd']).default('none'),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  })
  .strict();
export type BusSpec = z.output<typeof busSchema>;

export const deviceSchema = z
  .object({
    bus: nameKey,
    unitId: z.number().int().min(1).max(247),
    pollMs: duration().default(1000),
    timeoutMs: duration().default(500),
    staleMs: duration().default(5000),
  })
  .strict();
export type DeviceSpec = z.output<typeof deviceSchema>;

/** Map entries stay `unknown` here and are parsed one by one, so every error shows. */
export const modbusSectionSchema = z
  .object({ buses: z.record(z.string(), z.unknown()).default({}), devices: z.record(z.string(), z.unknown()).default({}) })
  .strict()
  .prefault({});

export interface ModbusSignal {
  readonly name: string;
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
}

export interface ModbusSection {
  readonly buses: Readonly<Record<string, BusSpec>>;
  readonly devices: Readonly<Record<string, DeviceSpec>>;
  readonly signals: readonly ModbusSignal[];
}

const WORDS: Record<ModbusSignal['type'], number> = { u16: 1, s16: 1, u32: 2, s32: 2, float32: 2 };

export function beginModbus(raw: unknown, ctx: SectionContext): SectionSession<ModbusSection> {
  const t = raw as z.output<typeof modbusSectionSchema>;
  const { err } = ctx;
  const buses = parseEach(busSchema, t.buses, 'modbus.buses', err);
  const devices = parseEach(deviceSchema, t.devices, 'modbus.devices', err);
  const signals: ModbusSignal[] = [];
  return {
    check() {
      const unitIds = new Map<string, string>();
      for (const [id, d] of devices) {
        if (!buses.has(d.bus)) err(`modbus.devices.${id}.bus`, `no bus "${d.bus}"`, hintFrom(d.bus, [...buses.keys()], 'modbus.buses'));
        const key = `${d.bus}/${d.unitId}`;
        const clash = unitIds.get(key);
        if (clash) err(`modbus.devices.${id}.unitId`, `unit ${d.unitId} is already device "${clash}" on bus "${d.bus}"`, 'each device on a bus needs its own unitId');
        unitIds.set(key, id);
        if (d.timeoutMs >= d.pollMs) err(`modbus.devices.${id}.timeoutMs`, 'timeout is not shorter than the poll period', 'lower timeoutMs or raise pollMs');
      }
    },
    resolve(sig, e) {
      const m = resolveModbus(sig, e as Entry, devices, ctx);
      if (m) signals.push(m);
    },
    finish: () => ({ buses: Object.fromEntries(buses), devices: Object.fromEntries(devices), signals }),
  };
}

function resolveModbus(sig: SignalAt, e: Entry, devices: ReadonlyMap<string, DeviceSpec>, ctx: SectionContext): ModbusSignal | undefined {
  const { at, kind } = sig;
  let failures = 0;
  const fail = (path: string, problem: string, hint?: string) => {
    failures++;
    ctx.err(path, problem, hint);
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
    name: sig.name,
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
