// The Sparkplug metric set of a cabinet: the whole published status, flattened into named scalar
// metrics (README, Sparkplug B has the list). The same function gives the birth and every later value,
// so a metric can never be sent that the birth did not list (a new name forces a rebirth instead).
import type { Config, SparkplugConfig } from '../config/schema.js';
import { ALARM_COMMON, closeCmdSignal, GENERATOR_START, powerCycleSignal, selectedSignal } from '../core/signals.js';
import { ALARM_CODES, FEEDS, type Status, type UplinkStatus } from '../core/types.js';
import type { DataTypeName } from './proto.js';

/** Which deadband applies to an analog metric (a key of sparkplug.deadbands); absent: any change is sent. */
export type DeadbandKey = keyof SparkplugConfig['deadbands'];

export interface MetricValue {
  readonly name: string;
  readonly datatype: DataTypeName;
  readonly value: number | boolean | string | null;
  readonly deadband?: DeadbandKey;
}

/**
 * Metric names are made once and kept, not built again each scan: the session looks every metric up
 * by name each scan, and a kept string has its hash already (a fresh template string is hashed anew).
 */
const FEED_NAMES = Object.fromEntries(
  FEEDS.map((f) => [
    f,
    {
      available: `Feeds/${f}/Available`,
      reason: `Feeds/${f}/Reason`,
      voltage: `Feeds/${f}/Voltage V`,
      frequency: `Feeds/${f}/Frequency Hz`,
      commanded: `Breakers/${f}/Commanded Closed`,
      closed: `Breakers/${f}/Closed`,
    },
  ]),
) as Record<(typeof FEEDS)[number], Record<'available' | 'reason' | 'voltage' | 'frequency' | 'commanded' | 'closed', string>>;
const ALARM_NAMES = ALARM_CODES.map((code) => ({ code, active: `Alarms/${code}/Active`, unacked: `Alarms/${code}/Unacked` }));
interface ConfigNames {
  readonly psu: readonly { id: string; ok: string }[];
  readonly uplinks: readonly { id: string; up: string; reason: string; loss: string; latency: string; heldDown: string }[];
  readonly knownRelays: readonly string[];
  readonly knownSet: ReadonlySet<string>;
  /** The relay counters last listed (relayCounters). */
  relays?: { set: ReadonlySet<string>; extras: number; list: readonly RelayCounter[] };
}
interface RelayCounter {
  readonly out: string;
  readonly name: string;
}
const configNames = new WeakMap<Config, ConfigNames>();
function namesOf(cfg: Config): ConfigNames {
  let n = configNames.get(cfg);
  if (n) return n;
  const ids = cfg.uplinks.links.map((l) => l.id);
  const knownRelays = [closeCmdSignal('A'), closeCmdSignal('B'), GENERATOR_START, ALARM_COMMON, ...ids.map(selectedSignal), ...ids.map(powerCycleSignal)];
  n = {
    psu: cfg.psu.ids.map((id) => ({ id, ok: `PSU/${id}/OK` })),
    uplinks: ids.map((id) => ({
      id,
      up: `Uplinks/${id}/Up`,
      reason: `Uplinks/${id}/Reason`,
      loss: `Uplinks/${id}/Loss %`,
      latency: `Uplinks/${id}/Latency ms`,
      heldDown: `Uplinks/${id}/Held Down`,
    })),
    knownRelays,
    knownSet: new Set(knownRelays),
  };
  configNames.set(cfg, n);
  return n;
}

/**
 * The relay counters every configured output has, so that the birth lists them before the first
 * operation, with their metric names. Kept per config while the operated outputs stay the same: the
 * list is the configured outputs and the operated ones, so it only changes when an output not in it
 * appears (or one that is not configured goes).
 */
function relayCounters(cfg: Config, status: Status): readonly RelayCounter[] {
  const names = namesOf(cfg);
  const c = names.relays;
  let extras = 0;
  let fresh = c !== undefined;
  for (const out in status.relayOperations) {
    if (!names.knownSet.has(out)) extras++;
    if (fresh && !c?.set.has(out)) fresh = false;
  }
  if (c && fresh && extras === c.extras) return c.list;
  const outs = [...new Set<string>([...names.knownRelays, ...Object.keys(status.relayOperations)])].sort();
  names.relays = { set: new Set(outs), extras, list: outs.map((out) => ({ out, name: `Counters/Relay Operations/${out}` })) };
  return names.relays.list;
}

