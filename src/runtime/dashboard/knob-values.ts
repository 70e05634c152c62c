// The current value of every plant knob the fault-injection panel offers, read from the simulated
// cabinet, so the panel shows what the plant is doing whoever changed it (a scenario, another client).
import type { SimCabinet } from '../../../sim/plant/cabinet.js';

type Reader = (c: SimCabinet, f: 'A' | 'B', id: string) => unknown;

/** Power knobs by name pattern (`*` is the feed or PSU id), each read from the plant's state. */
const POWER: Readonly<Record<string, Reader>> = {
  'feed.*.voltage': (c, f) => c.state.voltage[f],
  'feed.*.frequency': (c, f) => c.state.frequency[f],
  'generator.failToStart': (c) => c.state.generator.failToStart,
  'generator.startMs': (c) => c.state.generator.startMs,
  'generator.controlMode': (c) => c.state.generator.controlMode,
  'generator.fuelPct': (c) => c.state.generator.fuelPct,
  'generator.reportsEngine': (c) => c.state.generator.reportsEngine,
  'breaker.*.stuck': (c, f) => c.state.breakers[f].stuck,
  'breaker.*.feedback': (c, f) => c.state.breakers[f].feedback,
  'io.comm': (c) => c.state.ioComm,
  'meter.*.comm': (c, f) => c.state.meterComm[f],
  'ups.comm': (c) => c.state.ups.comm,
  'ups.fault': (c) => c.state.ups.fault,
  'ups.chargePct': (c) => c.state.ups.chargePct,
  'psu.*.ok': (c, _f, id) => c.state.psuOk[id],
};

function knobValue(c: SimCabinet, name: string): unknown {
  if (name.startsWith('uplink.')) return c.uplinkKnob(name);
  const [part, id = '', field] = name.split('.');
  const pattern = field === undefined ? name : `${part}.*.${field}`;
  const read = POWER[pattern];
  // The charge moves continuously: shown to the tenth, so that it does not resend every scan.
  const v = read?.(c, id as 'A' | 'B', id);
  return name === 'ups.chargePct' && typeof v === 'number' ? Math.round(v * 10) / 10 : v;
}

/** name → value for these knobs (a name the plant does not know maps to null). */
export function knobValues(c: SimCabinet, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) out[n] = knobValue(c, n) ?? null;
  return out;
}

/** A reader of the panel's knobs (names worked out once, not on every publish). */
export function knobReader(c: SimCabinet, knobs: readonly { name: string }[]): () => Record<string, unknown> {
  const names = knobs.map((k) => k.name);
  return () => knobValues(c, names);
}
