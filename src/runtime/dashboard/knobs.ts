// The plant knobs the fault-injection panel offers (sim board only), each with what it accepts, and
// the one-click incidents: each one a set of knobs, applied atomically through POST /sim.
import type { Config } from '../../config/schema.js';
import { KNOBS } from '../../../sim/plant/knobs.js';
import { UPLINK_KNOBS } from '../../../sim/plant/uplinks.js';

export type KnobKind = { type: 'number'; min?: number; max?: number } | { type: 'bool' } | { type: 'enum'; values: readonly string[] };
export interface KnobInfo {
  readonly name: string;
  readonly kind: KnobKind;
}

export interface Incident {
  readonly name: string;
  readonly knobs: Readonly<Record<string, unknown>>;
}

export function knobList(cfg: Config): KnobInfo[] {
  const list: KnobInfo[] = Object.entries(KNOBS).map(([name, kind]) => ({ name, kind }));
  for (const id of cfg.psu.ids) list.push({ name: `psu.${id}.ok`, kind: { type: 'bool' } });
  if (cfg.uplinks.enabled) {
    for (const l of cfg.uplinks.links) for (const [knob, kind] of Object.entries(UPLINK_KNOBS)) list.push({ name: `uplink.${l.id}.${knob}`, kind });
  }
  return list;
}

/** One-click incidents; uplink ones only when the config has uplinks (first = fiber, second = LTE). */
export function incidents(cfg: Config): Incident[] {
  const utility = cfg.power.feeds.A.role === 'utility' ? 'A' : 'B';
  const list: Incident[] = [
    { name: 'utility outage', knobs: { [`feed.${utility}.voltage`]: 0 } },
    { name: 'generator fails to start', knobs: { 'generator.failToStart': true, [`feed.${utility}.voltage`]: 0 } },
    { name: `welded contactor ${utility}`, knobs: { [`breaker.${utility}.stuck`]: 'closed' } },
  ];
  const [fiber, lte] = cfg.uplinks.enabled ? cfg.uplinks.links : [];
  if (fiber) list.push({ name: `fiber cut (${fiber.id})`, knobs: { [`uplink.${fiber.id}.carrier`]: false } });
  if (lte) list.push({ name: `silent LTE (${lte.id})`, knobs: { [`uplink.${lte.id}.loss`]: 1 } });
  list.push({ name: 'restore all', knobs: restoreAll(cfg) });
  return list;
}

/** Every knob back to a healthy cabinet. */
function restoreAll(cfg: Config): Record<string, unknown> {
  const f = cfg.power.feeds;
  const k: Record<string, unknown> = {
    'feed.A.voltage': f.A.nominalVoltageV,
    'feed.B.voltage': f.B.nominalVoltageV,
    'feed.A.frequency': f.A.nominalFrequencyHz,
    'feed.B.frequency': f.B.nominalFrequencyHz,
    'generator.failToStart': false,
    'breaker.A.stuck': 'none',
    'breaker.B.stuck': 'none',
    'breaker.A.feedback': 'ok',
    'breaker.B.feedback': 'ok',
    'meter.A.comm': true,
    'meter.B.comm': true,
    'ups.comm': true,
    'ups.fault': false,
  };
  for (const id of cfg.psu.ids) k[`psu.${id}.ok`] = true;
  if (cfg.uplinks.enabled)
    for (const l of cfg.uplinks.links) Object.assign(k, { [`uplink.${l.id}.carrier`]: true, [`uplink.${l.id}.loss`]: 0, [`uplink.${l.id}.deadTargets`]: 0 });
  return k;
}
