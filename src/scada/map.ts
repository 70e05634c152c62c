// THE SCADA register map (docs/spec/scada.md): one table from which the server's register image,
// `twinfeed registers` and the README table are all generated. Addresses are protocol (0-based).
import { ALARM_CODES, TIMER_NAMES, type Status, type TransferReason, type UplinkStatus } from '../core/types.js';
import type { Published } from '../io/controller-port.js';

export const MAP_VERSION = 1;
/** 0–99: the status block (gaps read 0, so block reads survive the map growing). */
export const STATUS_BLOCK_WORDS = 100;
export const SELECT_ADDR = 100;
export const OPERATE_ADDR = 101;
export const COMMAND_STATUS_ADDR = 102;
/** One past the last mapped address: any read reaching this or beyond is exception 02. */
export const MAP_END = 103;

export type RegisterType = 'u16' | 'u32' | 'u64';
export const WORDS: Readonly<Record<RegisterType, number>> = { u16: 1, u32: 2, u64: 4 };

/** What the encoder needs besides the snapshot: uplink ids in config order (uplink 1 = first). */
export interface MapContext {
  readonly uplinkIds: readonly string[];
}

export interface RegisterDef {
  readonly address: number;
  readonly name: string;
  readonly type: RegisterType;
  /** `r`: status (FC3/FC4); `rw`: command register (FC6/FC16 writes, reads as documented). */
  readonly access: 'r' | 'rw';
  /** Register value = physical value × scale (omitted = 1). */
  readonly scale?: number;
  readonly unit?: string;
  readonly description: string;
  /** Enum: code → meaning (index = code for arrays). */
  readonly values?: readonly string[];
  /** Bit i → meaning. */
  readonly bits?: readonly string[];
  /** Status rows only: the value (multi-word values high word first). Command rows come from the SBO machine. */
  readonly read?: (p: Published, ctx: MapContext) => number | bigint;
}

/** Register 15: 0 none, then these; fixed order, append only (the `satisfies` keeps it in step with the core). */
export const TRANSFER_REASON_CODES = ['none', 'sourceFail', 'retransfer', 'test', 'testEnd', 'manual', 'restore', 'deadOutput'] as const satisfies readonly (
  TransferReason | 'none'
)[];
// Compile-time check that no TransferReason is missing from the list above.
type MissingReason = Exclude<TransferReason, (typeof TRANSFER_REASON_CODES)[number]>;
const allReasonsListed: MissingReason extends never ? true : false = true;
void allReasonsListed;

const MODES = ['(unused)', 'auto', 'manual', 'test'] as const;
const TRANSFER_STATES = ['open', 'closed', 'opening', 'neutral', 'closing', 'lockout'] as const;
const SOURCES = ['none', 'A', 'B'] as const;
const GENERATOR_STATES = ['stopped', 'starting', 'running', 'cooldown', 'failed'] as const;
const PSU_STATES = ['redundant', 'degraded', 'insufficient'] as const;
const FEED_FLAG_BITS = ['available', 'undervoltage', 'overvoltage', 'underfrequency', 'overfrequency', 'comm lost'] as const;

/** Index of `v` in an enum list, 0 when unknown (an unknown value must never break a read). */
const code = (list: readonly string[], v: string): number => Math.max(0, list.indexOf(v));
const bit = (on: boolean | null | undefined, i: number): number => (on === true ? 1 << i : 0);
/** Physical value → register: scaled, rounded, clamped to 0..max; null (unknown) → 0. */
export function scaled(v: number | null | undefined, scale = 1, max = 0xffff): number {
  if (v === null || v === undefined || !Number.isFinite(v)) return 0;
  return Math.min(max, Math.max(0, Math.round(v * scale)));
}

function feedFlags(f: Status['feeds']['A'] | undefined): number {
  if (!f) return 0;
  const reasonBit = f.reason === 'comm' ? 5 : (FEED_FLAG_BITS as readonly string[]).indexOf(f.reason);
  return bit(f.available, 0) | (reasonBit > 0 ? 1 << reasonBit : 0);
}

function uplinkAt(s: Status, ctx: MapContext, i: number): UplinkStatus | undefined {
  const id = ctx.uplinkIds[i];
  const v = id === undefined ? undefined : s.uplink[id];
  return typeof v === 'object' && v !== null ? v : undefined;
}

