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

/** The relay counters every configured output has, so that the birth lists them before the first operation. */
function relayNames(cfg: Config, status: Status): string[] {
  const ids = cfg.uplinks.links.map((l) => l.id);
  const known = [closeCmdSignal('A'), closeCmdSignal('B'), GENERATOR_START, ALARM_COMMON, ...ids.map(selectedSignal), ...ids.map(powerCycleSignal)];
  return [...new Set<string>([...known, ...Object.keys(status.relayOperations)])].sort();
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
    m.push(
      { name: `Feeds/${f}/Available`, datatype: 'Boolean', value: feed.available },
      { name: `Feeds/${f}/Reason`, datatype: 'String', value: feed.reason },
      { name: `Feeds/${f}/Voltage V`, datatype: 'Double', value: feed.voltageV, deadband: 'voltageV' },
      { name: `Feeds/${f}/Frequency Hz`, datatype: 'Double', value: feed.frequencyHz, deadband: 'frequencyHz' },
      { name: `Breakers/${f}/Commanded Closed`, datatype: 'Boolean', value: brk.commanded },
      { name: `Breakers/${f}/Closed`, datatype: 'Boolean', value: brk.closed },
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
  for (const id of cfg.psu.ids) m.push({ name: `PSU/${id}/OK`, datatype: 'Boolean', value: s.psu.okIds.includes(id) });
  m.push({ name: 'Uplinks/Active', datatype: 'String', value: s.uplink.active }, { name: 'Uplinks/Manual', datatype: 'String', value: s.uplink.manual });
  for (const { id } of cfg.uplinks.links) {
    const u = s.uplink[id] as UplinkStatus | undefined;
    m.push(
      { name: `Uplinks/${id}/Up`, datatype: 'Boolean', value: u?.up ?? null },
      { name: `Uplinks/${id}/Reason`, datatype: 'String', value: u?.reason ?? null },
      { name: `Uplinks/${id}/Loss %`, datatype: 'Double', value: u?.lossPct ?? null, deadband: 'pct' },
      { name: `Uplinks/${id}/Latency ms`, datatype: 'Double', value: u?.latencyMs ?? null, deadband: 'latencyMs' },
      { name: `Uplinks/${id}/Held Down`, datatype: 'Boolean', value: u?.heldDown ?? null },
    );
  }
  return m;
}

function alarmAndCounterMetrics(cfg: Config, s: Status, configHash: string): MetricValue[] {
  const m: MetricValue[] = [];
  for (const code of ALARM_CODES) {
    m.push(
      { name: `Alarms/${code}/Active`, datatype: 'Boolean', value: s.alarms.includes(code) },
      { name: `Alarms/${code}/Unacked`, datatype: 'Boolean', value: s.alarmsUnacked.includes(code) },
    );
  }
  m.push({ name: 'Counters/Transfers', datatype: 'Int64', value: s.transferCount });
  for (const out of relayNames(cfg, s)) m.push({ name: `Counters/Relay Operations/${out}`, datatype: 'Int64', value: s.relayOperations[out] ?? 0 });
  m.push({ name: 'Properties/Config Hash', datatype: 'String', value: configHash }, { name: 'Properties/Site', datatype: 'String', value: cfg.site.name });
  return m;
}

/** Every status metric of the cabinet, in a stable order (births list them in this order). */
export function statusMetrics(cfg: Config, s: Status, configHash: string): MetricValue[] {
  return [...powerMetrics(s), ...healthMetrics(cfg, s), ...alarmAndCounterMetrics(cfg, s, configHash)];
}