function powerMetrics(s: Status): MetricValue[] {
  const m: MetricValue[] = [
    { name: 'Power/Mode', datatype: 'String', value: s.mode },
    { name: 'Power/Source', datatype: 'String', value: s.source },
    { name: 'Power/Transfer State', datatype: 'String', value: s.transfer },
    { name: 'Power/Lockout', datatype: 'Boolean', value: s.lockout },
    { name: 'Power/Lockout Reason', datatype: 'String', value: s.lockoutReason },
    { name: 'Power/Last Transfer Reason', datatype: 'String', value: s.lastTransferReason },
    { name: 'Power/Retransfer Pending', datatype: 'Boolean', value: s.retransferPending },
    { name: 'Power/Timer/Name', datatype: 'String', value: s.timer.name },
    { name: 'Power/Timer/Remaining ms', datatype: 'Int64', value: s.timer.remainingMs, deadband: 'timerMs' },
    { name: 'Power/Test/Active', datatype: 'Boolean', value: s.test.active },
    { name: 'Power/Test/On Load', datatype: 'Boolean', value: s.test.onLoad },
    { name: 'Power/Test/Remaining ms', datatype: 'Int64', value: s.test.remainingMs, deadband: 'timerMs' },
    { name: 'Generator/State', datatype: 'String', value: s.generator },
  ];
  for (const f of FEEDS) {
    const feed = s.feeds[f];
    const brk = s.breakers[f];
    const n = FEED_NAMES[f];
    m.push(
      { name: n.available, datatype: 'Boolean', value: feed.available },
      { name: n.reason, datatype: 'String', value: feed.reason },
      { name: n.voltage, datatype: 'Double', value: feed.voltageV, deadband: 'voltageV' },
      { name: n.frequency, datatype: 'Double', value: feed.frequencyHz, deadband: 'frequencyHz' },
      { name: n.commanded, datatype: 'Boolean', value: brk.commanded },
      { name: n.closed, datatype: 'Boolean', value: brk.closed },
    );
  }
  return m;
}

function healthMetrics(cfg: Config, s: Status): MetricValue[] {
  const m: MetricValue[] = [
    { name: 'UPS/On Battery', datatype: 'Boolean', value: s.ups.onBattery },
    { name: 'UPS/Low Battery', datatype: 'Boolean', value: s.ups.lowBattery },
    { name: 'UPS/Fault', datatype: 'Boolean', value: s.ups.fault },
    { name: 'UPS/Comm', datatype: 'Boolean', value: s.ups.comm },
    { name: 'UPS/Charge %', datatype: 'Double', value: s.ups.chargePct, deadband: 'pct' },
    { name: 'UPS/Runtime s', datatype: 'Double', value: s.ups.runtimeS, deadband: 'runtimeS' },
    { name: 'PSU/State', datatype: 'String', value: s.psu.state },
    { name: 'PSU/OK Count', datatype: 'Int32', value: s.psu.ok },
    { name: 'PSU/Required', datatype: 'Int32', value: s.psu.required },
  ];
  const names = namesOf(cfg);
  for (const { id, ok } of names.psu) m.push({ name: ok, datatype: 'Boolean', value: s.psu.okIds.includes(id) });
  m.push({ name: 'Uplinks/Active', datatype: 'String', value: s.uplink.active }, { name: 'Uplinks/Manual', datatype: 'String', value: s.uplink.manual });
  for (const n of names.uplinks) {
    const u = s.uplink[n.id] as UplinkStatus | undefined;
    m.push(
      { name: n.up, datatype: 'Boolean', value: u?.up ?? null },
      { name: n.reason, datatype: 'String', value: u?.reason ?? null },
      { name: n.loss, datatype: 'Double', value: u?.lossPct ?? null, deadband: 'pct' },
      { name: n.latency, datatype: 'Double', value: u?.latencyMs ?? null, deadband: 'latencyMs' },
      { name: n.heldDown, datatype: 'Boolean', value: u?.heldDown ?? null },
    );
  }
  return m;
}

function alarmAndCounterMetrics(cfg: Config, s: Status, configHash: string): MetricValue[] {
  const m: MetricValue[] = [];
  for (const a of ALARM_NAMES) {
    m.push(
      { name: a.active, datatype: 'Boolean', value: s.alarms.includes(a.code) },
      { name: a.unacked, datatype: 'Boolean', value: s.alarmsUnacked.includes(a.code) },
    );
  }
  m.push({ name: 'Counters/Transfers', datatype: 'Int64', value: s.transferCount });
  for (const { out, name } of relayCounters(cfg, s)) m.push({ name, datatype: 'Int64', value: s.relayOperations[out] ?? 0 });
  m.push({ name: 'Properties/Config Hash', datatype: 'String', value: configHash }, { name: 'Properties/Site', datatype: 'String', value: cfg.site.name });
  return m;
}

/** Every status metric of the cabinet, in a stable order (births list them in this order). */
export function statusMetrics(cfg: Config, s: Status, configHash: string): MetricValue[] {
  return [...powerMetrics(s), ...healthMetrics(cfg, s), ...alarmAndCounterMetrics(cfg, s, configHash)];
}