const uplinkRows = (n: 1 | 2, base: number): RegisterDef[] => [
  {
    address: base,
    name: `uplink${n}LossPct`,
    type: 'u16',
    access: 'r',
    unit: '%',
    description: `uplink ${n} (config order) probe loss over the health window`,
    read: (p, c) => scaled(uplinkAt(p.status, c, n - 1)?.lossPct),
  },
  {
    address: base + 1,
    name: `uplink${n}LatencyMs`,
    type: 'u16',
    access: 'r',
    unit: 'ms',
    description: `uplink ${n} probe round-trip time, clamped; 0 when unknown`,
    read: (p, c) => scaled(uplinkAt(p.status, c, n - 1)?.latencyMs),
  },
];

const feedRows = (f: 'A' | 'B', flags: number, volts: number): RegisterDef[] => [
  {
    address: flags,
    name: `source${f}Flags`,
    type: 'u16',
    access: 'r',
    description: `feed ${f} health flags (reason of the last change)`,
    bits: FEED_FLAG_BITS,
    read: (p) => feedFlags(p.status.feeds[f]),
  },
  {
    address: volts,
    name: `source${f}Voltage`,
    type: 'u16',
    access: 'r',
    scale: 10,
    unit: 'V',
    description: `feed ${f} voltage; 0 when unknown (see flags)`,
    read: (p) => scaled(p.status.feeds[f]?.voltageV, 10),
  },
  {
    address: volts + 1,
    name: `source${f}Frequency`,
    type: 'u16',
    access: 'r',
    scale: 100,
    unit: 'Hz',
    description: `feed ${f} frequency; 0 when unknown (see flags)`,
    read: (p) => scaled(p.status.feeds[f]?.frequencyHz, 100),
  },
];

