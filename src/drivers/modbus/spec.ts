// The `modbus:` section's own maps: buses (an RS-485 line by `path`, or Modbus TCP by `host`) and the
// devices on them (unit id, polling, an optional built-in profile), each entry checked on its own.
import { z } from 'zod';
import { duration } from '../../config/duration.js';
import { hintFrom, parseEach, type Report } from '../../io/board-section.js';
import { closest } from '../../config/errors.js';
import { nameKey } from '../keys.js';
import { PROFILES, profileNames } from './profiles.js';

export const serialBusSchema = z
  .object({
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
    parity: z.enum(['none', 'even', 'odd']).default('none'),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  })
  .strict();

export const tcpBusSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(502),
    /** A gateway that does not accept the connection this long counts as down (then backoff). */
    connectTimeoutMs: duration().default(3000),
  })
  .strict();

export type SerialBusSpec = z.output<typeof serialBusSchema>;
export type TcpBusSpec = z.output<typeof tcpBusSchema>;
export type BusSpec = SerialBusSpec | TcpBusSpec;
export const isTcpBus = (b: BusSpec): b is TcpBusSpec => 'host' in b;

export const deviceSchema = z
  .object({
    bus: nameKey,
    /** 1–247 on a serial line; Modbus TCP devices also answer 0 or 255 (checked against the bus). */
    unitId: z.number().int().min(0).max(255),
    pollMs: duration().default(1000),
    timeoutMs: duration().default(500),
    staleMs: duration().default(5000),
    /** Coils the controller drives are re-written this often even when unchanged (a lost write heals). */
    refreshMs: duration().default(1000),
    profile: z.string().optional(),
  })
  .strict();
export type DeviceSpec = z.output<typeof deviceSchema>;

/** A bus is serial or TCP by its keys; both or neither is an error, not a guess. */
export function parseBuses(raw: Record<string, unknown>, err: Report): Map<string, BusSpec> {
  const out = new Map<string, BusSpec>();
  for (const [id, value] of Object.entries(raw)) {
    const o = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const at = `modbus.buses.${id}`;
    if ('path' in o && 'host' in o) {
      err(at, 'has both path (a serial line) and host (Modbus TCP)', 'a bus is one or the other: path for RS-485, host and port for Modbus TCP');
      continue;
    }
    const tcp = 'host' in o;
    if (!tcp && !('path' in o) && typeof value === 'object' && value !== null && Object.keys(o).every((k) => k in tcpBusSchema.shape)) {
      err(at, 'names neither a serial path nor a TCP host', 'give path: /dev/ttyUSB0 for RS-485, or host: 192.0.2.10 and port: 502 for Modbus TCP');
      continue;
    }
    const parsed = parseEach(tcp ? tcpBusSchema : serialBusSchema, { [id]: value }, 'modbus.buses', err);
    const bus = parsed.get(id);
    if (bus) out.set(id, bus);
  }
  return out;
}

/** Cross-checks of the devices against the buses and profiles; reports every problem. */
export function checkDevices(devices: ReadonlyMap<string, DeviceSpec>, buses: ReadonlyMap<string, BusSpec>, err: Report): void {
  const unitIds = new Map<string, string>();
  for (const [id, d] of devices) {
    const at = `modbus.devices.${id}`;
    const bus = buses.get(d.bus);
    if (!bus) err(`${at}.bus`, `no bus "${d.bus}"`, hintFrom(d.bus, [...buses.keys()], 'modbus.buses'));
    else if (!isTcpBus(bus) && (d.unitId < 1 || d.unitId > 247))
      err(`${at}.unitId`, `${d.unitId} is not a serial unit address`, 'use 1..247 on an RS-485 line');
    const key = `${d.bus}/${d.unitId}`;
    const clash = unitIds.get(key);
    if (clash) err(`${at}.unitId`, `unit ${d.unitId} is already device "${clash}" on bus "${d.bus}"`, 'each device on a bus needs its own unitId');
    unitIds.set(key, id);
    if (d.timeoutMs >= d.pollMs) err(`${at}.timeoutMs`, 'timeout is not shorter than the poll period', 'lower timeoutMs or raise pollMs');
    if (d.profile !== undefined && !PROFILES.has(d.profile))
      err(`${at}.profile`, `unknown profile "${d.profile}"`, namesHint(d.profile, profileNames(), 'profiles'));
  }
}

/** A did-you-mean (when one is close) followed by every valid name: the user sees the whole choice. */
export function namesHint(word: string, known: readonly string[], what: string): string {
  const near = closest(word, [...known]);
  return `${near ? `did you mean "${near}"? ` : ''}known ${what}: ${known.join(', ')}`;
}