const ROWS: RegisterDef[] = [
  { address: 0, name: 'mapVersion', type: 'u16', access: 'r', description: 'version of this map', read: () => MAP_VERSION },
  {
    address: 1,
    name: 'heartbeat',
    type: 'u16',
    access: 'r',
    unit: 's',
    description: 'uptime seconds modulo 65536: stale SCADA data is visible',
    read: (p) => Math.floor(p.uptimeS) & 0xffff,
  },
  { address: 2, name: 'mode', type: 'u16', access: 'r', description: 'operating mode', values: MODES, read: (p) => code(MODES, p.status.mode) },
  {
    address: 3,
    name: 'transferState',
    type: 'u16',
    access: 'r',
    description: 'transfer switch state',
    values: TRANSFER_STATES,
    read: (p) => code(TRANSFER_STATES, p.status.transfer),
  },
  {
    address: 4,
    name: 'source',
    type: 'u16',
    access: 'r',
    description: 'the source feeding the load',
    values: SOURCES,
    read: (p) => code(SOURCES, p.status.source),
  },
  ...feedRows('A', 5, 7),
  ...feedRows('B', 6, 9),
  {
    address: 11,
    name: 'breakers',
    type: 'u16',
    access: 'r',
    description: 'breaker commands and position feedback',
    bits: ['A close commanded', 'A closed (feedback)', 'B close commanded', 'B closed (feedback)'],
    read: ({ status: { breakers: b } }) => bit(b.A?.commanded, 0) | bit(b.A?.closed, 1) | bit(b.B?.commanded, 2) | bit(b.B?.closed, 3),
  },
  {
    address: 12,
    name: 'generator',
    type: 'u16',
    access: 'r',
    description: 'generator state',
    values: GENERATOR_STATES,
    read: (p) => code(GENERATOR_STATES, p.status.generator),
  },
  {
    address: 13,
    name: 'activeTimer',
    type: 'u16',
    access: 'r',
    description: 'the timer counting now',
    values: TIMER_NAMES,
    read: (p) => code(TIMER_NAMES, p.status.timer.name),
  },
  {
    address: 14,
    name: 'activeTimerRemainingS',
    type: 'u16',
    access: 'r',
    unit: 's',
    description: 'time left on the active timer, rounded up, clamped to 65535',
    read: (p) => (p.status.timer.name === 'none' ? 0 : scaled(Math.ceil(p.status.timer.remainingMs / 1000))),
  },
  {
    address: 15,
    name: 'lastTransferReason',
    type: 'u16',
    access: 'r',
    description: 'why the last transfer began',
    values: TRANSFER_REASON_CODES,
    read: (p) => code(TRANSFER_REASON_CODES, p.status.lastTransferReason),
  },
  {
    address: 16,
    name: 'transferCount',
    type: 'u32',
    access: 'r',
    description: 'completed transfers since start, high word first',
    read: (p) => scaled(p.status.transferCount, 1, 0xffffffff),
  },
  {
    address: 18,
    name: 'alarms',
    type: 'u32',
    access: 'r',
    description: 'active alarms, high word first (bit 0 = LSB of register 19)',
    bits: ALARM_CODES,
    read: (p) => p.status.alarms.reduce((m, a) => (ALARM_CODES.indexOf(a) >= 0 ? m | (2 ** ALARM_CODES.indexOf(a)) : m), 0),
  },
  {
    address: 20,
    name: 'upsFlags',
    type: 'u16',
    access: 'r',
    description: 'UPS flags',
    bits: ['on battery', 'low battery', 'fault', 'comm lost'],
    read: ({ status: { ups: u } }) => bit(u.onBattery, 0) | bit(u.lowBattery, 1) | bit(u.fault, 2) | bit(!u.comm, 3),
  },
  {
    address: 21,
    name: 'upsChargePct',
    type: 'u16',
    access: 'r',
    unit: '%',
    description: 'UPS battery charge; 0 when unknown',
    read: (p) => scaled(p.status.ups.chargePct),
  },
  {
    address: 22,
    name: 'upsRuntimeS',
    type: 'u16',
    access: 'r',
    unit: 's',
    description: 'UPS runtime left, clamped; 0 when unknown',
    read: (p) => scaled(p.status.ups.runtimeS),
  },
  {
    address: 23,
    name: 'psuOkMask',
    type: 'u16',
    access: 'r',
    description: 'bit i = PSU i+1 (config order) DC-OK',
    read: ({ status: { psu } }) => psu.ids.slice(0, 16).reduce((m, id, i) => m | bit(psu.okIds.includes(id), i), 0),
  },
  {
    address: 24,
    name: 'psuState',
    type: 'u16',
    access: 'r',
    description: 'DC supply redundancy',
    values: PSU_STATES,
    read: (p) => code(PSU_STATES, p.status.psu.state),
  },
  {
    address: 25,
    name: 'uplinkActive',
    type: 'u16',
    access: 'r',
    description: '0 none, else the 1-based index of the active uplink in config order',
    read: (p, c) => c.uplinkIds.indexOf(p.status.uplink.active) + 1,
  },
  {
    address: 26,
    name: 'uplinkUpMask',
    type: 'u16',
    access: 'r',
    description: 'bit i = uplink i+1 (config order) up',
    read: (p, c) => c.uplinkIds.slice(0, 16).reduce((m, _id, i) => m | bit(uplinkAt(p.status, c, i)?.up, i), 0),
  },
  ...uplinkRows(1, 27),
  ...uplinkRows(2, 29),
  {
    address: 32,
    name: 'configHash',
    type: 'u64',
    access: 'r',
    description: 'first 64 bits of the SHA-256 of the normalized effective config, high word first',
    read: (p) => (/^[0-9a-fA-F]{16}/.test(p.configHash) ? BigInt(`0x${p.configHash.slice(0, 16)}`) : 0n),
  },
  {
    address: 36,
    name: 'uptimeS',
    type: 'u32',
    access: 'r',
    unit: 's',
    description: 'seconds since the controller started, high word first',
    read: (p) => scaled(p.uptimeS, 1, 0xffffffff),
  },
  {
    address: 38,
    name: 'lockout',
    type: 'u16',
    access: 'r',
    description: '1 while locked out (only an operator reset leaves it)',
    read: (p) => (p.status.lockout ? 1 : 0),
  },
  {
    address: SELECT_ADDR,
    name: 'select',
    type: 'u16',
    access: 'rw',
    description: 'write a command code to select it; reads the code selected or last handled',
  },
  {
    address: OPERATE_ADDR,
    name: 'operate',
    type: 'u16',
    access: 'rw',
    description: 'write the selected code again within the select timeout to execute it; reads the last operated code',
  },
  {
    address: COMMAND_STATUS_ADDR,
    name: 'commandStatus',
    type: 'u16',
    access: 'r',
    description: 'select-before-operate status of this client address',
    values: ['idle', 'selected', 'executed', 'refused (state or interlock)', 'select expired or mismatch', 'writes not permitted'],
  },
];

/** The table, in address order. */
export const REGISTERS: readonly RegisterDef[] = ROWS.sort((a, b) => a.address - b.address);
